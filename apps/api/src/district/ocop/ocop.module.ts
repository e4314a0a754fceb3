import { Module } from '@nestjs/common';
import { ProvenanceModule } from '../../trace/provenance/provenance.module.js';
import { OcopController } from './ocop.controller.js';
import { OcopService } from './ocop.service.js';

@Module({
  imports: [ProvenanceModule],
  controllers: [OcopController],
  providers: [OcopService],
  exports: [OcopService],
})
export class OcopModule {}
