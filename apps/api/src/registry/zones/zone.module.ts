import { Module } from '@nestjs/common';
import { PlotModule } from '../plots/plot.module.js';
import { ZoneSummaryService } from './zone-summary.service.js';
import { ZoneController } from './zone.controller.js';
import { ZoneService } from './zone.service.js';

@Module({
  imports: [PlotModule],
  controllers: [ZoneController],
  providers: [ZoneService, ZoneSummaryService],
  exports: [ZoneService],
})
export class ZoneModule {}
