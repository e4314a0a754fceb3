import {
  FarmingSystem,
  GeometryRules,
  ID_NUMBER_PATTERN,
  overlapShare,
  PlotImportField,
  type ImportFieldError,
  type RowVerdict,
} from '@huuco/domain';
import type { Polygon, Position } from 'geojson';
import RBush from 'rbush';
import type { EntityManager } from 'typeorm';
import {
  findFitIssues,
  measurePlot,
  type MeasuredPlot,
  type PlotCandidate,
} from '../plots/plot-geometry.guard.js';
import type { Crs } from './crs.js';
import { parseDate } from './household-rows.js';
import { toWgs84, type FileFeature } from './plot-file.js';
import { mapColumns, normalizeHeader } from './table-file.js';

/** Attribute names seen in surveyors' and cooperatives' files, as `normalizeHeader` leaves them. */
export const PLOT_PROPERTY_VARIANTS: Record<PlotImportField, readonly string[]> = {
  code: ['ma thua', 'mathua', 'ma lo', 'ma thua dat', 'code', 'plot code', 'so thua', 'name'],
  household: ['ma ho', 'maho', 'household', 'household code', 'cccd', 'so cccd', 'chu ho cccd'],
  zone: ['ma vung', 'mavung', 'zone', 'zone code', 'vung'],
  farmingSystem: ['he canh tac', 'he thong canh tac', 'canh tac', 'farming system', 'mo hinh'],
  declaredAreaM2: ['dien tich', 'dientich', 'dt', 'dien tich m2', 'area', 'area m2'],
  conversionStartedOn: ['ngay chuyen doi', 'bat dau chuyen doi', 'conversion started'],
};

/** Farming systems by the words files use for them. */
const FARMING_WORDS: Record<string, FarmingSystem> = {
  'lua huu co': 'organic_rice',
  'lua ruoi cay': 'rice_ruoi_cay',
  'lua ruoi': 'rice_ruoi_cay',
  'ao cua': 'crab_pond',
  'ao tom': 'shrimp_pond',
  'thuy san': 'seafood',
  rau: 'vegetables',
  khac: 'other',
};

export interface PlotContext {
  cooperativeId: string;
  /** This cooperative's household named by a code or an ID number. */
  household(reference: string): { id: string } | undefined;
  zone(code: string): { id: string } | undefined;
  /** A plot with this code, in any cooperative. */
  plot(code: string): ExistingPlot | undefined;
}

export interface ExistingPlot {
  id: string;
  code: string;
  cooperativeId: string;
  householdId: string;
  zoneId: string | null;
  geometry: Polygon;
  farmingSystem: string;
  declaredAreaM2: number | null;
  conversionStartedOn: string | null;
  retiredOn: string | null;
}

export interface PlotWrite {
  code: string;
  householdId: string;
  zoneId: string | null;
  geometry: Polygon;
  declaredAreaM2: number | null;
  farmingSystem: FarmingSystem;
  conversionStartedOn: string | null;
}

export interface CheckedPlot {
  number: number;
  verdict: RowVerdict;
  values: Record<string, unknown>;
  geometry: Polygon | null;
  errors: ImportFieldError[];
  plan:
    | { kind: 'create'; plot: PlotWrite }
    | { kind: 'revise'; plotId: string; changes: Partial<Omit<PlotWrite, 'code' | 'householdId'>> }
    | null;
}

const error = (code: string, field: string, message: string): ImportFieldError => ({
  code,
  field,
  message,
});

/** The properties a file's features carry, for the mapping. */
export function propertyNames(features: FileFeature[]): string[] {
  const names = new Set<string>();
  for (const feature of features.slice(0, 200))
    for (const key of Object.keys(feature.properties)) if (!key.startsWith('@')) names.add(key);
  return [...names];
}

export function guessPlotMapping(columns: string[]) {
  return mapColumns(columns, PLOT_PROPERTY_VARIANTS);
}

const text = (value: unknown) =>
  value === null || value === undefined ? '' : String(value).trim();

function farmingSystemOf(value: string): FarmingSystem | null {
  if (!value) return 'organic_rice';
  if ((FarmingSystem as readonly string[]).includes(value)) return value as FarmingSystem;
  return FARMING_WORDS[normalizeHeader(value)] ?? null;
}

const sameGeometry = (a: Polygon, b: Polygon) =>
  JSON.stringify(a.coordinates.map((r) => r.map(([x, y]) => [x!.toFixed(7), y!.toFixed(7)]))) ===
  JSON.stringify(b.coordinates.map((r) => r.map(([x, y]) => [x!.toFixed(7), y!.toFixed(7)])));

/**
 * Each feature against rule 1, the file's other features and the registry: a new plot, a new
 * revision of a plot of this cooperative with the same code, unchanged, or an error.
 */
interface Placed {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  number: number;
  /** The outer ring, flat [lng, lat, lng, lat, …]: a hundred thousand of them stay small. */
  ring: Float64Array;
}

/**
 * Checks a plot file a chunk at a time, so a large one is never all in memory: each chunk
 * against rule 1, the registry, and the chunks before it (their codes and, in an R-tree, the
 * outlines that will be written).
 */
export class PlotFileChecker {
  private readonly seen = new Map<string, number>();
  private readonly placed = new RBush<Placed>();

  constructor(
    private readonly crs: Crs,
    private readonly mapping: Record<string, string | null>,
  ) {}

  async check(
    manager: EntityManager,
    features: FileFeature[],
    context: PlotContext,
  ): Promise<CheckedPlot[]> {
    const { crs, mapping, seen } = this;
    const get = (feature: FileFeature, field: PlotImportField) =>
      mapping[field] ? feature.properties[mapping[field]!] : undefined;
    const rows: (CheckedPlot & {
      measured: { measured: MeasuredPlot; bounds: PlotCandidate['bounds'] } | null;
    })[] = [];
    for (const feature of features) {
      const errors: ImportFieldError[] = [];
      const code = text(get(feature, 'code')).toUpperCase();
      if (!code) errors.push(error('VALIDATION_FAILED', 'code', 'The plot’s code is missing.'));
      else if (!/^[A-Z0-9][A-Z0-9.-]{1,39}$/.test(code))
        errors.push(error('VALIDATION_FAILED', 'code', 'Letters, digits, dots and dashes, 2–40.'));
      const earlier = seen.get(code);
      if (code && earlier !== undefined)
        errors.push(error('IMPORT_ROW_DUPLICATE', 'code', `Feature ${earlier} has this code too.`));
      else if (code) seen.set(code, feature.number);

      const householdRef = text(get(feature, 'household'));
      const household = householdRef ? context.household(householdRef) : undefined;
      if (!householdRef)
        errors.push(
          error('VALIDATION_FAILED', 'household', 'Name the household: its code or ID number.'),
        );
      else if (!household)
        errors.push(
          error(
            'REFERENCE_NOT_FOUND',
            'household',
            `No household of this cooperative is ${householdRef}.`,
          ),
        );
      const zoneRef = text(get(feature, 'zone'));
      const zone = zoneRef ? context.zone(zoneRef) : undefined;
      if (zoneRef && !zone)
        errors.push(error('REFERENCE_NOT_FOUND', 'zone', `No zone has the code ${zoneRef}.`));
      const farmingSystem = farmingSystemOf(text(get(feature, 'farmingSystem')));
      if (!farmingSystem)
        errors.push(
          error('VALIDATION_FAILED', 'farmingSystem', `One of ${FarmingSystem.join(', ')}.`),
        );
      const declaredText = text(get(feature, 'declaredAreaM2')).replace(',', '.');
      const declaredAreaM2 = declaredText ? Number(declaredText) : null;
      if (declaredAreaM2 !== null && !(declaredAreaM2 > 0 && declaredAreaM2 <= 1_000_000))
        errors.push(error('VALIDATION_FAILED', 'declaredAreaM2', 'An area in m², above 0.'));
      const conversion = parseDate(text(get(feature, 'conversionStartedOn')) || null);
      if (conversion === 'invalid')
        errors.push(
          error('VALIDATION_FAILED', 'conversionStartedOn', 'A date written dd/mm/yyyy.'),
        );

      let geometry: Polygon | null = null;
      let measured = null;
      const wgs84 = feature.geometry ? toWgs84(feature.geometry, crs) : null;
      const single =
        wgs84?.type === 'MultiPolygon' && wgs84.coordinates.length === 1
          ? ({ type: 'Polygon', coordinates: wgs84.coordinates[0]! } as Polygon)
          : wgs84;
      if (!single || single.type !== 'Polygon')
        errors.push(error('GEOMETRY_INVALID', 'geometry', 'A plot is one polygon.'));
      else {
        geometry = single;
        const result = measurePlot(
          0,
          geometry,
          Number.isFinite(declaredAreaM2) ? declaredAreaM2 : null,
        );
        if ('code' in result) errors.push(error(result.code, 'geometry', result.message));
        else measured = result;
      }

      const existing = code ? context.plot(code) : undefined;
      if (existing && existing.cooperativeId !== context.cooperativeId)
        errors.push(
          error('PLOT_CODE_TAKEN', 'code', 'A plot of another cooperative has this code.'),
        );
      else if (existing?.retiredOn)
        errors.push(
          error('PLOT_RETIRED', 'code', `This plot was retired on ${existing.retiredOn}.`),
        );

      const write: PlotWrite = {
        code,
        householdId: household?.id ?? '',
        zoneId: zone?.id ?? null,
        geometry: geometry!,
        declaredAreaM2: Number.isFinite(declaredAreaM2) ? declaredAreaM2 : null,
        farmingSystem: farmingSystem ?? 'organic_rice',
        conversionStartedOn: conversion === 'invalid' ? null : conversion,
      };
      const values: Record<string, unknown> = {
        code,
        household: householdRef || null,
        householdId: household?.id ?? null,
        zone: zoneRef || null,
        zoneId: zone?.id ?? null,
        farmingSystem: write.farmingSystem,
        declaredAreaM2: write.declaredAreaM2,
        areaM2: measured?.measured.areaM2 ?? null,
        conversionStartedOn: write.conversionStartedOn,
      };
      let plan: CheckedPlot['plan'] = null;
      let verdict: RowVerdict = 'new';
      if (existing && household && existing.householdId !== household.id)
        errors.push(
          error(
            'VALIDATION_FAILED',
            'household',
            'The plot is registered to another household: a plot never changes hands by import.',
          ),
        );
      if (existing && !errors.length) {
        const changes: Partial<Omit<PlotWrite, 'code' | 'householdId'>> = {};
        if (!sameGeometry(existing.geometry, write.geometry)) changes.geometry = write.geometry;
        if (existing.zoneId !== write.zoneId) changes.zoneId = write.zoneId;
        if (existing.farmingSystem !== write.farmingSystem)
          changes.farmingSystem = write.farmingSystem;
        if (existing.declaredAreaM2 !== write.declaredAreaM2)
          changes.declaredAreaM2 = write.declaredAreaM2;
        if (existing.conversionStartedOn !== write.conversionStartedOn)
          changes.conversionStartedOn = write.conversionStartedOn;
        verdict = Object.keys(changes).length ? 'update' : 'unchanged';
        values['plotId'] = existing.id;
        values['changes'] = Object.keys(changes);
        plan = verdict === 'update' ? { kind: 'revise', plotId: existing.id, changes } : null;
      } else if (!errors.length) plan = { kind: 'create', plot: write };
      rows.push({ number: feature.number, verdict, values, geometry, errors, plan, measured });
    }

    // Overlaps with the registry and with each other, and inside their zone, for what would change.
    const fitting = rows.filter(
      (r) =>
        r.measured &&
        !r.errors.length &&
        (r.plan?.kind === 'create' ||
          r.plan?.changes.geometry ||
          r.plan?.changes.zoneId !== undefined),
    );
    const issues = await findFitIssues(
      manager,
      fitting.map((r) => ({
        id: (r.values['plotId'] as string | undefined) ?? null,
        code: r.values['code'] as string,
        geometry: r.geometry!,
        bounds: r.measured!.bounds,
        zoneId: (r.values['zoneId'] as string | null) ?? null,
      })),
    );
    for (const issue of issues)
      fitting[issue.index]!.errors.push(
        error(issue.code, issue.path === 'zoneId' ? 'zone' : issue.path, issue.message),
      );
    // Overlaps with the outlines of earlier chunks, which the registry does not hold yet.
    for (const row of fitting) {
      if (row.errors.length) continue;
      const [minX, minY, maxX, maxY] = row.measured!.bounds;
      for (const other of this.placed.search({ minX, minY, maxX, maxY })) {
        const share = overlapShare(row.geometry!, polygonOf(other.ring));
        if (share > GeometryRules.maxOverlapShare)
          row.errors.push(
            error(
              'PLOT_OVERLAPS',
              'geometry',
              `Overlaps feature ${other.number} by ${Math.round(share * 1000) / 10} % of the smaller plot; at most 5 % is allowed.`,
            ),
          );
      }
    }
    for (const row of fitting)
      if (!row.errors.length) {
        const [minX, minY, maxX, maxY] = row.measured!.bounds;
        this.placed.insert({
          minX,
          minY,
          maxX,
          maxY,
          number: row.number,
          ring: Float64Array.from(row.geometry!.coordinates[0]!.flat()),
        });
      }
    return rows.map(({ measured: _measured, ...row }) =>
      row.errors.length ? { ...row, verdict: 'error', plan: null } : row,
    );
  }
}

function polygonOf(ring: Float64Array): Polygon {
  const positions: Position[] = [];
  for (let i = 0; i < ring.length; i += 2) positions.push([ring[i]!, ring[i + 1]!]);
  return { type: 'Polygon', coordinates: [positions] };
}

/** A household named by its code (mã hộ) or its head's ID number. */
export function isIdNumber(reference: string): boolean {
  return ID_NUMBER_PATTERN.test(reference);
}
