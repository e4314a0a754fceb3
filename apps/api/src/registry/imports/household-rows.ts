import {
  HouseholdImportField,
  ID_NUMBER_PATTERN,
  maskIdNumber,
  todayIso,
  type ImportFieldError,
  type RowVerdict,
} from '@huuco/domain';
import { format, isValid, parse } from 'date-fns';
import { cellText, normalizeHeader, type Cell } from './table-file.js';

/** Header variants seen in cooperatives' own lists, compared as `normalizeHeader` leaves them. */
export const HOUSEHOLD_HEADER_VARIANTS: Record<HouseholdImportField, readonly string[]> = {
  code: ['ma ho', 'ma so ho', 'ma ho gia dinh', 'ma'],
  headName: [
    'ho va ten chu ho',
    'ho ten chu ho',
    'chu ho',
    'ten chu ho',
    'ho va ten',
    'ho ten',
    'ten',
  ],
  idNumber: [
    'so cccd',
    'cccd',
    'so can cuoc',
    'can cuoc cong dan',
    'so can cuoc cong dan',
    'so cmnd cccd',
    'cmnd cccd',
    'so cmnd',
    'cmnd',
    'so dinh danh',
    'ma dinh danh',
  ],
  phone: ['so dien thoai', 'sdt', 'dien thoai', 'dt', 'so dt'],
  village: ['thon xom', 'thon', 'xom', 'ap', 'thon ap', 'ban'],
  commune: ['xa', 'xa phuong', 'phuong', 'xa phuong thi tran'],
  joinedOn: ['ngay vao htx', 'ngay tham gia', 'ngay gia nhap', 'ngay vao', 'ngay tham gia htx'],
};

/** A household as a row describes it, before it meets the registry. */
export interface HouseholdCandidate {
  number: number;
  code: string | null;
  headName: string;
  idNumber: string;
  phone: string | null;
  village: string | null;
  commune: string | null;
  joinedOn: string | null;
  errors: ImportFieldError[];
}

/** What the registry already holds that a file's rows may name. */
export interface HouseholdMatch {
  id: string;
  cooperativeId: string;
  code: string;
  headName: string;
  phone: string | null;
  village: string | null;
  leftOn: string | null;
}

export interface Commune {
  id: string;
  name: string;
}

export interface CheckedHousehold {
  number: number;
  verdict: RowVerdict;
  values: Record<string, unknown>;
  errors: ImportFieldError[];
  /** For the commit: the registration or the correction this row makes. */
  plan:
    | { kind: 'register'; candidate: HouseholdCandidate; communeId: string; joinedOn: string }
    | { kind: 'correct'; householdId: string; changes: Record<string, string | null> }
    | null;
}

const error = (code: string, field: string, message: string): ImportFieldError => ({
  code,
  field,
  message,
});

/** The ways dates are written in cooperatives' sheets, day first. */
const DATE_FORMATS = ['d/M/yyyy', 'd-M-yyyy', 'd.M.yyyy', 'yyyy-MM-dd'];

/** dd/MM/yyyy (and d/M/yyyy, with - or .), yyyy-MM-dd, or an Excel date. */
export function parseDate(cell: Cell | undefined): string | null | 'invalid' {
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  const text = cellText(cell);
  if (!text) return null;
  for (const pattern of DATE_FORMATS) {
    const date = parse(text, pattern, new Date(2000, 0, 1));
    if (isValid(date) && /^\d{4}$/.test(String(date.getFullYear())))
      return format(date, 'yyyy-MM-dd');
  }
  return 'invalid';
}

/** ID numbers are text; a sheet that stored one as a number lost its leading zeros. */
function idNumberOf(cell: Cell | undefined): string {
  if (typeof cell === 'number' && Number.isInteger(cell) && cell >= 0 && cell < 1e12)
    return String(cell).padStart(12, '0');
  return cellText(cell).replace(/[\s.]/g, '');
}

function phoneOf(cell: Cell | undefined): string | null {
  if (typeof cell === 'number' && Number.isInteger(cell)) return `0${cell}`.replace(/^00/, '0');
  const digits = cellText(cell).replace(/[\s.()-]/g, '');
  if (!digits) return null;
  return digits.replace(/^\+84/, '0').replace(/^84(?=\d{9}$)/, '0');
}

/** Reads the rows below the header into candidates, each with the errors it has on its own. */
export function readHouseholdRows(
  rows: Cell[][],
  headerRow: number,
  columns: Cell[],
  mapping: Record<string, string | null>,
): HouseholdCandidate[] {
  const at = (field: HouseholdImportField) => {
    const header = mapping[field];
    if (!header) return -1;
    return columns.findIndex((c) => normalizeHeader(cellText(c)) === normalizeHeader(header));
  };
  const index = Object.fromEntries(
    HouseholdImportField.map((f: HouseholdImportField) => [f, at(f)]),
  ) as Record<HouseholdImportField, number>;
  const candidates: HouseholdCandidate[] = [];
  for (let r = headerRow; r < rows.length; r++) {
    const row = rows[r] ?? [];
    if (row.every((cell) => cellText(cell) === '')) continue;
    const get = (field: HouseholdImportField) => (index[field] >= 0 ? row[index[field]] : null);
    const errors: ImportFieldError[] = [];
    const code = cellText(get('code')) || null;
    if (code && !/^[A-Za-z0-9._-]{1,20}$/.test(code))
      errors.push(error('VALIDATION_FAILED', 'code', 'Up to 20 letters, digits, dots, dashes.'));
    const headName = cellText(get('headName')).replace(/\s+/g, ' ');
    if (!headName)
      errors.push(error('VALIDATION_FAILED', 'headName', 'The head’s name is missing.'));
    else if (headName.length > 120)
      errors.push(error('VALIDATION_FAILED', 'headName', 'At most 120 characters.'));
    const idNumber = idNumberOf(get('idNumber'));
    if (!ID_NUMBER_PATTERN.test(idNumber))
      errors.push(error('VALIDATION_FAILED', 'idNumber', 'An ID number has 12 digits.'));
    const phone = phoneOf(get('phone'));
    if (phone !== null && !/^0\d{9}$/.test(phone))
      errors.push(
        error('VALIDATION_FAILED', 'phone', 'A phone number has 10 digits and starts with 0.'),
      );
    const village = cellText(get('village')).replace(/\s+/g, ' ') || null;
    if (village && village.length > 120)
      errors.push(error('VALIDATION_FAILED', 'village', 'At most 120 characters.'));
    const joined = parseDate(get('joinedOn'));
    if (joined === 'invalid')
      errors.push(error('VALIDATION_FAILED', 'joinedOn', 'A date written dd/mm/yyyy.'));
    else if (joined && joined > todayIso())
      errors.push(error('VALIDATION_FAILED', 'joinedOn', 'The date is in the future.'));
    candidates.push({
      number: r + 1,
      code,
      headName,
      idNumber,
      phone,
      village,
      commune: cellText(get('commune')) || null,
      joinedOn: joined === 'invalid' ? null : joined,
      errors,
    });
  }
  return candidates;
}

/** The commune a row names: the cooperative's own first, else the one of that name in its district. */
function communeIdOf(
  name: string | null,
  communes: Commune[],
  own: string,
): string | 'unknown' | 'ambiguous' {
  if (!name) return own;
  const bare = (text: string) => normalizeHeader(text).replace(/^(xa|phuong|thi tran) /, '');
  const named = communes.filter((c) => bare(c.name) === bare(name));
  if (named.some((c) => c.id === own)) return own;
  if (named.length > 1) return 'ambiguous';
  return named[0]?.id ?? 'unknown';
}

/**
 * Each candidate against the file's earlier rows and the registry: new, an update of a member
 * of this cooperative, unchanged, or an error naming the field at fault.
 */
export function checkHouseholds(
  candidates: HouseholdCandidate[],
  context: {
    cooperativeId: string;
    defaultCommuneId: string;
    communes: Commune[];
    /** A household with this ID number, anywhere. */
    byIdNumber: (idNumber: string) => HouseholdMatch | undefined;
    /** This cooperative's household with this code. */
    byCode: (code: string) => HouseholdMatch | undefined;
  },
): CheckedHousehold[] {
  const seenIds = new Map<string, number>();
  const seenCodes = new Map<string, number>();
  return candidates.map((candidate) => {
    const errors = [...candidate.errors];
    const earlierId = seenIds.get(candidate.idNumber);
    if (earlierId !== undefined)
      errors.push(
        error('IMPORT_ROW_DUPLICATE', 'idNumber', `Row ${earlierId} has this ID number too.`),
      );
    else if (ID_NUMBER_PATTERN.test(candidate.idNumber))
      seenIds.set(candidate.idNumber, candidate.number);
    if (candidate.code) {
      const earlierCode = seenCodes.get(candidate.code);
      if (earlierCode !== undefined)
        errors.push(error('IMPORT_ROW_DUPLICATE', 'code', `Row ${earlierCode} has this code too.`));
      else seenCodes.set(candidate.code, candidate.number);
    }
    const communeId = communeIdOf(candidate.commune, context.communes, context.defaultCommuneId);
    const values: Record<string, unknown> = {
      code: candidate.code,
      headName: candidate.headName,
      idNumberMasked: ID_NUMBER_PATTERN.test(candidate.idNumber)
        ? maskIdNumber(candidate.idNumber)
        : null,
      phone: candidate.phone,
      village: candidate.village,
      commune: candidate.commune,
      joinedOn: candidate.joinedOn,
    };
    const existing = ID_NUMBER_PATTERN.test(candidate.idNumber)
      ? context.byIdNumber(candidate.idNumber)
      : undefined;
    const sameCode = candidate.code ? context.byCode(candidate.code) : undefined;

    if (existing && existing.cooperativeId !== context.cooperativeId)
      errors.push(
        error(
          'HOUSEHOLD_ID_NUMBER_TAKEN',
          'idNumber',
          'A household of another cooperative has this ID number.',
        ),
      );
    else if (existing?.leftOn)
      errors.push(
        error('HOUSEHOLD_LEFT', 'idNumber', `This household left on ${existing.leftOn}.`),
      );
    if (sameCode && sameCode.id !== existing?.id)
      errors.push(
        error('HOUSEHOLD_CODE_TAKEN', 'code', `Code ${candidate.code} is another household’s.`),
      );
    if (!existing) {
      if (communeId === 'unknown')
        errors.push(
          error('REFERENCE_NOT_FOUND', 'commune', 'No commune of this district has this name.'),
        );
      else if (communeId === 'ambiguous')
        errors.push(
          error(
            'REFERENCE_NOT_FOUND',
            'commune',
            'Several communes of this district have this name.',
          ),
        );
      if (!candidate.joinedOn && !errors.some((e) => e.field === 'joinedOn'))
        errors.push(
          error('VALIDATION_FAILED', 'joinedOn', 'The day the household joined is missing.'),
        );
    }
    if (errors.length)
      return { number: candidate.number, verdict: 'error', values, errors, plan: null };

    if (existing) {
      const changes: Record<string, string | null> = {};
      if (candidate.code && candidate.code !== existing.code) changes['code'] = candidate.code;
      if (candidate.headName !== existing.headName) changes['headName'] = candidate.headName;
      if (candidate.phone !== null && candidate.phone !== existing.phone)
        changes['phone'] = candidate.phone;
      if (candidate.village !== null && candidate.village !== existing.village)
        changes['village'] = candidate.village;
      const changed = Object.keys(changes).length > 0;
      return {
        number: candidate.number,
        verdict: changed ? 'update' : 'unchanged',
        values: {
          ...values,
          code: existing.code,
          householdId: existing.id,
          changes: Object.keys(changes),
        },
        errors,
        plan: changed ? { kind: 'correct', householdId: existing.id, changes } : null,
      };
    }
    return {
      number: candidate.number,
      verdict: 'new',
      values: { ...values, communeId },
      errors,
      plan: { kind: 'register', candidate, communeId, joinedOn: candidate.joinedOn! },
    };
  });
}
