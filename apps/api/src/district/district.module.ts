import { Module } from '@nestjs/common';
import { OfftakeModule } from '../offtake/offtake.module.js';
import { CooperativeModule } from '../registry/cooperatives/cooperative.module.js';
import { ZoneModule } from '../registry/zones/zone.module.js';
import { DistrictController } from './district.controller.js';
import { InspectionController } from './inspections/inspection.controller.js';
import { ExportService } from './exports/export.service.js';
import { HouseholdModule } from '../registry/households/household.module.js';
import { InspectionService } from './inspections/inspection.service.js';
import { OcopService } from './ocop/ocop.service.js';
import { PlotModule } from '../registry/plots/plot.module.js';
import { TargetService } from './targets/target.service.js';
import { TraceModule } from '../trace/trace.module.js';

/** The district's view: targets with live actuals, OCOP products, internal inspections, exports. */
@Module({
  imports: [PlotModule, HouseholdModule, TraceModule, OfftakeModule, ZoneModule, CooperativeModule],
  controllers: [InspectionController, DistrictController],
  providers: [InspectionService, OcopService, TargetService, ExportService],
  exports: [InspectionService, OcopService, TargetService],
})
export class DistrictModule {}
