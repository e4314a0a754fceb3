import { Module } from '@nestjs/common';
import { ZoneController } from './zone.controller.js';
import { ZoneService } from './zone.service.js';

@Module({ controllers: [ZoneController], providers: [ZoneService], exports: [ZoneService] })
export class ZoneModule {}
