import { Module } from '@nestjs/common';
import { HouseholdModule } from '../registry/households/household.module.js';
import { TraceModule } from '../trace/trace.module.js';
import { OfftakeModule } from '../offtake/offtake.module.js';
import { DistrictModule } from '../district/district.module.js';
import { DemoSeeder } from './demo.seeder.js';
import { TraceDemo } from './trace-demo.js';

@Module({
  imports: [HouseholdModule, TraceModule, OfftakeModule, DistrictModule],
  providers: [DemoSeeder, TraceDemo],
  exports: [DemoSeeder],
})
export class DemoModule {}
