import {
  areaM2,
  bboxOf,
  checkOutline,
  checkPlotArea,
  overlapShare,
  shareInside,
} from '@huuco/domain';
import { describe, expect, it } from 'vitest';
import { buildDemoData } from './demo-data.js';

describe('demo data', () => {
  const data = buildDemoData();

  it('is deterministic: the same seed gives the same data', () => {
    expect(JSON.stringify(buildDemoData())).toBe(JSON.stringify(data));
    expect(JSON.stringify(buildDemoData(7))).not.toBe(JSON.stringify(data));
  });

  it('has Tứ Kỳ’s 300+ households and 1,000+ plots around An Thanh and Quang Trung', () => {
    const tuKy = new Set(data.zones.map((z) => z.id));
    const plots = data.plots.filter((p) => p.zoneId && tuKy.has(p.zoneId));
    expect(plots.length).toBeGreaterThanOrEqual(1_000);
    expect(new Set(plots.map((p) => p.householdId)).size).toBeGreaterThanOrEqual(300);
    for (const plot of plots) {
      const [minLng, minLat, maxLng, maxLat] = bboxOf(plot.geometry);
      expect(minLat).toBeGreaterThanOrEqual(20.72);
      expect(maxLat).toBeLessThanOrEqual(20.91);
      expect(minLng).toBeGreaterThanOrEqual(106.31);
      expect(maxLng).toBeLessThanOrEqual(106.5);
    }
  });

  it('obeys every geometry rule the API enforces', () => {
    for (const plot of data.plots) {
      expect(checkOutline(plot.geometry), plot.code).toBeNull();
      expect(checkPlotArea(areaM2(plot.geometry), plot.declaredAreaM2).issue, plot.code).toBeNull();
      const zone = data.zones.find((z) => z.id === plot.zoneId);
      if (zone)
        expect(shareInside(plot.geometry, zone.geometry), plot.code).toBeGreaterThanOrEqual(0.95);
    }
    const sample = data.plots.slice(0, 120);
    for (const [i, a] of sample.entries()) {
      for (const b of sample.slice(i + 1))
        expect(overlapShare(a.geometry, b.geometry)).toBeLessThanOrEqual(0.05);
    }
  });

  it('has a certified zone, a zone in conversion, and an inactive cooperative in Thới Bình', () => {
    expect(data.zones.map((z) => z.status).sort()).toEqual(['certified', 'in_conversion']);
    expect(data.cooperatives.filter((c) => c.status === 'inactive').map((c) => c.name)).toEqual([
      'HTX Thủy sản Tân Lộc',
    ]);
  });
});
