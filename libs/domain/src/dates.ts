import { addMonths, format, isValid, parseISO } from 'date-fns';

/** A calendar date as `YYYY-MM-DD`; strings compare in date order. */
export type IsoDate = string;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for real calendar dates only: `2024-02-29` yes, `2023-02-29` and `2024-02-30` no. */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const parsed = parseISO(value);
  return isValid(parsed) && format(parsed, 'yyyy-MM-dd') === value;
}

export function addMonthsIso(date: IsoDate, months: number): IsoDate {
  return format(addMonths(parseISO(date), months), 'yyyy-MM-dd');
}

export function todayIso(now: Date = new Date()): IsoDate {
  return format(now, 'yyyy-MM-dd');
}
