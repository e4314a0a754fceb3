import 'reflect-metadata';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppModule } from '../app.module.js';
import { AuditService } from '../access/audit/audit.service.js';
import { loadConfig } from '../platform/config/app-config.js';
import { createDistrictAdmin } from './district-admin.js';

const USAGE = `npm run create-admin -- --username <name> --unit <admin unit id or code> [--name "Display name"]
The password is asked for (or read from HUUCO_ADMIN_PASSWORD): at least 12 characters, not a
common one, and not containing the username.`;

/** The first real district admin: never a default password, always from this command. */
async function createAdmin(): Promise<void> {
  const { values } = parseArgs({
    options: { username: { type: 'string' }, unit: { type: 'string' }, name: { type: 'string' } },
  });
  if (!values.username || !values.unit) throw new Error(USAGE);
  const password =
    process.env['HUUCO_ADMIN_PASSWORD'] ?? (await ask('Password (12+ characters): '));
  const config = loadConfig({ ...process.env, DEMO_DATA: 'off' });
  const app = await NestFactory.createApplicationContext(AppModule.forConfig(config), {
    logger: ['error'],
  });
  try {
    const created = await createDistrictAdmin(
      app.get<DataSource>(getDataSourceToken()),
      app.get(AuditService),
      { username: values.username, password, unit: values.unit, name: values.name },
    );
    console.log(`District admin ${created.username} created for ${created.unitName}.`);
  } finally {
    await app.close();
  }
}

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

createAdmin().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
