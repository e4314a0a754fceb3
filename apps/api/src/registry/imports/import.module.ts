import { Module } from '@nestjs/common';
import { HouseholdModule } from '../households/household.module.js';
import { PlotModule } from '../plots/plot.module.js';
import { ImportController } from './import.controller.js';
import { ImportService } from './import.service.js';

@Module({
  imports: [HouseholdModule, PlotModule],
  controllers: [ImportController],
  providers: [ImportService],
  exports: [ImportService],
})
export class ImportModule {}
