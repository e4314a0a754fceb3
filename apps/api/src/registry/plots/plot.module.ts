import { Module } from '@nestjs/common';
import { OrganicStatusService } from './organic-status.service.js';
import { PlotController } from './plot.controller.js';
import { PlotService } from './plot.service.js';

@Module({
  controllers: [PlotController],
  providers: [PlotService, OrganicStatusService],
  exports: [OrganicStatusService, PlotService],
})
export class PlotModule {}
