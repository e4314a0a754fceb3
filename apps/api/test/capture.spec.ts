import { readFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import { todayIso } from '@huuco/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cbvEventId } from '../src/trace/events/cbv-event-hash.js';
import { startTestApp, type Client, type TestApp } from './support/test-app.js';
import {
  aggregate,
  certifiedFarm,
  contractedBuyer,
  deliver,
  harvest,
} from './support/trace-fixtures.js';

let api: TestApp;
beforeAll(async () => {
  api = await startTestApp();
});
afterAll(() => api.close());

/** GS1's worked example 9.6.1, its receiving event pointed at one of huuco's lots. */
function receivingOf(lotCode: string, extra: Record<string, unknown> = {}) {
  const example = JSON.parse(
    readFileSync(
      resolve(import.meta.dirname, 'standards/Example_9.6.1-ObjectEvent.jsonld'),
      'utf8',
    ),
  );
  const { eventID: _id, epcList: _epcs, ...receiving } = example.epcisBody.eventList[1];
  example.epcisBody.eventList = [
    {
      ...receiving,
      eventTime: `${todayIso()}T08:00:00.000+07:00`,
      eventTimeZoneOffset: '+07:00',
      quantityList: [{ epcClass: `urn:huuco:lot:${lotCode}`, quantity: 50, uom: 'KGM' }],
      ...extra,
    },
  ];
  return example;
}

async function deliveredLot() {
  const farm = await certifiedFarm(api, 1);
  const h = await harvest(farm, 0, 300);
  const lot = (await aggregate(farm, [{ harvestId: h.id, quantityKg: 300 }])).body[0] as {
    id: string;
    code: string;
    provenanceUrl: string;
  };
  const {
    buyer,
    user: buyerUser,
    contractId,
  } = await contractedBuyer(api, farm, `Công ty Nhận ${randomInt(1e6)}`);
  await deliver(farm, contractId, lot.id);
  return { farm, lot, buyer, buyerUser };
}

const capture = (client: Client, document: unknown, behaviour?: string) =>
  client.raw('/capture'.replace(/^/, '/epcis'), {
    method: 'POST',
    headers: {
      'content-type': 'application/ld+json',
      ...(behaviour && { 'gs1-capture-error-behaviour': behaviour }),
    },
    body: JSON.stringify(document),
  });

async function pageOf(lot: { provenanceUrl: string }, json = true) {
  const url = new URL(lot.provenanceUrl);
  const response = await fetch(`${api.url}${url.pathname}${url.search}`, {
    headers: json ? { accept: 'application/json' } : {},
  });
  return json ? ((await response.json()) as { document: any }).document : response.text();
}

describe('EPCIS capture', () => {
  let world: Awaited<ReturnType<typeof deliveredLot>>;
  beforeAll(async () => {
    world = await deliveredLot();
  });

  it('takes a buyer’s receiving event from a GS1 example document and shows it on the lot’s page', async () => {
    const document = receivingOf(world.lot.code);
    const expectedId = cbvEventId(document.epcisBody.eventList[0], {
      example: 'http://ns.example.com/epcis/',
    });
    const response = await capture(world.buyerUser, document);
    expect(response.status).toBe(202);
    expect(response.headers.get('gs1-epcis-version')).toBe('2.0.0');
    const location = response.headers.get('location')!;
    expect(location).toMatch(/^\/api\/v1\/epcis\/capture\/[0-9a-f-]{36}$/);
    const job = await world.buyerUser.get(location.replace('/api/v1', ''));
    expect(job.body).toMatchObject({
      success: true,
      running: false,
      eventIDs: [expectedId],
      errors: [],
    });

    const page = await pageOf(world.lot);
    expect(page.partnerEvents).toEqual([
      expect.objectContaining({ bizStep: 'receiving', by: world.buyer.name }),
    ]);
    expect(page.log.pending).toContain(expectedId);
    expect(await pageOf(world.lot, false)).toContain('Đối tác ghi nhận');
    const exported = await world.farm.manager.get(`/epcis/events?lotId=${world.lot.id}`);
    expect(exported.body.epcisBody.eventList.map((e: { eventID: string }) => e.eventID)).toContain(
      expectedId,
    );

    // A capture job is its sender's: anyone else, even of the same cooperative, gets 404.
    const stranger = await api.newUser('coop_manager', {
      cooperativeId: world.farm.cooperative.id,
    });
    expect((await stranger.get(location.replace('/api/v1', ''))).status).toBe(404);
    expect((await world.farm.manager.get(location.replace('/api/v1', ''))).status).toBe(404);
    const again = await capture(world.buyerUser, document);
    const repeat = await world.buyerUser.get(again.headers.get('location')!.replace('/api/v1', ''));
    expect(repeat.body).toMatchObject({ success: false, errors: [{ code: 'EVENT_DUPLICATE' }] });
  });

  it('refuses an event whose given ID is not its hash, and rolls the whole document back', async () => {
    const good = receivingOf(world.lot.code, { eventTime: '2026-01-02T08:00:00.000+07:00' });
    const bad = {
      ...good.epcisBody.eventList[0],
      eventTime: '2026-01-03T08:00:00.000+07:00',
      eventID: `ni:///sha-256;${'a'.repeat(64)}?ver=CBV2.0`,
    };
    good.epcisBody.eventList.push(bad);
    const rolled = await capture(world.buyerUser, good);
    const job = (await world.buyerUser.get(rolled.headers.get('location')!.replace('/api/v1', '')))
      .body;
    expect(job).toMatchObject({
      success: false,
      captureErrorBehaviour: 'rollback',
      eventIDs: [],
      errors: [{ eventIndex: 1, code: 'EVENT_ID_MISMATCH' }],
    });
    const proceeded = await capture(world.buyerUser, good, 'proceed');
    const partial = (
      await world.buyerUser.get(proceeded.headers.get('location')!.replace('/api/v1', ''))
    ).body;
    expect(partial).toMatchObject({ success: false, captureErrorBehaviour: 'proceed' });
    expect(partial.eventIDs).toHaveLength(1);
  });

  it('lets a buyer speak only of lots delivered to it, and a cooperative only of its own', async () => {
    const other = await deliveredLot();
    const foreign = await capture(
      other.buyerUser,
      receivingOf(world.lot.code, { eventTime: '2026-02-01T08:00:00.000+07:00' }),
    );
    const refused = (
      await other.buyerUser.get(foreign.headers.get('location')!.replace('/api/v1', ''))
    ).body;
    expect(refused.errors).toEqual([expect.objectContaining({ code: 'LOT_NOT_YOURS' })]);
    const coop = await capture(
      other.farm.manager,
      receivingOf(world.lot.code, { eventTime: '2026-02-02T08:00:00.000+07:00' }),
    );
    expect(
      (await other.farm.manager.get(coop.headers.get('location')!.replace('/api/v1', ''))).body
        .errors[0].code,
    ).toBe('LOT_NOT_YOURS');
    const own = await capture(
      world.farm.manager,
      receivingOf(world.lot.code, {
        bizStep: 'storing',
        eventTime: '2026-02-03T08:00:00.000+07:00',
      }),
    );
    expect(
      (await world.farm.manager.get(own.headers.get('location')!.replace('/api/v1', ''))).body
        .success,
    ).toBe(true);
    const example = JSON.parse(
      readFileSync(
        resolve(import.meta.dirname, 'standards/Example_9.6.1-ObjectEvent.jsonld'),
        'utf8',
      ),
    );
    example.epcisBody.eventList = example.epcisBody.eventList.map(
      ({ eventID: _id, ...e }: Record<string, unknown>) => e,
    );
    const elsewhere = await capture(world.buyerUser, example);
    expect(
      (await world.buyerUser.get(elsewhere.headers.get('location')!.replace('/api/v1', ''))).body
        .errors[0].code,
    ).toBe('EVENT_NOT_ABOUT_LOTS');
    const inspector = await api.newUser('inspector');
    expect((await capture(inspector, receivingOf(world.lot.code))).status).toBe(403);
  });

  it('never takes a cooperative’s own words for a partner’s record', async () => {
    const farm = await certifiedFarm(api, 1);
    const h = await harvest(farm, 0, 200);
    const made = await farm.manager.post('/lots', {
      process: 'aggregation',
      occurredOn: farm.harvestDay,
      inputs: [{ harvestId: h.id, quantityKg: 200 }],
      outputs: [{ productId: farm.paddy, quantityKg: 200 }],
      note: 'EPCIS capture by Siêu thị Lớn',
    });
    expect(made.status).toBe(201);
    const page = await pageOf(made.body[0]);
    expect(page.partnerEvents ?? []).toEqual([]);
    expect(await pageOf(made.body[0], false)).not.toContain('Siêu thị Lớn');
  });

  it('answers a document that breaks the EPCIS schema with an RFC 7807 problem, and records nothing', async () => {
    const broken = receivingOf(world.lot.code);
    broken.epcisBody.eventList[0].action = 'SHOUT';
    const count = async () =>
      (
        await api.db.query('SELECT 1 FROM events WHERE lot_ids @> ARRAY[$1]::uuid[]', [
          world.lot.id,
        ])
      ).length;
    const before = await count();
    const response = await capture(world.buyerUser, broken);
    expect(await count()).toBe(before);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = response.body as Record<string, unknown>;
    expect(problem).toMatchObject({
      status: 400,
      code: 'EPCIS_DOCUMENT_INVALID',
      title: expect.any(String),
      type: expect.stringContaining('EPCIS_DOCUMENT_INVALID'),
    });
    expect(
      (
        await world.buyerUser.raw('/epcis/capture', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'gs1-capture-error-behaviour': 'maybe' },
          body: JSON.stringify(receivingOf(world.lot.code)),
        })
      ).status,
    ).toBe(400);
  });

  it('is queried back with the EPCIS standard query, a page at a time', async () => {
    const lotClass = encodeURIComponent(`urn:huuco:lot:${world.lot.code}`);
    const query = (q: string) => world.farm.manager.get(`/epcis/events?${q}`);
    const receiving = await query(`EQ_bizStep=receiving&MATCH_epcClass=${lotClass}`);
    expect(receiving.status).toBe(200);
    expect(receiving.headers.get('gs1-epcis-version')).toBe('2.0.0');
    const events = receiving.body.epcisBody.eventList as {
      bizStep: string;
      eventID: string;
      type: string;
    }[];
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.bizStep === 'receiving')).toBe(true);
    const uri = await query(
      `EQ_bizStep=${encodeURIComponent('https://ref.gs1.org/cbv/BizStep-receiving')}&MATCH_epcClass=${lotClass}`,
    );
    expect(uri.body.epcisBody.eventList).toHaveLength(events.length);
    const one = await query(`EQ_eventID=${encodeURIComponent(events[0]!.eventID)}`);
    expect(one.body.epcisBody.eventList.map((e: { eventID: string }) => e.eventID)).toEqual([
      events[0]!.eventID,
    ]);
    const none = await query(`eventType=TransformationEvent&EQ_bizStep=receiving`);
    expect(none.body.epcisBody.eventList).toEqual([]);
    const later = await query(`MATCH_epcClass=${lotClass}&GE_eventTime=2099-01-01T00:00:00Z`);
    expect(later.body.epcisBody.eventList).toEqual([]);

    const first = await query(
      `MATCH_epcClass=${lotClass}&perPage=1&orderBy=eventTime&orderDirection=ASC`,
    );
    expect(first.body.epcisBody.eventList).toHaveLength(1);
    const next = /<\/api\/v1(\/epcis\/events\?[^>]+)>; rel="next"/.exec(
      first.headers.get('link') ?? '',
    );
    expect(next).not.toBeNull();
    const second = await world.farm.manager.get(next![1]!);
    expect(second.body.epcisBody.eventList).toHaveLength(1);
    expect(second.body.epcisBody.eventList[0].eventID).not.toBe(
      first.body.epcisBody.eventList[0].eventID,
    );
    expect((await query('nextPageToken=forged')).status).toBe(400);
  });

  it('captures a single event at /epcis/events, with a Location to it', async () => {
    const [event] = receivingOf(world.lot.code, { eventTime: '2026-03-01T08:00:00.000+07:00' })
      .epcisBody.eventList;
    const response = await world.buyerUser.post('/epcis/events', event);
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toMatch(/^\/api\/v1\/epcis\/events\/ni%3A/);
    // The same event sent five times at once: recorded once, the others told, none a 500.
    const [racing] = receivingOf(world.lot.code, { eventTime: '2026-03-02T08:00:00.000+07:00' })
      .epcisBody.eventList;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => world.buyerUser.post('/epcis/events', racing)),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
    for (const refused of answers.filter((a) => a.status === 409))
      expect(refused.body.code).toBe('EVENT_DUPLICATE');
    const duplicate = await world.buyerUser.post('/epcis/events', event);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('EVENT_DUPLICATE');
  });
});
