import { Module } from '@nestjs/common';
import { EventStoreModule } from '../events/event-store.module.js';
import { ProvenanceModule } from '../provenance/provenance.module.js';
import { LotController } from './lot.controller.js';
import { LotService } from './lot.service.js';

@Module({
  imports: [EventStoreModule, ProvenanceModule],
  controllers: [LotController],
  providers: [LotService],
  exports: [LotService],
})
export class LotModule {}
