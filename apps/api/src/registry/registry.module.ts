import { Module } from '@nestjs/common';
import { AdminUnitModule } from './admin-units/admin-unit.module.js';
import { CertificationModule } from './certifications/certification.module.js';
import { CooperativeModule } from './cooperatives/cooperative.module.js';
import { HouseholdModule } from './households/household.module.js';
import { ImportModule } from './imports/import.module.js';
import { PlotModule } from './plots/plot.module.js';
import { ZoneModule } from './zones/zone.module.js';

const AGGREGATES = [
  AdminUnitModule,
  ZoneModule,
  CertificationModule,
  CooperativeModule,
  HouseholdModule,
  PlotModule,
  ImportModule,
];

/** The registry: admin units, zones, certifications, cooperatives, households, plots, and imports of them. */
@Module({ imports: AGGREGATES, exports: AGGREGATES })
export class RegistryModule {}
