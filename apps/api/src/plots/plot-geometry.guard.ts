import {
  areaM2,
  bboxOf,
  checkPlotArea,
  GeometryRules,
  overlapShare,
  shareInside,
  type PlotFlag,
} from '@huuco/domain';
import type { Polygon } from 'geojson';
import type { EntityManager } from 'typeorm';
import { DomainError, referenceNotFound } from '../common/domain-error.js';
import { assertOutline, throwGeometryIssue } from '../common/geometry-checks.js';
import { toBox } from '../database/columns.js';
import { Zone } from '../zones/zone.entity.js';

export interface MeasuredPlot {
  areaM2: number;
  bbox: string;
  flags: PlotFlag[];
}

/** Rule 1 on the outline alone: structure, position, self-intersection, size, declared area. */
export function measurePlot(geometry: Polygon, declaredAreaM2: number | null): MeasuredPlot {
  assertOutline(geometry);
  const area = areaM2(geometry);
  const { issue, flags } = checkPlotArea(area, declaredAreaM2);
  if (issue) throwGeometryIssue(issue);
  return { areaM2: Math.round(area * 100) / 100, bbox: toBox(bboxOf(geometry)), flags };
}

/** Serialises plot geometry writes so two overlapping plots cannot both pass the check. */
export async function lockPlotGeometry(manager: EntityManager): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock(7236102)');
}

/** Rule 1 against neighbours and zone: ≤ 5 % overlap with any plot, ≥ 95 % inside the zone. */
export async function assertPlotFits(
  manager: EntityManager,
  plot: { id: string | null; geometry: Polygon; bbox: string; zoneId: string | null },
): Promise<void> {
  if (plot.zoneId !== null) {
    const zone = await manager.getRepository(Zone).findOneBy({ id: plot.zoneId });
    if (!zone) throw referenceNotFound('zoneId', 'Zone');
    const inside = shareInside(plot.geometry, zone.geometry);
    if (inside < GeometryRules.minShareInsideZone) {
      const percent = Math.round(inside * 1000) / 10;
      const message = `Only ${percent} % of the plot lies inside zone ${zone.code}; at least 95 % must.`;
      throw new DomainError('PLOT_OUTSIDE_ZONE', message, [
        {
          path: 'geometry',
          code: 'PLOT_OUTSIDE_ZONE',
          message,
          zoneId: zone.id,
          shareInside: inside,
        },
      ]);
    }
  }

  const neighbours = await manager.query<{ id: string; code: string; geometry: Polygon }[]>(
    `SELECT id, code, geometry FROM plots WHERE bbox && $1::box AND ($2::uuid IS NULL OR id <> $2::uuid)`,
    [plot.bbox, plot.id],
  );
  const overlaps = neighbours
    .map((n) => ({ ...n, share: overlapShare(plot.geometry, n.geometry) }))
    .filter((n) => n.share > GeometryRules.maxOverlapShare);
  if (overlaps.length > 0) {
    const first = overlaps[0]!;
    const message = `The plot overlaps plot ${first.code} by ${Math.round(first.share * 1000) / 10} % of the smaller one; at most 5 % is allowed.`;
    throw new DomainError(
      'PLOT_OVERLAPS',
      message,
      overlaps.map((n) => ({
        path: 'geometry',
        code: 'PLOT_OVERLAPS',
        message: `Overlaps plot ${n.code}.`,
        plotId: n.id,
        plotCode: n.code,
        share: Math.round(n.share * 10_000) / 10_000,
      })),
    );
  }
}
