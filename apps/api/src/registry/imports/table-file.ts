import { format, parseISO } from 'date-fns';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { looksLikeZip, unzip, ZipUnreadable } from '../../platform/files/zip.js';

/** A cell as a sheet gives it: text, a number, a date (Excel's own), or nothing. */
export type Cell = string | number | Date | boolean | null;

export interface Sheet {
  name: string | null;
  rows: Cell[][];
}

export interface TableFile {
  format: 'csv' | 'xlsx';
  sheets: Sheet[];
}

/** The file is not one this import can read; the message says why, for the user. */
export class FileUnreadable extends Error {}

const MAX_ROWS = 200_000;

/** Reads a CSV (UTF-8 or UTF-16, comma, semicolon or tab) or an XLSX workbook. */
export async function readTable(file: Buffer, fileName: string): Promise<TableFile> {
  if (looksLikeZip(file)) return { format: 'xlsx', sheets: await readWorkbook(file) };
  if (/\.(xlsx|xlsm|xls)$/i.test(fileName))
    throw new FileUnreadable('The file is named as a workbook but is not an XLSX file.');
  return { format: 'csv', sheets: [{ name: null, rows: readCsv(file) }] };
}

async function readWorkbook(file: Buffer): Promise<Sheet[]> {
  try {
    // A workbook is a zip: its parts are unpacked under a limit before the reader sees them.
    await unzip(file, () => true, { maxEntries: 1_000, maxTotalBytes: 100 * 1024 * 1024 });
  } catch (error) {
    throw new FileUnreadable(
      error instanceof ZipUnreadable ? error.message : 'The workbook cannot be opened.',
    );
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw new FileUnreadable('The workbook cannot be opened: it is damaged or not an XLSX file.');
  }
  return workbook.worksheets.map((sheet) => {
    const rows: Cell[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, number) => {
      if (number > MAX_ROWS) return;
      const cells: Cell[] = [];
      row.eachCell({ includeEmpty: true }, (cell, column) => {
        cells[column - 1] = cellValue(cell);
      });
      rows[number - 1] = cells;
    });
    for (let i = 0; i < rows.length; i++) rows[i] ??= [];
    return { name: sheet.name, rows };
  });
}

function cellValue(cell: ExcelJS.Cell): Cell {
  const value = cell.value;
  if (value === null || value === undefined) return null;
  if (value instanceof Date || typeof value === 'number' || typeof value === 'boolean')
    return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('result' in value) {
      const result = value.result;
      return result instanceof Date || typeof result === 'number' || typeof result === 'string'
        ? result
        : null;
    }
    if ('text' in value) return String(value.text);
  }
  return cell.text || null;
}

function readCsv(file: Buffer): Cell[][] {
  const text = decodeText(file);
  if (text.includes('\u0000'))
    throw new FileUnreadable('The file is not text: send a CSV or an XLSX workbook.');
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const delimiter = [';', '\t', ','].reduce((best, candidate) =>
    firstLine.split(candidate).length > firstLine.split(best).length ? candidate : best,
  );
  try {
    return parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      to: MAX_ROWS,
    }) as string[][];
  } catch (error) {
    throw new FileUnreadable(`The CSV cannot be read: ${(error as Error).message}`);
  }
}

function decodeText(file: Buffer): string {
  if (file[0] === 0xff && file[1] === 0xfe) return file.subarray(2).toString('utf16le');
  if (file[0] === 0xef && file[1] === 0xbb && file[2] === 0xbf)
    return file.subarray(3).toString('utf8');
  return file.toString('utf8');
}

/** Header text compared without case, accents, punctuation or extra spaces. */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** A cell as text, trimmed; dates written dd/MM/yyyy. */
export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  // Excel's dates are midnight UTC: their day is the ISO date's.
  if (cell instanceof Date) return format(parseISO(cell.toISOString().slice(0, 10)), 'dd/MM/yyyy');
  return String(cell).trim();
}

/**
 * The header row: the first of the top 30 rows naming at least `minimum` known fields, with
 * the column each field is found in. Title rows above it are skipped.
 */
export function findHeader<F extends string>(
  rows: Cell[][],
  variants: Record<F, readonly string[]>,
  minimum = 2,
): { row: number; columns: string[]; mapping: Record<F, string | null> } | null {
  for (let r = 0; r < Math.min(rows.length, 30); r++) {
    const columns = (rows[r] ?? []).map((cell) => cellText(cell));
    const mapping = mapColumns(columns, variants);
    if (Object.values(mapping).filter(Boolean).length >= minimum)
      return { row: r + 1, columns: columns.filter(Boolean), mapping };
  }
  return null;
}

/** Each field's column: the first header equal to one of its variants, each column used once. */
export function mapColumns<F extends string>(
  columns: string[],
  variants: Record<F, readonly string[]>,
): Record<F, string | null> {
  const normalized = columns.map(normalizeHeader);
  const used = new Set<number>();
  const mapping = {} as Record<F, string | null>;
  for (const field of Object.keys(variants) as F[]) {
    const at = normalized.findIndex(
      (header, i) => !used.has(i) && header !== '' && variants[field].includes(header),
    );
    if (at >= 0) used.add(at);
    mapping[field] = at >= 0 ? columns[at]! : null;
  }
  return mapping;
}
