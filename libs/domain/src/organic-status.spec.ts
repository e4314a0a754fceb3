import { describe, expect, it } from 'vitest';
import { deriveOrganicStatus, type OrganicStatusInput } from './organic-status.js';

const base: OrganicStatusInput = {
  on: '2025-06-01',
  zone: { kind: 'organic', status: 'certified' },
  conversionStartedOn: '2023-01-15',
  conversionMonths: 12,
  certificates: [
    {
      certificateNumber: 'HC-1',
      guaranteeType: 'TCVN_THIRD_PARTY',
      validFrom: '2024-01-01',
      validTo: '2025-12-31',
      standing: 'in_force',
    },
  ],
  openMajorNonCompliance: false,
};

describe('deriveOrganicStatus', () => {
  it('is certified with a valid certificate after conversion', () => {
    expect(deriveOrganicStatus(base)).toMatchObject({
      status: 'certified',
      reason: 'CERTIFICATE_VALID',
    });
  });

  it('is in conversion until the conversion length has passed, configurable', () => {
    expect(deriveOrganicStatus({ ...base, on: '2024-01-14' })).toMatchObject({
      status: 'in_conversion',
      conversionEndsOn: '2024-01-15',
    });
    expect(deriveOrganicStatus({ ...base, conversionMonths: 36 })).toMatchObject({
      status: 'in_conversion',
      conversionEndsOn: '2026-01-15',
    });
  });

  it('ends a conversion at month end when the start day does not exist later', () => {
    const verdict = deriveOrganicStatus({
      ...base,
      conversionStartedOn: '2023-01-31',
      conversionMonths: 1,
      on: '2023-02-27',
    });
    expect(verdict.conversionEndsOn).toBe('2023-02-28');
  });

  it('is not organic without a zone, in a non-organic zone, or before conversion starts', () => {
    expect(deriveOrganicStatus({ ...base, zone: null }).reason).toBe('NO_ZONE');
    expect(
      deriveOrganicStatus({ ...base, zone: { kind: 'vietgap', status: 'certified' } }).reason,
    ).toBe('ZONE_NOT_ORGANIC');
    expect(deriveOrganicStatus({ ...base, on: '2022-12-01' }).reason).toBe(
      'CONVERSION_NOT_STARTED',
    );
    expect(deriveOrganicStatus({ ...base, conversionStartedOn: null }).reason).toBe(
      'NO_CONVERSION_START',
    );
  });

  it('is suspended by a suspended zone or an open major non-compliance', () => {
    expect(
      deriveOrganicStatus({ ...base, zone: { kind: 'organic', status: 'suspended' } }).status,
    ).toBe('suspended');
    expect(deriveOrganicStatus({ ...base, openMajorNonCompliance: true })).toMatchObject({
      status: 'suspended',
      reason: 'OPEN_MAJOR_NON_COMPLIANCE',
    });
  });

  it('tells an expired certificate from none, and ignores a NONE guarantee', () => {
    expect(deriveOrganicStatus({ ...base, on: '2026-01-01' })).toMatchObject({
      status: 'not_organic',
      reason: 'CERTIFICATE_EXPIRED',
    });
    const none = { ...base, certificates: [{ ...base.certificates[0]!, guaranteeType: 'NONE' }] };
    expect(deriveOrganicStatus(none).reason).toBe('NO_VALID_CERTIFICATE');
  });

  it('counts a certificate valid on its first and last day', () => {
    const early = { ...base, conversionStartedOn: '2022-06-01' };
    expect(deriveOrganicStatus({ ...early, on: '2024-01-01' }).status).toBe('certified');
    expect(deriveOrganicStatus({ ...early, on: '2023-12-31' }).status).toBe('not_organic');
    expect(deriveOrganicStatus({ ...base, on: '2025-12-31' }).status).toBe('certified');
  });

  it('follows the certification body: suspended suspends, withdrawn ends organic status', () => {
    const with_ = (standing: 'suspended' | 'withdrawn') => ({
      ...base,
      certificates: [{ ...base.certificates[0]!, standing }],
    });
    expect(deriveOrganicStatus(with_('suspended'))).toMatchObject({
      status: 'suspended',
      reason: 'CERTIFICATE_SUSPENDED',
    });
    expect(deriveOrganicStatus(with_('withdrawn'))).toMatchObject({
      status: 'not_organic',
      reason: 'CERTIFICATE_WITHDRAWN',
    });
  });
});
