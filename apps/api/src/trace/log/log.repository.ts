import type { EntityManager } from 'typeorm';
import { LOT_TRACE } from '../../platform/database/distribution.js';

export interface LeafRow {
  leaf_index: string;
  event_seq: string;
  leaf_hash: string;
  entry: string;
}

export interface CheckpointRow {
  tree_size: string;
  root_hash: string;
  note: string;
}

/** The transparency log's SQL, all of it. */
export const logRepository = {
  /** Serialises appends across processes: one batch at a time extends the tree. */
  async lockAppends(manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(7236103)');
  },

  async size(manager: EntityManager): Promise<number> {
    const [row] = await manager.query<{ n: string }[]>(
      'SELECT coalesce(max(leaf_index) + 1, 0) AS n FROM log_leaves',
    );
    return Number(row!.n);
  },

  /** The sequence number of the last event logged, 0 before any. */
  async lastSeq(manager: EntityManager): Promise<number> {
    const [row] = await manager.query<{ seq: string }[]>(
      'SELECT coalesce(max(event_seq), 0) AS seq FROM log_leaves',
    );
    return Number(row!.seq);
  },

  async insertLeaves(
    manager: EntityManager,
    leaves: { index: number; seq: number; hash: string; entry: string }[],
  ): Promise<void> {
    await manager.query(
      `INSERT INTO log_leaves (leaf_index, event_seq, leaf_hash, entry)
       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::char(64)[], $4::text[])`,
      [
        leaves.map((l) => l.index),
        leaves.map((l) => l.seq),
        leaves.map((l) => l.hash),
        leaves.map((l) => l.entry),
      ],
    );
  },

  /** Leaf hashes from `from` on, in order. */
  async leafHashes(manager: EntityManager, from: number): Promise<string[]> {
    const rows = await manager.query<{ leaf_hash: string }[]>(
      'SELECT leaf_hash FROM log_leaves WHERE leaf_index >= $1 ORDER BY leaf_index',
      [from],
    );
    return rows.map((r) => r.leaf_hash);
  },

  async leafOfEvent(manager: EntityManager, eventId: string): Promise<LeafRow | null> {
    const [row] = await manager.query<LeafRow[]>(
      `SELECT l.leaf_index, l.event_seq, l.leaf_hash, l.entry
         FROM log_leaves l JOIN events e ON e.seq = l.event_seq WHERE e.event_id = $1`,
      [eventId],
    );
    return row ?? null;
  },

  async insertCheckpoint(
    manager: EntityManager,
    size: number,
    root: string,
    note: string,
  ): Promise<void> {
    await manager.query(
      'INSERT INTO log_checkpoints (tree_size, root_hash, note) VALUES ($1, $2, $3)',
      [size, root, note],
    );
  },

  async latestCheckpoint(manager: EntityManager): Promise<CheckpointRow | null> {
    const [row] = await manager.query<CheckpointRow[]>(
      'SELECT tree_size, root_hash, note FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1',
    );
    return row ?? null;
  },

  /** The checkpoint of exactly this size, or the first one at least this large. */
  async checkpointFrom(manager: EntityManager, size: number): Promise<CheckpointRow | null> {
    const [row] = await manager.query<CheckpointRow[]>(
      'SELECT tree_size, root_hash, note FROM log_checkpoints WHERE tree_size >= $1 ORDER BY tree_size LIMIT 1',
      [size],
    );
    return row ?? null;
  },

  async insertCosignature(
    manager: EntityManager,
    size: number,
    witness: string,
    line: string,
    signedAt: Date,
  ): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `INSERT INTO log_cosignatures (tree_size, witness, signature_line, signed_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tree_size, witness) DO NOTHING RETURNING witness`,
      [size, witness, line, signedAt],
    );
    return rows.length > 0;
  },

  cosignatures(
    manager: EntityManager,
    size: number,
  ): Promise<{ witness: string; signature_line: string }[]> {
    return manager.query(
      'SELECT witness, signature_line FROM log_cosignatures WHERE tree_size = $1 ORDER BY witness',
      [size],
    );
  },

  /** The lots whose pages hold their proofs against this checkpoint. */
  async pagesHolding(manager: EntityManager, size: number): Promise<string[]> {
    const rows = await manager.query<{ lot_id: string }[]>(
      `SELECT lot_id FROM lot_provenance WHERE document->'log'->'checkpoint'->>'size' = $1`,
      [String(size)],
    );
    return rows.map((r) => r.lot_id);
  },

  /** The events about any of these lots or harvests, with their leaves once logged. */
  eventsAbout(
    manager: EntityManager,
    subjectIds: string[],
  ): Promise<{ event_id: string; leaf_index: string | null }[]> {
    return manager.query(
      `${LOT_TRACE}
       SELECT e.event_id, l.leaf_index
         FROM events e LEFT JOIN log_leaves l ON l.event_seq = e.seq
        WHERE e.lot_ids && $1::uuid[] ORDER BY e.seq`,
      [subjectIds],
    );
  },

  /** Lots with a page whose trace any of these lots or harvests is in: they and all made from them. */
  async pagesShowing(manager: EntityManager, subjectIds: string[]): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      `${LOT_TRACE}
       WITH RECURSIVE down(id) AS (
         SELECT l.id FROM lots l WHERE l.id = ANY($1::uuid[])
         UNION
         SELECT l.id FROM transformation_inputs ti
           JOIN lots l ON l.transformation_id = ti.transformation_id
          WHERE ti.harvest_id = ANY($1::uuid[])
         UNION
         SELECT l.id FROM down d
           JOIN transformation_inputs ti ON ti.lot_id = d.id
           JOIN lots l ON l.transformation_id = ti.transformation_id
       )
       SELECT d.id FROM down d JOIN lot_provenance lp ON lp.lot_id = d.id`,
      [subjectIds],
    );
    return rows.map((r) => r.id);
  },

  /** Of these pages, the ones no other transaction holds, locked; the others are skipped. */
  async lockFreePages(manager: EntityManager, lotIds: string[]): Promise<string[]> {
    const rows = await manager.query<{ lot_id: string }[]>(
      `SELECT lot_id FROM lot_provenance WHERE lot_id = ANY($1::uuid[])
        ORDER BY lot_id FOR UPDATE SKIP LOCKED`,
      [lotIds],
    );
    return rows.map((r) => r.lot_id);
  },

  async notePages(manager: EntityManager, lotIds: string[]): Promise<void> {
    await manager.query(
      `INSERT INTO log_page_backlog (lot_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING`,
      [lotIds],
    );
  },

  /** Up to `limit` noted pages, taken off the backlog; another process skips them meanwhile. */
  async takeNotedPages(manager: EntityManager, limit: number): Promise<string[]> {
    const rows = await manager.query<{ lot_id: string }[]>(
      `WITH taken AS (
         DELETE FROM log_page_backlog WHERE lot_id IN (
           SELECT lot_id FROM log_page_backlog
            ORDER BY noted_at, lot_id LIMIT $1 FOR UPDATE SKIP LOCKED
         ) RETURNING lot_id
       )
       SELECT lot_id FROM taken`,
      [limit],
    );
    return rows.map((r) => r.lot_id);
  },
};
