import { z } from 'zod';
import { addMonthsIso, type IsoDate } from '../dates.js';
import { isoDateSchema, listQuerySchema, uuidSchema } from './common.js';

/** OCOP stars by score: 5 ≥ 90, 4 ≥ 70, 3 ≥ 50, 2 ≥ 30, else 1. */
export function ocopStars(score: number): number {
  if (score >= 90) return 5;
  if (score >= 70) return 4;
  if (score >= 50) return 3;
  if (score >= 30) return 2;
  return 1;
}

/** An OCOP certificate is valid for 36 months from its date. */
export const OCOP_VALID_MONTHS = 36;

export function ocopValidTo(certifiedOn: IsoDate): IsoDate {
  return addMonthsIso(certifiedOn, OCOP_VALID_MONTHS);
}

export const createOcopProductSchema = z
  .object({
    name: z.string().trim().min(2).max(200),
    cooperativeId: uuidSchema,
    /** The product whose lots carry the stars on their labels and pages. */
    productId: uuidSchema.nullable().default(null),
    score: z.number().int().min(0).max(100),
    level: z.enum(['district', 'province', 'national']),
    certificateNumber: z.string().trim().min(2).max(80),
    certifiedOn: isoDateSchema,
  })
  .strict();
export type CreateOcopProductDto = z.infer<typeof createOcopProductSchema>;

export const ocopProductDtoSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    cooperativeId: z.string(),
    cooperativeName: z.string(),
    productId: z.string().nullable(),
    score: z.number(),
    stars: z.number().int(),
    level: z.enum(['district', 'province', 'national']),
    certificateNumber: z.string(),
    certifiedOn: z.string(),
    validTo: z.string(),
    valid: z.boolean(),
    isDemo: z.boolean(),
  })
  .strict();
export type OcopProductDto = z.infer<typeof ocopProductDtoSchema>;

export const ocopListQuerySchema = listQuerySchema(['certifiedOn', 'name', 'score'])
  .extend({
    /** Part of the product's or its cooperative's name, or the certificate number. */
    q: z.string().trim().max(100).optional(),
    order: z.enum(['asc', 'desc']).default('desc'),
  })
  .strict();
export type OcopListQuery = z.infer<typeof ocopListQuerySchema>;

/** What an inspection found wrong, plot by plot: a major one suspends the plot until closed. */
const nonCompliancesInput = z
  .array(
    z
      .object({
        plotId: uuidSchema,
        severity: z.enum(['minor', 'major']),
        description: z.string().trim().min(3).max(2_000),
        sanction: z.string().trim().max(500).nullable().default(null),
        deadline: isoDateSchema,
      })
      .strict(),
  )
  .max(50)
  .default([]);

export const createInspectionSchema = z
  .object({
    kind: z.enum(['ICS', 'PGS']),
    householdId: uuidSchema.nullable().default(null),
    plotId: uuidSchema.nullable().default(null),
    plannedOn: isoDateSchema,
    /** With findings: the inspection took place. Without: it is planned. */
    inspectedOn: isoDateSchema.nullable().default(null),
    findings: z.string().trim().min(2).max(4_000).nullable().default(null),
    nonCompliances: nonCompliancesInput,
  })
  .strict()
  .superRefine((i, ctx) => {
    if (!i.householdId && !i.plotId)
      ctx.addIssue({
        code: 'custom',
        path: ['householdId'],
        message: 'Inspect a household or a plot.',
      });
    if ((i.inspectedOn === null) !== (i.findings === null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['findings'],
        message: 'An inspection that took place records its date and findings.',
      });
    }
    if (i.inspectedOn === null && i.nonCompliances.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['nonCompliances'],
        message: 'Only an inspection that took place finds non-compliance.',
      });
    }
  });
export type CreateInspectionDto = z.infer<typeof createInspectionSchema>;

export const recordInspectionSchema = z
  .object({
    inspectedOn: isoDateSchema,
    findings: z.string().trim().min(2).max(4_000),
    nonCompliances: nonCompliancesInput,
  })
  .strict();
export type RecordInspectionDto = z.infer<typeof recordInspectionSchema>;

export const closeNonComplianceSchema = z
  .object({ closedOn: isoDateSchema, reason: z.string().trim().min(3).max(1_000) })
  .strict();
export type CloseNonComplianceDto = z.infer<typeof closeNonComplianceSchema>;

export const nonComplianceDtoSchema = z
  .object({
    id: z.string(),
    inspectionId: z.string(),
    plotId: z.string(),
    plotCode: z.string(),
    severity: z.enum(['minor', 'major']),
    description: z.string(),
    sanction: z.string().nullable(),
    openedOn: z.string(),
    deadline: z.string(),
    closedOn: z.string().nullable(),
    closedReason: z.string().nullable(),
    overdue: z.boolean(),
  })
  .strict();
export type NonComplianceDto = z.infer<typeof nonComplianceDtoSchema>;

export const inspectionDtoSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['ICS', 'PGS']),
    cooperativeId: z.string(),
    householdId: z.string().nullable(),
    householdName: z.string().nullable(),
    plotId: z.string().nullable(),
    plotCode: z.string().nullable(),
    plannedOn: z.string(),
    inspectedOn: z.string().nullable(),
    inspector: z.string(),
    findings: z.string().nullable(),
    nonCompliances: z.array(nonComplianceDtoSchema),
  })
  .strict();
export type InspectionDto = z.infer<typeof inspectionDtoSchema>;

export const inspectionListQuerySchema = listQuerySchema(['date', 'kind', 'household'])
  .extend({
    /** Part of the household head's name, a plot's code or the findings. */
    q: z.string().trim().max(100).optional(),
    cooperativeId: uuidSchema.optional(),
    plotId: uuidSchema.optional(),
    open: z.enum(['true', 'false']).optional(),
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    order: z.enum(['asc', 'desc']).default('desc'),
  })
  .strict();
export type InspectionListQuery = z.infer<typeof inspectionListQuerySchema>;

export const inspectionCoverageDtoSchema = z
  .object({
    year: z.number().int(),
    households: z.number().int(),
    inspected: z.number().int(),
    share: z.number().nullable(),
    /** Households not inspected yet this year: every member at least once a year. */
    notInspected: z.array(
      z.object({ id: z.string(), headName: z.string(), cooperativeName: z.string() }).strict(),
    ),
  })
  .strict();
export type InspectionCoverageDto = z.infer<typeof inspectionCoverageDtoSchema>;

export const Indicator = [
  'organic_ha',
  'households',
  'ocop_3_stars',
  'tonnes_harvested',
  'contract_share',
] as const;
export type Indicator = (typeof Indicator)[number];

export const createTargetSchema = z
  .object({
    adminUnitId: uuidSchema,
    year: z.number().int().min(2000).max(2100),
    indicator: z.enum(Indicator),
    /** Hectares, households, products, tonnes, or a share between 0 and 1. */
    targetValue: z.number().positive().max(10_000_000),
    note: z.string().trim().max(500).nullable().default(null),
  })
  .strict()
  .refine((t) => t.indicator !== 'contract_share' || t.targetValue <= 1, {
    path: ['targetValue'],
    message: 'A share is between 0 and 1.',
  });
export type CreateTargetDto = z.infer<typeof createTargetSchema>;

export const Progress = ['exceeded', 'met', 'not_met'] as const;
export type Progress = (typeof Progress)[number];

/** "vượt / đạt / chưa đạt": above the target by more than half a percent, at it, or short of it. */
export function progressOf(actual: number, target: number): { ratio: number; progress: Progress } {
  const ratio = target > 0 ? actual / target : 0;
  return { ratio, progress: ratio > 1.005 ? 'exceeded' : ratio >= 0.995 ? 'met' : 'not_met' };
}

export const targetDtoSchema = z
  .object({
    id: z.string(),
    adminUnitId: z.string(),
    adminUnitName: z.string(),
    year: z.number().int(),
    indicator: z.enum(Indicator),
    targetValue: z.number(),
    actual: z.number(),
    ratio: z.number(),
    progress: z.enum(Progress),
    note: z.string().nullable(),
    isDemo: z.boolean(),
  })
  .strict();
export type TargetDto = z.infer<typeof targetDtoSchema>;

export const targetQuerySchema = z
  .object({
    adminUnitId: uuidSchema.optional(),
    year: z.coerce.number().int().min(2000).max(2100).optional(),
  })
  .strict();
export type TargetQuery = z.infer<typeof targetQuerySchema>;

export const dashboardDtoSchema = z
  .object({
    year: z.number().int(),
    targets: z.array(targetDtoSchema),
    /** Certified organic area at the end of each year (today for this year). */
    organicAreaByYear: z.array(
      z
        .object({ year: z.number().int(), ha: z.number(), targetHa: z.number().nullable() })
        .strict(),
    ),
    tonnesBySeason: z.array(z.object({ seasonLabel: z.string(), tonnes: z.number() }).strict()),
    ocopByStars: z.array(
      z
        .object({ stars: z.number().int(), valid: z.number().int(), expired: z.number().int() })
        .strict(),
    ),
    households: z.number().int(),
    contractShare: z.number().nullable(),
    zones: z.array(
      z
        .object({
          id: z.string(),
          code: z.string(),
          name: z.string(),
          certifiedHa: z.number(),
          targetHa: z.number().nullable(),
          ratio: z.number().nullable(),
        })
        .strict(),
    ),
  })
  .strict();
export type DashboardDto = z.infer<typeof dashboardDtoSchema>;
