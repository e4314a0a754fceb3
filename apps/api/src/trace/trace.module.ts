import { Module } from '@nestjs/common';
import { EventController } from './events/event.controller.js';
import { EventQueries } from './events/event-queries.service.js';
import { EventStore } from './events/event-store.js';
import { HarvestController } from './harvests/harvest.controller.js';
import { HarvestRestamp } from './harvests/harvest-restamp.service.js';
import { HarvestService } from './harvests/harvest.service.js';
import { LabelSigner } from './lots/label-signer.js';
import { LotController } from './lots/lot.controller.js';
import { LotService } from './lots/lot.service.js';
import { PlotModule } from '../registry/plots/plot.module.js';
import { ProvenanceBuilder } from './provenance/provenance.builder.js';
import { ProvenanceService } from './provenance/provenance.service.js';
import { ScanLog } from './provenance/scan-log.js';
import { CatalogueController } from './catalogue/catalogue.controller.js';
import { CatalogueService } from './catalogue/catalogue.service.js';

/** From harvest to lot to QR: the trace, its event store, and the public pages. */
@Module({
  imports: [PlotModule],
  controllers: [CatalogueController, HarvestController, LotController, EventController],
  providers: [
    CatalogueService,
    HarvestService,
    HarvestRestamp,
    LotService,
    LabelSigner,
    EventStore,
    EventQueries,
    ProvenanceBuilder,
    ProvenanceService,
    ScanLog,
  ],
  exports: [
    HarvestService,
    LotService,
    CatalogueService,
    ProvenanceBuilder,
    ProvenanceService,
    EventStore,
  ],
})
export class TraceModule {}
