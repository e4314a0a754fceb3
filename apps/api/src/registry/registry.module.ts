import { Module } from '@nestjs/common';
import { AdminUnitModule } from './admin-units/admin-unit.module.js';
import { CertificationModule } from './certifications/certification.module.js';
import { CooperativeModule } from './cooperatives/cooperative.module.js';
import { HouseholdModule } from './households/household.module.js';
import { PlotModule } from './plots/plot.module.js';
import { ZoneModule } from './zones/zone.module.js';

const AGGREGATES = [
  AdminUnitModule,
  ZoneModule,
  CertificationModule,
  CooperativeModule,
  HouseholdModule,
  PlotModule,
];

/** The registry: admin units, zones, certifications, cooperatives, households, plots. */
@Module({ imports: AGGREGATES, exports: AGGREGATES })
export class RegistryModule {}
