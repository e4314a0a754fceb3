import type { ValueTransformer } from 'typeorm';

/** numeric(…) columns holding areas: pg hands them over as strings. */
export const numericArea: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** A GiST-indexed native box from [minLng, minLat, maxLng, maxLat]. */
export function toBox([minLng, minLat, maxLng, maxLat]: readonly number[]): string {
  return `(${maxLng},${maxLat}),(${minLng},${minLat})`;
}
