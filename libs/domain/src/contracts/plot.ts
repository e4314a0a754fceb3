import { z } from 'zod';
import {
  OrganicStatus,
  OrganicStatusReason,
  type OrganicStatusVerdict,
} from '../organic-status.js';
import {
  bboxQuerySchema,
  isoDateSchema,
  listQuerySchema,
  patchSchema,
  polygonSchema,
  uuidSchema,
  areaSchema,
} from './common.js';

export const FarmingSystem = [
  'organic_rice',
  'rice_ruoi_cay',
  'crab_pond',
  'shrimp_pond',
  'seafood',
  'vegetables',
  'other',
] as const;
export type FarmingSystem = (typeof FarmingSystem)[number];

export const createPlotSchema = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Z0-9][A-Z0-9.-]{1,39}$/, {
        message: 'Upper-case letters, digits, dots and dashes, 2–40 characters.',
      }),
    householdId: uuidSchema,
    zoneId: uuidSchema.nullable().default(null),
    geometry: polygonSchema,
    declaredAreaM2: z.number().positive().max(1_000_000).nullable().default(null),
    farmingSystem: z.enum(FarmingSystem),
    conversionStartedOn: isoDateSchema.nullable().default(null),
  })
  .strict();
export type CreatePlotDto = z.infer<typeof createPlotSchema>;

/** Up to 2,000 plots at once, all or nothing: a cooperative's survey, a GIS export. */
export const importPlotsSchema = z
  .object({ plots: z.array(createPlotSchema).min(1).max(2_000) })
  .strict();
export type ImportPlotsDto = z.infer<typeof importPlotsSchema>;

export const plotFlagSchema = z.enum(['LARGE_PLOT', 'AREA_MISMATCH']);

export const importPlotsResultSchema = z
  .object({
    imported: z.number().int(),
    plots: z.array(
      z
        .object({
          id: z.string(),
          code: z.string(),
          areaM2: z.number(),
          flags: z.array(plotFlagSchema),
        })
        .strict(),
    ),
  })
  .strict();
export type ImportPlotsResult = z.infer<typeof importPlotsResultSchema>;

/** The rules' verdict (`OrganicStatusVerdict` in organic-status.ts) as it goes out. */
export const organicStatusVerdictSchema = z
  .object({
    on: z.string(),
    status: z.enum(OrganicStatus),
    reason: z.enum(OrganicStatusReason),
    message: z.string(),
    conversionEndsOn: z.string().nullable(),
    certificate: z
      .object({ certificateNumber: z.string(), validFrom: z.string(), validTo: z.string() })
      .strict()
      .nullable(),
  })
  .strict() satisfies z.ZodType<OrganicStatusVerdict>;

export const updatePlotSchema = patchSchema(
  createPlotSchema.omit({ code: true, householdId: true }),
);
export type UpdatePlotDto = z.infer<typeof updatePlotSchema>;

/** The plot leaves the registry's working set from a date: no harvest is recorded on or after it. */
export const retirePlotSchema = z
  .object({ retiredOn: isoDateSchema, reason: z.string().trim().min(3).max(500) })
  .strict();
export type RetirePlotDto = z.infer<typeof retirePlotSchema>;

export const plotListQuerySchema = listQuerySchema(['code', 'area', 'createdAt'])
  .extend({
    zoneId: uuidSchema.optional(),
    householdId: uuidSchema.optional(),
    cooperativeId: uuidSchema.optional(),
    /** Plots of the cooperatives of this commune. */
    communeId: uuidSchema.optional(),
    farmingSystem: z.enum(FarmingSystem).optional(),
    flagged: z.enum(['true', 'false']).optional(),
    /** `false`: only plots still farmed; `true`: only retired ones. */
    retired: z.enum(['true', 'false']).optional(),
    q: z.string().max(100).optional(),
    /** With a bbox the answer is a GeoJSON FeatureCollection for the map, not a page. */
    bbox: bboxQuerySchema.optional(),
  })
  .strict();
export type PlotListQuery = z.infer<typeof plotListQuerySchema>;

export const plotStatusQuerySchema = z.object({ on: isoDateSchema.optional() }).strict();

export const plotDtoSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    householdId: z.string(),
    cooperativeId: z.string(),
    zoneId: z.string().nullable(),
    farmingSystem: z.enum(FarmingSystem),
    area: areaSchema,
    declaredAreaM2: z.number().nullable(),
    flags: z.array(plotFlagSchema),
    conversionStartedOn: z.string().nullable(),
    organicStatus: organicStatusVerdictSchema,
    geometry: z.unknown(),
    revision: z.number().int(),
    retiredOn: z.string().nullable(),
    retiredReason: z.string().nullable(),
    isDemo: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict();
export type PlotDto = z.infer<typeof plotDtoSchema>;

/** A plot on the map; the feature's `id` is the plot's. */
export const plotFeaturePropertiesSchema = z
  .object({
    code: z.string(),
    zoneId: z.string().nullable(),
    farmingSystem: z.enum(FarmingSystem),
    areaM2: z.number(),
    flags: z.array(plotFlagSchema),
    status: z.enum(OrganicStatus),
    isDemo: z.boolean(),
  })
  .strict();
export type PlotFeatureProperties = z.infer<typeof plotFeaturePropertiesSchema>;

/** Plots counted on a grid of about 64 screen pixels, for the map zoomed out. */
export const plotClusterQuerySchema = z
  .object({
    bbox: bboxQuerySchema,
    zoom: z.coerce.number().int().min(3).max(20),
    zoneId: uuidSchema.optional(),
    cooperativeId: uuidSchema.optional(),
    communeId: uuidSchema.optional(),
    farmingSystem: z.enum(FarmingSystem).optional(),
  })
  .strict();
export type PlotClusterQuery = z.infer<typeof plotClusterQuerySchema>;

export const plotClusterDtoSchema = z
  .object({ lng: z.number(), lat: z.number(), count: z.number().int(), areaM2: z.number() })
  .strict();
export type PlotClusterDto = z.infer<typeof plotClusterDtoSchema>;
