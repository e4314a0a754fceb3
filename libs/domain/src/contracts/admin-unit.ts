import { z } from 'zod';
import { isoDateSchema, listQuerySchema, uuidSchema } from './common.js';

export const AdminUnitLevel = ['province', 'district', 'commune'] as const;
export type AdminUnitLevel = (typeof AdminUnitLevel)[number];

export const SuccessionKind = ['merge', 'split', 'rename', 'abolish'] as const;
export type SuccessionKind = (typeof SuccessionKind)[number];

export const createAdminUnitSchema = z
  .object({
    code: z.string().regex(/^\d{2,5}$/, { message: 'A GSO code is 2–5 digits.' }),
    name: z.string().trim().min(1).max(120),
    level: z.enum(AdminUnitLevel),
    parentId: uuidSchema.nullable().default(null),
    validFrom: isoDateSchema,
    validTo: isoDateSchema.nullable().default(null),
    legalBasis: z.string().trim().max(300).nullable().default(null),
  })
  .strict();
export type CreateAdminUnitDto = z.infer<typeof createAdminUnitSchema>;

export const adminUnitListQuerySchema = listQuerySchema(['name', 'code', 'validFrom'])
  .extend({
    level: z.enum(AdminUnitLevel).optional(),
    parentId: uuidSchema.optional(),
    code: z.string().max(10).optional(),
    validOn: isoDateSchema.optional(),
    q: z.string().max(100).optional(),
  })
  .strict();
export type AdminUnitListQuery = z.infer<typeof adminUnitListQuerySchema>;

/**
 * A reform step: predecessors end on `effectiveOn` and successors begin on it. A merge has many
 * predecessors and one successor, a split the reverse, a rename one of each, an abolition none.
 */
export const createSuccessionSchema = z
  .object({
    kind: z.enum(SuccessionKind),
    effectiveOn: isoDateSchema,
    legalBasis: z.string().trim().min(1).max(300),
    predecessorIds: z.array(uuidSchema).min(1).max(100),
    successorIds: z.array(uuidSchema).max(100).default([]),
  })
  .strict();
export type CreateSuccessionDto = z.infer<typeof createSuccessionSchema>;

export const adminUnitRefSchema = z
  .object({ id: z.string(), code: z.string(), name: z.string(), level: z.enum(AdminUnitLevel) })
  .strict();
export type AdminUnitRef = z.infer<typeof adminUnitRefSchema>;

export const successionDtoSchema = z
  .object({
    kind: z.enum(SuccessionKind),
    effectiveOn: z.string(),
    legalBasis: z.string(),
    unit: adminUnitRefSchema,
  })
  .strict();
export type SuccessionDto = z.infer<typeof successionDtoSchema>;

export const adminUnitDtoSchema = adminUnitRefSchema
  .extend({
    parentId: z.string().nullable(),
    validFrom: z.string(),
    validTo: z.string().nullable(),
    legalBasis: z.string().nullable(),
    predecessors: z.array(successionDtoSchema),
    successors: z.array(successionDtoSchema),
    abolished: z.object({ effectiveOn: z.string(), legalBasis: z.string() }).strict().nullable(),
    isDemo: z.boolean(),
  })
  .strict();
export type AdminUnitDto = z.infer<typeof adminUnitDtoSchema>;
