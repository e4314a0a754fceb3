import { z } from 'zod';
import { OrganicStatus, OrganicStatusReason } from '../organic-status.js';
import { HarvestProduct, isValidGtin14, LotProcess, LotStatus, SeasonName } from '../trace.js';
import { isoDateSchema, listQuerySchema, uuidSchema } from './common.js';

const kg = z
  .number({ message: 'A quantity in kg.' })
  .positive({ message: 'Must be more than 0 kg.' })
  .max(10_000_000, { message: 'More than 10,000 t in one record.' })
  .refine(
    (value) =>
      Number.isInteger(Math.round(value * 100)) &&
      Math.abs(value * 100 - Math.round(value * 100)) < 1e-6,
    {
      message: 'At most two decimals (10 g).',
    },
  );

const reason = z.string().trim().min(5).max(500);

export const createSeasonSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    name: z.enum(SeasonName),
    startsOn: isoDateSchema,
    endsOn: isoDateSchema,
  })
  .strict()
  .refine((s) => s.startsOn <= s.endsOn, {
    path: ['endsOn'],
    message: 'The season ends before it starts.',
  });
export type CreateSeasonDto = z.infer<typeof createSeasonSchema>;

export const seasonDtoSchema = z
  .object({
    id: z.string(),
    year: z.number().int(),
    name: z.enum(SeasonName),
    startsOn: z.string(),
    endsOn: z.string(),
  })
  .strict();
export type SeasonDto = z.infer<typeof seasonDtoSchema>;

export const ProductCategory = [
  ...HarvestProduct,
  'white_rice',
  'brown_rice',
  'broken_rice',
  'bran',
  'husk',
] as const;
export type ProductCategory = (typeof ProductCategory)[number];

export const createProductSchema = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, { message: 'Upper-case letters, digits and dashes.' }),
    nameVi: z.string().trim().min(2).max(200),
    nameEn: z.string().trim().min(2).max(200),
    category: z.enum(ProductCategory),
    gtin: z
      .string()
      .trim()
      .refine(isValidGtin14, { message: 'A GTIN-14: 14 digits, the last a valid GS1 check digit.' })
      .nullable()
      .default(null),
    packSizeKg: z.number().positive().max(1_000).nullable().default(null),
  })
  .strict();
export type CreateProductDto = z.infer<typeof createProductSchema>;

export const productDtoSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    nameVi: z.string(),
    nameEn: z.string(),
    category: z.enum(ProductCategory),
    gtin: z.string().nullable(),
    packSizeKg: z.number().nullable(),
    isDemo: z.boolean(),
  })
  .strict();
export type ProductDto = z.infer<typeof productDtoSchema>;

export const createHarvestSchema = z
  .object({
    plotId: uuidSchema,
    seasonId: uuidSchema,
    harvestedOn: isoDateSchema,
    /** A product category harvested in the field: paddy, rươi, cáy… */
    productId: uuidSchema,
    quantityKg: kg,
    /** Rươi are caught by the lunar calendar: "20/9" is the 20th day of the 9th lunar month. */
    lunarDate: z
      .string()
      .regex(/^(0?[1-9]|[12][0-9]|30)\/(0?[1-9]|1[0-2])(\+)?$/, {
        message: 'A lunar day/month like 20/9.',
      })
      .nullable()
      .default(null),
    /** Required when the yield is above the product's flag limit: why the quantity is right. */
    overrideReason: reason.nullable().default(null),
    /**
     * The plot's revision the device saw when the harvest was entered (offline, perhaps days
     * before it is sent): if the plot changed since, the harvest is refused with PLOT_CHANGED
     * and the user looks again rather than recording against a plot they have not seen.
     */
    plotRevision: z.number().int().positive().optional(),
  })
  .strict();
export type CreateHarvestDto = z.infer<typeof createHarvestSchema>;

export const correctHarvestSchema = z
  .object({ quantityKg: kg.optional(), harvestedOn: isoDateSchema.optional(), reason })
  .strict()
  .refine((c) => c.quantityKg !== undefined || c.harvestedOn !== undefined, {
    path: ['quantityKg'],
    message: 'Name what is corrected: quantityKg or harvestedOn.',
  });
export type CorrectHarvestDto = z.infer<typeof correctHarvestSchema>;

export const harvestListQuerySchema = listQuerySchema(['harvestedOn', 'quantity', 'createdAt'])
  .extend({
    plotId: uuidSchema.optional(),
    /** Harvests from any of the household's plots. */
    householdId: uuidSchema.optional(),
    seasonId: uuidSchema.optional(),
    cooperativeId: uuidSchema.optional(),
    /** Only harvests with quantity left to put in a lot. */
    available: z.enum(['true', 'false']).optional(),
  })
  .strict();
export type HarvestListQuery = z.infer<typeof harvestListQuerySchema>;

export const YieldCheck = ['ok', 'flagged', 'overridden'] as const;
export type YieldCheck = (typeof YieldCheck)[number];

export const harvestDtoSchema = z
  .object({
    id: z.string(),
    plotId: z.string(),
    plotCode: z.string(),
    cooperativeId: z.string(),
    seasonId: z.string(),
    seasonLabel: z.string(),
    harvestedOn: z.string(),
    lunarDate: z.string().nullable(),
    productId: z.string(),
    productCode: z.string(),
    productCategory: z.enum(ProductCategory),
    quantityKg: z.number(),
    remainingKg: z.number(),
    organicStatus: z.enum(OrganicStatus),
    organicStatusReason: z.enum(OrganicStatusReason),
    yieldKgPerHa: z.number(),
    yieldCheck: z.enum(YieldCheck),
    overrideReason: z.string().nullable(),
    recordedBy: z.string(),
    createdAt: z.string(),
  })
  .strict();
export type HarvestDto = z.infer<typeof harvestDtoSchema>;

const lotInput = z
  .object({
    harvestId: uuidSchema.optional(),
    lotId: uuidSchema.optional(),
    quantityKg: kg,
  })
  .strict()
  .refine((i) => (i.harvestId === undefined) !== (i.lotId === undefined), {
    message: 'Each input names either a harvestId or a lotId.',
    path: ['harvestId'],
  });

export const createLotsSchema = z
  .object({
    process: z.enum(LotProcess),
    occurredOn: isoDateSchema,
    inputs: z.array(lotInput).min(1).max(500),
    outputs: z
      .array(z.object({ productId: uuidSchema, quantityKg: kg }).strict())
      .min(1)
      .max(10),
    note: z.string().trim().max(500).nullable().default(null),
  })
  .strict();
export type CreateLotsDto = z.infer<typeof createLotsSchema>;

export const recallLotSchema = z.object({ reason }).strict();
export type RecallLotDto = z.infer<typeof recallLotSchema>;

export const lotListQuerySchema = listQuerySchema(['createdAt', 'code', 'quantity'])
  .extend({
    status: z.enum(LotStatus).optional(),
    productId: uuidSchema.optional(),
    cooperativeId: uuidSchema.optional(),
    seasonId: uuidSchema.optional(),
    q: z.string().max(60).optional(),
    /** Only lots with quantity left to process or deliver. */
    available: z.enum(['true', 'false']).optional(),
  })
  .strict();
export type LotListQuery = z.infer<typeof lotListQuerySchema>;

export const labelsQuerySchema = z
  .object({
    ids: z
      .string()
      .transform((value) => value.split(',').filter(Boolean))
      .pipe(z.array(uuidSchema).min(1, { message: 'Name at least one lot.' }).max(200)),
    copies: z.coerce.number().int().min(1).max(100).default(1),
  })
  .strict();

export const lotDtoSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    productId: z.string(),
    productCode: z.string(),
    productNameVi: z.string(),
    productNameEn: z.string(),
    productCategory: z.enum(ProductCategory),
    gtin: z.string().nullable(),
    cooperativeId: z.string(),
    seasonId: z.string().nullable(),
    seasonLabel: z.string().nullable(),
    process: z.enum(LotProcess),
    producedOn: z.string(),
    quantityKg: z.number(),
    remainingKg: z.number(),
    organic: z.boolean(),
    status: z.enum(LotStatus),
    recalledAt: z.string().nullable(),
    recallReason: z.string().nullable(),
    provenanceUrl: z.string(),
    scanCount: z.number().int(),
    scanWarning: z.boolean(),
    createdAt: z.string(),
  })
  .strict();
export type LotDto = z.infer<typeof lotDtoSchema>;

export interface TraceNode {
  kind: 'lot' | 'harvest';
  id: string;
  code: string;
  product: string;
  quantityKg: number;
  usedKg: number | null;
  date: string;
  process?: LotProcess;
  organic: boolean;
  status?: LotStatus;
  plotCode?: string;
  inputs: TraceNode[];
}

/** A trace is a tree: the schema refers to itself for each node's inputs. */
export const traceNodeSchema: z.ZodType<TraceNode> = z.lazy(() =>
  z
    .object({
      kind: z.enum(['lot', 'harvest']),
      id: z.string(),
      code: z.string(),
      product: z.string(),
      quantityKg: z.number(),
      usedKg: z.number().nullable(),
      date: z.string(),
      process: z.enum(LotProcess).optional(),
      organic: z.boolean(),
      status: z.enum(LotStatus).optional(),
      plotCode: z.string().optional(),
      inputs: z.array(traceNodeSchema),
    })
    .strict(),
);

export const lotTraceDtoSchema = z
  .object({
    lot: lotDtoSchema,
    upstream: traceNodeSchema,
    downstream: z.array(
      z
        .object({
          id: z.string(),
          code: z.string(),
          product: z.string(),
          quantityKg: z.number(),
          status: z.enum(LotStatus),
          depth: z.number().int(),
        })
        .strict(),
    ),
  })
  .strict();
export type LotTraceDto = z.infer<typeof lotTraceDtoSchema>;

export const eventListQuerySchema = z
  .object({
    lotId: uuidSchema.optional(),
    lot: z.string().max(60).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    bizStep: z.string().max(60).optional(),
    limit: z.coerce.number().int().min(1).max(5_000).default(1_000),
  })
  .strict();
export type EventListQuery = z.infer<typeof eventListQuerySchema>;

const list = z
  .string()
  .max(2_000)
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
const instant = z.iso.datetime({ offset: true });

/**
 * The EPCIS 2.0 REST query (GS1 OpenAPI `GET /events`) beside huuco's own filters: value lists
 * are comma-separated; a page holds `perPage` events and names the next in `nextPageToken`.
 */
export const epcisQuerySchema = eventListQuerySchema
  .extend({
    eventType: list.optional(),
    GE_eventTime: instant.optional(),
    LT_eventTime: instant.optional(),
    GE_recordTime: instant.optional(),
    LT_recordTime: instant.optional(),
    EQ_bizStep: list.optional(),
    EQ_disposition: list.optional(),
    EQ_readPoint: list.optional(),
    EQ_eventID: list.optional(),
    MATCH_epc: list.optional(),
    MATCH_anyEPC: list.optional(),
    MATCH_epcClass: list.optional(),
    orderBy: z.enum(['eventTime', 'recordTime']).optional(),
    orderDirection: z.enum(['ASC', 'DESC']).optional(),
    perPage: z.coerce.number().int().min(1).max(1_000).optional(),
    nextPageToken: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/)
      .optional(),
  })
  .strict();
export type EpcisQuery = z.infer<typeof epcisQuerySchema>;

export const chainVerdictSchema = z
  .object({
    valid: z.boolean(),
    events: z.number().int(),
    /** The first event whose stored content or link does not match the chain. */
    firstBroken: z
      .object({
        seq: z.number().int(),
        reason: z.enum(['CONTENT_CHANGED', 'LINK_BROKEN', 'MISSING', 'NOT_LOGGED']),
      })
      .strict()
      .nullable(),
  })
  .strict();
export type ChainVerdict = z.infer<typeof chainVerdictSchema>;
