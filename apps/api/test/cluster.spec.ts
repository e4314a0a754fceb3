import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanLog } from '../src/trace/provenance/scan-log.js';
import { newCommune, newCooperative } from './support/factories.js';
import { aggregate, certifiedFarm, harvest } from './support/trace-fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** A public page as a phone scans it, from one process or the other. */
async function scan(app: TestApp, url: string, accept = 'text/html') {
  const response = await fetch(`${app.url}${url.replace(/^https?:\/\/[^/]+/, '')}`, {
    headers: { accept },
  });
  return { status: response.status, text: await response.text() };
}

// Two API processes on one server database (the embedded one has a single process by design):
// each its own Nest application with its own pool and its own memory, as behind a load balancer.
describe.runIf(Boolean(process.env['DATABASE_URL']))('two API processes on one database', () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    first = await startTestApp();
    second = await startTestApp();
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('a new unit joins a district officer’s scope in the other process at once', async () => {
    const staff = await first.newUser('district_staff');
    const onSecond = second.as(staff.token);
    // The second process reads (and keeps) the officer's scope before the unit exists.
    expect((await onSecond.get('/cooperatives?pageSize=1')).status).toBe(200);

    const commune = await newCommune(first, 'Xã Mới Lập');
    const cooperative = await newCooperative(first, commune.id);
    const seen = await onSecond.get(`/cooperatives/${cooperative.id}`);
    expect(seen.status, JSON.stringify(seen.body)).toBe(200);
  });

  it('an account disabled in one process is refused by the other at once', async () => {
    const member = await first.newUser('district_staff');
    const onSecond = second.as(member.token);
    expect((await onSecond.get('/cooperatives?pageSize=1')).status).toBe(200);
    const disabled = await first.patch(`/users/${member.id}`, { disabled: true });
    expect(disabled.status, JSON.stringify(disabled.body)).toBe(200);
    const refused = await onSecond.get('/cooperatives?pageSize=1');
    expect(refused.status).toBe(401);
  });

  it('a recall answered by one process is on the page the other serves, at once and on every scan', async () => {
    const farm = await certifiedFarm(first, 1);
    const harvested = await harvest(farm, 0, 400);
    const [lot] = (await aggregate(farm, [{ harvestId: harvested.id, quantityKg: 400 }])).body as {
      id: string;
      provenanceUrl: string;
    }[];
    // The other process serves the page, twice, before the recall: whatever it keeps is warm.
    for (let n = 0; n < 2; n++) {
      const before = await scan(second, lot!.provenanceUrl);
      expect(before.status).toBe(200);
      expect(before.text).not.toContain('LÔ HÀNG ĐÃ BỊ THU HỒI');
    }
    const recall = await farm.manager.post(`/lots/${lot!.id}/recall`, {
      reason: 'Phát hiện dư lượng thuốc BVTV',
    });
    expect(recall.status).toBe(201);
    expect((await scan(second, lot!.provenanceUrl)).text).toContain('LÔ HÀNG ĐÃ BỊ THU HỒI');
    const json = JSON.parse((await scan(second, lot!.provenanceUrl, 'application/json')).text);
    expect(json.document.lot.recalledAt).not.toBeNull();

    // Every scan is counted, whichever process answered it.
    await Promise.all([first.app.get(ScanLog).flush(), second.app.get(ScanLog).flush()]);
    const [counted] = await first.db.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM scans WHERE lot_id = $1',
      [lot!.id],
    );
    expect(counted!.n).toBe(4);
  });
});
