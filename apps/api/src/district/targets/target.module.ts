import { Module } from '@nestjs/common';
import { PlotModule } from '../../registry/plots/plot.module.js';
import { TargetController } from './target.controller.js';
import { TargetService } from './target.service.js';

/** Targets per unit, year and indicator, with actuals from the records; the dashboard. */
@Module({
  imports: [PlotModule],
  controllers: [TargetController],
  providers: [TargetService],
  exports: [TargetService],
})
export class TargetModule {}
