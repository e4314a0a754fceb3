import type { EntityManager } from 'typeorm';

export interface CapturedLot {
  id: string;
  code: string;
  gtin: string | null;
  cooperative_id: string;
}

export interface CaptureError {
  eventIndex: number;
  eventID?: string;
  code: string;
  message: string;
}

export interface CaptureJobRow {
  id: string;
  error_behaviour: string;
  success: boolean;
  event_ids: string[];
  errors: CaptureError[];
  created_at: Date;
}

/** The SQL of EPCIS capture: the lots an event names, who may speak of them, the jobs. */
export const captureRepository = {
  lotsByCode(manager: EntityManager, codes: string[]): Promise<CapturedLot[]> {
    return manager.query<CapturedLot[]>(
      `SELECT l.id, l.code, pr.gtin, l.cooperative_id FROM lots l JOIN products pr ON pr.id = l.product_id
        WHERE l.code = ANY($1::text[])`,
      [codes],
    );
  },

  /** Of these lots, those delivered against one of the buyer's contracts. */
  async deliveredTo(
    manager: EntityManager,
    buyerId: string,
    lotIds: string[],
  ): Promise<Set<string>> {
    const rows = await manager.query<{ lot_id: string }[]>(
      `SELECT DISTINCT dl.lot_id FROM delivery_lots dl JOIN deliveries d ON d.id = dl.delivery_id
         JOIN contracts c ON c.id = d.contract_id WHERE c.buyer_id = $1 AND dl.lot_id = ANY($2::uuid[])`,
      [buyerId, lotIds],
    );
    return new Set(rows.map((r) => r.lot_id));
  },

  async organisationOf(
    manager: EntityManager,
    buyerId: string | null,
    cooperativeId: string | null,
  ): Promise<string> {
    const [row] = buyerId
      ? await manager.query<{ name: string }[]>('SELECT name FROM buyers WHERE id = $1', [buyerId])
      : await manager.query<{ name: string }[]>('SELECT name FROM cooperatives WHERE id = $1', [
          cooperativeId,
        ]);
    return row?.name ?? 'partner';
  },

  async eventExists(manager: EntityManager, eventId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>('SELECT 1 FROM events WHERE event_id = $1', [
      eventId,
    ]);
    return rows.length > 0;
  },

  async insertJob(
    manager: EntityManager,
    job: {
      createdBy: string;
      behaviour: string;
      success: boolean;
      eventIds: string[];
      errors: CaptureError[];
    },
  ): Promise<string> {
    const [row] = await manager.query<{ id: string }[]>(
      `INSERT INTO epcis_capture_jobs (created_by, error_behaviour, success, event_ids, errors)
       VALUES ($1, $2, $3, $4::text[], $5::jsonb) RETURNING id`,
      [job.createdBy, job.behaviour, job.success, job.eventIds, JSON.stringify(job.errors)],
    );
    return row!.id;
  },

  async markCaptured(
    manager: EntityManager,
    eventSeqs: number[],
    jobId: string,
    organisation: string,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO captured_events (event_seq, job_id, organisation)
       SELECT unnest($1::bigint[]), $2, $3`,
      [eventSeqs, jobId, organisation],
    );
  },

  async job(manager: EntityManager, id: string, createdBy: string): Promise<CaptureJobRow | null> {
    const [row] = await manager.query<CaptureJobRow[]>(
      'SELECT * FROM epcis_capture_jobs WHERE id = $1 AND created_by = $2',
      [id, createdBy],
    );
    return row ?? null;
  },
};
