import { describe, expect, it } from 'vitest';
import { isIsoDate } from './dates.js';
import { maskIdNumber, maskPhone } from './id-number.js';
import { areaInUnits, yieldTaPerHa } from './units.js';

describe('units', () => {
  it('shows area in m², ha and sào Bắc Bộ (360 m²)', () => {
    expect(areaInUnits(3_600)).toEqual({ m2: 3_600, ha: 0.36, sao: 10 });
    expect(areaInUnits(1_234.56)).toEqual({ m2: 1_235, ha: 0.1235, sao: 3.43 });
  });

  it('reports yield in tạ/ha', () => {
    expect(yieldTaPerHa(430, 1_000)).toBe(43);
  });
});

describe('dates', () => {
  it('accepts real calendar dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-02-30')).toBe(false);
    expect(isIsoDate('2024-2-3')).toBe(false);
    expect(isIsoDate('2024-13-01')).toBe(false);
  });
});

describe('masking', () => {
  it('keeps the province prefix and last three digits of an ID number', () => {
    expect(maskIdNumber('030123456189')).toBe('030******189');
  });

  it('masks phone numbers the same way', () => {
    expect(maskPhone('0912345678')).toBe('091****678');
  });
});
