import { describe, expect, it } from 'vitest';
import {
  checkTransformation,
  checkYield,
  DEFAULT_YIELD_LIMITS,
  gs1CheckDigit,
  isValidGtin14,
  lotIsOrganic,
  provenancePath,
} from './trace.js';

describe('GTIN check digit', () => {
  it('accepts GS1’s own example and a Vietnamese (893) GTIN-14', () => {
    expect(isValidGtin14('00614141123452')).toBe(true);
    expect(gs1CheckDigit('0061414112345')).toBe(2);
    const body = '1893600012345';
    expect(isValidGtin14(`${body}${gs1CheckDigit(body)}`)).toBe(true);
  });

  it('refuses a wrong check digit, letters or another length', () => {
    expect(isValidGtin14('00614141123453')).toBe(false);
    expect(isValidGtin14('0061414112345A')).toBe(false);
    expect(isValidGtin14('0614141123452')).toBe(false);
  });
});

describe('yield plausibility', () => {
  const paddy = DEFAULT_YIELD_LIMITS.paddy;
  it('accepts organic rice on rươi fields (4.3 t/ha)', () => {
    expect(checkYield(516, 1_200, paddy).kind).toBe('ok');
  });
  it('flags above 6.5 t/ha and rejects above 10 t/ha', () => {
    expect(checkYield(800, 1_200, paddy).kind).toBe('flag');
    expect(checkYield(1_300, 1_200, paddy).kind).toBe('reject');
  });
});

describe('transformations', () => {
  it('accepts milling at 0.65 with bran and husk', () => {
    expect(
      checkTransformation('milling', ['paddy'], 1_000, [
        { product: 'white_rice', quantityKg: 650 },
        { product: 'bran', quantityKg: 100 },
        { product: 'husk', quantityKg: 200 },
      ]),
    ).toEqual([]);
  });

  it('names a milling ratio outside 0.60–0.70', () => {
    expect(
      checkTransformation('milling', ['paddy'], 1_000, [
        { product: 'white_rice', quantityKg: 720 },
      ]),
    ).toEqual([{ code: 'MILLING_RATIO_OUT_OF_RANGE', ratio: 0.72, range: { min: 0.6, max: 0.7 } }]);
    expect(
      checkTransformation('milling', ['paddy'], 1_000, [
        { product: 'white_rice', quantityKg: 550 },
      ])[0]!.code,
    ).toBe('MILLING_RATIO_OUT_OF_RANGE');
  });

  it('keeps mass balance: outputs never weigh more than inputs', () => {
    expect(
      checkTransformation('aggregation', ['paddy'], 100, [
        { product: 'paddy', quantityKg: 100.5 },
      ])[0],
    ).toMatchObject({
      code: 'OUTPUTS_EXCEED_INPUTS',
    });
  });

  it('does not mill rice from crabs nor turn paddy into bran by packing', () => {
    expect(
      checkTransformation('milling', ['mud_crab'], 100, [
        { product: 'white_rice', quantityKg: 65 },
      ]).map((i) => i.code),
    ).toContain('INPUT_PRODUCT_MISMATCH');
    expect(
      checkTransformation('packing', ['white_rice'], 100, [
        { product: 'bran', quantityKg: 50 },
      ]).map((i) => i.code),
    ).toEqual(['PRODUCT_NOT_FROM_PROCESS']);
  });
});

describe('organic lots', () => {
  it('are organic only if every input is', () => {
    expect(lotIsOrganic([{ organic: true }, { organic: true }])).toBe(true);
    expect(lotIsOrganic([{ organic: true }, { organic: false }])).toBe(false);
    expect(lotIsOrganic([])).toBe(false);
  });
});

describe('provenance addresses', () => {
  it('use GS1 Digital Link with a GTIN and the short form without', () => {
    expect(provenancePath('25M-7KQ3MZ', '18936000123458')).toBe('/01/18936000123458/10/25M-7KQ3MZ');
    expect(provenancePath('25M-7KQ3MZ', null)).toBe('/t/25M-7KQ3MZ');
  });
});
