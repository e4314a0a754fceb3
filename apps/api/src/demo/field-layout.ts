import type { Polygon, Position } from 'geojson';
import type { SeededRandom } from './random.js';

const METRES_PER_DEGREE_LAT = 110_700;

export interface FieldLayout {
  zone: Polygon;
  plots: Polygon[];
}

export interface FieldSpec {
  center: [lng: number, lat: number];
  columns: number;
  rows: number;
  /** Cell width and height ranges in metres; each column and row draws its own. */
  cellWidth: [number, number];
  cellHeight: [number, number];
  rotationDeg: number;
  /** Margin between the outer plots and the zone boundary, in metres. */
  margin: number;
}

/**
 * Lays out paddies as the Red River Delta has them: a rotated grid of fields of slightly
 * different sizes, separated by earth banks (bờ), every few rows a canal, inside a zone outline.
 */
export function layOutFields(spec: FieldSpec, random: SeededRandom): FieldLayout {
  const widths = Array.from({ length: spec.columns }, () => random.between(...spec.cellWidth));
  const heights = Array.from(
    { length: spec.rows },
    (_, row) => random.between(...spec.cellHeight) + (row > 0 && row % 4 === 0 ? 6 : 0),
  );
  const totalWidth = widths.reduce((a, b) => a + b, 0);
  const totalHeight = heights.reduce((a, b) => a + b, 0);
  const [lng0, lat0] = spec.center;
  const metresPerDegreeLng = METRES_PER_DEGREE_LAT * Math.cos((lat0 * Math.PI) / 180);
  const angle = (spec.rotationDeg * Math.PI) / 180;
  const toLngLat = (x: number, y: number): Position => {
    const dx = x - totalWidth / 2;
    const dy = y - totalHeight / 2;
    const rx = dx * Math.cos(angle) - dy * Math.sin(angle);
    const ry = dx * Math.sin(angle) + dy * Math.cos(angle);
    return [round7(lng0 + rx / metresPerDegreeLng), round7(lat0 + ry / METRES_PER_DEGREE_LAT)];
  };

  const plots: Polygon[] = [];
  let y = 0;
  for (const height of heights) {
    let x = 0;
    for (const width of widths) {
      const bank = 1.2;
      const jitter = () => random.between(-0.8, 0.8);
      const corners: [number, number][] = [
        [x + bank + jitter(), y + bank + jitter()],
        [x + width - bank + jitter(), y + bank + jitter()],
        [x + width - bank + jitter(), y + height - bank + jitter()],
        [x + bank + jitter(), y + height - bank + jitter()],
      ];
      const ring = corners.map(([cx, cy]) => toLngLat(cx, cy));
      plots.push({ type: 'Polygon', coordinates: [[...ring, ring[0]!]] });
      x += width;
    }
    y += height;
  }

  const m = spec.margin;
  const chamfer = m * 2;
  const outline: [number, number][] = [
    [-m + chamfer, -m],
    [totalWidth + m - chamfer, -m],
    [totalWidth + m, -m + chamfer],
    [totalWidth + m, totalHeight + m - chamfer],
    [totalWidth + m - chamfer, totalHeight + m],
    [-m + chamfer, totalHeight + m],
    [-m, totalHeight + m - chamfer],
    [-m, -m + chamfer],
  ];
  const zoneRing = outline.map(([ox, oy]) => toLngLat(ox, oy));
  return { zone: { type: 'Polygon', coordinates: [[...zoneRing, zoneRing[0]!]] }, plots };
}

/** Fish or crab ponds: separate rectangles in a row along a canal. */
export function layOutPonds(
  origin: [lng: number, lat: number],
  count: number,
  size: [width: number, height: number],
  random: SeededRandom,
): Polygon[] {
  const [lng0, lat0] = origin;
  const metresPerDegreeLng = METRES_PER_DEGREE_LAT * Math.cos((lat0 * Math.PI) / 180);
  const ponds: Polygon[] = [];
  let x = 0;
  for (let i = 0; i < count; i++) {
    const width = size[0] * random.between(0.8, 1.2);
    const height = size[1] * random.between(0.8, 1.2);
    const at = (px: number, py: number): Position => [
      round7(lng0 + px / metresPerDegreeLng),
      round7(lat0 + py / METRES_PER_DEGREE_LAT),
    ];
    const ring = [at(x, 0), at(x + width, 0), at(x + width, height), at(x, height)];
    ponds.push({ type: 'Polygon', coordinates: [[...ring, ring[0]!]] });
    x += width + 8;
  }
  return ponds;
}

function round7(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}
