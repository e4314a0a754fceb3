import { Module } from '@nestjs/common';
import { EventStoreModule } from '../../trace/events/event-store.module.js';
import { ProvenanceModule } from '../../trace/provenance/provenance.module.js';
import { ContractModule } from '../contracts/contract.module.js';
import { DeliveryController } from './delivery.controller.js';
import { DeliveryService } from './delivery.service.js';

@Module({
  imports: [ContractModule, EventStoreModule, ProvenanceModule],
  controllers: [DeliveryController],
  providers: [DeliveryService],
  exports: [DeliveryService],
})
export class DeliveryModule {}
