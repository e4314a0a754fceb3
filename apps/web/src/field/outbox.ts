import type { ErrorBody } from '@huuco/domain';
import { Dexie, liveQuery, type EntityTable } from 'dexie';
import { useEffect, useState } from 'react';
import { ApiError, apiPostOnce, OfflineError } from '../api';

/** What the device saw of the plot when the record was entered: shown beside a conflict. */
export interface SeenPlot {
  code: string;
  revision: number;
  areaSao: number;
  status: string;
}

/**
 * A record entered on this device, waiting to reach the server. Its id, made on the device, is
 * the `Idempotency-Key` it is sent with: however many times the sending is retried, the server
 * records it once. It belongs to the user who entered it; no one else sees or sends it.
 */
export interface Outgoing {
  id: string;
  userId: string;
  kind: 'harvest' | 'inspection';
  /** Where it goes: `/harvests`, `/inspections/…/record`. */
  path: string;
  body: Record<string, unknown>;
  /** What the list shows of it, in the user's words at entry. */
  summary: string;
  seen?: SeenPlot;
  enteredAt: string;
  state: 'waiting' | 'sent' | 'refused';
  /** The server's refusal, kept to be shown in words until the record is corrected or dropped. */
  refusal?: ErrorBody;
  /** The server's answer once sent: the record as recorded there. */
  answer?: unknown;
  sentAt?: string;
}

/** What a user's device keeps to work with no signal, read whole: the plots they record on. */
interface Snapshot {
  userId: string;
  name: string;
  savedAt: string;
  data: unknown;
}

const db = new Dexie('huuco-field') as Dexie & {
  outbox: EntityTable<Outgoing, 'id'>;
  snapshots: EntityTable<Snapshot, 'userId'>;
};
db.version(1).stores({ outbox: 'id, userId, [userId+enteredAt]', snapshots: '[userId+name]' });

/** Kept per user; a logout drops them (the outbox stays, to be sent by the same user later). */
export const snapshots = {
  async save(userId: string, name: string, data: unknown): Promise<void> {
    await db.snapshots.put({ userId, name, data, savedAt: new Date().toISOString() });
  },
  async read<T>(userId: string, name: string): Promise<T | undefined> {
    return (await db.snapshots.get({ userId, name }))?.data as T | undefined;
  },
  async clear(): Promise<void> {
    await db.snapshots.clear();
  },
};

export const outbox = {
  add(item: Omit<Outgoing, 'state' | 'enteredAt'>): Promise<string> {
    return db.outbox.add({ ...item, state: 'waiting', enteredAt: new Date().toISOString() });
  },
  /** Corrected, a refused record waits to go again, under the same key. */
  async update(id: string, change: Pick<Outgoing, 'body' | 'summary' | 'seen'>): Promise<void> {
    await db.outbox.update(id, { ...change, state: 'waiting', refusal: undefined });
  },
  /** Sent elsewhere instead (findings kept as a new inspection): waits again, same key. */
  async reroute(id: string, path: string, body: Record<string, unknown>): Promise<void> {
    await db.outbox.update(id, { path, body, state: 'waiting', refusal: undefined });
  },
  drop(id: string): Promise<void> {
    return db.outbox.delete(id);
  },
  /** Sent records stay listed as a receipt until the user clears them. */
  async clearSent(userId: string): Promise<void> {
    await db.outbox
      .where({ userId })
      .filter((item) => item.state === 'sent')
      .delete();
  },
  get(id: string): Promise<Outgoing | undefined> {
    return db.outbox.get(id);
  },
};

/** This user's records on this device, oldest first, kept up to date as they change. */
export function useOutbox(userId: string | undefined): Outgoing[] {
  const [items, setItems] = useState<Outgoing[]>([]);
  useEffect(() => {
    if (!userId) return setItems([]);
    const subscription = liveQuery(() =>
      db.outbox.where('[userId+enteredAt]').between([userId, ''], [userId, '\uffff']).toArray(),
    ).subscribe({ next: setItems });
    return () => subscription.unsubscribe();
  }, [userId]);
  return items;
}

let rounds: Promise<void> = Promise.resolve();

/**
 * Sends this user's waiting records, oldest first, one at a time. Each ends as sent or refused
 * with the server's reason; with no signal (or no session) it stays waiting and the round stops.
 * Rounds run one after another, however many triggers (the network back, a login, a new entry)
 * fire: the promise settles once a round that saw everything waiting until now has ended.
 */
export function sendWaiting(userId: string): Promise<void> {
  rounds = rounds.then(() => sendRound(userId)).catch(() => undefined);
  return rounds;
}

async function sendRound(userId: string): Promise<void> {
  const waiting = await db.outbox
    .where('[userId+enteredAt]')
    .between([userId, ''], [userId, '\uffff'])
    .filter((item) => item.state === 'waiting')
    .toArray();
  for (const item of waiting) {
    try {
      const answer = await apiPostOnce<unknown>(item.path, item.body, item.id);
      await db.outbox.update(item.id, { state: 'sent', answer, sentAt: new Date().toISOString() });
    } catch (error) {
      if (error instanceof OfflineError) return;
      if (!(error instanceof ApiError)) throw error;
      // Logged out, or the server itself failing: it may go later as it is.
      if (error.status === 401 || error.status === 429 || error.status >= 500) return;
      await db.outbox.update(item.id, { state: 'refused', refusal: error.body });
    }
  }
}
