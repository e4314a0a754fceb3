import { z } from 'zod';
import type { OrganicStatus, OrganicStatusReason } from '../organic-status.js';
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

const reason = z.string().trim().min(5, { message: 'Say why, in at least 5 characters.' }).max(500);

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

export interface SeasonDto {
  id: string;
  year: number;
  name: SeasonName;
  startsOn: string;
  endsOn: string;
}

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

export interface ProductDto {
  id: string;
  code: string;
  nameVi: string;
  nameEn: string;
  category: ProductCategory;
  gtin: string | null;
  packSizeKg: number | null;
  isDemo: boolean;
}

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
    seasonId: uuidSchema.optional(),
    cooperativeId: uuidSchema.optional(),
    /** Only harvests with quantity left to put in a lot. */
    available: z.enum(['true', 'false']).optional(),
  })
  .strict();
export type HarvestListQuery = z.infer<typeof harvestListQuerySchema>;

export type YieldCheck = 'ok' | 'flagged' | 'overridden';

export interface HarvestDto {
  id: string;
  plotId: string;
  plotCode: string;
  cooperativeId: string;
  seasonId: string;
  seasonLabel: string;
  harvestedOn: string;
  lunarDate: string | null;
  productId: string;
  productCode: string;
  productCategory: ProductCategory;
  quantityKg: number;
  remainingKg: number;
  organicStatus: OrganicStatus;
  organicStatusReason: OrganicStatusReason;
  yieldKgPerHa: number;
  yieldCheck: YieldCheck;
  overrideReason: string | null;
  recordedBy: string;
  createdAt: string;
}

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

export interface LotDto {
  id: string;
  code: string;
  productId: string;
  productCode: string;
  productNameVi: string;
  productNameEn: string;
  productCategory: ProductCategory;
  gtin: string | null;
  cooperativeId: string;
  seasonId: string | null;
  seasonLabel: string | null;
  process: LotProcess;
  producedOn: string;
  quantityKg: number;
  remainingKg: number;
  organic: boolean;
  status: LotStatus;
  recalledAt: string | null;
  recallReason: string | null;
  provenanceUrl: string;
  scanCount: number;
  scanWarning: boolean;
  createdAt: string;
}

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

export interface LotTraceDto {
  lot: LotDto;
  upstream: TraceNode;
  downstream: {
    id: string;
    code: string;
    product: string;
    quantityKg: number;
    status: LotStatus;
    depth: number;
  }[];
}

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

export interface ChainVerdict {
  valid: boolean;
  events: number;
  /** The first event whose stored content or link does not match the chain. */
  firstBroken: { seq: number; reason: 'CONTENT_CHANGED' | 'LINK_BROKEN' | 'MISSING' } | null;
}
