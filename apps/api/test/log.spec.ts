import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageLogPlaces1766300000000 } from '../src/platform/database/migrations/1766300000000-page-log-places.js';
import { LogAppender } from '../src/trace/log/log-appender.service.js';
import { lotRepository } from '../src/trace/lots/lot.repository.js';
import { leafHash, verifyConsistency, verifyInclusion } from '../src/trace/log/merkle.js';
// The outsiders' verifier, as they run it: a file of its own, no code of the server's.
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  cosign,
  cosignatureLine,
  lotLogProofs,
  openCheckpoint,
  parseVerifierKey,
  verifyLog,
  verifyLot,
  verifyLotLog,
} from '../../log-verifier/verify-log.mjs';
import { startTestApp, TEST_WITNESS, type TestApp } from './support/test-app.js';
import { aggregate, certifiedFarm, harvest } from './support/trace-fixtures.js';

let api: TestApp;
beforeAll(async () => {
  api = await startTestApp();
});
afterAll(() => api.close());

const text = async (path: string) => (await fetch(`${api.url}/api/v1${path}`)).text();
const json = async (path: string): Promise<{ status: number; body: any }> => {
  const response = await fetch(`${api.url}/api/v1${path}`);
  return { status: response.status, body: await response.json() };
};
const key = async () => parseVerifierKey((await json('/log/key')).body.verifierKey);

async function tracedLot() {
  const farm = await certifiedFarm(api, 2);
  const a = await harvest(farm, 0, 300);
  const b = await harvest(farm, 1, 300);
  const lot = (
    await aggregate(farm, [
      { harvestId: a.id, quantityKg: 300 },
      { harvestId: b.id, quantityKg: 300 },
    ])
  ).body[0] as { id: string; code: string; provenanceUrl: string };
  return { farm, lot };
}

describe('the transparency log', () => {
  it('logs every event in batches and signs a checkpoint anyone can check with the published key', async () => {
    const { lot } = await tracedLot();
    const pagePath = new URL(lot.provenanceUrl);
    const page = async (): Promise<any> =>
      (
        await fetch(`${api.url}${pagePath.pathname}${pagePath.search}`, {
          headers: { accept: 'application/json' },
        })
      )
        .json()
        .then((answer: any) => answer.document);
    expect((await page()).log.pending).toHaveLength(3);

    expect(await api.app.get(LogAppender).appendPending()).toBeGreaterThanOrEqual(3);
    const note = await text('/log/checkpoint');
    const checkpoint = openCheckpoint(note, await key());
    expect(checkpoint.origin).toMatch(/\/log$/);
    expect(note.split('\n')[1]).toBe(String(checkpoint.size));

    // The page now names its events' places in the log; each proof, asked for at the page's
    // checkpoint, verifies by hand against it.
    const logged = (await page()).log;
    expect(logged.pending).toEqual([]);
    expect(logged.events).toHaveLength(3);
    const held = openCheckpoint(logged.checkpoint.note, await key());
    expect(held.size).toBe(logged.checkpoint.size);
    for (const event of logged.events) {
      expect(Object.keys(event).sort()).toEqual(['eventID', 'leafIndex']);
      const proof = await json(
        `/log/proof/inclusion?event=${encodeURIComponent(event.eventID)}&size=${held.size}`,
      );
      expect(proof.status).toBe(200);
      expect(proof.body).toMatchObject({ leafIndex: event.leafIndex, treeSize: held.size });
      const leaf = leafHash(Buffer.from(proof.body.entry, 'utf8'));
      expect(leaf.toString('hex')).toBe(proof.body.leafHash);
      expect(JSON.parse(proof.body.entry).eventID).toBe(event.eventID);
      const path = proof.body.auditPath.map((h: string) => Buffer.from(h, 'hex'));
      expect(verifyInclusion(event.leafIndex, held.size, leaf, path, held.root)).toBe(true);
    }
    const html = await (await fetch(`${api.url}${pagePath.pathname}${pagePath.search}`)).text();
    expect(html).toContain(`điểm kiểm ${held.size}`);
    expect(html).toContain(`/api/v1/log/checkpoint?size=${held.size}`);
    expect(
      openCheckpoint(await text(`/log/checkpoint?size=${held.size}`), await key()).root,
    ).toEqual(held.root);
  });

  it('proves any event’s inclusion and that every later log extends an earlier one', async () => {
    const { farm } = await tracedLot();
    await api.app.get(LogAppender).appendPending();
    const first = openCheckpoint(await text('/log/checkpoint'), await key());
    const more = await harvest(farm, 0, 100);
    await api.app.get(LogAppender).appendPending();
    const second = openCheckpoint(await text('/log/checkpoint'), await key());
    expect(second.size).toBeGreaterThan(first.size);

    const consistency = await json(`/log/proof/consistency?from=${first.size}&to=${second.size}`);
    expect(consistency.status).toBe(200);
    const path = consistency.body.consistencyPath.map((h: string) => Buffer.from(h, 'hex'));
    expect(verifyConsistency(first.size, second.size, first.root, second.root, path)).toBe(true);
    expect(verifyConsistency(first.size, second.size, second.root, first.root, path)).toBe(false);

    const [{ event_id: eventId }] = await api.db.query<{ event_id: string }[]>(
      `SELECT event_id FROM events WHERE lot_ids @> ARRAY[$1]::uuid[] ORDER BY seq LIMIT 1`,
      [more.id],
    );
    const inclusion = await json(
      `/log/proof/inclusion?event=${encodeURIComponent(eventId!)}&size=${second.size}`,
    );
    expect(inclusion.status).toBe(200);
    expect(
      verifyInclusion(
        inclusion.body.leafIndex,
        second.size,
        Buffer.from(inclusion.body.leafHash, 'hex'),
        inclusion.body.auditPath.map((h: string) => Buffer.from(h, 'hex')),
        second.root,
      ),
    ).toBe(true);
  });

  it('lets anyone check a lot’s events on its page, by the documented steps', async () => {
    const { lot } = await tracedLot();
    await api.app.get(LogAppender).appendPending();
    const at = new URL(lot.provenanceUrl);
    const lotUrl = `${api.url}${at.pathname}${at.search}`;
    const checked = await verifyLot({ lotUrl });
    expect(checked.ok, checked.message).toBe(true);
    expect(checked.message).toMatch(/^3 events are in the log of \d+ entries; the log of/);

    const { document }: any = await (
      await fetch(lotUrl, { headers: { accept: 'application/json' } })
    ).json();
    const vkey = await key();
    const proofs = await lotLogProofs(api.url, document.log);
    expect(proofs).toHaveLength(3);
    const tampered = (change: (log: any, proofs: any[]) => void) => {
      const log = structuredClone(document.log);
      const changed = structuredClone(proofs);
      change(log, changed);
      return verifyLotLog(log, changed, vkey);
    };
    expect(tampered(() => undefined).ok).toBe(true);
    // An entry swapped for another event's, a leaf moved on the page or in its proof, a path
    // altered, a proof against another tree, another key's checkpoint.
    expect(tampered((_, p) => (p[0].entry = p[1].entry)).message).toContain('names another event');
    expect(tampered((_, p) => (p[0].leafHash = p[1].leafHash)).message).toContain(
      'does not hash to its leaf',
    );
    expect(tampered((log) => (log.events[0].leafIndex += 1)).ok).toBe(false);
    expect(tampered((log, p) => (log.events[0].leafIndex = p[0].leafIndex += 1)).message).toContain(
      'is not leaf',
    );
    expect(tampered((_, p) => (p[0].auditPath[0] = '00'.repeat(32))).message).toContain(
      'is not leaf',
    );
    expect(tampered((_, p) => (p[0].treeSize -= 1)).message).toContain('is not for leaf');
    expect(tampered((_, p) => p.pop()).ok).toBe(false);
    expect(() =>
      verifyLotLog(document.log, proofs, { ...vkey, publicKey: Buffer.alloc(32, 1) }),
    ).toThrow(/not signed by/);
  });

  it('serves pages stored with their proofs, from before they were one request away, without them', async () => {
    const { lot } = await tracedLot();
    await api.app.get(LogAppender).appendPending();
    const at = new URL(lot.provenanceUrl);
    const lotUrl = `${api.url}${at.pathname}${at.search}`;
    const scan = async (): Promise<any> =>
      (await fetch(lotUrl, { headers: { accept: 'application/json' } })).json();
    const before = (await scan()).document;
    // The document as the older code stored it: each event with its entry and proof, and no
    // JSON page stored beside it (the document is written out for a scan).
    await api.db.query(
      `UPDATE lot_provenance
          SET document = jsonb_set(document, '{log,events}', $2::jsonb), page_json = NULL
        WHERE lot_id = $1`,
      [
        lot.id,
        JSON.stringify(
          before.log.events.map((e: any) => ({
            ...e,
            entry: '{}',
            leafHash: '00'.repeat(32),
            auditPath: ['00'.repeat(32)],
          })),
        ),
      ],
    );
    expect((await scan()).document.log.events[0].auditPath).toHaveLength(1);
    const runner = api.db.createQueryRunner();
    try {
      await new PageLogPlaces1766300000000().up(runner);
    } finally {
      await runner.release();
    }
    const after = (await scan()).document;
    expect(after.log).toEqual(before.log);
    expect(after.plots).toEqual(before.plots);
    expect((await verifyLot({ lotUrl })).ok).toBe(true);
  });

  it('takes a known witness’s cosignature, shows it with the checkpoint and on the pages', async () => {
    const { lot } = await tracedLot();
    await api.app.get(LogAppender).appendPending();
    const note = await text('/log/checkpoint');
    const size = Number(note.split('\n')[1]);
    const sent = await cosign({
      url: api.url,
      note,
      name: TEST_WITNESS.name,
      seed: TEST_WITNESS.seed,
    });
    expect(sent).toEqual({ witness: TEST_WITNESS.name, treeSize: size });
    const cosigned = await text(`/log/checkpoint?size=${size}`);
    expect(cosigned.startsWith(note)).toBe(true);
    expect(cosigned).toContain(`\n— ${TEST_WITNESS.name} `);
    openCheckpoint(cosigned, await key());
    const url = new URL(lot.provenanceUrl);
    const page = (await (
      await fetch(`${api.url}${url.pathname}${url.search}`, {
        headers: { accept: 'application/json' },
      })
    ).json()) as any;
    expect(page.document.log.checkpoint).toMatchObject({ size, witnesses: [TEST_WITNESS.name] });
    expect(await (await fetch(`${api.url}${url.pathname}${url.search}`)).text()).toContain(
      `Đồng ký bởi ${TEST_WITNESS.name}`,
    );
    // Another key, or another checkpoint's text, is refused; the same cosignature again is no news.
    const stranger = cosignatureLine(note, TEST_WITNESS.name, Buffer.alloc(32, 9));
    const refused = await api.post('/log/cosignatures', { treeSize: size, signature: stranger });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('COSIGNATURE_INVALID');
    const line = cosignatureLine(note, TEST_WITNESS.name, TEST_WITNESS.seed);
    expect(
      (await api.post('/log/cosignatures', { treeSize: size - 1, signature: line })).status,
    ).toBeGreaterThanOrEqual(404);
    expect((await api.post('/log/cosignatures', { treeSize: size, signature: line })).status).toBe(
      201,
    );
  });

  it('answers bad proof requests with the field at fault', async () => {
    await api.app.get(LogAppender).appendPending();
    const size = openCheckpoint(await text('/log/checkpoint'), await key()).size;
    const unknown = `ni:///sha-256;${'0'.repeat(64)}?ver=CBV2.0`;
    const missing = await json(`/log/proof/inclusion?event=${encodeURIComponent(unknown)}`);
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0].path).toBe('event');
    expect((await json('/log/proof/inclusion?event=nonsense')).status).toBe(400);
    const beyond = await json(`/log/proof/consistency?from=1&to=${size + 10_000}`);
    expect(beyond.status).toBe(400);
    expect(beyond.body.errors[0].path).toBe('to');
    const backwards = await json(`/log/proof/consistency?from=${size}&to=1`);
    expect(backwards.body.errors[0].path).toBe('from');
    expect((await json('/log/checkpoint?size=999999999')).status).toBe(404);
  });
});

describe('an operator who rewrites history', () => {
  // Rewriting needs a database of its own: on a shared one it would break every other file's log.
  let own: TestApp;
  beforeAll(async () => {
    own = await startTestApp({ env: { DATABASE_URL: '' } });
  });
  afterAll(() => own.close());

  it('fools the server’s own check by rebuilding the log, but not a checkpoint saved before', async () => {
    const farm = await certifiedFarm(own, 1);
    const h = await harvest(farm, 0, 200);
    await aggregate(farm, [{ harvestId: h.id, quantityKg: 200 }]);
    const appender = own.app.get(LogAppender);
    await appender.appendPending();
    const saved = await (await fetch(`${own.url}/api/v1/log/checkpoint`)).text();
    expect((await verifyLog({ savedNote: saved, url: own.url })).ok).toBe(true);
    await harvest(farm, 0, 100);
    await appender.appendPending();
    expect((await verifyLog({ savedNote: saved, url: own.url })).ok).toBe(true);

    // More organic rice than was harvested: the first harvest's quantity. Caught at once…
    await own.db.query(`ALTER TABLE events DISABLE TRIGGER tr_events_append_only`);
    await own.db.query(
      `UPDATE events SET body = jsonb_set(body, '{quantityList,0,quantity}', '2000') WHERE seq = 1`,
    );
    await own.db.query(`ALTER TABLE events ENABLE TRIGGER tr_events_append_only`);
    expect((await own.get('/events/verify')).body).toMatchObject({
      valid: false,
      firstBroken: { seq: 1, reason: 'CONTENT_CHANGED' },
    });
    // …until the operator rebuilds the whole log from the rewritten events, with their own key.
    for (const table of ['log_leaves', 'log_checkpoints']) {
      await own.db.query(`ALTER TABLE ${table} DISABLE TRIGGER tr_${table}_append_only`);
      await own.db.query(`DELETE FROM ${table}`);
      await own.db.query(`ALTER TABLE ${table} ENABLE TRIGGER tr_${table}_append_only`);
    }
    (appender as unknown as { tree: { forget(): void } }).tree.forget();
    await appender.appendPending();
    expect((await own.get('/events/verify')).body.valid).toBe(true);

    const verdict = await verifyLog({ savedNote: saved, url: own.url });
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toContain('REWRITTEN');
    expect(verdict.message).toContain(`saved checkpoint of ${saved.split('\n')[1]}`);
  });
});

describe('an install whose events predate the log', () => {
  // Its own database: the test counts every page the first run reaches.
  let own: TestApp;
  beforeAll(async () => {
    own = await startTestApp({ env: { DATABASE_URL: '' } });
  });
  afterAll(() => own.close());

  const pagesBehind = async () =>
    Number(
      (
        await own.db.query(
          `SELECT count(*) AS n FROM lot_provenance
            WHERE jsonb_array_length(document->'log'->'pending') > 0`,
        )
      )[0].n,
    );

  it('logs them all and rebuilds every page they reach, a few at a time, even after a crash', async () => {
    // One harvest reaches 221 lots, more than a batch rebuilds in its own transaction: the lot
    // it went into, and the 220 dried from that.
    const farm = await certifiedFarm(own, 1);
    const h = await harvest(farm, 0, 300);
    const bulk = (await aggregate(farm, [{ harvestId: h.id, quantityKg: 220 }])).body[0];
    for (let i = 0; i < 22; i++) {
      const made = await farm.manager.post('/lots', {
        process: 'drying',
        occurredOn: farm.harvestDay,
        inputs: [{ lotId: bulk.id, quantityKg: 10 }],
        outputs: Array.from({ length: 10 }, () => ({ productId: farm.paddy, quantityKg: 1 })),
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
    }
    expect(await pagesBehind()).toBe(221);

    await own.app.get(LogAppender).appendPending();
    expect(await pagesBehind()).toBe(0);
    expect(Number((await own.db.query('SELECT count(*) AS n FROM log_page_backlog'))[0].n)).toBe(0);

    // A process that died after its batch committed left pages noted: the next run rebuilds them.
    const [lot] = await own.db.query<{ id: string }[]>('SELECT id FROM lots LIMIT 1');
    await own.db.query(
      `UPDATE lot_provenance SET document = jsonb_set(document, '{log,checkpoint}', 'null')
        WHERE lot_id = $1`,
      [lot!.id],
    );
    await own.db.query('INSERT INTO log_page_backlog (lot_id) VALUES ($1)', [lot!.id]);
    expect(await own.app.get(LogAppender).appendPending()).toBe(0);
    const [page] = await own.db.query<{ size: string | null }[]>(
      `SELECT document->'log'->'checkpoint'->>'size' AS size FROM lot_provenance WHERE lot_id = $1`,
      [lot!.id],
    );
    expect(Number(page!.size)).toBeGreaterThan(0);
  });

  it('names an event that stayed out of the log, until the log takes it', async () => {
    const farm = await certifiedFarm(own, 1);
    await harvest(farm, 0, 100);
    await own.app.get(LogAppender).appendPending();
    expect((await own.get('/events/verify')).body.valid).toBe(true);
    // An event the appender has not taken, recorded an hour ago: a commit it overlooked.
    const late = await harvest(farm, 0, 50);
    await own.db.query('ALTER TABLE events DISABLE TRIGGER tr_events_append_only');
    const [event] = await own.db.query<{ seq: string }[]>(
      'SELECT seq FROM events WHERE lot_ids @> ARRAY[$1]::uuid[]',
      [late.id],
    );
    await own.db.query(
      `UPDATE events SET record_time = record_time - interval '1 hour' WHERE seq = $1`,
      [event!.seq],
    );
    await own.db.query('ALTER TABLE events ENABLE TRIGGER tr_events_append_only');
    expect((await own.get('/events/verify')).body).toMatchObject({
      valid: false,
      firstBroken: { seq: Number(event!.seq), reason: 'NOT_LOGGED' },
    });
    await own.app.get(LogAppender).appendPending();
    expect((await own.get('/events/verify')).body.valid).toBe(true);
  });
});

// Two API processes on one server database: the embedded one has a single process by design.
describe.runIf(Boolean(process.env['DATABASE_URL']))('two processes appending to one log', () => {
  let second: TestApp;
  beforeAll(async () => {
    second = await startTestApp();
  });
  afterAll(() => second.close());

  it('note the pages of lots being recalled without waiting on the recall', async () => {
    // A recall locks its lots; the log, noting their pages in another process, only refers to
    // them. Had the recall locked the lots against references too, each would wait on the
    // other's rows (seen seeding the demo on the server database: a deadlock).
    const { lot } = await tracedLot();
    const recall = api.db.createQueryRunner();
    await recall.startTransaction();
    try {
      expect(await lotRepository.lockForRecall(recall.manager, lot.id)).toHaveLength(1);
      await second.db.transaction(async (manager) => {
        await manager.query(`SET LOCAL lock_timeout = '3s'`);
        await manager.query('INSERT INTO log_page_backlog (lot_id) VALUES ($1)', [lot.id]);
        await manager.query('DELETE FROM log_page_backlog WHERE lot_id = $1', [lot.id]);
      });
    } finally {
      await recall.rollbackTransaction();
      await recall.release();
    }
  });

  it('log each event once, in one unbroken tree, while both keep writing', async () => {
    const farm = await certifiedFarm(api, 2);
    const appenders = [api.app.get(LogAppender), second.app.get(LogAppender)];
    for (let round = 0; round < 5; round++) {
      await Promise.all([
        harvest(farm, round % 2, 20),
        harvest(farm, (round + 1) % 2, 20),
        ...appenders.map((appender) => appender.appendPending()),
        ...appenders.map((appender) => appender.appendPending()),
      ]);
    }
    await Promise.all(appenders.map((appender) => appender.appendPending()));

    const [leaves] = await api.db.query<{ n: string; events: string; top: string }[]>(
      `SELECT count(*) AS n, count(DISTINCT event_seq) AS events, max(leaf_index) AS top
         FROM log_leaves`,
    );
    expect(Number(leaves!.events)).toBe(Number(leaves!.n));
    expect(Number(leaves!.top)).toBe(Number(leaves!.n) - 1);
    const [mine] = await api.db.query<{ unlogged: string }[]>(
      `SELECT count(*) AS unlogged FROM events e
        WHERE e.cooperative_id = $1
          AND NOT EXISTS (SELECT 1 FROM log_leaves l WHERE l.event_seq = e.seq)`,
      [farm.cooperative.id],
    );
    expect(Number(mine!.unlogged)).toBe(0);
    // Each process's tree, read from its own memory, has the root the other signed.
    const first = await (await fetch(`${api.url}/api/v1/log/checkpoint`)).text();
    const other = await (await fetch(`${second.url}/api/v1/log/checkpoint`)).text();
    const size = Number(first.split('\n')[1]);
    const proof = await fetch(
      `${second.url}/api/v1/log/proof/consistency?from=${Math.max(1, size - 10)}&to=${size}`,
    );
    expect(proof.status).toBe(200);
    expect(Number(other.split('\n')[1])).toBeGreaterThanOrEqual(size);
    expect((await api.get('/events/verify')).body.valid).toBe(true);
  });
});
