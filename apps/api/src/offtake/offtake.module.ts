import { Module } from '@nestjs/common';
import { BuyerController } from './buyers/buyer.controller.js';
import { BuyerService } from './buyers/buyer.service.js';
import { DeliveryService } from './deliveries/delivery.service.js';
import { PlotModule } from '../registry/plots/plot.module.js';
import { TraceModule } from '../trace/trace.module.js';
import { ContractController, DeliveryController } from './contracts/contract.controller.js';
import { ContractService } from './contracts/contract.service.js';

/** Buyers, offtake contracts and deliveries against them. */
@Module({
  imports: [PlotModule, TraceModule],
  controllers: [BuyerController, ContractController, DeliveryController],
  providers: [BuyerService, ContractService, DeliveryService],
  exports: [BuyerService, ContractService, DeliveryService],
})
export class OfftakeModule {}
