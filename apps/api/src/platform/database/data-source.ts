import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { AdminUnit, AdminUnitSuccession } from '../../registry/admin-units/admin-unit.entity.js';
import {
  Certification,
  CertificationPlot,
} from '../../registry/certifications/certification.entity.js';
import type { AppConfig } from '../config/app-config.js';
import { Cooperative } from '../../registry/cooperatives/cooperative.entity.js';
import { Household } from '../../registry/households/household.entity.js';
import { Plot, PlotRevision } from '../../registry/plots/plot.entity.js';
import { Zone, ZoneCommune } from '../../registry/zones/zone.entity.js';
import { AuditEntry } from '../../access/audit/audit-entry.entity.js';
import { RefreshToken, User, UserAdminUnit } from '../../access/auth/user.entity.js';
import { Buyer } from '../../offtake/buyers/buyer.entity.js';
import { HouseholdConsent } from '../../registry/households/household-consent.entity.js';
import { MIGRATIONS } from './migrations/index.js';

// Dates stay `YYYY-MM-DD` strings (no time-zone shift); counts come back as numbers.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export const ENTITIES = [
  AdminUnit,
  AdminUnitSuccession,
  Zone,
  ZoneCommune,
  Certification,
  CertificationPlot,
  Cooperative,
  Household,
  Plot,
  PlotRevision,
  Buyer,
  User,
  UserAdminUnit,
  RefreshToken,
  AuditEntry,
  HouseholdConsent,
];

const MIGRATION_LOCK = 7_236_101;

const common = {
  type: 'postgres' as const,
  entities: ENTITIES,
  migrations: MIGRATIONS,
  migrationsTableName: 'migrations',
  synchronize: false,
  migrationsRun: false,
  uuidExtension: 'pgcrypto' as const,
  // Off: TypeORM would log failed queries with their parameters, which carry personal data.
  logging: false,
};

/**
 * One code path for both databases: the server from DATABASE_URL, or PGlite (the same
 * Postgres compiled to WebAssembly) under DATA_DIR, spoken to through node-postgres.
 */
export async function openDataSource(config: AppConfig): Promise<DataSource> {
  if (config.databaseUrl) {
    const dataSource = new DataSource({
      ...common,
      url: config.databaseUrl,
      extra: { max: 20 },
    } satisfies DataSourceOptions);
    await dataSource.initialize();
    await migrateUnderLock(dataSource);
    return dataSource;
  }

  const dataDir = config.inMemory ? 'memory://' : resolve(config.dataDir, 'pg');
  if (!config.inMemory) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create({ dataDir });
  const dataSource = new DataSource({
    ...common,
    // The embedded database has exactly one connection: inside a transaction, use its manager only.
    extra: { ...createPgConfig(pglite), max: 1 },
  } satisfies DataSourceOptions);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const destroy = dataSource.destroy.bind(dataSource);
  dataSource.destroy = async () => {
    await destroy();
    await pglite.close();
  };
  return dataSource;
}

/** Several API processes may start at once against one server; only one migrates. */
async function migrateUnderLock(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    await runner.release();
  }
}
