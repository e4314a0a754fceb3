import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ChainVerdict } from '@huuco/domain';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../access/auth/actor.js';
import { eventScopeSql } from '../../access/auth/record-scope.js';
import { crossShard } from '../../platform/database/distribution.js';
import { valuesList } from '../../platform/database/values-list.js';
import { canonicalJson } from '../../platform/http/canonical-json.js';
import { logEntry } from '../log/log-entry.js';
import { leafHash, MerkleTree } from '../log/merkle.js';
import { cbvEventId } from './cbv-event-hash.js';
import { EPCIS_NAMESPACES } from './epcis.js';

/** An EPCIS event as stored: its JSON body plus what the store indexes it by. */
export interface NewEvent {
  body: EpcisEventBody;
  lotIds: string[];
  cooperativeId: string | null;
  actorUsername: string;
  why?: string | null;
  correctsSeq?: number | null;
  /** A partner's event keeps the ID it was captured with (checked against its content). */
  eventId?: string;
}

export interface EpcisEventBody {
  type: 'ObjectEvent' | 'TransformationEvent';
  eventTime: string;
  eventTimeZoneOffset: string;
  bizStep: string;
  [field: string]: unknown;
}

export interface StoredEvent {
  seq: number;
  eventId: string;
  recordTime: string;
  body: EpcisEventBody;
  lotIds: string[];
  cooperativeId: string | null;
  actorUsername: string;
  why: string | null;
  correctsSeq: number | null;
  /** The hash chain's link: events recorded before the log took over carry one; later ones null. */
  prevHash: string | null;
  hash: string | null;
}

/** What a link of the chain covers (events recorded before the transparency log). */
export type ChainedEvent = Omit<StoredEvent, 'prevHash' | 'hash'> & { prevHash: string };

/** How far behind the last logged event a late commit is still looked for. */
const UNLOGGED_LOOKBACK = 100_000;

/** The chain and the log run over every cooperative's events, in the order they were recorded. */
const CHAIN_WIDE = crossShard('the one chain and log over every cooperative’s events');

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The event's ID: its CBV 2.0 event hash, the one any EPCIS system computes for it, with the
 * prefixes huuco's documents declare. (Events recorded before keep the ID they were given.)
 */
export function eventIdOf(body: EpcisEventBody): string {
  return cbvEventId(body, EPCIS_NAMESPACES);
}

/** What each link of the chain hashes: the event, everything it is found by, and the previous link. */
export function linkHash(event: ChainedEvent): string {
  return sha256(
    canonicalJson({
      seq: event.seq,
      eventId: event.eventId,
      recordTime: event.recordTime,
      body: event.body,
      lotIds: [...event.lotIds].sort(),
      cooperativeId: event.cooperativeId,
      actorUsername: event.actorUsername,
      why: event.why,
      correctsSeq: event.correctsSeq,
      prevHash: event.prevHash,
    }),
  );
}

interface EventRow {
  seq: string;
  event_id: string;
  event_type: string;
  biz_step: string;
  event_time: Date;
  record_time: Date;
  lot_ids: string[];
  cooperative_id: string | null;
  actor_username: string;
  why: string | null;
  corrects_seq: string | null;
  body: EpcisEventBody;
  prev_hash: string | null;
  hash: string | null;
}

const EVENT_COLUMNS = `seq, event_id, event_type, biz_step, event_time, record_time,
  array_to_json(lot_ids) AS lot_ids, cooperative_id, actor_username, why, corrects_seq, body, prev_hash, hash`;

const LOGGED_EVENT_COLUMNS = `e.seq, e.event_id, e.event_type, e.biz_step, e.event_time, e.record_time,
  array_to_json(e.lot_ids) AS lot_ids, e.cooperative_id, e.actor_username, e.why, e.corrects_seq, e.body,
  e.prev_hash, e.hash`;

function fromRow(row: EventRow): StoredEvent {
  return {
    seq: Number(row.seq),
    eventId: row.event_id,
    recordTime: row.record_time.toISOString(),
    body: row.body,
    lotIds: row.lot_ids,
    cooperativeId: row.cooperative_id,
    actorUsername: row.actor_username,
    why: row.why,
    correctsSeq: row.corrects_seq === null ? null : Number(row.corrects_seq),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Rule 4: one append-only store for every change. An event takes its number from a sequence:
 * writers do not wait for each other. Within a second it joins the transparency log, whose
 * leaf holds its content: from then on an edited or deleted row is caught against it. Events
 * recorded before the log took over are also linked one to the next by hash.
 */
@Injectable()
export class EventStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async append(manager: EntityManager, event: NewEvent): Promise<StoredEvent> {
    const [stored] = await this.appendAll(manager, [event]);
    return stored!;
  }

  /** Several events in one statement, numbered in the order given. */
  async appendAll(manager: EntityManager, events: NewEvent[]): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    const stored = events.map((event) => ({
      eventId: event.eventId ?? eventIdOf(event.body),
      recordTime: new Date().toISOString(),
      body: event.body,
      lotIds: event.lotIds,
      cooperativeId: event.cooperativeId,
      actorUsername: event.actorUsername,
      why: event.why ?? null,
      correctsSeq: event.correctsSeq ?? null,
      prevHash: null,
      hash: null,
    }));
    const values = valuesList(
      events.map((event, n) => [
        stored[n]!.eventId,
        event.body.type,
        event.body.bizStep,
        event.body.eventTime,
        stored[n]!.recordTime,
        event.lotIds,
        stored[n]!.cooperativeId,
        stored[n]!.actorUsername,
        stored[n]!.why,
        stored[n]!.correctsSeq,
        JSON.stringify(event.body),
      ]),
      ['', '', '', '', '', 'uuid[]', '', '', '', '', 'jsonb'],
    );
    const inserted = await manager.query<{ seq: string }[]>(
      `INSERT INTO events (event_id, event_type, biz_step, event_time, record_time, lot_ids,
         cooperative_id, actor_username, why, corrects_seq, body)
       VALUES ${values.sql} RETURNING seq`,
      values.params,
    );
    // Rows take their numbers in the order they are listed.
    const seqs = inserted.map((row) => Number(row.seq)).sort((x, y) => x - y);
    return stored.map((event, n) => ({ seq: seqs[n]!, ...event }));
  }

  /**
   * Events the log has yet to take, oldest first. Numbers are taken before commit, so a smaller
   * one may commit after a larger one is logged: look back well behind the last one logged.
   */
  async unlogged(
    manager: EntityManager,
    lastLogged: number,
    limit: number,
  ): Promise<StoredEvent[]> {
    const rows = await manager.query<EventRow[]>(
      `SELECT ${EVENT_COLUMNS} FROM events e
        WHERE e.seq > $1 AND NOT EXISTS (SELECT 1 FROM log_leaves l WHERE l.event_seq = e.seq)
        ORDER BY e.seq LIMIT ${limit}`,
      [lastLogged - UNLOGGED_LOOKBACK],
    );
    return rows.map(fromRow);
  }

  /** Stored events, oldest first: about any of `subjectIds` (lots, harvests), within cooperatives. */
  async find(filter: EventFilter): Promise<StoredEvent[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (filter.subjectIds) conditions.push(`lot_ids && $${params.push(filter.subjectIds)}::uuid[]`);
    conditions.push(eventScopeSql(filter.actor, 'e', params));
    if (filter.from) conditions.push(`event_time >= $${params.push(filter.from)}`);
    if (filter.to) conditions.push(`event_time <= $${params.push(filter.to)}`);
    if (filter.bizStep) conditions.push(`biz_step = $${params.push(filter.bizStep)}`);
    if (filter.epcis) conditions.push(...epcisConditions(filter.epcis, params));
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const column =
      filter.epcis?.orderBy === 'recordTime'
        ? 'record_time'
        : filter.epcis?.orderBy === 'eventTime'
          ? 'event_time'
          : null;
    const direction = filter.epcis?.orderDirection === 'DESC' ? 'DESC' : 'ASC';
    const order = column ? `${column} ${direction}, seq ${direction}` : 'seq';
    const rows = await this.db.query<EventRow[]>(
      `SELECT ${EVENT_COLUMNS} FROM events e ${where} ORDER BY ${order} LIMIT ${filter.limit ?? 5_000} OFFSET ${filter.offset ?? 0}`,
      params,
    );
    return rows.map(fromRow);
  }

  /** Events correcting any of these, so an export can declare the corrected ones in error. */
  async correctionsOf(seqs: number[]): Promise<StoredEvent[]> {
    if (!seqs.length) return [];
    const rows = await this.db.query<EventRow[]>(
      `SELECT ${EVENT_COLUMNS} FROM events ${CHAIN_WIDE}
        WHERE corrects_seq = ANY($1::bigint[]) ORDER BY seq`,
      [seqs],
    );
    return rows.map(fromRow);
  }

  /**
   * Checks every stored event against what vouches for it: the chain links of those recorded
   * before the transparency log (an edited row changes its hash, a deleted one leaves a gap, the
   * head remembers the last), then each logged event against its leaf (an edited row no longer
   * hashes to it, a deleted one leaves a leaf with no event) and the leaves against the latest
   * checkpoint's root. Events recorded in the last second, not yet logged, wait for the next run.
   */
  async verify(): Promise<ChainVerdict> {
    const chained = await this.verifyChain();
    if (!chained.valid) return chained;
    const logged = await this.verifyLogged();
    return logged.valid
      ? { valid: true, events: chained.events + logged.events, firstBroken: null }
      : logged;
  }

  private async verifyChain(): Promise<ChainVerdict> {
    const [head] = await this.db.query<{ last_seq: string; last_hash: string }[]>(
      'SELECT last_seq, last_hash FROM event_chain_head WHERE id = 1',
    );
    let expectedSeq = 1;
    let prevHash = '0'.repeat(64);
    const batch = 2_000;
    for (;;) {
      const rows = await this.db.query<EventRow[]>(
        `SELECT ${EVENT_COLUMNS} FROM events ${CHAIN_WIDE}
          WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT ${batch}`,
        [expectedSeq, head!.last_seq],
      );
      for (const row of rows) {
        const event = fromRow(row);
        if (event.seq !== expectedSeq) return broken(expectedSeq - 1, expectedSeq, 'MISSING');
        if (event.prevHash !== prevHash) return broken(expectedSeq - 1, event.seq, 'LINK_BROKEN');
        if (!columnsMatchBody(row) || linkHash({ ...event, prevHash }) !== event.hash) {
          return broken(expectedSeq - 1, event.seq, 'CONTENT_CHANGED');
        }
        prevHash = event.hash;
        expectedSeq++;
      }
      if (rows.length < batch) break;
    }
    const count = expectedSeq - 1;
    if (Number(head!.last_seq) !== count || head!.last_hash !== prevHash) {
      return broken(count, count + 1, 'MISSING');
    }
    return { valid: true, events: count, firstBroken: null };
  }

  private async verifyLogged(): Promise<ChainVerdict> {
    const leaves: Buffer[] = [];
    let checked = 0;
    const batch = 2_000;
    for (;;) {
      const rows = await this.db.query<
        (EventRow & { leaf_seq: string; leaf_hash: string; present: boolean })[]
      >(
        `SELECT l.event_seq AS leaf_seq, l.leaf_hash, e.seq IS NOT NULL AS present, ${LOGGED_EVENT_COLUMNS}
           FROM log_leaves l LEFT JOIN events e ON e.seq = l.event_seq ${CHAIN_WIDE}
          WHERE l.leaf_index >= $1 ORDER BY l.leaf_index LIMIT ${batch}`,
        [leaves.length],
      );
      for (const row of rows) {
        const seq = Number(row.leaf_seq);
        if (!row.present) return broken(checked, seq, 'MISSING');
        const entry = leafHash(Buffer.from(logEntry(fromRow(row)), 'utf8')).toString('hex');
        if (!columnsMatchBody(row) || entry !== row.leaf_hash)
          return broken(checked, seq, 'CONTENT_CHANGED');
        leaves.push(Buffer.from(row.leaf_hash, 'hex'));
        if (row.hash === null) checked++;
      }
      if (rows.length < batch) break;
    }
    // The appender looks back a bounded distance for late commits: one it never found shows here.
    const [stranded] = await this.db.query<{ seq: string | null }[]>(
      `SELECT min(e.seq) AS seq FROM events e ${CHAIN_WIDE}
        WHERE e.hash IS NULL AND e.record_time < now() - interval '10 minutes'
          AND NOT EXISTS (SELECT 1 FROM log_leaves l WHERE l.event_seq = e.seq)`,
    );
    if (stranded?.seq) return broken(checked, Number(stranded.seq), 'NOT_LOGGED');
    const [checkpoint] = await this.db.query<{ tree_size: string; root_hash: string }[]>(
      'SELECT tree_size, root_hash FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1',
    );
    if (checkpoint) {
      const size = Number(checkpoint.tree_size);
      const tree = new MerkleTree(leaves);
      if (size > tree.size || tree.root(size).toString('hex') !== checkpoint.root_hash) {
        return broken(checked, size, 'LINK_BROKEN');
      }
    }
    return { valid: true, events: checked, firstBroken: null };
  }
}

/** The indexed columns say what the body says. */
function columnsMatchBody(row: EventRow): boolean {
  return (
    row.event_type === row.body.type &&
    row.biz_step === row.body.bizStep &&
    row.event_time.getTime() === Date.parse(row.body.eventTime)
  );
}

function broken(
  events: number,
  seq: number,
  reason: 'CONTENT_CHANGED' | 'LINK_BROKEN' | 'MISSING' | 'NOT_LOGGED',
): ChainVerdict {
  return { valid: false, events, firstBroken: { seq, reason } };
}

export interface EventFilter {
  subjectIds?: string[];
  /** Whose events: scope is part of every read. */
  actor: Actor;
  from?: string;
  to?: string;
  bizStep?: string;
  limit?: number;
  offset?: number;
  /** The EPCIS 2.0 standard query's own parameters. */
  epcis?: {
    eventType?: string[];
    GE_eventTime?: string;
    LT_eventTime?: string;
    GE_recordTime?: string;
    LT_recordTime?: string;
    EQ_bizStep?: string[];
    EQ_disposition?: string[];
    EQ_readPoint?: string[];
    EQ_eventID?: string[];
    MATCH_epc?: string[];
    MATCH_anyEPC?: string[];
    MATCH_epcClass?: string[];
    orderBy?: 'eventTime' | 'recordTime';
    orderDirection?: 'ASC' | 'DESC';
  };
}

/** A vocabulary value as stored either way: bare (`receiving`) or as its web URI. */
function vocabularyForms(values: string[], prefix: string): string[] {
  return values.flatMap((v) => [
    v,
    v.startsWith(prefix) ? v.slice(prefix.length) : `${prefix}${v}`,
  ]);
}

/** The EPCIS standard query's conditions over the stored events. */
function epcisConditions(q: NonNullable<EventFilter['epcis']>, params: unknown[]): string[] {
  const c: string[] = [];
  const p = (value: unknown) => `$${params.push(value)}`;
  if (q.eventType) c.push(`event_type = ANY(${p(q.eventType)}::text[])`);
  if (q.GE_eventTime) c.push(`event_time >= ${p(q.GE_eventTime)}`);
  if (q.LT_eventTime) c.push(`event_time < ${p(q.LT_eventTime)}`);
  if (q.GE_recordTime) c.push(`record_time >= ${p(q.GE_recordTime)}`);
  if (q.LT_recordTime) c.push(`record_time < ${p(q.LT_recordTime)}`);
  if (q.EQ_bizStep)
    c.push(
      `biz_step = ANY(${p(vocabularyForms(q.EQ_bizStep, 'https://ref.gs1.org/cbv/BizStep-'))}::text[])`,
    );
  if (q.EQ_disposition)
    c.push(
      `body->>'disposition' = ANY(${p(vocabularyForms(q.EQ_disposition, 'https://ref.gs1.org/cbv/Disp-'))}::text[])`,
    );
  if (q.EQ_readPoint) c.push(`body->'readPoint'->>'id' = ANY(${p(q.EQ_readPoint)}::text[])`);
  if (q.EQ_eventID) c.push(`event_id = ANY(${p(q.EQ_eventID)}::text[])`);
  if (q.MATCH_epc) c.push(`coalesce(body->'epcList', '[]'::jsonb) ?| ${p(q.MATCH_epc)}::text[]`);
  if (q.MATCH_anyEPC) {
    const any = p(q.MATCH_anyEPC);
    c.push(
      `(${['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList']
        .map((k) => `coalesce(body->'${k}', '[]'::jsonb) ?| ${any}::text[]`)
        .join(' OR ')} OR body->>'parentID' = ANY(${any}::text[]))`,
    );
  }
  if (q.MATCH_epcClass) {
    c.push(
      `EXISTS (SELECT 1 FROM jsonb_array_elements(${[
        'quantityList',
        'childQuantityList',
        'inputQuantityList',
        'outputQuantityList',
      ]
        .map((k) => `coalesce(body->'${k}', '[]'::jsonb)`)
        .join(' || ')}) q WHERE q->>'epcClass' = ANY(${p(q.MATCH_epcClass)}::text[]))`,
    );
  }
  return c;
}
