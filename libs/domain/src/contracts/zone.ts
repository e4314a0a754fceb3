import { z } from 'zod';
import type { AdminUnitRef } from './admin-unit.js';
import { areaGeometrySchema, listQuerySchema, uuidSchema, type AreaDto } from './common.js';

export const ZoneKind = ['organic', 'high_tech', 'vietgap'] as const;
export type ZoneKind = (typeof ZoneKind)[number];

export const ZoneStatus = ['planned', 'in_conversion', 'certified', 'suspended'] as const;
export type ZoneStatus = (typeof ZoneStatus)[number];

/** planned → in conversion → certified → suspended, and back from suspension. */
export const ZONE_STATUS_TRANSITIONS: Record<ZoneStatus, readonly ZoneStatus[]> = {
  planned: ['in_conversion'],
  in_conversion: ['certified', 'suspended'],
  certified: ['suspended'],
  suspended: ['in_conversion', 'certified'],
};

export const createZoneSchema = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, {
        message: 'Upper-case letters, digits and dashes, 2–40 characters.',
      }),
    name: z.string().trim().min(1).max(200),
    kind: z.enum(ZoneKind),
    geometry: areaGeometrySchema,
    communeIds: z.array(uuidSchema).min(1).max(50),
    products: z.array(z.string().trim().min(1).max(80)).max(30).default([]),
    targetAreaHa: z.number().positive().max(50_000).nullable().default(null),
  })
  .strict();
export type CreateZoneDto = z.infer<typeof createZoneSchema>;

export const updateZoneSchema = createZoneSchema
  .omit({ code: true })
  .partial()
  .extend({ status: z.enum(ZoneStatus).optional() })
  .strict();
export type UpdateZoneDto = z.infer<typeof updateZoneSchema>;

export const zoneListQuerySchema = listQuerySchema(['name', 'code', 'area'])
  .extend({
    kind: z.enum(ZoneKind).optional(),
    status: z.enum(ZoneStatus).optional(),
    communeId: uuidSchema.optional(),
    q: z.string().max(100).optional(),
  })
  .strict();
export type ZoneListQuery = z.infer<typeof zoneListQuerySchema>;

export interface ZoneDto {
  id: string;
  code: string;
  name: string;
  kind: ZoneKind;
  status: ZoneStatus;
  communes: AdminUnitRef[];
  products: string[];
  area: AreaDto;
  targetArea: AreaDto | null;
  geometry: unknown;
  isDemo: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A zone at a glance: what the map's zone panel shows. */
export interface ZoneSummaryDto {
  zoneId: string;
  plots: number;
  households: number;
  plotArea: AreaDto;
  certifiedArea: AreaDto;
  targetArea: AreaDto | null;
  certificate: {
    certificateNumber: string;
    body: string;
    validFrom: string;
    validTo: string;
    validToday: boolean;
  } | null;
}
