import { Module } from '@nestjs/common';
import { PlotModule } from '../../registry/plots/plot.module.js';
import { ContractController } from './contract.controller.js';
import { ContractService } from './contract.service.js';

@Module({
  imports: [PlotModule],
  controllers: [ContractController],
  providers: [ContractService],
  exports: [ContractService],
})
export class ContractModule {}
