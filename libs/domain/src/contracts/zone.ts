import { z } from 'zod';
import { adminUnitRefSchema } from './admin-unit.js';
import {
  areaGeometrySchema,
  areaSchema,
  listQuerySchema,
  patchSchema,
  statusChangeDtoSchema,
  statusChangeInputSchema,
  uuidSchema,
} from './common.js';

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

/** Status is not edited: it changes from a date, with a reason (`zoneStatusChangeSchema`). */
export const updateZoneSchema = patchSchema(createZoneSchema.omit({ code: true }));
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

export const zoneDtoSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    kind: z.enum(ZoneKind),
    status: z.enum(ZoneStatus),
    communes: z.array(adminUnitRefSchema),
    products: z.array(z.string()),
    area: areaSchema,
    targetArea: areaSchema.nullable(),
    geometry: z.unknown(),
    isDemo: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict();
export type ZoneDto = z.infer<typeof zoneDtoSchema>;

/** A zone at a glance: what the map's zone panel shows. */
export const zoneSummaryDtoSchema = z
  .object({
    zoneId: z.string(),
    plots: z.number().int(),
    households: z.number().int(),
    plotArea: areaSchema,
    certifiedArea: areaSchema,
    targetArea: areaSchema.nullable(),
    certificate: z
      .object({
        certificateNumber: z.string(),
        body: z.string(),
        validFrom: z.string(),
        validTo: z.string(),
        validToday: z.boolean(),
      })
      .strict()
      .nullable(),
  })
  .strict();
export type ZoneSummaryDto = z.infer<typeof zoneSummaryDtoSchema>;

/** `POST /zones/:id/status-changes`: suspend, reinstate… from a date, with the reason. */
export const zoneStatusChangeSchema = statusChangeInputSchema(z.enum(ZoneStatus));
export type ZoneStatusChangeInput = z.infer<typeof zoneStatusChangeSchema>;
export const zoneStatusChangeDtoSchema = statusChangeDtoSchema(z.enum(ZoneStatus));
export type ZoneStatusChangeDto = z.infer<typeof zoneStatusChangeDtoSchema>;
