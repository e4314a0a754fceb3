import { Module } from '@nestjs/common';
import { BuyerController } from './buyer.controller.js';
import { BuyerService } from './buyer.service.js';

@Module({
  controllers: [BuyerController],
  providers: [BuyerService],
  exports: [BuyerService],
})
export class BuyerModule {}
