import type { Polygon } from 'geojson';

const WIDTH = 320;
const HEIGHT = 200;
const MAX_PLOTS = 300;

/**
 * The plots' outlines as a small SVG, projected around their centre (metres east/north are
 * close enough at plot scale): a map on the public page with no tile server.
 */
export function outlineSvg(geometries: Polygon[]): string | null {
  const rings = geometries.slice(0, MAX_PLOTS).map((g) => g.coordinates[0]!);
  if (!rings.length) return null;
  const points = rings.flat();
  const lats = points.map((p) => p[1]!);
  const meanLat = lats.reduce((a, b) => a + b, 0) / lats.length;
  const k = Math.cos((meanLat * Math.PI) / 180);
  const xs = points.map((p) => p[0]! * k);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const minY = Math.min(...lats);
  const maxY = Math.max(...lats);
  const scale = Math.min(
    (WIDTH - 20) / (maxX - minX || 1e-9),
    (HEIGHT - 20) / (maxY - minY || 1e-9),
  );
  const offsetX = (WIDTH - (maxX - minX) * scale) / 2;
  const offsetY = (HEIGHT - (maxY - minY) * scale) / 2;
  const paths = rings
    .map(
      (ring) =>
        'M' +
        ring
          .map(
            ([lng, lat]) =>
              `${((lng! * k - minX) * scale + offsetX).toFixed(1)} ${(HEIGHT - ((lat! - minY) * scale + offsetY)).toFixed(1)}`,
          )
          .join('L') +
        'Z',
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img"><rect width="${WIDTH}" height="${HEIGHT}" fill="#eef3e8"/><path d="${paths}" fill="#7cb342" fill-opacity=".55" stroke="#33691e" stroke-width="1"/></svg>`;
}
