import { Module } from '@nestjs/common';
import { PlotModule } from '../../registry/plots/plot.module.js';
import { EventStoreModule } from '../events/event-store.module.js';
import { HarvestRestamp } from './harvest-restamp.service.js';
import { HarvestController } from './harvest.controller.js';
import { HarvestService } from './harvest.service.js';

@Module({
  imports: [PlotModule, EventStoreModule],
  controllers: [HarvestController],
  providers: [HarvestService, HarvestRestamp],
  exports: [HarvestService],
})
export class HarvestModule {}
