import { Module } from '@nestjs/common';
import { LotModule } from '../lots/lot.module.js';
import { ProvenanceModule } from '../provenance/provenance.module.js';
import { EpcisCaptureController } from './epcis-capture.controller.js';
import { EpcisCapture } from './epcis-capture.service.js';
import { EventController } from './event.controller.js';
import { EventQueries } from './event-queries.service.js';
import { EventStoreModule } from './event-store.module.js';

/** Reading the chain: the events a reader may see, EPCIS documents, verification. */
@Module({
  imports: [EventStoreModule, LotModule, ProvenanceModule],
  controllers: [EventController, EpcisCaptureController],
  providers: [EventQueries, EpcisCapture],
})
export class EventModule {}
