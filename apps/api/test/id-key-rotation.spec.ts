import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IdKeyRotation } from '../src/registry/households/id-key-rotation.js';
import { newCommune, newCooperative, newHousehold, randomIdNumber } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const apps: TestApp[] = [];
// The embedded database must outlive the restarts: on disk, not in memory.
const dataDir = mkdtempSync(join(tmpdir(), 'huuco-rotate-'));
const onDisk: Record<string, string> = { DATABASE_URL: '', DATA_DIR: dataDir };
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  rmSync(dataDir, { recursive: true, force: true });
});

// Rotation re-seals every row of the database. On the server the suite shares one database
// between parallel files with keys of their own, so this runs on an embedded one on disk.
describe.skipIf(Boolean(process.env['DATABASE_URL']))('rotating the ID-number key', () => {
  it('keeps every number readable and unique before, during and after the rotation', async () => {
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('base64');
    const adminUsername = `rotate.${randomBytes(4).toString('hex')}`;
    const before = await startTestApp({
      env: { ...onDisk, ID_ENCRYPTION_KEY: oldKey, ID_ENCRYPTION_KEY_ID: 'old' },
      adminUsername,
    });
    apps.push(before);
    const commune = await newCommune(before);
    const cooperative = await newCooperative(before, commune.id);
    const idNumber = randomIdNumber();
    const household = await newHousehold(before, commune.id, cooperative.id, idNumber);
    await before.close();
    apps.pop();

    const during = await startTestApp({
      env: {
        ...onDisk,
        ID_ENCRYPTION_KEY: newKey,
        ID_ENCRYPTION_KEY_ID: 'new',
        ID_ENCRYPTION_PREVIOUS_KEYS: `old:${oldKey}`,
      },
      adminUsername,
    });
    apps.push(during);
    const reveal = () =>
      during.post(`/households/${household.id}/reveal-id`, { reason: 'Kiểm tra sau khi đổi khoá' });
    expect((await reveal()).body.idNumber).toBe(idNumber);
    const duplicate = await during.post('/households', {
      headName: 'Trùng',
      idNumber,
      communeId: commune.id,
      cooperativeId: cooperative.id,
      joinedOn: '2022-01-01',
    });
    expect(duplicate.body.code).toBe('HOUSEHOLD_ID_NUMBER_TAKEN');

    const resealed = await during.app.get(IdKeyRotation).run();
    expect(resealed).toBeGreaterThanOrEqual(1);
    const [row] = await during.db.query('SELECT id_number_key_id FROM households WHERE id = $1', [
      household.id,
    ]);
    expect(row.id_number_key_id).toBe('new');
    await during.close();
    apps.pop();

    const after = await startTestApp({
      env: { ...onDisk, ID_ENCRYPTION_KEY: newKey, ID_ENCRYPTION_KEY_ID: 'new' },
      adminUsername,
    });
    apps.push(after);
    const revealed = await after.post(`/households/${household.id}/reveal-id`, {
      reason: 'Kiểm tra sau khi đổi khoá',
    });
    expect(revealed.body.idNumber).toBe(idNumber);
  });
});
