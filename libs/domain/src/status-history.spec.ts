import { describe, expect, it } from 'vitest';
import { ZONE_STATUS_TRANSITIONS } from './contracts/zone.js';
import { certificateStandingOn, checkNextChange, statusOn } from './status-history.js';

describe('a dated status history', () => {
  const changes = [
    { status: 'suspended' as const, effectiveOn: '2026-03-01' },
    { status: 'certified' as const, effectiveOn: '2026-06-01' },
  ];

  it('answers each date with the change in effect then, and the start before any change', () => {
    expect(statusOn('certified', changes, '2023-12-31')).toBe('certified');
    expect(statusOn('certified', changes, '2026-02-28')).toBe('certified');
    expect(statusOn('certified', changes, '2026-03-01')).toBe('suspended');
    expect(statusOn('certified', changes, '2026-05-31')).toBe('suspended');
    expect(statusOn('certified', changes, '2026-06-01')).toBe('certified');
  });

  it('takes changes in date order and by the allowed transitions only', () => {
    expect(
      checkNextChange(
        'certified',
        changes,
        { status: 'suspended', effectiveOn: '2026-04-01' },
        ZONE_STATUS_TRANSITIONS,
      ),
    ).toEqual({ code: 'OUT_OF_ORDER', lastEffectiveOn: '2026-06-01' });
    expect(
      checkNextChange(
        'certified',
        changes,
        { status: 'planned', effectiveOn: '2026-07-01' },
        ZONE_STATUS_TRANSITIONS,
      ),
    ).toEqual({ code: 'TRANSITION_INVALID', from: 'certified', to: 'planned' });
    expect(
      checkNextChange(
        'certified',
        changes,
        { status: 'suspended', effectiveOn: '2026-07-01' },
        ZONE_STATUS_TRANSITIONS,
      ),
    ).toBeNull();
  });

  it('keeps a certificate in force until the body suspends or withdraws it', () => {
    const decisions = [
      { status: 'suspended' as const, effectiveOn: '2025-02-01' },
      { status: 'reinstated' as const, effectiveOn: '2025-04-01' },
      { status: 'withdrawn' as const, effectiveOn: '2025-09-01' },
    ];
    expect(certificateStandingOn(decisions, '2025-01-31')).toBe('in_force');
    expect(certificateStandingOn(decisions, '2025-03-15')).toBe('suspended');
    expect(certificateStandingOn(decisions, '2025-05-01')).toBe('in_force');
    expect(certificateStandingOn(decisions, '2025-09-01')).toBe('withdrawn');
  });
});
