import { z } from 'zod';
import { Role } from '../access.js';
import { listQuerySchema, uuidSchema } from './common.js';

export const loginSchema = z
  .object({
    username: z.string().trim().toLowerCase().min(1).max(60),
    password: z.string().min(1).max(200),
  })
  .strict();
export type LoginDto = z.infer<typeof loginSchema>;

export const refreshSchema = z.object({ refreshToken: z.string().min(20).max(200) }).strict();
export type RefreshDto = z.infer<typeof refreshSchema>;

export const meDtoSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(Role),
    cooperativeId: z.string().nullable(),
    buyerId: z.string().nullable(),
    adminUnitIds: z.array(z.string()),
    isDemo: z.boolean(),
  })
  .strict();
export type MeDto = z.infer<typeof meDtoSchema>;

export const sessionDtoSchema = z
  .object({
    accessToken: z.string(),
    accessTokenExpiresAt: z.string(),
    refreshToken: z.string(),
    refreshTokenExpiresAt: z.string(),
    user: meDtoSchema,
  })
  .strict();
export type SessionDto = z.infer<typeof sessionDtoSchema>;

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,59}$/, {
    message: '3–60 letters, digits, dots, dashes or underscores.',
  });

/** At least 12 characters: long beats clever. */
export const passwordSchema = z.string().min(12, { message: 'At least 12 characters.' }).max(200);

export const createUserSchema = z
  .object({
    username: usernameSchema,
    displayName: z.string().trim().min(1).max(120),
    password: passwordSchema,
    role: z.enum(Role),
    cooperativeId: uuidSchema.nullable().default(null),
    buyerId: uuidSchema.nullable().default(null),
    adminUnitIds: z.array(uuidSchema).max(50).default([]),
  })
  .strict();
export type CreateUserDto = z.infer<typeof createUserSchema>;

export const updateUserSchema = z
  .object({
    displayName: z.string().trim().min(1).max(120).optional(),
    password: passwordSchema.optional(),
    disabled: z.boolean().optional(),
    /** Lifts a lockout after too many failed logins, without changing the password. */
    unlock: z.literal(true).optional(),
  })
  .strict();
export type UpdateUserDto = z.infer<typeof updateUserSchema>;

export const userListQuerySchema = listQuerySchema(['username', 'createdAt'])
  .extend({ role: z.enum(Role).optional(), q: z.string().max(60).optional() })
  .strict();
export type UserListQuery = z.infer<typeof userListQuerySchema>;

export const userDtoSchema = meDtoSchema
  .extend({ disabled: z.boolean(), lockedUntil: z.string().nullable(), createdAt: z.string() })
  .strict();
export type UserDto = z.infer<typeof userDtoSchema>;

export const revealIdSchema = z
  .object({
    reason: z.string().trim().min(10).max(500),
  })
  .strict();
export type RevealIdDto = z.infer<typeof revealIdSchema>;

export const ConsentScope = ['name_on_provenance_page'] as const;
export type ConsentScope = (typeof ConsentScope)[number];

export const consentSchema = z
  .object({
    scope: z.enum(ConsentScope),
    /** How the household gave it: signed form, in person at the cooperative meeting… */
    evidence: z.string().trim().min(3).max(300),
  })
  .strict();
export type ConsentDto = z.infer<typeof consentSchema>;

export const consentRecordDtoSchema = z
  .object({
    id: z.string(),
    scope: z.enum(ConsentScope),
    evidence: z.string(),
    recordedBy: z.string(),
    recordedAt: z.string(),
    revokedBy: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .strict();
export type ConsentRecordDto = z.infer<typeof consentRecordDtoSchema>;

export const auditQuerySchema = listQuerySchema(['at'])
  .extend({
    entity: z.string().max(40).optional(),
    entityId: uuidSchema.optional(),
    actorId: uuidSchema.optional(),
    action: z.string().max(60).optional(),
  })
  .strict();
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEntryDtoSchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actorId: z.string().nullable(),
    actorUsername: z.string().nullable(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string().nullable(),
    beforeDigest: z.string().nullable(),
    afterDigest: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .strict();
export type AuditEntryDto = z.infer<typeof auditEntryDtoSchema>;

/** One change of a record, as its record page's timeline shows it to whoever may read the record. */
export const recordChangeDtoSchema = auditEntryDtoSchema.pick({
  id: true,
  at: true,
  actorUsername: true,
  action: true,
  details: true,
});
export type RecordChangeDto = z.infer<typeof recordChangeDtoSchema>;
