import { Module } from '@nestjs/common';
import { HouseholdModule } from '../households/household.module.js';
import { TraceModule } from '../trace.module.js';
import { ContractModule } from '../contracts/contract.module.js';
import { DistrictModule } from '../district.module.js';
import { DemoSeeder } from './demo.seeder.js';
import { TraceDemo } from './trace-demo.js';

@Module({
  imports: [HouseholdModule, TraceModule, ContractModule, DistrictModule],
  providers: [DemoSeeder, TraceDemo],
  exports: [DemoSeeder],
})
export class DemoModule {}
