import { createHash } from 'node:crypto';
import { canonicalJson } from '../../platform/http/canonical-json.js';
import type { StoredEvent } from '../events/event-store.js';

/**
 * What the log holds for an event: its ID, place and record time, and a digest of everything
 * stored with it (the EPCIS body and what the event is found by). Public, yet it discloses
 * nothing; whoever may read the event recomputes the digest and checks it is the one logged.
 * The leaf hash is SHA-256(0x00 ‖ entry as UTF-8).
 */
export function logEntry(event: StoredEvent): string {
  const digest = createHash('sha256')
    .update(
      canonicalJson({
        event: event.body,
        lotIds: [...event.lotIds].sort(),
        cooperativeId: event.cooperativeId,
        actorUsername: event.actorUsername,
        why: event.why,
        correctsSeq: event.correctsSeq,
      }),
    )
    .digest('hex');
  return canonicalJson({
    digest,
    eventID: event.eventId,
    recordTime: event.recordTime,
    seq: event.seq,
  });
}
