import geodesic from 'geographiclib-geodesic';
import turfBbox from '@turf/bbox';
import { feature, featureCollection } from '@turf/helpers';
import turfIntersect from '@turf/intersect';
import turfKinks from '@turf/kinks';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { ErrorCode } from './errors.js';

export type AreaGeometry = Polygon | MultiPolygon;

/** Rule 1 of the product: the numbers a plot or zone geometry must respect. */
export const GeometryRules = {
  vietnam: { minLat: 8, maxLat: 24, minLng: 102, maxLng: 110 },
  plotMinM2: 30,
  plotMaxM2: 200_000,
  plotFlagAboveM2: 10_000,
  zoneMinM2: 10_000,
  zoneMaxM2: 500_000_000,
  maxOverlapShare: 0.05,
  minShareInsideZone: 0.95,
  areaMismatchShare: 0.2,
} as const;

export interface GeometryIssue {
  code: ErrorCode;
  path: string;
  message: string;
  [detail: string]: unknown;
}

export type Bbox = [minLng: number, minLat: number, maxLng: number, maxLat: number];

function polygonsOf(geometry: AreaGeometry): Position[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

function ringPath(geometry: AreaGeometry, polygon: number, ring: number): string {
  return geometry.type === 'Polygon' ? `coordinates.${ring}` : `coordinates.${polygon}.${ring}`;
}

function inVietnam([lng, lat]: Position): boolean {
  const v = GeometryRules.vietnam;
  return lng! >= v.minLng && lng! <= v.maxLng && lat! >= v.minLat && lat! <= v.maxLat;
}

function inVietnamIfSwapped([lng, lat]: Position): boolean {
  return inVietnam([lat!, lng!]);
}

/**
 * Checks that hold for any plot or zone outline, in the order a user should fix them:
 * ring structure, then position on Earth, then self-intersection. Returns the first issue.
 */
export function checkOutline(geometry: AreaGeometry): GeometryIssue | null {
  const polygons = polygonsOf(geometry);
  for (const [p, rings] of polygons.entries()) {
    for (const [r, ring] of rings.entries()) {
      const path = ringPath(geometry, p, r);
      if (ring.length < 4) {
        return {
          code: ErrorCode.GeometryTooFewPoints,
          path,
          message: 'A ring needs at least four positions (three corners and the first repeated).',
        };
      }
      const first = ring[0]!;
      const last = ring[ring.length - 1]!;
      if (first[0] !== last[0] || first[1] !== last[1]) {
        return {
          code: ErrorCode.GeometryRingNotClosed,
          path,
          message: 'The ring is not closed: its last position must repeat its first.',
        };
      }
    }
  }

  const positions = polygons.flat(2);
  const outside = positions.findIndex((position) => !inVietnam(position));
  if (outside >= 0) {
    if (positions.every(inVietnamIfSwapped)) {
      return {
        code: ErrorCode.GeometryCoordinatesSwapped,
        path: 'coordinates',
        message: 'Positions look like [latitude, longitude]; GeoJSON wants [longitude, latitude].',
      };
    }
    return {
      code: ErrorCode.GeometryOutsideVietnam,
      path: 'coordinates',
      message: 'A position lies outside Vietnam (latitude 8–24, longitude 102–110).',
      position: positions[outside],
    };
  }

  const kinks = turfKinks(feature(geometry)).features;
  if (kinks.length > 0) {
    return {
      code: ErrorCode.GeometrySelfIntersection,
      path: 'coordinates',
      message: 'The outline crosses itself.',
      at: kinks[0]!.geometry.coordinates,
    };
  }
  return null;
}

/** Geodesic area on the WGS84 sphere, in m². */
/**
 * Area on the WGS 84 ellipsoid, m², by Karney's algorithm (GeographicLib): outer rings less their
 * holes. A sphere, as Turf assumes, is 0.28 % off at Vietnam's latitudes.
 */
export function areaM2(geometry: AreaGeometry | Polygon): number {
  return polygonsOf(geometry).reduce(
    (sum, rings) =>
      sum + rings.reduce((area, ring, r) => area + (r === 0 ? 1 : -1) * ringAreaM2(ring), 0),
    0,
  );
}

function ringAreaM2(ring: Position[]): number {
  const polygon = geodesic.Geodesic.WGS84.Polygon(false);
  const closed =
    ring.length > 1 && ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1];
  for (const [lng, lat] of closed ? ring.slice(0, -1) : ring) polygon.AddPoint(lat!, lng!);
  return Math.abs(polygon.Compute(false, true).area ?? 0);
}

export function bboxOf(geometry: AreaGeometry): Bbox {
  return turfBbox(geometry) as Bbox;
}

/** Area shared by two outlines, in m² (0 when they do not meet). */
export function intersectionAreaM2(a: AreaGeometry, b: AreaGeometry): number {
  const shared = turfIntersect(featureCollection([feature(a), feature(b)]));
  return shared ? areaM2(shared.geometry) : 0;
}

/** Overlap as a share of the smaller outline: the quantity rule 1 caps at 5 %. */
export function overlapShare(a: AreaGeometry, b: AreaGeometry): number {
  const smaller = Math.min(areaM2(a), areaM2(b));
  if (smaller === 0) return 0;
  return intersectionAreaM2(a, b) / smaller;
}

/** Share of `inner`'s area that lies inside `outer`. */
export function shareInside(inner: AreaGeometry, outer: AreaGeometry): number {
  const innerArea = areaM2(inner);
  if (innerArea === 0) return 0;
  return intersectionAreaM2(inner, outer) / innerArea;
}

export type PlotFlag = 'LARGE_PLOT' | 'AREA_MISMATCH';

/** Size limits and warnings for a plot whose outline already passed `checkOutline`. */
export function checkPlotArea(
  computedM2: number,
  declaredM2: number | null,
): { issue: GeometryIssue | null; flags: PlotFlag[] } {
  const rules = GeometryRules;
  if (computedM2 < rules.plotMinM2) {
    return {
      issue: {
        code: ErrorCode.PlotTooSmall,
        path: 'geometry',
        message: `The plot measures ${Math.round(computedM2)} m²; the minimum is ${rules.plotMinM2} m².`,
        areaM2: Math.round(computedM2),
      },
      flags: [],
    };
  }
  if (computedM2 > rules.plotMaxM2) {
    return {
      issue: {
        code: ErrorCode.PlotTooLarge,
        path: 'geometry',
        message: `The plot measures ${Math.round(computedM2)} m²; the maximum is 20 ha.`,
        areaM2: Math.round(computedM2),
      },
      flags: [],
    };
  }
  const flags: PlotFlag[] = [];
  if (computedM2 > rules.plotFlagAboveM2) flags.push('LARGE_PLOT');
  if (declaredM2 !== null && areaMismatch(computedM2, declaredM2)) flags.push('AREA_MISMATCH');
  return { issue: null, flags };
}

/** Declared area differs from the computed one by more than 20 % of the computed. */
export function areaMismatch(computedM2: number, declaredM2: number): boolean {
  return Math.abs(declaredM2 - computedM2) > GeometryRules.areaMismatchShare * computedM2;
}

export function checkZoneArea(computedM2: number): GeometryIssue | null {
  const rules = GeometryRules;
  if (computedM2 < rules.zoneMinM2) {
    return {
      code: ErrorCode.ZoneTooSmall,
      path: 'geometry',
      message: `The zone measures ${Math.round(computedM2)} m²; the minimum is 1 ha.`,
      areaM2: Math.round(computedM2),
    };
  }
  if (computedM2 > rules.zoneMaxM2) {
    return {
      code: ErrorCode.ZoneTooLarge,
      path: 'geometry',
      message: `The zone measures ${Math.round(computedM2 / 10_000)} ha; the maximum is 50,000 ha.`,
      areaM2: Math.round(computedM2),
    };
  }
  return null;
}
