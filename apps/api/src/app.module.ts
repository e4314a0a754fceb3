import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AdminUnitModule } from './admin-units/admin-unit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CertificationModule } from './certifications/certification.module.js';
import { ErrorFilter } from './common/error.filter.js';
import { ZodValidationPipe } from './common/zod-dto.js';
import { AppConfig } from './config/app-config.js';
import { loadSecrets, Secrets } from './config/secrets.js';
import { CooperativeModule } from './cooperatives/cooperative.module.js';
import { databaseModule } from './database/database.module.js';
import { DemoModule } from './demo/demo.module.js';
import { HealthController } from './health/health.controller.js';
import { HouseholdModule } from './households/household.module.js';
import { PlotModule } from './plots/plot.module.js';
import { TraceModule } from './trace.module.js';
import { ContractModule } from './contracts/contract.module.js';
import { DistrictModule } from './district.module.js';
import { ZoneModule } from './zones/zone.module.js';

@Module({})
export class AppModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        databaseModule(config),
        AuthModule,
        AdminUnitModule,
        ZoneModule,
        CertificationModule,
        CooperativeModule,
        HouseholdModule,
        PlotModule,
        TraceModule,
        ContractModule,
        DistrictModule,
        DemoModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Secrets, useValue: loadSecrets(config) },
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        { provide: APP_FILTER, useClass: ErrorFilter },
      ],
      exports: [AppConfig, Secrets],
    };
  }
}
