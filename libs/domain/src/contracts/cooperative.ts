import { z } from 'zod';
import { adminUnitRefSchema } from './admin-unit.js';
import {
  isoDateSchema,
  listQuerySchema,
  patchSchema,
  statusChangeDtoSchema,
  statusChangeInputSchema,
  uuidSchema,
} from './common.js';

export const CooperativeStatus = ['active', 'inactive'] as const;
export type CooperativeStatus = (typeof CooperativeStatus)[number];

export const createCooperativeSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    registrationNumber: z
      .string()
      .trim()
      .regex(/^[0-9A-Z./-]{4,30}$/, {
        message: 'A registration number is 4–30 digits, capitals, dots, dashes or slashes.',
      }),
    communeId: uuidSchema,
    status: z.enum(CooperativeStatus).default('active'),
    foundedOn: isoDateSchema.nullable().default(null),
    address: z.string().trim().max(300).nullable().default(null),
  })
  .strict();
export type CreateCooperativeDto = z.infer<typeof createCooperativeSchema>;

/** Status is not edited: it changes from a date, with a reason (`cooperativeStatusChangeSchema`). */
export const updateCooperativeSchema = patchSchema(
  createCooperativeSchema.omit({ registrationNumber: true, status: true }),
);
export type UpdateCooperativeDto = z.infer<typeof updateCooperativeSchema>;

export const cooperativeListQuerySchema = listQuerySchema(['name', 'registrationNumber'])
  .extend({
    status: z.enum(CooperativeStatus).optional(),
    communeId: uuidSchema.optional(),
    q: z.string().max(100).optional(),
  })
  .strict();
export type CooperativeListQuery = z.infer<typeof cooperativeListQuerySchema>;

export const cooperativeDtoSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    registrationNumber: z.string(),
    commune: adminUnitRefSchema,
    status: z.enum(CooperativeStatus),
    foundedOn: z.string().nullable(),
    address: z.string().nullable(),
    householdCount: z.number().int(),
    isDemo: z.boolean(),
  })
  .strict();
export type CooperativeDto = z.infer<typeof cooperativeDtoSchema>;

/** `POST /cooperatives/:id/status-changes`: active or inactive from a date, with the reason. */
export const cooperativeStatusChangeSchema = statusChangeInputSchema(z.enum(CooperativeStatus));
export type CooperativeStatusChangeInput = z.infer<typeof cooperativeStatusChangeSchema>;
export const cooperativeStatusChangeDtoSchema = statusChangeDtoSchema(z.enum(CooperativeStatus));
export type CooperativeStatusChangeDto = z.infer<typeof cooperativeStatusChangeDtoSchema>;
