import type { IsoDate } from './dates.js';
import type { ZoneStatus } from './contracts/zone.js';

/** A dated change of a record's status: it holds from its effective date until the next one. */
export interface StatusChange<S extends string> {
  status: S;
  effectiveOn: IsoDate;
}

/**
 * The status on a date: the last change in effect by then, or the status the record began
 * with. A later change never rewrites an earlier date.
 */
export function statusOn<S extends string>(
  initial: S,
  changes: readonly StatusChange<S>[],
  on: IsoDate,
): S {
  let status = initial;
  let latest = '';
  for (const change of changes) {
    if (change.effectiveOn <= on && change.effectiveOn >= latest) {
      status = change.status;
      latest = change.effectiveOn;
    }
  }
  return status;
}

export type HistoryProblem =
  | { code: 'OUT_OF_ORDER'; lastEffectiveOn: IsoDate }
  | { code: 'TRANSITION_INVALID'; from: string; to: string };

/**
 * Whether a change may be added: changes are recorded in date order (one inserted before a
 * later one would rewrite what the later one was decided on), and each follows the allowed
 * transitions from the status in effect the day before.
 */
export function checkNextChange<S extends string>(
  initial: S,
  changes: readonly StatusChange<S>[],
  next: StatusChange<S>,
  allowed: Record<S, readonly S[]>,
): HistoryProblem | null {
  const last = [...changes].sort((a, b) => (a.effectiveOn < b.effectiveOn ? 1 : -1))[0];
  if (last && last.effectiveOn >= next.effectiveOn) {
    return { code: 'OUT_OF_ORDER', lastEffectiveOn: last.effectiveOn };
  }
  const from = last ? last.status : initial;
  if (!allowed[from].includes(next.status)) {
    return { code: 'TRANSITION_INVALID', from, to: next.status };
  }
  return null;
}

export function zoneStatusOn(
  initial: ZoneStatus,
  changes: readonly StatusChange<ZoneStatus>[],
  on: IsoDate,
): ZoneStatus {
  return statusOn(initial, changes, on);
}

/** What a certification body can decide about a certificate it issued. */
export const CertificateDecision = ['suspended', 'withdrawn', 'reinstated'] as const;
export type CertificateDecision = (typeof CertificateDecision)[number];

/** A certificate's standing on a date, between its validity dates. */
export type CertificateStanding = 'in_force' | 'suspended' | 'withdrawn';

/** In force → suspended or withdrawn; suspended → reinstated or withdrawn; withdrawn is final. */
export const CERTIFICATE_TRANSITIONS: Record<
  CertificateStanding | 'reinstated',
  readonly CertificateDecision[]
> = {
  in_force: ['suspended', 'withdrawn'],
  reinstated: ['suspended', 'withdrawn'],
  suspended: ['reinstated', 'withdrawn'],
  withdrawn: [],
};

export function certificateStandingOn(
  decisions: readonly StatusChange<CertificateDecision>[],
  on: IsoDate,
): CertificateStanding {
  const status = statusOn<CertificateDecision | 'in_force'>('in_force', decisions, on);
  return status === 'reinstated' ? 'in_force' : status;
}

/** Cooperatives are active or inactive from a date; either may follow the other. */
export const COOPERATIVE_STATUS_TRANSITIONS = {
  active: ['inactive'],
  inactive: ['active'],
} as const satisfies Record<'active' | 'inactive', readonly ('active' | 'inactive')[]>;
