import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AccessModule } from './access/access.module.js';
import { ErrorFilter } from './platform/http/error.filter.js';
import { ZodValidationPipe } from './platform/http/zod-dto.js';
import { AppConfig } from './platform/config/app-config.js';
import { loadSecrets, Secrets } from './platform/config/secrets.js';
import { databaseModule } from './platform/database/database.module.js';
import { DemoModule } from './demo/demo.module.js';
import { HealthController } from './platform/health/health.controller.js';
import { RegistryModule } from './registry/registry.module.js';
import { TraceModule } from './trace/trace.module.js';
import { RegistryEvents } from './platform/events/registry-events.js';
import { OfftakeModule } from './offtake/offtake.module.js';
import { DistrictModule } from './district/district.module.js';

@Module({})
export class AppModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        databaseModule(config),
        AccessModule,
        RegistryModule,
        TraceModule,
        OfftakeModule,
        DistrictModule,
        DemoModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Secrets, useValue: loadSecrets(config) },
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        { provide: APP_FILTER, useClass: ErrorFilter },
        RegistryEvents,
      ],
      exports: [AppConfig, Secrets, RegistryEvents],
    };
  }
}
