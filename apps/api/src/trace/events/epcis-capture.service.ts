import { readFileSync } from 'node:fs';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../access/auth/actor.js';
import { cooperativeWritable } from '../../access/auth/record-scope.js';
import { DomainError, notFound } from '../../platform/http/domain-error.js';
import { logRepository } from '../log/log.repository.js';
import { ProvenanceBuilder } from '../provenance/provenance.builder.js';
import { canonicalUri, cbvEventId } from './cbv-event-hash.js';
import {
  captureRepository,
  type CaptureError,
  type CapturedLot,
} from './epcis-capture.repository.js';
import { EventStore, type EpcisEventBody } from './event-store.js';

/** The reason a captured event carries, for its readers; pages go by `captured_events`. */
const CAPTURED_BY = 'EPCIS capture by ';

export type ErrorBehaviour = 'rollback' | 'proceed';

export interface CaptureJob {
  captureID: string;
  createdAt: string;
  running: false;
  success: boolean;
  captureErrorBehaviour: ErrorBehaviour;
  eventIDs: string[];
  errors: CaptureError[];
}

const LIST_KEYS = ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList'] as const;
const QUANTITY_KEYS = [
  'quantityList',
  'childQuantityList',
  'inputQuantityList',
  'outputQuantityList',
] as const;

let schemaValidator: ValidateFunction | null = null;
/** GS1's EPCIS 2.0 JSON schema, compiled once. */
function validateDocument(document: unknown): ValidateFunction['errors'] {
  if (!schemaValidator) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    (formats as unknown as { default: (a: Ajv) => void }).default(ajv);
    const schema = JSON.parse(
      readFileSync(new URL('./epcis-2.0-json-schema.json', import.meta.url), 'utf8'),
    ) as object;
    schemaValidator = ajv.compile(schema);
  }
  return schemaValidator(document) ? null : (schemaValidator.errors ?? []);
}

/**
 * EPCIS 2.0 capture: partners' events about huuco's lots — a buyer's receiving, a mill's
 * transformation — join the trace, the log and the lots' pages. A buyer speaks only of lots
 * delivered to it, a cooperative only of its own. An event keeps its given `ni:` ID only if
 * that is its CBV 2.0 hash; one without an ID is given it.
 */
@Injectable()
export class EpcisCapture {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventStore,
    private readonly provenance: ProvenanceBuilder,
  ) {}

  async capture(actor: Actor, document: unknown, behaviour: ErrorBehaviour): Promise<CaptureJob> {
    const errors = validateDocument(document);
    if (errors) {
      throw new DomainError(
        'EPCIS_DOCUMENT_INVALID',
        'The document does not validate against the EPCIS 2.0 JSON schema.',
        errors.slice(0, 50).map((e) => ({
          path: e.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'document',
          code: 'EPCIS_DOCUMENT_INVALID',
          message: e.message ?? 'invalid',
        })),
      );
    }
    const doc = document as {
      '@context'?: unknown;
      epcisBody: { eventList?: Record<string, unknown>[]; event?: Record<string, unknown> };
    };
    const list = doc.epcisBody.eventList ?? (doc.epcisBody.event ? [doc.epcisBody.event] : []);
    const context = Array.isArray(doc['@context']) ? doc['@context'] : [doc['@context']];
    const namespaces: Record<string, string> = Object.assign(
      {},
      ...context.filter((c): c is Record<string, string> => !!c && typeof c === 'object'),
    );
    return this.db.transaction(async (manager) => {
      const organisation = await captureRepository.organisationOf(
        manager,
        actor.scope.kind === 'buyer' ? actor.scope.buyerId : null,
        actor.scope.kind === 'cooperative' ? actor.scope.cooperativeId : null,
      );
      const failures: CaptureError[] = [];
      const accepted: { body: EpcisEventBody; eventId: string; lots: CapturedLot[] }[] = [];
      for (const [index, event] of list.entries()) {
        const verdict = await this.check(manager, actor, event, namespaces, index);
        if ('code' in verdict) failures.push(verdict);
        else if (accepted.some((a) => a.eventId === verdict.eventId))
          failures.push({
            eventIndex: index,
            eventID: verdict.eventId,
            code: 'EVENT_DUPLICATE',
            message: 'The document holds this event twice.',
          });
        else accepted.push(verdict);
      }
      const store = behaviour === 'proceed' || failures.length === 0 ? accepted : [];
      const touched = new Set<string>();
      const stored: number[] = [];
      for (const { body, eventId, lots } of store) {
        const event = await this.events.append(manager, {
          body,
          eventId,
          lotIds: lots.map((l) => l.id),
          cooperativeId: lots[0]!.cooperative_id,
          actorUsername: actor.username,
          why: `${CAPTURED_BY}${organisation}`,
        });
        stored.push(event.seq);
        for (const lot of lots) touched.add(lot.id);
      }
      const success = failures.length === 0;
      const id = await captureRepository.insertJob(manager, {
        createdBy: actor.id,
        behaviour,
        success,
        eventIds: store.map((s) => s.eventId),
        errors: failures,
      });
      await captureRepository.markCaptured(manager, stored, id, organisation);
      for (const lotId of await logRepository.pagesShowing(manager, [...touched]))
        await this.provenance.rebuild(manager, lotId);
      return {
        captureID: id,
        createdAt: new Date().toISOString(),
        running: false,
        success,
        captureErrorBehaviour: behaviour,
        eventIDs: store.map((s) => s.eventId),
        errors: failures,
      };
    });
  }

  async job(actor: Actor, id: string): Promise<CaptureJob> {
    const row = await captureRepository.job(this.db.manager, id, actor.id);
    if (!row) throw notFound('Capture job', id);
    return {
      captureID: row.id,
      createdAt: row.created_at.toISOString(),
      running: false,
      success: row.success,
      captureErrorBehaviour: row.error_behaviour as ErrorBehaviour,
      eventIDs: row.event_ids,
      errors: row.errors,
    };
  }

  private async check(
    manager: EntityManager,
    actor: Actor,
    event: Record<string, unknown>,
    namespaces: Record<string, string>,
    index: number,
  ): Promise<CaptureError | { body: EpcisEventBody; eventId: string; lots: CapturedLot[] }> {
    const fail = (code: string, message: string, eventID?: string): CaptureError => ({
      eventIndex: index,
      ...(eventID && { eventID }),
      code,
      message,
    });
    const hash = cbvEventId(event, namespaces);
    const given = typeof event['eventID'] === 'string' ? event['eventID'] : undefined;
    if (given?.startsWith('ni:') && given !== hash)
      return fail(
        'EVENT_ID_MISMATCH',
        `The event's content hashes to ${hash}, not to its eventID.`,
        given,
      );
    const eventId = given ?? hash;
    if (typeof event['bizStep'] !== 'string')
      return fail('EVENT_INVALID', 'huuco takes events that name their bizStep.', eventId);
    if (await captureRepository.eventExists(manager, eventId))
      return fail('EVENT_DUPLICATE', 'This event is already recorded.', eventId);
    const refs = lotReferences(event);
    const lots = refs.length
      ? await captureRepository.lotsByCode(
          manager,
          refs.map((r) => r.code),
        )
      : [];
    const named = refs
      .map((r) =>
        lots.find((l) => l.code === r.code && (r.gtin === null || l.gtin?.trim() === r.gtin)),
      )
      .filter((l): l is CapturedLot => !!l);
    if (!named.length)
      return fail(
        'EVENT_NOT_ABOUT_LOTS',
        'The event names none of huuco’s lots (by GS1 Digital Link with lot, LGTIN or urn:huuco:lot).',
        eventId,
      );
    const distinct = [...new Map(named.map((l) => [l.id, l])).values()];
    if (!(await this.mayCapture(manager, actor, distinct)))
      return fail('LOT_NOT_YOURS', 'The event names a lot that is not yours to speak of.', eventId);
    const { eventID: _id, recordTime: _recorded, ...content } = event;
    const objects = Object.keys(namespaces).length ? { '@context': namespaces } : {};
    return {
      body: { ...content, ...objects } as unknown as EpcisEventBody,
      eventId,
      lots: distinct,
    };
  }

  private async mayCapture(
    manager: EntityManager,
    actor: Actor,
    lots: CapturedLot[],
  ): Promise<boolean> {
    const scope = actor.scope;
    if (scope.kind === 'buyer') {
      const delivered = await captureRepository.deliveredTo(
        manager,
        scope.buyerId,
        lots.map((l) => l.id),
      );
      return lots.every((l) => delivered.has(l.id));
    }
    for (const cooperativeId of new Set(lots.map((l) => l.cooperative_id)))
      if (!(await cooperativeWritable(manager, actor, cooperativeId))) return false;
    return true;
  }
}

/** The lots an event names: lot-level GS1 Digital Links (or LGTINs) and huuco lot URNs. */
export function lotReferences(
  event: Record<string, unknown>,
): { code: string; gtin: string | null }[] {
  const uris: string[] = [];
  for (const key of LIST_KEYS)
    for (const v of (event[key] as unknown[] | undefined) ?? [])
      if (typeof v === 'string') uris.push(v);
  for (const key of QUANTITY_KEYS)
    for (const q of (event[key] as { epcClass?: unknown }[] | undefined) ?? [])
      if (typeof q?.epcClass === 'string') uris.push(q.epcClass);
  if (typeof event['parentID'] === 'string') uris.push(event['parentID']);
  return uris.flatMap((uri): { code: string; gtin: string | null }[] => {
    const canonical = canonicalUri(uri.trim());
    const dl = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/10\/([^/?#]+)$/.exec(canonical);
    if (dl) return [{ gtin: dl[1]!, code: decodeURIComponent(dl[2]!) }];
    const urn = /^urn:huuco:lot:(.+)$/.exec(canonical);
    return urn ? [{ gtin: null, code: decodeURIComponent(urn[1]!) }] : [];
  });
}
