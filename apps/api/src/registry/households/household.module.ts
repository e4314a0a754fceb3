import { Module } from '@nestjs/common';
import { Secrets } from '../../platform/config/secrets.js';
import { HouseholdController } from './household.controller.js';
import { HouseholdService } from './household.service.js';
import { IdKeyRotation } from './id-key-rotation.js';
import { IdNumberCipher } from './id-number.cipher.js';

@Module({
  controllers: [HouseholdController],
  providers: [
    HouseholdService,
    IdKeyRotation,
    {
      provide: IdNumberCipher,
      inject: [Secrets],
      useFactory: (secrets: Secrets) => IdNumberCipher.from(secrets),
    },
  ],
  exports: [IdNumberCipher, IdKeyRotation, HouseholdService],
})
export class HouseholdModule {}
