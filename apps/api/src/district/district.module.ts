import { Module } from '@nestjs/common';
import { ExportModule } from './exports/export.module.js';
import { InspectionModule } from './inspections/inspection.module.js';
import { OcopModule } from './ocop/ocop.module.js';
import { TargetModule } from './targets/target.module.js';

const AGGREGATES = [TargetModule, OcopModule, InspectionModule, ExportModule];

/** The district's view: targets with live actuals, OCOP products, internal inspections, exports. */
@Module({ imports: AGGREGATES, exports: AGGREGATES })
export class DistrictModule {}
