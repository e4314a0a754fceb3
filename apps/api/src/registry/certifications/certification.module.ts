import { Module } from '@nestjs/common';
import { CertificationController } from './certification.controller.js';
import { CertificationService } from './certification.service.js';

@Module({ controllers: [CertificationController], providers: [CertificationService] })
export class CertificationModule {}
