import { areaInUnits } from '@huuco/domain';

/** Made once: building a number format costs more than rendering a whole page. */
export const NUMBER = {
  vi: new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }),
};

/** Sào Bắc Bộ (360 m²), as farmers in the Red River Delta count their fields. */
export function formatSao(m2: number, lang: 'vi' | 'en'): string {
  return NUMBER[lang].format(areaInUnits(m2).sao);
}
