import { areaInUnits } from '@huuco/domain';

/** Hectares and sào (Bắc Bộ, 360 m²), as farmers and staff read them. */
export function formatArea(m2: number, lang: 'vi' | 'en'): string {
  const area = areaInUnits(m2);
  const number = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
    maximumFractionDigits: 2,
  });
  return `${number.format(area.sao)} sào <small>(${number.format(area.ha)} ha)</small>`;
}
