import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { HouseholdController } from './household.controller.js';
import { HouseholdService } from './household.service.js';
import { IdNumberCipher, idNumberCipherFor } from './id-number.cipher.js';

@Module({
  controllers: [HouseholdController],
  providers: [
    HouseholdService,
    { provide: IdNumberCipher, inject: [AppConfig], useFactory: idNumberCipherFor },
  ],
  exports: [IdNumberCipher],
})
export class HouseholdModule {}
