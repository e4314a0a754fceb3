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
