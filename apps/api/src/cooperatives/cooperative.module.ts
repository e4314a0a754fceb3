import { Module } from '@nestjs/common';
import { CooperativeController } from './cooperative.controller.js';
import { CooperativeService } from './cooperative.service.js';

@Module({ controllers: [CooperativeController], providers: [CooperativeService] })
export class CooperativeModule {}
