/** Pure rules of the trace (PRODUCT.md rules 3 and 5, GS1 codes): shared by the API and the web app. */

/** GS1 mod-10 check digit of the digits before it (GTIN-8/12/13/14 alike). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[body.length - 1 - i]);
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** A GTIN-14: fourteen digits whose last is the mod-10 check digit of the others. */
export function isValidGtin14(gtin: string): boolean {
  return /^[0-9]{14}$/.test(gtin) && gs1CheckDigit(gtin.slice(0, 13)) === Number(gtin[13]);
}

export const HarvestProduct = ['paddy', 'ragworm', 'fiddler_crab', 'mud_crab', 'shrimp'] as const;
export type HarvestProduct = (typeof HarvestProduct)[number];

/** Yield limits per product, kg per hectare per season: above `flag` needs a reason, above `reject` is refused. */
export interface YieldLimit {
  flagKgPerHa: number;
  rejectKgPerHa: number;
}

/** Organic rice on rươi fields yields 4.2–4.4 t/ha; conventional spring rice 6.2–6.6. */
export const DEFAULT_YIELD_LIMITS: Record<HarvestProduct, YieldLimit> = {
  paddy: { flagKgPerHa: 6_500, rejectKgPerHa: 10_000 },
  ragworm: { flagKgPerHa: 1_500, rejectKgPerHa: 3_000 },
  fiddler_crab: { flagKgPerHa: 800, rejectKgPerHa: 2_000 },
  mud_crab: { flagKgPerHa: 1_500, rejectKgPerHa: 3_000 },
  shrimp: { flagKgPerHa: 3_000, rejectKgPerHa: 8_000 },
};

export type YieldVerdict =
  | { kind: 'ok'; kgPerHa: number }
  | { kind: 'flag'; kgPerHa: number; limit: YieldLimit }
  | { kind: 'reject'; kgPerHa: number; limit: YieldLimit };

/** Rule 3: a harvest's quantity against its plot's area and the product's limits. */
export function checkYield(quantityKg: number, areaM2: number, limit: YieldLimit): YieldVerdict {
  const kgPerHa = quantityKg / (areaM2 / 10_000);
  if (kgPerHa > limit.rejectKgPerHa) return { kind: 'reject', kgPerHa, limit };
  if (kgPerHa > limit.flagKgPerHa) return { kind: 'flag', kgPerHa, limit };
  return { kind: 'ok', kgPerHa };
}

export const LotProcess = ['aggregation', 'drying', 'milling', 'packing'] as const;
export type LotProcess = (typeof LotProcess)[number];

export const LotStatus = ['open', 'sealed', 'shipped', 'recalled'] as const;
export type LotStatus = (typeof LotStatus)[number];

/** What each process may turn what into. The first output listed for milling is the main one. */
export const PROCESS_OUTPUTS: Record<LotProcess, readonly string[]> = {
  aggregation: [],
  drying: ['paddy'],
  milling: ['white_rice', 'brown_rice', 'broken_rice', 'bran', 'husk'],
  packing: [],
};

/** Milled rice per kg of paddy: 0.60–0.70 unless configured otherwise. */
export interface MillingRatio {
  min: number;
  max: number;
}
export const DEFAULT_MILLING_RATIO: MillingRatio = { min: 0.6, max: 0.7 };

export interface TransformationOutput {
  product: string;
  quantityKg: number;
}

export type TransformationIssue =
  | { code: 'OUTPUTS_EXCEED_INPUTS'; inputKg: number; outputKg: number }
  | { code: 'MILLING_RATIO_OUT_OF_RANGE'; ratio: number; range: MillingRatio }
  | { code: 'PRODUCT_NOT_FROM_PROCESS'; index: number; product: string }
  | { code: 'INPUT_PRODUCT_MISMATCH'; product: string };

/**
 * Rule 3 for a transformation: outputs never weigh more than inputs; milling paddy gives
 * 0.60–0.70 of milled rice; packing and aggregation keep the product.
 */
export function checkTransformation(
  process: LotProcess,
  inputProducts: string[],
  inputKg: number,
  outputs: TransformationOutput[],
  ratio: MillingRatio = DEFAULT_MILLING_RATIO,
): TransformationIssue[] {
  const issues: TransformationIssue[] = [];
  const outputKg = outputs.reduce((sum, o) => sum + o.quantityKg, 0);
  if (outputKg > inputKg + 1e-6) issues.push({ code: 'OUTPUTS_EXCEED_INPUTS', inputKg, outputKg });
  const sameProduct = process === 'aggregation' || process === 'packing';
  const products = new Set(inputProducts);
  if (sameProduct || process === 'drying' || process === 'milling') {
    if (products.size > 1)
      issues.push({ code: 'INPUT_PRODUCT_MISMATCH', product: [...products].join(',') });
  }
  if (process === 'milling' && !products.has('paddy')) {
    issues.push({ code: 'INPUT_PRODUCT_MISMATCH', product: [...products].join(',') });
  }
  outputs.forEach((output, index) => {
    const allowed = sameProduct ? [...products] : PROCESS_OUTPUTS[process];
    if (!allowed.includes(output.product))
      issues.push({ code: 'PRODUCT_NOT_FROM_PROCESS', index, product: output.product });
  });
  if (process === 'milling' && inputKg > 0) {
    const milled = outputs
      .filter((o) => o.product === 'white_rice' || o.product === 'brown_rice')
      .reduce((sum, o) => sum + o.quantityKg, 0);
    const millingRatio = milled / inputKg;
    if (millingRatio < ratio.min - 1e-9 || millingRatio > ratio.max + 1e-9) {
      issues.push({ code: 'MILLING_RATIO_OUT_OF_RANGE', ratio: millingRatio, range: ratio });
    }
  }
  return issues;
}

/** A lot is organic only if every one of its inputs is (rule 3). */
export function lotIsOrganic(inputs: { organic: boolean }[]): boolean {
  return inputs.length > 0 && inputs.every((input) => input.organic);
}

/** The path a label's QR points to: GS1 Digital Link with a GTIN, the short form without. */
export function provenancePath(lotCode: string, gtin: string | null): string {
  return gtin
    ? `/01/${gtin}/10/${encodeURIComponent(lotCode)}`
    : `/t/${encodeURIComponent(lotCode)}`;
}

/** Scans beyond this many per unit sold, or from this many places within an hour, look copied. */
export const SCAN_WARNING = { scansPerUnit: 3, minScans: 50, placesPerHour: 20 } as const;

export const SeasonName = ['spring', 'summer_autumn', 'main', 'winter'] as const;
export type SeasonName = (typeof SeasonName)[number];

/**
 * What a hectare is expected to give in a season, kg, for whole-area contracts: organic rice
 * on rươi fields 4.2–4.4 t/ha of paddy, milled at about 0.65.
 */
export const DEFAULT_EXPECTED_YIELD_KG_PER_HA: Record<string, number> = {
  paddy: 4_300,
  white_rice: 2_800,
  brown_rice: 3_400,
  broken_rice: 200,
  bran: 400,
  husk: 850,
  ragworm: 600,
  fiddler_crab: 300,
  mud_crab: 700,
  shrimp: 1_500,
};
