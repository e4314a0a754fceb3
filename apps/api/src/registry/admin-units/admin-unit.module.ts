import { Module } from '@nestjs/common';
import { AdminUnitController } from './admin-unit.controller.js';
import { AdminUnitService } from './admin-unit.service.js';

@Module({
  controllers: [AdminUnitController],
  providers: [AdminUnitService],
  exports: [AdminUnitService],
})
export class AdminUnitModule {}
