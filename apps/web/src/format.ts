import { format, parseISO } from 'date-fns';

export function formatNumber(value: number, locale: string, digits = 2): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
}

/** Dates as Vietnamese read them: dd/MM/yyyy. */
export function formatDate(iso: string | null): string {
  return iso ? format(parseISO(iso), 'dd/MM/yyyy') : '—';
}
