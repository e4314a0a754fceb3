import { Module } from '@nestjs/common';
import { EventStoreModule } from '../events/event-store.module.js';
import { ProvenanceModule } from '../provenance/provenance.module.js';
import { LogAppender } from './log-appender.service.js';
import { LogTreeModule } from './log-tree.module.js';
import { LogController } from './log.controller.js';

/** The transparency log: its public endpoints, and the appender that extends it. */
@Module({
  imports: [LogTreeModule, EventStoreModule, ProvenanceModule],
  controllers: [LogController],
  providers: [LogAppender],
  exports: [LogAppender, LogTreeModule],
})
export class LogModule {}
