import { areaInUnits } from '@huuco/domain';

/** Sào Bắc Bộ (360 m²), as farmers in the Red River Delta count their fields. */
export function formatSao(m2: number, lang: 'vi' | 'en'): string {
  return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
    maximumFractionDigits: 2,
  }).format(areaInUnits(m2).sao);
}
