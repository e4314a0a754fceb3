import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { aggregate, certifiedFarm, harvest } from './support/trace-fixtures.js';
import { LogAppender } from '../src/trace/log/log-appender.service.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Tampering needs a database of its own: on a shared one it would break every other file's chain.
let api: TestApp;
beforeAll(async () => {
  api = await startTestApp({ env: { DATABASE_URL: '' } });
  const farm = await certifiedFarm(api, 2);
  const a = await harvest(farm, 0, 400);
  const b = await harvest(farm, 1, 420);
  await aggregate(farm, [
    { harvestId: a.id, quantityKg: 400 },
    { harvestId: b.id, quantityKg: 420 },
  ]);
  // Checked against the log from the moment they join it.
  await api.app.get(LogAppender).appendPending();
  await api.db.query('CREATE TABLE events_untouched AS SELECT * FROM events');
});
afterAll(() => api.close());

// Each test starts from the untouched chain.
afterEach(async () => {
  await tamper('DELETE FROM events; INSERT INTO events SELECT * FROM events_untouched');
});

/** What someone with direct database access would do: bypass the append-only trigger. */
async function tamper(sql: string) {
  await api.db.query('ALTER TABLE events DISABLE TRIGGER tr_events_append_only');
  for (const statement of sql.split('; ')) await api.db.query(statement);
  await api.db.query('ALTER TABLE events ENABLE TRIGGER tr_events_append_only');
}

describe('the event chain', () => {
  it('refuses UPDATE and DELETE through the database', async () => {
    await expect(api.db.query(`UPDATE events SET why = 'x' WHERE seq = 1`)).rejects.toThrow(
      /append-only/,
    );
    await expect(api.db.query('DELETE FROM events WHERE seq = 1')).rejects.toThrow(/append-only/);
  });

  it('holds while untouched', async () => {
    expect((await api.get('/events/verify')).body).toEqual({
      valid: true,
      events: 3,
      firstBroken: null,
    });
  });

  it('names the first event whose content was changed', async () => {
    await tamper(
      `UPDATE events SET body = jsonb_set(body, '{quantityList,0,quantity}', '4000') WHERE seq = 2`,
    );
    expect((await api.get('/events/verify')).body).toMatchObject({
      valid: false,
      firstBroken: { seq: 2, reason: 'CONTENT_CHANGED' },
    });
  });

  it('catches a changed index column as well as a changed body', async () => {
    await tamper(`UPDATE events SET biz_step = 'shipping' WHERE seq = 1`);
    expect((await api.get('/events/verify')).body.firstBroken).toEqual({
      seq: 1,
      reason: 'CONTENT_CHANGED',
    });
  });

  it('names a deleted event, in the middle or at the end', async () => {
    await tamper('DELETE FROM events WHERE seq = 2');
    expect((await api.get('/events/verify')).body.firstBroken).toEqual({
      seq: 2,
      reason: 'MISSING',
    });
  });

  it('catches the last event deleted', async () => {
    await tamper('DELETE FROM events WHERE seq = 3');
    expect((await api.get('/events/verify')).body).toMatchObject({
      valid: false,
      firstBroken: { seq: 3, reason: 'MISSING' },
    });
  });

  it('is not for cooperative roles to run', async () => {
    const member = await api.newUser('coop_manager', {
      cooperativeId: (
        await api.db.query<{ id: string }[]>('SELECT id FROM cooperatives LIMIT 1')
      )[0]!.id,
    });
    expect((await member.get('/events/verify')).status).toBe(403);
  });
});
