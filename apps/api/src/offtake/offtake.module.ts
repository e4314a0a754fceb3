import { Module } from '@nestjs/common';
import { BuyerModule } from './buyers/buyer.module.js';
import { ContractModule } from './contracts/contract.module.js';
import { DeliveryModule } from './deliveries/delivery.module.js';

const AGGREGATES = [BuyerModule, ContractModule, DeliveryModule];

/** Buyers, offtake contracts and deliveries against them. */
@Module({ imports: AGGREGATES, exports: AGGREGATES })
export class OfftakeModule {}
