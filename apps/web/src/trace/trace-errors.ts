import type { ErrorBody } from '@huuco/domain';
import { errorInWords, lookup } from '../i18n';

/** An error in words, with the numbers the server sent along. */
export function traceErrorText(error: ErrorBody): string {
  const first = (error.errors?.[0] ?? {}) as Record<string, unknown>;
  return errorInWords(error, {
    tPerHa:
      typeof first['kgPerHa'] === 'number' ? ((first['kgPerHa'] as number) / 1000).toFixed(2) : '',
    remaining: String(first['remainingKg'] ?? ''),
    from: String(first['startsOn'] ?? ''),
    to: String(first['endsOn'] ?? ''),
    ratio: typeof first['ratio'] === 'number' ? ((first['ratio'] as number) * 100).toFixed(1) : '',
    code: String(first['code'] ?? ''),
  });
}

export function seasonText(label: string | null): string {
  if (!label) return '—';
  const [name, year] = label.split(':');
  return `${lookup(`season.${name}`) ?? name} ${year}`;
}
