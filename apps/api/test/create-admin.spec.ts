import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditService } from '../src/access/audit/audit.service.js';
import { createDistrictAdmin } from '../src/cli/district-admin.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let api: TestApp;

beforeAll(async () => {
  api = await startTestApp();
});
afterAll(() => api.close());

const make = (input: { username: string; password: string; unit?: string }) =>
  createDistrictAdmin(api.db, api.app.get(AuditService), { unit: api.rootUnitId, ...input });

describe('npm run create-admin', () => {
  it('creates a district admin who can log in', async () => {
    const username = `qt.${randomBytes(4).toString('hex')}`;
    const created = await make({ username, password: 'lúa thơm trên đất rươi' });
    expect(created.username).toBe(username);
    expect((await api.login(username, 'lúa thơm trên đất rươi')).status).toBe(200);
  });

  it('refuses an unusable username, a weak password and says a duplicate is a duplicate', async () => {
    await expect(make({ username: 'a b', password: 'lúa thơm trên đất rươi' })).rejects.toThrow(
      /username "a b" is not usable/,
    );
    await expect(make({ username: 'x', password: 'lúa thơm trên đất rươi' })).rejects.toThrow(
      /not usable/,
    );
    const username = `qt.${randomBytes(4).toString('hex')}`;
    await expect(make({ username, password: '123456789012' })).rejects.toThrow(
      /password is refused/,
    );
    await expect(make({ username, password: `${username}-2026` })).rejects.toThrow(
      /password is refused/,
    );
    await make({ username, password: 'lúa thơm trên đất rươi' });
    await expect(make({ username, password: 'một mật khẩu khác hẳn' })).rejects.toThrow(
      new RegExp(`An account named ${username.replace('.', '\\.')} already exists`),
    );
  });
});
