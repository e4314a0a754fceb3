import { Module } from '@nestjs/common';
import { HouseholdModule } from '../households/household.module.js';
import { PlotModule } from '../plots/plot.module.js';
import { ImportController } from './import.controller.js';
import { HouseholdImport } from './household-import.js';
import { ImportService } from './import.service.js';
import { PlotImport } from './plot-import.js';

@Module({
  imports: [HouseholdModule, PlotModule],
  controllers: [ImportController],
  providers: [ImportService, HouseholdImport, PlotImport],
  exports: [ImportService],
})
export class ImportModule {}
