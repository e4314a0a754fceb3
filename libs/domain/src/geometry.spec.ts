import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  areaM2,
  areaMismatch,
  checkOutline,
  checkPlotArea,
  checkZoneArea,
  overlapShare,
  shareInside,
} from './geometry.js';

const square = (lng: number, lat: number, size: number): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [lng, lat],
      [lng + size, lat],
      [lng + size, lat + size],
      [lng, lat + size],
      [lng, lat],
    ],
  ],
});

describe('checkOutline', () => {
  it('accepts a closed ring inside Vietnam', () => {
    expect(checkOutline(square(106.4, 20.8, 0.001))).toBeNull();
  });

  it('names an open ring, with the ring’s path', () => {
    const open: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [106.4, 20.8],
          [106.41, 20.8],
          [106.41, 20.81],
          [106.4, 20.81],
        ],
      ],
    };
    expect(checkOutline(open)).toMatchObject({
      code: 'GEOMETRY_RING_NOT_CLOSED',
      path: 'coordinates.0',
    });
  });

  it('tells swapped coordinates from a place abroad', () => {
    const swapped: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [20.8, 106.4],
          [20.8, 106.41],
          [20.81, 106.41],
          [20.8, 106.4],
        ],
      ],
    };
    expect(checkOutline(swapped)?.code).toBe('GEOMETRY_COORDINATES_SWAPPED');
    expect(checkOutline(square(100.5, 13.7, 0.01))?.code).toBe('GEOMETRY_OUTSIDE_VIETNAM');
  });

  it('finds a bow-tie', () => {
    const bowTie: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [106.4, 20.8],
          [106.41, 20.81],
          [106.41, 20.8],
          [106.4, 20.81],
          [106.4, 20.8],
        ],
      ],
    };
    expect(checkOutline(bowTie)?.code).toBe('GEOMETRY_SELF_INTERSECTION');
  });

  it('checks every polygon of a MultiPolygon', () => {
    const open = [
      [
        [106.4, 20.8],
        [106.41, 20.8],
        [106.41, 20.81],
        [106.4, 20.81],
      ],
    ];
    const result = checkOutline({
      type: 'MultiPolygon',
      coordinates: [square(106.3, 20.7, 0.01).coordinates, open],
    });
    expect(result).toMatchObject({ code: 'GEOMETRY_RING_NOT_CLOSED', path: 'coordinates.1.0' });
  });
});

describe('area', () => {
  it('is geodesic: a degree square shrinks with latitude', () => {
    expect(areaM2(square(106, 21, 0.01))).toBeLessThan(areaM2(square(106, 9, 0.01)));
  });

  it('puts plot sizes in the 30 m² – 20 ha window and flags above 1 ha', () => {
    expect(checkPlotArea(20, null).issue?.code).toBe('PLOT_TOO_SMALL');
    expect(checkPlotArea(200_001, null).issue?.code).toBe('PLOT_TOO_LARGE');
    expect(checkPlotArea(15_000, null)).toEqual({ issue: null, flags: ['LARGE_PLOT'] });
    expect(checkPlotArea(1_000, 1_150)).toEqual({ issue: null, flags: [] });
    expect(checkPlotArea(1_000, 1_250).flags).toEqual(['AREA_MISMATCH']);
  });

  it('flags a declared area more than 20 % away on either side', () => {
    expect(areaMismatch(1_000, 790)).toBe(true);
    expect(areaMismatch(1_000, 810)).toBe(false);
  });

  it('keeps zones between 1 ha and 50,000 ha', () => {
    expect(checkZoneArea(9_999)?.code).toBe('ZONE_TOO_SMALL');
    expect(checkZoneArea(500_000_001)?.code).toBe('ZONE_TOO_LARGE');
    expect(checkZoneArea(700_000)).toBeNull();
  });
});

describe('overlap and containment', () => {
  it('measures overlap as a share of the smaller plot', () => {
    const big = square(106.4, 20.8, 0.002);
    const small = square(106.4, 20.8, 0.001);
    expect(overlapShare(big, small)).toBeCloseTo(1, 3);
    const neighbour = square(106.401, 20.8, 0.001);
    expect(overlapShare(small, neighbour)).toBeCloseTo(0, 5);
  });

  it('measures how much of a plot lies inside its zone', () => {
    const zone = square(106.4, 20.8, 0.01);
    expect(shareInside(square(106.401, 20.801, 0.001), zone)).toBeCloseTo(1, 5);
    expect(shareInside(square(106.4095, 20.801, 0.001), zone)).toBeCloseTo(0.5, 2);
  });
});

describe('area on the ellipsoid', () => {
  // A district-sized outline (277 km²) in Tứ Kỳ's place. Its area as GDAL 3.6 computes it on
  // the WGS 84 ellipsoid (SpatiaLite's ST_Area(geometry, 1)): 276,769,216.85 m², and in a
  // Lambert azimuthal equal-area projection centred on it (PROJ): 276,768,329.31 m².
  // Tứ Kỳ's real outline (GADM's, 1,125 vertices) is not committed: its licence forbids
  // redistribution. Measured once by hand on 2026-12-02: GDAL 172,708,627.12 m², areaM2
  // 172,708,620.38 m² (4 × 10⁻⁸ apart), a sphere 0.28 % above.
  const district: Polygon = {
    type: 'Polygon',
    coordinates: [
      [
        [106.3312, 20.8905],
        [106.362, 20.9012],
        [106.4015, 20.8968],
        [106.438, 20.8851],
        [106.4702, 20.8703],
        [106.4935, 20.842],
        [106.5012, 20.8061],
        [106.4877, 20.7702],
        [106.4601, 20.7433],
        [106.4198, 20.7301],
        [106.3802, 20.7355],
        [106.348, 20.7551],
        [106.3265, 20.7832],
        [106.3188, 20.819],
        [106.3204, 20.8566],
        [106.3312, 20.8905],
      ],
    ],
  };
  const GDAL_GEODESIC_M2 = 276_769_216.85;

  it('is within 0.05 % of GDAL’s ellipsoidal area for a district (a sphere is 0.28 % off)', () => {
    expect(Math.abs(areaM2(district) / GDAL_GEODESIC_M2 - 1)).toBeLessThan(0.0005);
  });

  it('takes holes out, and counts each part of a multipolygon, whichever way rings run', () => {
    const outer = [
      [106.4, 20.8],
      [106.41, 20.8],
      [106.41, 20.81],
      [106.4, 20.81],
      [106.4, 20.8],
    ];
    const hole = [
      [106.402, 20.802],
      [106.402, 20.804],
      [106.404, 20.804],
      [106.404, 20.802],
      [106.402, 20.802],
    ];
    const whole = areaM2({ type: 'Polygon', coordinates: [outer] });
    const holed = areaM2({ type: 'Polygon', coordinates: [outer, hole] });
    const reversed = areaM2({ type: 'Polygon', coordinates: [[...outer].reverse()] });
    expect(reversed).toBeCloseTo(whole, 3);
    expect(whole - holed).toBeCloseTo(areaM2({ type: 'Polygon', coordinates: [hole] }), 3);
    expect(areaM2({ type: 'MultiPolygon', coordinates: [[outer], [hole]] })).toBeCloseTo(
      whole + (whole - holed),
      3,
    );
  });
});
