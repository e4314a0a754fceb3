import { Module } from '@nestjs/common';
import { HouseholdModule } from '../registry/households/household.module.js';
import { TraceModule } from '../trace/trace.module.js';
import { ContractModule } from '../offtake/contracts/contract.module.js';
import { DistrictModule } from '../district/district.module.js';
import { DemoSeeder } from './demo.seeder.js';
import { TraceDemo } from './trace-demo.js';

@Module({
  imports: [HouseholdModule, TraceModule, ContractModule, DistrictModule],
  providers: [DemoSeeder, TraceDemo],
  exports: [DemoSeeder],
})
export class DemoModule {}
