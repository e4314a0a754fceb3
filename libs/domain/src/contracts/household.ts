import { z } from 'zod';
import { ID_NUMBER_PATTERN } from '../id-number.js';
import { isoDateSchema, listQuerySchema, uuidSchema } from './common.js';

/** Fields as edited: no defaults, so an update changes only what it names. */
const householdFields = {
  /** The household's code (mã hộ), unique within its cooperative: how its files name it. */
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,20}$/, { message: 'Up to 20 letters, digits, dots, dashes.' }),
  headName: z.string().trim().min(1).max(120),
  phone: z
    .string()
    .regex(/^0\d{9}$/, { message: 'A phone number has 10 digits and starts with 0.' })
    .nullable(),
  village: z.string().trim().max(120).nullable(),
};

export const createHouseholdSchema = z
  .object({
    /** Given by the cooperative, or the next free `H0001`-style code. */
    code: householdFields.code.optional(),
    headName: householdFields.headName,
    idNumber: z.string().regex(ID_NUMBER_PATTERN, { message: 'An ID number has 12 digits.' }),
    phone: householdFields.phone.default(null),
    village: householdFields.village.default(null),
    communeId: uuidSchema,
    cooperativeId: uuidSchema,
    joinedOn: isoDateSchema,
    consentPublicDisplay: z.boolean().default(false),
  })
  .strict();
export type CreateHouseholdDto = z.infer<typeof createHouseholdSchema>;

/** Contact and name corrections; membership ends with `leaveHouseholdSchema`, never by edit. */
export const updateHouseholdSchema = z
  .object({
    code: householdFields.code.optional(),
    headName: householdFields.headName.optional(),
    phone: householdFields.phone.optional(),
    village: householdFields.village.optional(),
  })
  .strict()
  .refine((dto) => Object.keys(dto).length > 0, {
    path: ['headName'],
    message: 'Name what changes: code, headName, phone or village.',
  });
export type UpdateHouseholdDto = z.infer<typeof updateHouseholdSchema>;

export const householdRevisionDtoSchema = z
  .object({
    revision: z.number().int(),
    code: z.string(),
    headName: z.string(),
    phone: z.string().nullable(),
    phoneMasked: z.string().nullable(),
    village: z.string().nullable(),
    leftOn: z.string().nullable(),
    leftReason: z.string().nullable(),
    recordedBy: z.string().nullable(),
    recordedAt: z.string(),
  })
  .strict();
export type HouseholdRevisionDto = z.infer<typeof householdRevisionDtoSchema>;

/** `POST /households/:id/leave`: the household left the cooperative on a date, for a reason. */
export const leaveHouseholdSchema = z
  .object({ leftOn: isoDateSchema, reason: z.string().trim().min(3).max(500) })
  .strict();
export type LeaveHouseholdDto = z.infer<typeof leaveHouseholdSchema>;

export const householdListQuerySchema = listQuerySchema(['headName', 'joinedOn', 'code'])
  .extend({
    cooperativeId: uuidSchema.optional(),
    communeId: uuidSchema.optional(),
    village: z.string().max(120).optional(),
    q: z.string().max(100).optional(),
  })
  .strict();
export type HouseholdListQuery = z.infer<typeof householdListQuerySchema>;

/**
 * A household as responses show it: the ID number always masked; the phone in full only to the
 * household's cooperative and district staff, masked to everyone else.
 */
export const householdDtoSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    headName: z.string(),
    idNumberMasked: z.string(),
    phone: z.string().nullable(),
    phoneMasked: z.string().nullable(),
    village: z.string().nullable(),
    communeId: z.string(),
    cooperativeId: z.string(),
    joinedOn: z.string(),
    leftOn: z.string().nullable(),
    leftReason: z.string().nullable(),
    consentPublicDisplay: z.boolean(),
    plotCount: z.number().int(),
    isDemo: z.boolean(),
  })
  .strict();
export type HouseholdDto = z.infer<typeof householdDtoSchema>;
