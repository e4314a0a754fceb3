/** Area units in use across Vietnam, in square metres. */
export const M2_PER_HA = 10_000;
export const M2_PER_SAO_BAC_BO = 360;
export const M2_PER_SAO_TRUNG_BO = 500;
export const M2_PER_MAU_BAC_BO = 3_600;
export const M2_PER_CONG_NAM_BO = 1_000;
export const KG_PER_TA = 100;
export const KG_PER_TAN = 1_000;

export interface AreaInUnits {
  m2: number;
  ha: number;
  sao: number;
}

/** Rounds to a fixed number of decimals without going through string formatting. */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** Area as users read it: m² (whole), ha (4 decimals), sào Bắc Bộ (2 decimals). */
export function areaInUnits(areaM2: number): AreaInUnits {
  return {
    m2: Math.round(areaM2),
    ha: round(areaM2 / M2_PER_HA, 4),
    sao: round(areaM2 / M2_PER_SAO_BAC_BO, 2),
  };
}

/** Yield in tạ/ha, the unit Vietnamese extension officers report. */
export function yieldTaPerHa(quantityKg: number, areaM2: number): number {
  return round(quantityKg / KG_PER_TA / (areaM2 / M2_PER_HA), 2);
}
