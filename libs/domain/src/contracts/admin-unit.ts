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

export interface AdminUnitRef {
  id: string;
  code: string;
  name: string;
  level: AdminUnitLevel;
}

export interface SuccessionDto {
  kind: SuccessionKind;
  effectiveOn: string;
  legalBasis: string;
  unit: AdminUnitRef;
}

export interface AdminUnitDto extends AdminUnitRef {
  parentId: string | null;
  validFrom: string;
  validTo: string | null;
  legalBasis: string | null;
  predecessors: SuccessionDto[];
  successors: SuccessionDto[];
  abolished: { effectiveOn: string; legalBasis: string } | null;
  isDemo: boolean;
}
