import 'reflect-metadata';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { passwordSchema, usernameSchema } from '@huuco/domain';
import type { DataSource } from 'typeorm';
import { AppModule } from '../app.module.js';
import { AuditService } from '../audit/audit.service.js';
import { hashPassword } from '../auth/password.js';
import { assertPasswordAcceptable } from '../auth/password-policy.js';
import { DomainError } from '../common/domain-error.js';
import { User, UserAdminUnit } from '../auth/user.entity.js';
import { loadConfig } from '../config/app-config.js';

const USAGE = `npm run create-admin -- --username <name> --unit <admin unit id or code> [--name "Display name"]
The password is asked for (or read from HUUCO_ADMIN_PASSWORD): at least 12 characters, not a
common one, and not containing the username.`;

/** The first real district admin: never a default password, always from this command. */
async function createAdmin(): Promise<void> {
  const { values } = parseArgs({
    options: { username: { type: 'string' }, unit: { type: 'string' }, name: { type: 'string' } },
  });
  if (!values.username || !values.unit) throw new Error(USAGE);
  const name = usernameSchema.safeParse(values.username);
  if (!name.success) {
    throw new Error(
      `The username "${values.username}" is not usable: 3–60 letters, digits, dots, dashes or underscores, starting with a letter or digit.`,
    );
  }
  const username = name.data;
  const password =
    process.env['HUUCO_ADMIN_PASSWORD'] ?? (await ask('Password (12+ characters): '));
  const checked = passwordSchema.safeParse(password);
  if (!checked.success) throw new Error('The password needs at least 12 characters.');
  try {
    assertPasswordAcceptable(checked.data, [username, values.name ?? '']);
  } catch (error) {
    throw new Error(
      `The password is refused: ${error instanceof DomainError ? error.message : String(error)}`,
    );
  }

  const config = loadConfig({ ...process.env, DEMO_DATA: 'off' });
  const app = await NestFactory.createApplicationContext(AppModule.forConfig(config), {
    logger: ['error'],
  });
  try {
    const db = app.get<DataSource>(getDataSourceToken());
    const [unit] = await db.query<{ id: string; name: string }[]>(
      `SELECT id, name FROM admin_units
        WHERE id::text = $1 OR (code = $1 AND valid_to IS NULL)
        ORDER BY valid_from DESC LIMIT 1`,
      [values.unit],
    );
    if (!unit) throw new Error(`No current admin unit with id or code ${values.unit}.`);
    if (await db.getRepository(User).existsBy({ username })) {
      throw new Error(
        `An account named ${username} already exists; choose another username, or reset that account's password from the accounts page.`,
      );
    }
    const passwordHash = await hashPassword(checked.data);
    await db.transaction(async (manager) => {
      const user = await manager.getRepository(User).save(
        manager.getRepository(User).create({
          username,
          displayName: values.name ?? username,
          role: 'district_admin',
          passwordHash,
        }),
      );
      await manager.getRepository(UserAdminUnit).insert({ userId: user.id, adminUnitId: unit.id });
      await app.get(AuditService).record(manager, null, {
        action: 'user.create_admin',
        entity: 'user',
        entityId: user.id,
        details: { via: 'cli', unit: unit.name },
      });
    });
    console.log(`District admin ${username} created for ${unit.name}.`);
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
