import { ID_NUMBER_PATTERN, RowVerdict } from '@huuco/domain';
import type ExcelJS from 'exceljs';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../access/auth/actor.js';
import { DomainError } from '../../platform/http/domain-error.js';
import type { IdNumberCipher } from '../households/id-number.cipher.js';
import type { HouseholdMatch } from './household-rows.js';
import { importRepository, type CheckedRow, type ImportRow } from './import.repository.js';

/** What each kind of import (households, plots) does with its file; the job's life is shared. */
export interface ImportOfKind {
  /** The fields a file's columns or properties map to. */
  readonly fields: readonly string[];
  /** Reads and checks the file, records what it found and writes the preview; answers the counts. */
  check(job: ImportRow, file: Buffer): Promise<Record<RowVerdict, number>>;
  /** Writes every row in the commit's transaction, refusing with IMPORT_CHANGED if the registry moved. */
  apply(
    manager: EntityManager,
    actor: Actor,
    job: ImportRow,
  ): Promise<{ created: number; revised: number }>;
  /** Fills the errors workbook's sheet with the rows in error. */
  errorSheet(job: ImportRow, errors: CheckedRow[], sheet: ExcelJS.Worksheet): Promise<void>;
}

/** Why a whole file cannot be taken: the job fails with this, for the user to read. */
export class FileRefused extends Error {
  constructor(
    readonly code:
      | 'IMPORT_FILE_UNREADABLE'
      | 'IMPORT_NO_HEADER'
      | 'IMPORT_EMPTY'
      | 'IMPORT_CRS_NEEDED'
      | 'IMPORT_CRS_UNSUPPORTED',
    message: string,
  ) {
    super(message);
  }
}

const ROWS_PER_WRITE = 1_000;

/** What the check found in the file, with the preview cleared for the rows to come. */
export async function describeJob(
  db: DataSource,
  id: string,
  found: Parameters<typeof importRepository.describe>[2],
): Promise<void> {
  await db.transaction(async (manager) => {
    await importRepository.clearRows(manager, id);
    await importRepository.describe(manager, id, found);
  });
}

/** Preview rows, a thousand per transaction so requests get the database in between. */
export async function writePreview(db: DataSource, id: string, rows: CheckedRow[]): Promise<void> {
  for (let at = 0; at < rows.length; at += ROWS_PER_WRITE)
    await db.transaction((manager) =>
      importRepository.insertRows(manager, id, rows.slice(at, at + ROWS_PER_WRITE)),
    );
}

/** The registry's households a file names: by ID number (in any cooperative) or by code (in its own). */
export async function householdsNamed(
  manager: EntityManager,
  cipher: IdNumberCipher,
  cooperativeId: string,
  named: { idNumbers: string[]; codes: string[] },
): Promise<{
  byIdNumber(idNumber: string): HouseholdMatch | undefined;
  byCode(code: string): HouseholdMatch | undefined;
}> {
  const hashes = new Map(
    [...new Set(named.idNumbers)]
      .filter((n) => ID_NUMBER_PATTERN.test(n))
      .map((n) => [n, cipher.allHashes(n)] as const),
  );
  const byHash = new Map(
    (await importRepository.householdsByIdHash(manager, [...hashes.values()].flat())).map((h) => [
      h.idNumberHash.trim(),
      h,
    ]),
  );
  const byCode = new Map(
    (await importRepository.householdsByCode(manager, cooperativeId, named.codes)).map((h) => [
      h.code,
      h,
    ]),
  );
  return {
    byIdNumber: (idNumber) => (hashes.get(idNumber) ?? []).map((h) => byHash.get(h)).find(Boolean),
    byCode: (code) => byCode.get(code),
  };
}

export function countVerdicts(rows: { verdict: RowVerdict }[]): Record<RowVerdict, number> {
  const counts = normalizeCounts({});
  for (const row of rows) counts[row.verdict]++;
  return counts;
}

export function normalizeCounts(
  counts: Partial<Record<RowVerdict, number>>,
): Record<RowVerdict, number> {
  return Object.fromEntries(RowVerdict.map((v) => [v, counts[v] ?? 0])) as Record<
    RowVerdict,
    number
  >;
}

export function importChanged(cause?: DomainError): DomainError {
  return new DomainError(
    'IMPORT_CHANGED',
    'The registry changed since this file was checked: check it again before committing.',
    [
      { path: 'rows', code: 'IMPORT_CHANGED', message: 'Check the file again.' },
      ...(cause?.errors ?? []).slice(0, 20),
    ],
  );
}

export function describeErrors(errors: unknown[]): string {
  return (errors as { field: string; message: string }[])
    .map((e) => `${e.field}: ${e.message}`)
    .join('; ');
}
