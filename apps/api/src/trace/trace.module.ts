import { Module } from '@nestjs/common';
import { CatalogueModule } from './catalogue/catalogue.module.js';
import { EventStoreModule } from './events/event-store.module.js';
import { EventModule } from './events/event.module.js';
import { HarvestModule } from './harvests/harvest.module.js';
import { LogModule } from './log/log.module.js';
import { LotModule } from './lots/lot.module.js';
import { ProvenanceModule } from './provenance/provenance.module.js';

const AGGREGATES = [
  CatalogueModule,
  HarvestModule,
  LotModule,
  EventStoreModule,
  EventModule,
  ProvenanceModule,
  LogModule,
];

/** From harvest to lot to QR: the trace, its event store, and the public pages. */
@Module({ imports: AGGREGATES, exports: AGGREGATES })
export class TraceModule {}
