import {
  checkNextChange,
  statusOn,
  todayIso,
  type ErrorCode,
  type IsoDate,
  type StatusChange,
} from '@huuco/domain';
import type { EntityManager } from 'typeorm';
import { fieldError } from '../platform/http/domain-error.js';

/** The three dated histories of the registry, one table each, read and appended alike. */
export const HISTORY = {
  zone: { table: 'zone_status_changes', key: 'zone_id' },
  certificate: { table: 'certificate_decisions', key: 'certification_id' },
  cooperative: { table: 'cooperative_status_changes', key: 'cooperative_id' },
} as const;
export type HistoryKind = keyof typeof HISTORY;

export interface StoredStatusChange<S extends string> extends StatusChange<S> {
  id: string;
  subjectId: string;
  reason: string;
  documentRef?: string;
  recordedBy: string;
  recordedAt: string;
}

interface Row {
  id: string;
  subject_id: string;
  status: string;
  effective_on: string;
  reason: string;
  document_ref?: string;
  recorded_by_username: string;
  recorded_at: Date;
}

/** Every change of these records, oldest first. */
export async function changesOf<S extends string>(
  manager: EntityManager,
  kind: HistoryKind,
  subjectIds: readonly string[],
): Promise<StoredStatusChange<S>[]> {
  if (!subjectIds.length) return [];
  const { table, key } = HISTORY[kind];
  const rows = await manager.query<Row[]>(
    `SELECT h.*, h.${key} AS subject_id, to_char(h.effective_on, 'YYYY-MM-DD') AS effective_on
       FROM ${table} h WHERE h.${key} = ANY($1::uuid[]) ORDER BY h.effective_on, h.recorded_at`,
    [subjectIds],
  );
  return rows.map((r) => ({
    id: r.id,
    subjectId: r.subject_id,
    status: r.status as S,
    effectiveOn: r.effective_on,
    reason: r.reason,
    ...(r.document_ref !== undefined && { documentRef: r.document_ref }),
    recordedBy: r.recorded_by_username,
    recordedAt: r.recorded_at.toISOString(),
  }));
}

/** The changes grouped by the record they belong to. */
export function bySubject<S extends string>(
  changes: StoredStatusChange<S>[],
): Map<string, StoredStatusChange<S>[]> {
  const grouped = new Map<string, StoredStatusChange<S>[]>();
  for (const change of changes) {
    const list = grouped.get(change.subjectId) ?? [];
    list.push(change);
    grouped.set(change.subjectId, list);
  }
  return grouped;
}

export async function appendChange(
  manager: EntityManager,
  kind: HistoryKind,
  subjectId: string,
  change: { status: string; effectiveOn: IsoDate; reason: string; documentRef?: string },
  recordedBy: string,
): Promise<string> {
  const { table, key } = HISTORY[kind];
  const columns = ['status', 'effective_on', 'reason', 'recorded_by_username', key];
  const values: unknown[] = [
    change.status,
    change.effectiveOn,
    change.reason,
    recordedBy,
    subjectId,
  ];
  if (kind === 'certificate') {
    columns.push('document_ref');
    values.push(change.documentRef);
  }
  const [row] = await manager.query<{ id: string }[]>(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    values,
  );
  return row!.id;
}

/**
 * Refuses a change that would rewrite history or skip a step: not after today, not before the
 * last recorded change, and only along the allowed transitions from the status then.
 */
export function assertNextChange<S extends string>(
  initial: S,
  changes: readonly StatusChange<S>[],
  next: StatusChange<S>,
  allowed: Record<S, readonly S[]>,
  transitionCode: ErrorCode,
): void {
  if (next.effectiveOn > todayIso()) {
    throw fieldError('VALIDATION_FAILED', 'effectiveOn', 'A change takes effect today or earlier.');
  }
  const problem = checkNextChange(initial, changes, next, allowed);
  if (problem?.code === 'OUT_OF_ORDER') {
    throw fieldError(
      'STATUS_CHANGE_OUT_OF_ORDER',
      'effectiveOn',
      `A change from ${problem.lastEffectiveOn} is already recorded; a new one takes effect after it.`,
      { lastEffectiveOn: problem.lastEffectiveOn },
    );
  }
  if (problem?.code === 'TRANSITION_INVALID') {
    throw fieldError(transitionCode, 'status', `Cannot go from ${problem.from} to ${problem.to}.`, {
      from: problem.from,
      to: problem.to,
    });
  }
}

/** A stored change as the API answers it. */
export function toChangeDto<S extends string>(change: StoredStatusChange<S>) {
  return {
    id: change.id,
    status: change.status,
    effectiveOn: change.effectiveOn,
    reason: change.reason,
    ...(change.documentRef !== undefined && { documentRef: change.documentRef }),
    recordedBy: change.recordedBy,
    recordedAt: change.recordedAt,
  };
}

/**
 * Checks and records the next change of a record's status; answers its id and the status it
 * leaves the record in today.
 */
export async function recordNextChange<S extends string>(
  manager: EntityManager,
  kind: HistoryKind,
  subjectId: string,
  initial: S,
  next: StatusChange<S> & { reason: string; documentRef?: string },
  allowed: Record<S, readonly S[]>,
  transitionCode: ErrorCode,
  recordedBy: string,
): Promise<{ changeId: string; today: S }> {
  const changes = await changesOf<S>(manager, kind, [subjectId]);
  assertNextChange(initial, changes, next, allowed, transitionCode);
  const changeId = await appendChange(manager, kind, subjectId, next, recordedBy);
  return { changeId, today: statusOn(initial, [...changes, next], todayIso()) };
}

/** One change as the API answers it, read back after it was recorded. */
export async function changeById<S extends string>(
  manager: EntityManager,
  kind: HistoryKind,
  subjectId: string,
  changeId: string,
) {
  const changes = await changesOf<S>(manager, kind, [subjectId]);
  return toChangeDto(changes.find((c) => c.id === changeId)!);
}
