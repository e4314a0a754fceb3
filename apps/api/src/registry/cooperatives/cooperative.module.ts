import { Module } from '@nestjs/common';
import { CooperativeController } from './cooperative.controller.js';
import { CooperativeService } from './cooperative.service.js';

@Module({
  controllers: [CooperativeController],
  providers: [CooperativeService],
  exports: [CooperativeService],
})
export class CooperativeModule {}
