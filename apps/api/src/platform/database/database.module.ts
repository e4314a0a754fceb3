import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/app-config.js';
import { ENTITIES, openDataSource } from './data-source.js';

/** The TypeORM data source for the configured database, migrated before the app serves. */
export function databaseModule(config: AppConfig) {
  return TypeOrmModule.forRootAsync({
    useFactory: () => ({ type: 'postgres', entities: ENTITIES }),
    dataSourceFactory: () => openDataSource(config),
  });
}
