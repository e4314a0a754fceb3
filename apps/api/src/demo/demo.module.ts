import { Module } from '@nestjs/common';
import { HouseholdModule } from '../households/household.module.js';
import { DemoSeeder } from './demo.seeder.js';

@Module({ imports: [HouseholdModule], providers: [DemoSeeder], exports: [DemoSeeder] })
export class DemoModule {}
