import { passwordSchema, usernameSchema } from '@huuco/domain';
import type { DataSource } from 'typeorm';
import type { AuditService } from '../access/audit/audit.service.js';
import { hashPassword } from '../access/auth/password.js';
import { assertPasswordAcceptable } from '../access/auth/password-policy.js';
import { User, UserAdminUnit } from '../access/auth/user.entity.js';
import { DomainError } from '../platform/http/domain-error.js';

export interface DistrictAdminInput {
  username: string;
  password: string;
  /** An admin unit's id, or the code of a current one. */
  unit: string;
  name?: string;
}

/**
 * The first real district admin, as `npm run create-admin` makes it: a usable username, a
 * password the policy accepts, a current unit, and a clear word when the name is taken.
 * Every refusal is an Error whose message is meant for the person at the terminal.
 */
export async function createDistrictAdmin(
  db: DataSource,
  audit: AuditService,
  input: DistrictAdminInput,
): Promise<{ username: string; unitName: string }> {
  const name = usernameSchema.safeParse(input.username);
  if (!name.success) {
    throw new Error(
      `The username "${input.username}" is not usable: 3–60 letters, digits, dots, dashes or underscores, starting with a letter or digit.`,
    );
  }
  const username = name.data;
  const checked = passwordSchema.safeParse(input.password);
  if (!checked.success) throw new Error('The password needs at least 12 characters.');
  try {
    assertPasswordAcceptable(checked.data, [username, input.name ?? '']);
  } catch (error) {
    throw new Error(
      `The password is refused: ${error instanceof DomainError ? error.message : String(error)}`,
    );
  }
  const [unit] = await db.query<{ id: string; name: string }[]>(
    `SELECT id, name FROM admin_units
      WHERE id::text = $1 OR (code = $1 AND valid_to IS NULL)
      ORDER BY valid_from DESC LIMIT 1`,
    [input.unit],
  );
  if (!unit) throw new Error(`No current admin unit with id or code ${input.unit}.`);
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
        displayName: input.name ?? username,
        role: 'district_admin',
        passwordHash,
      }),
    );
    await manager.getRepository(UserAdminUnit).insert({ userId: user.id, adminUnitId: unit.id });
    await audit.record(manager, null, {
      action: 'user.create_admin',
      entity: 'user',
      entityId: user.id,
      details: { via: 'cli', unit: unit.name },
    });
  });
  return { username, unitName: unit.name };
}
