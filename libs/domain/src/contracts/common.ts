import { z } from 'zod';
import { isIsoDate } from '../dates.js';

export const uuidSchema = z.uuid({ message: 'Must be a UUID.' });

export const isoDateSchema = z
  .string()
  .refine(isIsoDate, { message: 'Must be a calendar date written YYYY-MM-DD.' });

export const idParamSchema = z.object({ id: uuidSchema }).strict();

const position = z
  .array(z.number().finite(), { message: 'A position is [longitude, latitude].' })
  .min(2, { message: 'A position is [longitude, latitude].' })
  .max(3, { message: 'A position is [longitude, latitude] or with altitude.' });
const ring = z.array(position, { message: 'A ring is an array of positions.' });
const n = z.number();
const bboxMember = z.union([z.tuple([n, n, n, n]), z.tuple([n, n, n, n, n, n])]).optional();

export const polygonSchema = z
  .object({
    type: z.literal('Polygon'),
    coordinates: z.array(ring).min(1, { message: 'A polygon needs an outer ring.' }).max(100),
    bbox: bboxMember,
  })
  .strict();

export const multiPolygonSchema = z
  .object({
    type: z.literal('MultiPolygon'),
    coordinates: z.array(z.array(ring).min(1)).min(1).max(1_000),
    bbox: bboxMember,
  })
  .strict();

export const areaGeometrySchema = z.discriminatedUnion('type', [polygonSchema, multiPolygonSchema]);

export function listQuerySchema<const S extends readonly [string, ...string[]]>(sortable: S) {
  return z.object({
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
    sort: z.enum(sortable).default(sortable[0]),
    order: z.enum(['asc', 'desc']).default('asc'),
  });
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** One page of a list, as every list endpoint answers. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z
    .object({
      items: z.array(item),
      page: z.number().int(),
      pageSize: z.number().int(),
      total: z.number().int(),
    })
    .strict();
}

export const areaSchema = z.object({ m2: z.number(), ha: z.number(), sao: z.number() }).strict();
export type AreaDto = z.infer<typeof areaSchema>;

/** `minLng,minLat,maxLng,maxLat`, as the map endpoints take it. */
export const bboxQuerySchema = z.string().transform((value, ctx) => {
  const parts = value.split(',').map((part) => Number(part));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
    ctx.addIssue({ code: 'custom', message: 'bbox is minLng,minLat,maxLng,maxLat.' });
    return z.NEVER;
  }
  const [minLng, minLat, maxLng, maxLat] = parts as [number, number, number, number];
  if (minLng > maxLng || minLat > maxLat) {
    ctx.addIssue({ code: 'custom', message: 'bbox minimum exceeds its maximum.' });
    return z.NEVER;
  }
  if (maxLng - minLng > 10 || maxLat - minLat > 20) {
    ctx.addIssue({ code: 'custom', message: 'bbox is larger than Vietnam.' });
    return z.NEVER;
  }
  return [minLng, minLat, maxLng, maxLat] as [number, number, number, number];
});

/** A dated status change as every history answers it: who recorded it, when, and why. */
export function statusChangeDtoSchema<T extends z.ZodType>(status: T) {
  return z
    .object({
      id: z.string(),
      status,
      effectiveOn: z.string(),
      reason: z.string(),
      recordedBy: z.string(),
      recordedAt: z.string(),
    })
    .strict();
}

/** The body of a dated status change: the new status, from which day, and why. */
export function statusChangeInputSchema<T extends z.ZodType>(status: T) {
  return z
    .object({
      status,
      effectiveOn: isoDateSchema,
      reason: z.string().trim().min(3).max(500),
    })
    .strict();
}

type Patch<T extends z.ZodRawShape> = {
  [K in keyof T]: z.ZodOptional<T[K] extends z.ZodDefault<infer Inner> ? Inner : T[K]>;
};

/**
 * The body of a PATCH from a create schema: every field optional and none defaulted, so an
 * update changes only the fields it names (zod's `.partial()` keeps defaults, and a PATCH of a
 * zone's name would reset its target area).
 */
export function patchSchema<T extends z.ZodRawShape>(schema: z.ZodObject<T>) {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [
      key,
      (field instanceof z.ZodDefault
        ? (field.unwrap() as z.ZodType)
        : (field as z.ZodType)
      ).optional(),
    ]),
  );
  return z.object(shape as unknown as Patch<T>).strict();
}
