import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { uniqueCode } from './support/factories.js';
import { startTestApp } from './support/test-app.js';

const dataDir = mkdtempSync(join(tmpdir(), 'huuco-persist-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe.skipIf(Boolean(process.env['DATABASE_URL']))('the embedded database on disk', () => {
  it('keeps the registry, accounts and generated keys across a restart', async () => {
    const options = {
      env: { DATABASE_URL: '', DATA_DIR: dataDir, ID_ENCRYPTION_KEY: '', AUTH_TOKEN_SECRET: '' },
      adminUsername: 'persist.admin',
    };
    const first = await startTestApp(options);
    const commune = await first.post('/admin-units', {
      code: '97001',
      name: 'Xã Lưu',
      level: 'commune',
      parentId: first.rootUnitId,
      validFrom: '2001-01-01',
    });
    const cooperative = await first.post('/cooperatives', {
      name: 'HTX Lưu Trữ',
      registrationNumber: uniqueCode('R'),
      communeId: commune.body.id,
    });
    const household = await first.post('/households', {
      headName: 'Phạm Văn Lưu',
      idNumber: '030111222333',
      communeId: commune.body.id,
      cooperativeId: cooperative.body.id,
      joinedOn: '2019-05-01',
    });
    expect(household.status).toBe(201);
    await first.close();

    const second = await startTestApp(options);
    try {
      const again = await second.get(`/cooperatives/${cooperative.body.id}`);
      expect(again.body).toMatchObject({ name: 'HTX Lưu Trữ', householdCount: 1 });
      // The same ID number is still recognised: the blind index key came back from DATA_DIR.
      const duplicate = await second.post('/households', {
        headName: 'Phạm Văn Lưu',
        idNumber: '030111222333',
        communeId: commune.body.id,
        cooperativeId: cooperative.body.id,
        joinedOn: '2019-05-01',
      });
      expect(duplicate.body.code).toBe('HOUSEHOLD_ID_NUMBER_TAKEN');
    } finally {
      await second.close();
    }
  });
});
