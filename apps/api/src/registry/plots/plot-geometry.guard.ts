import {
  areaM2,
  bboxOf,
  checkOutline,
  checkPlotArea,
  GeometryRules,
  overlapShare,
  shareInside,
  type Bbox,
  type ErrorCode,
  type FieldError,
  type PlotFlag,
} from '@huuco/domain';
import Flatbush from 'flatbush';
import type { Polygon } from 'geojson';
import type { EntityManager } from 'typeorm';
import { toBox } from '../../platform/database/columns.js';
import { plotRepository } from './plot.repository.js';

export interface MeasuredPlot {
  areaM2: number;
  bbox: string;
  flags: PlotFlag[];
}

/** A rule-1 failure of one plot in a batch; `path` is relative to that plot. */
export interface PlotIssue extends FieldError {
  index: number;
  code: ErrorCode;
}

export interface PlotCandidate {
  /** The plot's id when it is being edited, so it does not overlap itself. */
  id: string | null;
  code: string;
  geometry: Polygon;
  bounds: Bbox;
  zoneId: string | null;
}

/** Rule 1 on the outline alone: structure, position, self-intersection, size, declared area. */
export function measurePlot(
  index: number,
  geometry: Polygon,
  declaredAreaM2: number | null,
): { measured: MeasuredPlot; bounds: Bbox } | PlotIssue {
  const outlineIssue = checkOutline(geometry);
  if (outlineIssue) return toIssue(index, outlineIssue);
  const area = areaM2(geometry);
  const { issue, flags } = checkPlotArea(area, declaredAreaM2);
  if (issue) return toIssue(index, issue);
  const bounds = bboxOf(geometry);
  return { measured: { areaM2: Math.round(area * 100) / 100, bbox: toBox(bounds), flags }, bounds };
}

function toIssue(
  index: number,
  issue: { code: ErrorCode; path: string; message: string },
): PlotIssue {
  const { code, path, message, ...details } = issue;
  return {
    index,
    code,
    path: path === 'geometry' ? 'geometry' : `geometry.${path}`,
    message,
    ...details,
  };
}

/**
 * Rule 1 against zones and neighbours for a batch: each plot ≥ 95 % inside its zone, and no
 * two plots — stored or in the batch — overlapping by more than 5 % of the smaller.
 */
export async function findFitIssues(
  manager: EntityManager,
  candidates: PlotCandidate[],
): Promise<PlotIssue[]> {
  const issues: PlotIssue[] = [];
  const zoneIds = [
    ...new Set(candidates.map((c) => c.zoneId).filter((id): id is string => id !== null)),
  ];
  const zones = await plotRepository.zones(manager, zoneIds);
  for (const [index, candidate] of candidates.entries()) {
    if (candidate.zoneId === null) continue;
    const zone = zones.find((z) => z.id === candidate.zoneId);
    if (!zone) {
      issues.push({
        index,
        code: 'REFERENCE_NOT_FOUND',
        path: 'zoneId',
        message: 'No zone with this id.',
      });
      continue;
    }
    const inside = shareInside(candidate.geometry, zone.geometry);
    if (inside < GeometryRules.minShareInsideZone) {
      issues.push({
        index,
        code: 'PLOT_OUTSIDE_ZONE',
        path: 'geometry',
        message: `Only ${Math.round(inside * 1000) / 10} % of the plot lies inside zone ${zone.code}; at least 95 % must.`,
        zoneId: zone.id,
        shareInside: Math.round(inside * 10_000) / 10_000,
      });
    }
  }

  const stored = await plotRepository.neighbours(manager, candidates);
  const overlaps = new Map<number, { id: string | null; code: string; share: number }[]>();
  const note = (index: number, other: { id: string | null; code: string }, share: number) => {
    overlaps.set(index, [...(overlaps.get(index) ?? []), { ...other, share }]);
  };
  for (const row of stored) {
    const index = row.i - 1;
    const share = overlapShare(candidates[index]!.geometry, row.geometry);
    if (share > GeometryRules.maxOverlapShare) note(index, row, share);
  }
  if (candidates.length > 1) {
    const tree = new Flatbush(candidates.length);
    for (const c of candidates) tree.add(...c.bounds);
    tree.finish();
    for (const [i, a] of candidates.entries()) {
      for (const j of tree.search(...a.bounds)) {
        if (j <= i) continue;
        const b = candidates[j]!;
        const share = overlapShare(a.geometry, b.geometry);
        if (share > GeometryRules.maxOverlapShare)
          note(j, { id: null, code: b.code === a.code ? `#${i}` : a.code }, share);
      }
    }
  }
  for (const [index, others] of overlaps) {
    // The worst overlap first: it is the one the message names.
    others.sort((a, b) => b.share - a.share);
    issues.push(
      ...others.map((other) => ({
        index,
        code: 'PLOT_OVERLAPS' as const,
        path: 'geometry',
        message: `Overlaps plot ${other.code} by ${Math.round(other.share * 1000) / 10} % of the smaller plot; at most 5 % is allowed.`,
        plotId: other.id,
        plotCode: other.code,
        share: Math.round(other.share * 10_000) / 10_000,
      })),
    );
  }
  return issues.sort((a, b) => a.index - b.index);
}
