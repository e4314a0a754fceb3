import { z } from 'zod';
import type { PlotFlag } from '../geometry.js';
import type { OrganicStatusVerdict } from '../organic-status.js';
import {
  bboxQuerySchema,
  isoDateSchema,
  listQuerySchema,
  polygonSchema,
  uuidSchema,
  type AreaDto,
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

export interface ImportPlotsResult {
  imported: number;
  plots: { id: string; code: string; areaM2: number; flags: PlotFlag[] }[];
}

export const updatePlotSchema = createPlotSchema
  .omit({ code: true, householdId: true })
  .partial()
  .strict();
export type UpdatePlotDto = z.infer<typeof updatePlotSchema>;

export const plotListQuerySchema = listQuerySchema(['code', 'area', 'createdAt'])
  .extend({
    zoneId: uuidSchema.optional(),
    householdId: uuidSchema.optional(),
    cooperativeId: uuidSchema.optional(),
    /** Plots of the cooperatives of this commune. */
    communeId: uuidSchema.optional(),
    farmingSystem: z.enum(FarmingSystem).optional(),
    flagged: z.enum(['true', 'false']).optional(),
    q: z.string().max(100).optional(),
    /** With a bbox the answer is a GeoJSON FeatureCollection for the map, not a page. */
    bbox: bboxQuerySchema.optional(),
  })
  .strict();
export type PlotListQuery = z.infer<typeof plotListQuerySchema>;

export const plotStatusQuerySchema = z.object({ on: isoDateSchema.optional() }).strict();

export interface PlotDto {
  id: string;
  code: string;
  householdId: string;
  cooperativeId: string;
  zoneId: string | null;
  farmingSystem: FarmingSystem;
  area: AreaDto;
  declaredAreaM2: number | null;
  flags: PlotFlag[];
  conversionStartedOn: string | null;
  organicStatus: OrganicStatusVerdict;
  geometry: unknown;
  revision: number;
  isDemo: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A plot on the map; the feature's `id` is the plot's. */
export interface PlotFeatureProperties {
  code: string;
  zoneId: string | null;
  farmingSystem: FarmingSystem;
  areaM2: number;
  flags: PlotFlag[];
  status: OrganicStatusVerdict['status'];
  isDemo: boolean;
}

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

export interface PlotClusterDto {
  lng: number;
  lat: number;
  count: number;
  areaM2: number;
}
