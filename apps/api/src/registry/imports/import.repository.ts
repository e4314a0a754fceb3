import type {
  ImportKind,
  ImportListQuery,
  ImportRowsQuery,
  ImportStatus,
  RowVerdict,
} from '@huuco/domain';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../access/auth/actor.js';
import { cooperativesSql } from '../../access/auth/record-scope.js';
import type { Commune, HouseholdMatch } from './household-rows.js';
import type { ExistingPlot } from './plot-rows.js';

export interface ImportRow {
  id: string;
  kind: ImportKind;
  cooperative_id: string;
  created_by: string;
  status: ImportStatus;
  file_name: string;
  file_sha256: string;
  format: string | null;
  sheet: string | null;
  header_row: number | null;
  mapping: Record<string, string | null>;
  columns: string[];
  crs: string | null;
  crs_given: string | null;
  rows_read: number;
  rows_checked: number;
  rows_total: number;
  counts: Partial<Record<RowVerdict, number>>;
  failure: { code: string; message: string } | null;
  created_at: Date;
  committed_at: Date | null;
}

const JOB_COLUMNS = `id, kind, cooperative_id, created_by, status, file_name, file_sha256, format, sheet,
  header_row, mapping, columns, crs, crs_given, rows_read, rows_checked, rows_total, counts, failure,
  created_at, committed_at`;

export interface CheckedRow {
  number: number;
  verdict: RowVerdict;
  values: Record<string, unknown>;
  geometry: unknown;
  errors: unknown[];
}

/** The import jobs' SQL, all of it. */
export const importRepository = {
  async insert(
    manager: EntityManager,
    job: {
      kind: ImportKind;
      cooperativeId: string;
      createdBy: string;
      fileName: string;
      sha256: string;
      file: Buffer;
    },
  ): Promise<string> {
    const [row] = await manager.query<{ id: string }[]>(
      `INSERT INTO imports (kind, cooperative_id, created_by, file_name, file_sha256, file)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [job.kind, job.cooperativeId, job.createdBy, job.fileName, job.sha256, job.file],
    );
    return row!.id;
  },

  /** The job with this id if it is for a cooperative the actor reads. */
  async findFor(
    manager: EntityManager,
    actor: Actor,
    id: string,
    forUpdate = false,
  ): Promise<ImportRow | null> {
    const params: unknown[] = [id];
    const [row] = await manager.query<ImportRow[]>(
      `SELECT ${JOB_COLUMNS} FROM imports
        WHERE id = $1 AND cooperative_id IN (${cooperativesSql(actor, params)})${forUpdate ? ' FOR UPDATE' : ''}`,
      params,
    );
    return row ?? null;
  },

  async find(manager: EntityManager, id: string, forUpdate = false): Promise<ImportRow | null> {
    const [row] = await manager.query<ImportRow[]>(
      `SELECT ${JOB_COLUMNS} FROM imports WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return row ?? null;
  },

  async file(manager: EntityManager, id: string): Promise<Buffer | null> {
    const [row] = await manager.query<{ file: Buffer | null }[]>(
      'SELECT file FROM imports WHERE id = $1',
      [id],
    );
    return row?.file ? Buffer.from(row.file) : null;
  },

  /** The jobs of the cooperatives the actor imports for, newest first. */
  async page(
    manager: EntityManager,
    actor: Actor,
    query: ImportListQuery,
  ): Promise<{ rows: ImportRow[]; total: number }> {
    const params: unknown[] = [];
    const where = `WHERE cooperative_id IN (${cooperativesSql(actor, params)})
      AND ($${params.push(query.cooperativeId ?? null)}::uuid IS NULL OR cooperative_id = $${params.length})`;
    const rows = await manager.query<ImportRow[]>(
      `SELECT ${JOB_COLUMNS} FROM imports ${where}
        ORDER BY created_at DESC, id
        LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
      params,
    );
    const [count] = await manager.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM imports ${where}`,
      params,
    );
    return { rows, total: Number(count!.n) };
  },

  /** Back to checking, with what the user corrected. */
  async restart(
    manager: EntityManager,
    id: string,
    change: { mapping?: Record<string, string | null>; crs?: string },
  ): Promise<void> {
    await manager.query(
      `UPDATE imports SET status = 'checking', failure = NULL,
              mapping = coalesce($2::jsonb, mapping), crs_given = coalesce($3, crs_given)
        WHERE id = $1`,
      [id, change.mapping ? JSON.stringify(change.mapping) : null, change.crs ?? null],
    );
  },

  async describe(
    manager: EntityManager,
    id: string,
    found: {
      format: string;
      sheet: string | null;
      headerRow: number | null;
      mapping: Record<string, string | null>;
      columns: string[];
      crs: string | null;
      total: number;
      /** Rows read so far: all of a sheet, the first chunk of a plot file. */
      read?: number;
    },
  ): Promise<void> {
    await manager.query(
      `UPDATE imports SET format = $2, sheet = $3, header_row = $4, mapping = $5::jsonb,
              columns = $6::jsonb, crs = $7, rows_total = $8, rows_read = $9, rows_checked = 0
        WHERE id = $1`,
      [
        id,
        found.format,
        found.sheet,
        found.headerRow,
        JSON.stringify(found.mapping),
        JSON.stringify(found.columns),
        found.crs,
        found.total,
        found.read ?? found.total,
      ],
    );
  },

  async clearRows(manager: EntityManager, id: string): Promise<void> {
    await manager.query('DELETE FROM import_rows WHERE import_id = $1', [id]);
  },

  async insertRows(manager: EntityManager, id: string, rows: CheckedRow[]): Promise<void> {
    if (!rows.length) return;
    await manager.query(
      `INSERT INTO import_rows (import_id, number, verdict, row_values, geometry, errors)
       SELECT $1, r.number, r.verdict, r.row_values, r.geometry, r.errors
         FROM jsonb_to_recordset($2::jsonb)
           AS r(number integer, verdict varchar, row_values jsonb, geometry jsonb, errors jsonb)`,
      [
        id,
        JSON.stringify(
          rows.map((r) => ({
            number: r.number,
            verdict: r.verdict,
            row_values: r.values,
            geometry: r.geometry ?? null,
            errors: r.errors,
          })),
        ),
      ],
    );
    await manager.query('UPDATE imports SET rows_checked = rows_checked + $2 WHERE id = $1', [
      id,
      rows.length,
    ]);
  },

  async finish(
    manager: EntityManager,
    id: string,
    outcome:
      | { counts: Partial<Record<RowVerdict, number>> }
      | { failure: { code: string; message: string } },
  ): Promise<void> {
    if ('failure' in outcome)
      await manager.query(
        `UPDATE imports SET status = 'failed', failure = $2::jsonb WHERE id = $1`,
        [id, JSON.stringify(outcome.failure)],
      );
    else
      await manager.query(`UPDATE imports SET status = 'ready', counts = $2::jsonb WHERE id = $1`, [
        id,
        JSON.stringify(outcome.counts),
      ]);
  },

  /** Committed: the file, which may hold ID numbers in clear, is dropped. */
  async markCommitted(manager: EntityManager, id: string): Promise<void> {
    await manager.query(
      `UPDATE imports SET status = 'committed', committed_at = now(), file = NULL WHERE id = $1`,
      [id],
    );
  },

  async rows(
    manager: EntityManager,
    id: string,
    query: ImportRowsQuery,
  ): Promise<{ rows: CheckedRow[]; total: number }> {
    const filter = query.verdict ? 'AND verdict = $2' : 'AND $2::varchar IS NULL';
    const rows = await manager.query<
      {
        number: number;
        verdict: RowVerdict;
        row_values: Record<string, unknown>;
        geometry: unknown;
        errors: unknown[];
      }[]
    >(
      `SELECT number, verdict, row_values, geometry, errors FROM import_rows
        WHERE import_id = $1 ${filter}
        ORDER BY number ${query.order === 'desc' ? 'DESC' : 'ASC'} LIMIT $3 OFFSET $4`,
      [id, query.verdict ?? null, query.pageSize, (query.page - 1) * query.pageSize],
    );
    const [count] = await manager.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM import_rows WHERE import_id = $1 ${filter}`,
      [id, query.verdict ?? null],
    );
    return {
      rows: rows.map((r) => ({
        number: r.number,
        verdict: r.verdict,
        values: r.row_values,
        geometry: r.geometry,
        errors: r.errors,
      })),
      total: Number(count!.n),
    };
  },

  async errorRows(manager: EntityManager, id: string): Promise<CheckedRow[]> {
    const rows = await manager.query<
      { number: number; row_values: Record<string, unknown>; errors: unknown[] }[]
    >(
      `SELECT number, row_values, errors FROM import_rows
        WHERE import_id = $1 AND verdict = 'error' ORDER BY number`,
      [id],
    );
    return rows.map((r) => ({
      number: r.number,
      verdict: 'error',
      values: r.row_values,
      geometry: null,
      errors: r.errors,
    }));
  },

  /** The rows a commit writes: new ones and updates, in file order. */
  async rowsToApply(
    manager: EntityManager,
    id: string,
    after: number,
    limit: number,
  ): Promise<CheckedRow[]> {
    const rows = await manager.query<
      {
        number: number;
        verdict: RowVerdict;
        row_values: Record<string, unknown>;
        geometry: unknown;
      }[]
    >(
      `SELECT number, verdict, row_values, geometry FROM import_rows
        WHERE import_id = $1 AND verdict IN ('new', 'update') AND number > $2
        ORDER BY number LIMIT $3`,
      [id, after, limit],
    );
    return rows.map((r) => ({
      number: r.number,
      verdict: r.verdict,
      values: r.row_values,
      geometry: r.geometry,
      errors: [],
    }));
  },

  /** Jobs a stopped process left half-checked: checked again at start. */
  async unfinished(manager: EntityManager): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT id FROM imports WHERE status = 'checking' ORDER BY created_at`,
    );
    return rows.map((r) => r.id);
  },

  /** The cooperative's own commune, and every commune of its district in force today. */
  async communesOf(
    manager: EntityManager,
    cooperativeId: string,
  ): Promise<{ own: string; communes: Commune[] }> {
    const [own] = await manager.query<{ commune_id: string }[]>(
      'SELECT commune_id FROM cooperatives WHERE id = $1',
      [cooperativeId],
    );
    const communes = await manager.query<Commune[]>(
      `SELECT c.id, c.name FROM admin_units c
        WHERE c.level = 'commune' AND (c.valid_to IS NULL OR c.valid_to > current_date)
          AND c.parent_id = (SELECT parent_id FROM admin_units WHERE id = $1)`,
      [own!.commune_id],
    );
    return { own: own!.commune_id, communes };
  },

  /** Households with any of these ID-number hashes, in any cooperative. */
  async householdsByIdHash(
    manager: EntityManager,
    hashes: string[],
  ): Promise<(HouseholdMatch & { idNumberHash: string })[]> {
    if (!hashes.length) return [];
    return manager.query(
      `SELECT id, cooperative_id AS "cooperativeId", code, head_name AS "headName", phone, village,
              left_on::text AS "leftOn", id_number_hash AS "idNumberHash"
         FROM households WHERE id_number_hash = ANY($1::char(64)[])`,
      [hashes],
    );
  },

  async householdsByCode(
    manager: EntityManager,
    cooperativeId: string,
    codes: string[],
  ): Promise<HouseholdMatch[]> {
    if (!codes.length) return [];
    return manager.query(
      `SELECT id, cooperative_id AS "cooperativeId", code, head_name AS "headName", phone, village,
              left_on::text AS "leftOn"
         FROM households WHERE cooperative_id = $1 AND code = ANY($2::text[])`,
      [cooperativeId, codes],
    );
  },

  /** Plots with any of these codes, in any cooperative, with what an import may change. */
  plotsByCode(manager: EntityManager, codes: string[]): Promise<ExistingPlot[]> {
    if (!codes.length) return Promise.resolve([]);
    return manager.query(
      `SELECT id, code, cooperative_id AS "cooperativeId", household_id AS "householdId",
              zone_id AS "zoneId", geometry, farming_system AS "farmingSystem",
              declared_area_m2::float AS "declaredAreaM2",
              conversion_started_on::text AS "conversionStartedOn", retired_on::text AS "retiredOn"
         FROM plots WHERE code = ANY($1::text[])`,
      [codes],
    );
  },

  zonesByCode(manager: EntityManager, codes: string[]): Promise<{ id: string; code: string }[]> {
    if (!codes.length) return Promise.resolve([]);
    return manager.query('SELECT id, code FROM zones WHERE code = ANY($1::text[])', [codes]);
  },
};
