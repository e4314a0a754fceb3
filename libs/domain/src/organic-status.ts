import { addMonthsIso, type IsoDate } from './dates.js';
import type { CertificateStanding } from './status-history.js';

export const OrganicStatus = {
  Certified: 'certified',
  InConversion: 'in_conversion',
  Suspended: 'suspended',
  NotOrganic: 'not_organic',
} as const;
export type OrganicStatus = (typeof OrganicStatus)[keyof typeof OrganicStatus];

export const OrganicStatusReason = {
  NoZone: 'NO_ZONE',
  ZoneNotOrganic: 'ZONE_NOT_ORGANIC',
  ZoneSuspended: 'ZONE_SUSPENDED',
  OpenMajorNonCompliance: 'OPEN_MAJOR_NON_COMPLIANCE',
  NoConversionStart: 'NO_CONVERSION_START',
  ConversionNotStarted: 'CONVERSION_NOT_STARTED',
  ConversionPeriod: 'CONVERSION_PERIOD',
  CertificateValid: 'CERTIFICATE_VALID',
  CertificateExpired: 'CERTIFICATE_EXPIRED',
  CertificateSuspended: 'CERTIFICATE_SUSPENDED',
  CertificateWithdrawn: 'CERTIFICATE_WITHDRAWN',
  NoValidCertificate: 'NO_VALID_CERTIFICATE',
} as const;
export type OrganicStatusReason = (typeof OrganicStatusReason)[keyof typeof OrganicStatusReason];

/** TCVN 11041-2 asks at least 12 months of conversion before sowing an annual crop. */
export const DEFAULT_CONVERSION_MONTHS = 12;

export interface CertificateFacts {
  certificateNumber: string;
  guaranteeType: string;
  validFrom: IsoDate;
  validTo: IsoDate;
  /** The body's decisions in effect on the date: in force, suspended or withdrawn. */
  standing: CertificateStanding;
}

export interface OrganicStatusInput {
  on: IsoDate;
  zone: { kind: string; status: string } | null;
  conversionStartedOn: IsoDate | null;
  conversionMonths: number;
  /** Certificates whose scope covers the plot (its zone, or the plot itself). */
  certificates: CertificateFacts[];
  openMajorNonCompliance: boolean;
}

export interface OrganicStatusVerdict {
  on: IsoDate;
  status: OrganicStatus;
  reason: OrganicStatusReason;
  message: string;
  conversionEndsOn: IsoDate | null;
  certificate: { certificateNumber: string; validFrom: IsoDate; validTo: IsoDate } | null;
}

/**
 * Rule 2: a plot's organic status on a date follows from its zone, its conversion start,
 * the certificates covering it and open non-compliance. It is never typed in.
 */
export function deriveOrganicStatus(input: OrganicStatusInput): OrganicStatusVerdict {
  const { on } = input;
  const conversionEndsOn = input.conversionStartedOn
    ? addMonthsIso(input.conversionStartedOn, input.conversionMonths)
    : null;
  const verdict = (
    status: OrganicStatus,
    reason: OrganicStatusReason,
    message: string,
    certificate: CertificateFacts | null = null,
  ): OrganicStatusVerdict => ({
    on,
    status,
    reason,
    message,
    conversionEndsOn,
    certificate: certificate && {
      certificateNumber: certificate.certificateNumber,
      validFrom: certificate.validFrom,
      validTo: certificate.validTo,
    },
  });

  if (!input.zone) {
    return verdict(OrganicStatus.NotOrganic, OrganicStatusReason.NoZone, 'The plot is in no zone.');
  }
  if (input.zone.kind !== 'organic') {
    return verdict(
      OrganicStatus.NotOrganic,
      OrganicStatusReason.ZoneNotOrganic,
      'The plot’s zone is not an organic zone.',
    );
  }
  if (input.zone.status === 'suspended') {
    return verdict(
      OrganicStatus.Suspended,
      OrganicStatusReason.ZoneSuspended,
      'The zone is suspended.',
    );
  }
  if (input.openMajorNonCompliance) {
    return verdict(
      OrganicStatus.Suspended,
      OrganicStatusReason.OpenMajorNonCompliance,
      'An inspection found a major non-compliance that is still open.',
    );
  }
  if (!input.conversionStartedOn || !conversionEndsOn) {
    return verdict(
      OrganicStatus.NotOrganic,
      OrganicStatusReason.NoConversionStart,
      'No conversion start is recorded for the plot.',
    );
  }
  if (on < input.conversionStartedOn) {
    return verdict(
      OrganicStatus.NotOrganic,
      OrganicStatusReason.ConversionNotStarted,
      `Conversion starts on ${input.conversionStartedOn}.`,
    );
  }
  if (on < conversionEndsOn) {
    return verdict(
      OrganicStatus.InConversion,
      OrganicStatusReason.ConversionPeriod,
      `In conversion until ${conversionEndsOn} (${input.conversionMonths} months).`,
    );
  }
  const usable = input.certificates.filter((c) => c.guaranteeType !== 'NONE');
  const covering = usable
    .filter((c) => c.validFrom <= on && on <= c.validTo)
    .sort((a, b) => (a.validTo < b.validTo ? 1 : -1));
  const valid = covering.find((c) => c.standing === 'in_force');
  if (valid) {
    return verdict(
      OrganicStatus.Certified,
      OrganicStatusReason.CertificateValid,
      `Certificate ${valid.certificateNumber} is valid until ${valid.validTo}.`,
      valid,
    );
  }
  const withdrawn = covering.find((c) => c.standing === 'withdrawn');
  if (withdrawn) {
    return verdict(
      OrganicStatus.NotOrganic,
      OrganicStatusReason.CertificateWithdrawn,
      `Certificate ${withdrawn.certificateNumber} was withdrawn by its certification body.`,
      withdrawn,
    );
  }
  const suspended = covering.find((c) => c.standing === 'suspended');
  if (suspended) {
    return verdict(
      OrganicStatus.Suspended,
      OrganicStatusReason.CertificateSuspended,
      `Certificate ${suspended.certificateNumber} is suspended by its certification body.`,
      suspended,
    );
  }
  const expired = usable
    .filter((c) => c.validTo < on)
    .sort((a, b) => (a.validTo < b.validTo ? 1 : -1))[0];
  if (expired) {
    return verdict(
      OrganicStatus.NotOrganic,
      OrganicStatusReason.CertificateExpired,
      `Certificate ${expired.certificateNumber} expired on ${expired.validTo}.`,
      expired,
    );
  }
  return verdict(
    OrganicStatus.NotOrganic,
    OrganicStatusReason.NoValidCertificate,
    'Conversion is complete but no certificate covers the plot on this date.',
  );
}
