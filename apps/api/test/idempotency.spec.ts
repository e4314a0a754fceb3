import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certifiedFarm, type CertifiedFarm } from './support/trace-fixtures.js';
import { startTestApp, type Client, type TestApp } from './support/test-app.js';

let api: TestApp;
let farm: CertifiedFarm;

beforeAll(async () => {
  api = await startTestApp();
  farm = await certifiedFarm(api, 3);
});
afterAll(() => api.close());

/** A write as a device sends it from its queue: JSON with the key it made for the record. */
const keyed = (client: Client, path: string, body: unknown, key: string) =>
  client.raw(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });

const harvestBody = (plot = 0, quantityKg = 120) => ({
  plotId: farm.plotIds[plot],
  seasonId: farm.season.id,
  harvestedOn: farm.harvestDay,
  productId: farm.paddy,
  quantityKg,
});

const harvestsOn = async (plot: number) =>
  (await farm.manager.get(`/harvests?plotId=${farm.plotIds[plot]}`)).body.items as {
    id: string;
  }[];

describe('a write sent again with the same Idempotency-Key', () => {
  it('records one harvest and answers the repeat with the first answer', async () => {
    const key = randomUUID();
    const first = await keyed(farm.manager, '/harvests', harvestBody(0), key);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const again = await keyed(farm.manager, '/harvests', harvestBody(0), key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await harvestsOn(0)).toHaveLength(1);
    // Stamped with the plot's status on the field date, not the day it reached the server.
    expect(first.body).toMatchObject({ harvestedOn: farm.harvestDay, organicStatus: 'certified' });
  });

  it('records one harvest when repeats arrive together', async () => {
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => keyed(farm.manager, '/harvests', harvestBody(1, 80), key)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await harvestsOn(1)).toHaveLength(1);
  });

  it('refuses the key reused for another harvest, and another user’s same key is theirs', async () => {
    const key = randomUUID();
    expect((await keyed(farm.manager, '/harvests', harvestBody(2, 50), key)).status).toBe(201);
    const reused = await keyed(farm.manager, '/harvests', harvestBody(2, 60), key);
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      errors: [{ path: 'Idempotency-Key' }],
    });
    const colleague = await api.newUser('coop_manager', { cooperativeId: farm.cooperative.id });
    const theirs = await keyed(colleague, '/harvests', harvestBody(2, 60), key);
    expect(theirs.status).toBe(201);
    expect(await harvestsOn(2)).toHaveLength(2);
  });

  it('keeps nothing of a refused write: corrected, it goes with the same key', async () => {
    const key = randomUUID();
    const tooMuch = await keyed(farm.manager, '/harvests', harvestBody(0, 900), key);
    expect(tooMuch.body).toMatchObject({ code: 'YIELD_NEEDS_OVERRIDE' });
    const corrected = await keyed(
      farm.manager,
      '/harvests',
      { ...harvestBody(0, 900), overrideReason: 'Cân lại tại sân phơi, đúng số lượng' },
      key,
    );
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(201);
    expect(corrected.body.yieldCheck).toBe('overridden');
  });

  it('refuses a key that is not one', async () => {
    const bad = await keyed(farm.manager, '/harvests', harvestBody(0), 'short');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      code: 'IDEMPOTENCY_KEY_INVALID',
      errors: [{ path: 'Idempotency-Key' }],
    });
  });
});

describe('a harvest entered against a plot that changed since', () => {
  it('is refused with both revisions, and goes once the user has seen the plot as it is', async () => {
    const plot = (await farm.manager.get(`/plots/${farm.plotIds[2]}`)).body as {
      revision: number;
      code: string;
    };
    const edited = await farm.manager.patch(`/plots/${farm.plotIds[2]}`, { declaredAreaM2: 1150 });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const key = randomUUID();
    const stale = await keyed(
      farm.manager,
      '/harvests',
      { ...harvestBody(2, 40), plotRevision: plot.revision },
      key,
    );
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      code: 'PLOT_CHANGED',
      errors: [
        {
          path: 'plotRevision',
          code: plot.code,
          seenRevision: plot.revision,
          revision: edited.body.revision,
        },
      ],
    });
    const seen = await keyed(
      farm.manager,
      '/harvests',
      { ...harvestBody(2, 40), plotRevision: edited.body.revision },
      key,
    );
    expect(seen.status, JSON.stringify(seen.body)).toBe(201);
  });
});

describe('inspection findings sent from a device', () => {
  it('are recorded once; recorded meanwhile by someone else, the refusal carries theirs', async () => {
    const inspector = await api.newUser('inspector');
    const planned = await inspector.post('/inspections', {
      kind: 'ICS',
      householdId: farm.household.id,
      plannedOn: farm.harvestDay,
    });
    expect(planned.status, JSON.stringify(planned.body)).toBe(201);
    const findings = {
      inspectedOn: farm.harvestDay,
      findings: 'Bờ thửa sạch, sổ ghi chép đầy đủ',
      nonCompliances: [],
    };
    const key = randomUUID();
    const path = `/inspections/${planned.body.id}/record`;
    const answers = await Promise.all([1, 2, 3].map(() => keyed(inspector, path, findings, key)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(answers[1]!.body).toEqual(answers[0]!.body);

    const other = await api.newUser('inspector');
    const late = await keyed(
      other,
      path,
      { ...findings, findings: 'Ghi khác từ máy khác' },
      randomUUID(),
    );
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({
      code: 'INSPECTION_ALREADY_RECORDED',
      errors: [{ findings: findings.findings, inspector: inspector.username }],
    });
  });
});
