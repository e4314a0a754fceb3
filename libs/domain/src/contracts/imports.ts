import { z } from 'zod';
import { listQuerySchema, pageSchema, uuidSchema } from './common.js';

/** What a file brings in: a cooperative's household list, or surveyed plot outlines. */
export const ImportKind = ['households', 'plots'] as const;
export type ImportKind = (typeof ImportKind)[number];

/** A job is checked, then waits for the user to commit it, all or nothing. */
export const ImportStatus = ['checking', 'ready', 'failed', 'committed'] as const;
export type ImportStatus = (typeof ImportStatus)[number];

/** What committing would do with one row or feature. */
export const RowVerdict = ['new', 'update', 'unchanged', 'error'] as const;
export type RowVerdict = (typeof RowVerdict)[number];

/** The household fields a sheet's columns map to, in the order of the template. */
export const HouseholdImportField = [
  'code',
  'headName',
  'idNumber',
  'phone',
  'village',
  'commune',
  'joinedOn',
] as const;
export type HouseholdImportField = (typeof HouseholdImportField)[number];

/** The plot attributes a feature's properties map to. */
export const PlotImportField = [
  'code',
  'household',
  'zone',
  'farmingSystem',
  'declaredAreaM2',
  'conversionStartedOn',
] as const;
export type PlotImportField = (typeof PlotImportField)[number];

/** The header each field is written under in the template, and the first one recognised. */
export const HOUSEHOLD_TEMPLATE_HEADERS: Record<HouseholdImportField, string> = {
  code: 'Mã hộ',
  headName: 'Họ và tên chủ hộ',
  idNumber: 'Số CCCD',
  phone: 'Số điện thoại',
  village: 'Thôn/Xóm',
  commune: 'Xã',
  joinedOn: 'Ngày vào HTX',
};

export const importFieldErrorSchema = z
  .object({ code: z.string(), field: z.string(), message: z.string() })
  .strict();
export type ImportFieldError = z.infer<typeof importFieldErrorSchema>;

export const importRowSchema = z
  .object({
    /** The row in the sheet (1 = the first line), or the feature's place in the file (1 = first). */
    number: z.number().int(),
    verdict: z.enum(RowVerdict),
    /** The record as it would be written; the ID number masked. */
    values: z.record(z.string(), z.unknown()),
    /** For plots: the outline in WGS84, once transformed. */
    geometry: z.record(z.string(), z.unknown()).nullable(),
    errors: z.array(importFieldErrorSchema),
  })
  .strict();
export type ImportRowDto = z.infer<typeof importRowSchema>;

export const importJobSchema = z
  .object({
    id: z.string(),
    kind: z.enum(ImportKind),
    cooperativeId: z.string(),
    status: z.enum(ImportStatus),
    fileName: z.string(),
    /** `csv`, `xlsx`, `geojson`, `kml`, `kmz` or `shapefile`, as read from the file itself. */
    format: z.string().nullable(),
    sheet: z.string().nullable(),
    /** The sheet's row holding the headers (1 = the first line). */
    headerRow: z.number().int().nullable(),
    /** Field → the column (header text) or property it is read from; null when not found. */
    mapping: z.record(z.string(), z.string().nullable()),
    /** Headers or properties found in the file, for correcting the mapping. */
    columns: z.array(z.string()),
    /** The coordinate reference system of a plot file, as found (`EPSG:…` or a name). */
    crs: z.string().nullable(),
    progress: z.object({ read: z.number(), checked: z.number(), total: z.number() }).strict(),
    counts: z.record(z.enum(RowVerdict), z.number()),
    /** Why the whole file was refused, when it was. */
    failure: z.object({ code: z.string(), message: z.string() }).strict().nullable(),
    createdAt: z.string(),
    committedAt: z.string().nullable(),
  })
  .strict();
export type ImportJobDto = z.infer<typeof importJobSchema>;

export const importRowsPageSchema = pageSchema(importRowSchema);

/** One job with a page of its preview: every row or feature, with its verdict and errors. */
export const importJobDetailSchema = importJobSchema
  .extend({ preview: importRowsPageSchema })
  .strict();
export type ImportJobDetailDto = z.infer<typeof importJobDetailSchema>;

export const importRowsQuerySchema = listQuerySchema(['number'])
  .extend({ verdict: z.enum(RowVerdict).optional() })
  .strict();
export type ImportRowsQuery = z.infer<typeof importRowsQuerySchema>;

export const importListQuerySchema = listQuerySchema(['createdAt'])
  .extend({ cooperativeId: uuidSchema.optional() })
  .strict();
export type ImportListQuery = z.infer<typeof importListQuerySchema>;

export const importJobPageSchema = pageSchema(importJobSchema);

/** What the user corrects before checking again: the column mapping, a plot file's CRS. */
export const updateImportSchema = z
  .object({
    mapping: z.record(z.string(), z.string().nullable()).optional(),
    crs: z.string().trim().min(1).max(2_000).optional(),
  })
  .strict()
  .refine((dto) => dto.mapping !== undefined || dto.crs !== undefined, {
    path: ['mapping'],
    message: 'Give a mapping, a CRS, or both.',
  });
export type UpdateImportDto = z.infer<typeof updateImportSchema>;
