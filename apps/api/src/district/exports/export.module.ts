import { Module } from '@nestjs/common';
import { ContractModule } from '../../offtake/contracts/contract.module.js';
import { CooperativeModule } from '../../registry/cooperatives/cooperative.module.js';
import { HouseholdModule } from '../../registry/households/household.module.js';
import { PlotModule } from '../../registry/plots/plot.module.js';
import { ZoneModule } from '../../registry/zones/zone.module.js';
import { HarvestModule } from '../../trace/harvests/harvest.module.js';
import { LotModule } from '../../trace/lots/lot.module.js';
import { InspectionModule } from '../inspections/inspection.module.js';
import { TargetModule } from '../targets/target.module.js';
import { ExportController } from './export.controller.js';
import { ExportService } from './export.service.js';
import { GeometryExportController } from './geometry-export.controller.js';
import { GeometryExportService } from './geometry-export.service.js';

/** Registry lists and dashboard tables as CSV or XLSX; plots and zones as GIS files. */
@Module({
  imports: [
    TargetModule,
    InspectionModule,
    HouseholdModule,
    PlotModule,
    ZoneModule,
    CooperativeModule,
    HarvestModule,
    LotModule,
    ContractModule,
  ],
  controllers: [GeometryExportController, ExportController],
  providers: [ExportService, GeometryExportService],
})
export class ExportModule {}
