import { z } from 'zod';
import { CertificateDecision } from '../status-history.js';
import {
  isoDateSchema,
  listQuerySchema,
  statusChangeDtoSchema,
  statusChangeInputSchema,
  uuidSchema,
} from './common.js';

export const GuaranteeType = ['TCVN_THIRD_PARTY', 'FOREIGN_THIRD_PARTY', 'PGS', 'NONE'] as const;
export type GuaranteeType = (typeof GuaranteeType)[number];

export const OrganicStandard = [
  'TCVN 11041-1:2017',
  'TCVN 11041-2:2017',
  'TCVN 11041-5:2018',
  'TCVN 11041-6:2018',
  'EU 2018/848',
  'USDA NOP',
  'JAS',
  'PGS',
] as const;

export const CertificationScope = ['zone', 'plots'] as const;
export type CertificationScope = (typeof CertificationScope)[number];

export const createCertificationSchema = z
  .object({
    zoneId: uuidSchema,
    guaranteeType: z.enum(GuaranteeType),
    standard: z.enum(OrganicStandard),
    body: z.string().trim().min(1).max(200),
    certificateNumber: z.string().trim().min(1).max(80),
    validFrom: isoDateSchema,
    validTo: isoDateSchema,
    scope: z.enum(CertificationScope),
    plotIds: z.array(uuidSchema).max(10_000).default([]),
    documentUrl: z.url().max(500).nullable().default(null),
  })
  .strict();
export type CreateCertificationDto = z.infer<typeof createCertificationSchema>;

export const certificationListQuerySchema = listQuerySchema([
  'validTo',
  'validFrom',
  'certificateNumber',
])
  .extend({
    zoneId: uuidSchema.optional(),
    guaranteeType: z.enum(GuaranteeType).optional(),
    validOn: isoDateSchema.optional(),
  })
  .strict();
export type CertificationListQuery = z.infer<typeof certificationListQuerySchema>;

export const certificationDtoSchema = z
  .object({
    id: z.string(),
    zoneId: z.string(),
    guaranteeType: z.enum(GuaranteeType),
    standard: z.string(),
    body: z.string(),
    certificateNumber: z.string(),
    validFrom: z.string(),
    validTo: z.string(),
    scope: z.enum(CertificationScope),
    plotIds: z.array(z.string()),
    documentUrl: z.string().nullable(),
    /** The certificate as the body issued it, when one was attached (`PUT …/document`). */
    document: z
      .object({
        filename: z.string(),
        contentType: z.string(),
        sizeBytes: z.number(),
        sha256: z.string(),
      })
      .strict()
      .nullable(),
    /** Today, after the body's decisions: in force, suspended or withdrawn. */
    standing: z.enum(['in_force', 'suspended', 'withdrawn']),
    isDemo: z.boolean(),
  })
  .strict();
export type CertificationDto = z.infer<typeof certificationDtoSchema>;

/**
 * `POST /certifications/:id/status-changes`: the certification body's decision — suspended,
 * withdrawn or reinstated — from a date, with the reason and the body's document reference.
 */
export const certificateDecisionSchema = statusChangeInputSchema(z.enum(CertificateDecision))
  .extend({ documentRef: z.string().trim().min(2).max(200) })
  .strict();
export type CertificateDecisionInput = z.infer<typeof certificateDecisionSchema>;
export const certificateDecisionDtoSchema = statusChangeDtoSchema(z.enum(CertificateDecision))
  .extend({ documentRef: z.string() })
  .strict();
export type CertificateDecisionDto = z.infer<typeof certificateDecisionDtoSchema>;
