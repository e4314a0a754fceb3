import type { Bbox, IsoDate, Page, PlotListQuery } from '@huuco/domain';
import { randomUUID } from 'node:crypto';
import type { Polygon } from 'geojson';
import { In, type EntityManager } from 'typeorm';
import type { Actor } from '../../access/auth/actor.js';
import { SCOPED, scopeSql, scopeWhere } from '../../access/auth/record-scope.js';
import { crossShard } from '../../platform/database/distribution.js';
import { escapeLike } from '../../platform/database/like.js';
import { pageFrom } from '../../platform/http/pagination.js';
import { Certification } from '../certifications/certification.entity.js';
import { Cooperative } from '../cooperatives/cooperative.entity.js';
import type { Household } from '../households/household.entity.js';
import { householdRepository } from '../households/household.repository.js';
import { Zone } from '../zones/zone.entity.js';
import { Plot, PlotRevision } from './plot.entity.js';

const SORT_COLUMNS = { code: 'p.code', area: 'p.area_m2', createdAt: 'p.created_at' } as const;
const COMMUNE_FILTER =
  'cooperative_id IN (SELECT fc.id FROM cooperatives fc WHERE fc.commune_id = ?)';

/** Plots written together in one statement. */
const PLOTS_PER_INSERT = 2_500;

/** A new plot as the checks measured it, before the registry gives it an id. */
export type NewPlotRow = Pick<
  Plot,
  | 'code'
  | 'householdId'
  | 'cooperativeId'
  | 'geometry'
  | 'bbox'
  | 'areaM2'
  | 'flags'
  | 'farmingSystem'
> &
  Partial<Pick<Plot, 'zoneId' | 'declaredAreaM2' | 'conversionStartedOn'>>;

/** The map's filters, shared by its features and its clusters. */
export interface MapFilter {
  zoneId?: string | undefined;
  cooperativeId?: string | undefined;
  householdId?: string | undefined;
  communeId?: string | undefined;
  farmingSystem?: string | undefined;
}

export interface MapFeatureRow {
  id: string;
  zone_id: string | null;
  conversion_started_on: string | null;
  /** The feature's GeoJSON text up to its status, which only the domain rules can tell. */
  head: string;
}

function plotInScope(manager: EntityManager, actor: Actor, id: string) {
  const [scope, values] = scopeWhere(actor, SCOPED.plots, 'p');
  return manager
    .getRepository(Plot)
    .createQueryBuilder('p')
    .where('p.id = :id', { id })
    .andWhere(scope, values);
}

/** Plots' SQL, all of it: plots, their revisions, the facts rule 1 and rule 2 read. */
export const plotRepository = {
  /** The plot with this id, if the actor sees it. */
  find(manager: EntityManager, actor: Actor, id: string): Promise<Plot | null> {
    return plotInScope(manager, actor, id).getOne();
  },

  statusFacts(manager: EntityManager, actor: Actor, id: string): Promise<Plot | null> {
    return plotInScope(manager, actor, id)
      .select(['p.id', 'p.zoneId', 'p.conversionStartedOn', 'p.cooperativeId'])
      .getOne();
  },

  /** The plot with this id, if the actor sees it, locked for the rest of the transaction. */
  lock(manager: EntityManager, actor: Actor, id: string): Promise<Plot | null> {
    return plotInScope(manager, actor, id).setLock('pessimistic_write').getOne();
  },

  /** A plot written with its revision: inserted or saved, the revision is kept forever. */
  async save(manager: EntityManager, plot: Partial<Plot>): Promise<Plot> {
    const repo = manager.getRepository(Plot);
    const saved = await repo.save(repo.create(plot));
    await plotRepository.recordRevisions(manager, [saved]);
    return saved;
  },

  /**
   * New plots and their first revisions, a few thousand per statement: one round trip and one
   * JSON parameter per chunk, where row-by-row parameters cost the driver and the query builder
   * more than the database spends writing them.
   */
  async insertMany(manager: EntityManager, rows: NewPlotRow[]): Promise<Plot[]> {
    const plots = rows.map((row) => ({ ...row, id: randomUUID(), revision: 1 }));
    for (let start = 0; start < plots.length; start += PLOTS_PER_INSERT) {
      const chunk = plots.slice(start, start + PLOTS_PER_INSERT).map((p) => ({
        id: p.id,
        code: p.code,
        household_id: p.householdId,
        cooperative_id: p.cooperativeId,
        zone_id: p.zoneId ?? null,
        geometry: p.geometry,
        bbox: p.bbox,
        area_m2: p.areaM2,
        declared_area_m2: p.declaredAreaM2 ?? null,
        flags: p.flags,
        farming_system: p.farmingSystem,
        conversion_started_on: p.conversionStartedOn ?? null,
      }));
      await manager.query(
        `WITH inserted AS (
           INSERT INTO plots (id, code, household_id, cooperative_id, zone_id, geometry, bbox, area_m2,
                              declared_area_m2, flags, farming_system, conversion_started_on, revision)
           SELECT r.id, r.code, r.household_id, r.cooperative_id, r.zone_id, r.geometry, r.bbox::box,
                  r.area_m2, r.declared_area_m2, r.flags, r.farming_system, r.conversion_started_on, 1
             FROM json_to_recordset($1::json) AS r(id uuid, code varchar, household_id uuid,
                  cooperative_id uuid, zone_id uuid, geometry json, bbox text, area_m2 numeric,
                  declared_area_m2 numeric, flags text[], farming_system varchar, conversion_started_on date)
           RETURNING id, revision, geometry, area_m2, zone_id, farming_system, conversion_started_on,
                     declared_area_m2)
         INSERT INTO plot_revisions (plot_id, revision, geometry, area_m2, zone_id, farming_system,
                                     conversion_started_on, declared_area_m2)
         SELECT id, revision, geometry::jsonb, area_m2, zone_id, farming_system, conversion_started_on,
                declared_area_m2
           FROM inserted`,
        [JSON.stringify(chunk)],
      );
    }
    // Thousands of new plots: later statements of this transaction (the next chunk's overlap
    // query) are planned for the table as it now is, not as it was (an index, not a scan).
    if (rows.length >= 1_000) await manager.query('ANALYZE plots');
    return plots as unknown as Plot[];
  },

  async recordRevisions(manager: EntityManager, plots: Plot[]): Promise<void> {
    for (let start = 0; start < plots.length; start += 500) {
      await manager.getRepository(PlotRevision).insert(
        plots.slice(start, start + 500).map((plot) => ({
          plotId: plot.id,
          revision: plot.revision,
          geometry: plot.geometry,
          areaM2: plot.areaM2,
          zoneId: plot.zoneId,
          farmingSystem: plot.farmingSystem,
          conversionStartedOn: plot.conversionStartedOn,
          declaredAreaM2: plot.declaredAreaM2,
          retiredOn: plot.retiredOn ?? null,
          retiredReason: plot.retiredReason ?? null,
        })),
      );
    }
  },

  revisions(manager: EntityManager, plotId: string): Promise<PlotRevision[]> {
    return manager
      .getRepository(PlotRevision)
      .find({ where: { plotId }, order: { revision: 'ASC' } });
  },

  /** The household with this id, if the actor sees it. */
  household(manager: EntityManager, actor: Actor, id: string): Promise<Household | null> {
    return householdRepository.find(manager, actor, id);
  },

  cooperative(manager: EntityManager, id: string): Promise<Cooperative | null> {
    return manager.getRepository(Cooperative).findOneBy({ id });
  },

  /** Households with their cooperative's status, for an import's checks. */
  householdsWithStatus(
    manager: EntityManager,
    ids: string[],
  ): Promise<{ id: string; cooperative_id: string; status: string }[]> {
    return manager.query(
      `SELECT h.id, h.cooperative_id, c.status FROM households h JOIN cooperatives c ON c.id = h.cooperative_id
        WHERE h.id = ANY($1::uuid[])`,
      [ids],
    );
  },

  async takenCodes(manager: EntityManager, codes: string[]): Promise<Set<string>> {
    const rows = await manager.query<{ code: string }[]>(
      'SELECT code FROM plots WHERE code = ANY($1)',
      [codes],
    );
    return new Set(rows.map((row) => row.code));
  },

  page<D>(
    manager: EntityManager,
    actor: Actor,
    query: PlotListQuery,
    toDtos: (rows: Plot[]) => Promise<D[]>,
  ): Promise<Page<D>> {
    const qb = manager.getRepository(Plot).createQueryBuilder('p');
    qb.where(...scopeWhere(actor, SCOPED.plots, 'p'));
    if (query.zoneId) qb.andWhere('p.zone_id = :zoneId', { zoneId: query.zoneId });
    if (query.householdId)
      qb.andWhere('p.household_id = :householdId', { householdId: query.householdId });
    if (query.cooperativeId)
      qb.andWhere('p.cooperative_id = :cooperativeId', { cooperativeId: query.cooperativeId });
    if (query.communeId) {
      qb.andWhere(
        'p.cooperative_id IN (SELECT fc.id FROM cooperatives fc WHERE fc.commune_id = :communeId)',
        { communeId: query.communeId },
      );
    }
    if (query.farmingSystem) qb.andWhere('p.farming_system = :fs', { fs: query.farmingSystem });
    if (query.flagged === 'true') qb.andWhere("p.flags <> '{}'");
    if (query.flagged === 'false') qb.andWhere("p.flags = '{}'");
    if (query.retired === 'true') qb.andWhere('p.retired_on IS NOT NULL');
    if (query.retired === 'false') qb.andWhere('p.retired_on IS NULL');
    if (query.q) qb.andWhere('p.code ILIKE :q', { q: `%${escapeLike(query.q)}%` });
    return pageFrom(qb, { sortColumn: SORT_COLUMNS[query.sort], idColumn: 'p.id' }, query, toDtos);
  },

  /**
   * The map's query: plots whose bounding box meets the viewport, through the GiST index,
   * serialised straight from the stored GeoJSON text.
   */
  mapFeatures(
    manager: EntityManager,
    actor: Actor,
    bbox: Bbox,
    filter: MapFilter,
    limit: number,
  ): Promise<MapFeatureRow[]> {
    const params: unknown[] = [...bbox, limit];
    const where = mapFilters(actor, filter, params);
    return manager.query<MapFeatureRow[]>(
      `SELECT id, zone_id, conversion_started_on,
              '{"type":"Feature","id":"' || id || '","geometry":' || geometry::text ||
              ',"properties":{"code":' || to_json(code)::text ||
              ',"zoneId":' || COALESCE('"' || zone_id || '"', 'null') ||
              ',"farmingSystem":"' || farming_system || '","areaM2":' || area_m2 ||
              ',"flags":' || array_to_json(flags)::text || ',"isDemo":' || is_demo || ',"status":"' AS head
         FROM plots
        WHERE bbox && box(point($1, $2), point($3, $4))${where}
        LIMIT $5`,
      params,
    );
  },

  /** Plots counted on a grid of `cell` degrees. */
  mapClusters(
    manager: EntityManager,
    actor: Actor,
    bbox: Bbox,
    filter: MapFilter,
    cell: number,
  ): Promise<{ n: number; lng: number; lat: number; area: string }[]> {
    const params: unknown[] = [...bbox, cell];
    const where = mapFilters(actor, filter, params);
    return manager.query(
      `SELECT count(*) AS n, avg((center(bbox))[0]) AS lng, avg((center(bbox))[1]) AS lat, sum(area_m2) AS area
         FROM plots
        WHERE bbox && box(point($1, $2), point($3, $4))${where}
        GROUP BY floor((center(bbox))[0] / $5), floor((center(bbox))[1] / $5)`,
      params,
    );
  },

  /** Serialises plot geometry writes so two overlapping plots cannot both pass the check. */
  async lockGeometry(manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(7236102)');
  },

  zones(manager: EntityManager, ids: string[]): Promise<Zone[]> {
    return ids.length ? manager.getRepository(Zone).findBy({ id: In(ids) }) : Promise.resolve([]);
  },

  /** Stored plots whose bounding box meets each candidate's (`i` counts candidates from 1). */
  neighbours(
    manager: EntityManager,
    candidates: { id: string | null; bounds: Bbox }[],
  ): Promise<{ i: number; id: string; code: string; geometry: Polygon }[]> {
    return manager.query(
      `${crossShard('a plot may not overlap any cooperative’s plot')}
       SELECT x.i::int AS i, p.id, p.code, p.geometry
         FROM unnest($1::float8[], $2::float8[], $3::float8[], $4::float8[]) WITH ORDINALITY AS x(min_lng, min_lat, max_lng, max_lat, i)
         JOIN plots p ON p.bbox && box(point(x.min_lng, x.min_lat), point(x.max_lng, x.max_lat))
        WHERE NOT (p.id = ANY($5::uuid[])) AND p.retired_on IS NULL`,
      [
        ...[0, 1, 2, 3].map((k) => candidates.map((c) => c.bounds[k])),
        candidates.map((c) => c.id).filter((id): id is string => id !== null),
      ],
    );
  },

  /** The facts of rule 2 besides the dated histories: zones, their certificates, findings. */
  statusZones(manager: EntityManager, ids: string[]): Promise<Zone[]> {
    return ids.length
      ? manager.getRepository(Zone).find({
          where: { id: In(ids) },
          select: { id: true, kind: true, status: true, initialStatus: true },
        })
      : Promise.resolve([]);
  },

  certificates(manager: EntityManager, zoneIds: string[]): Promise<Certification[]> {
    return zoneIds.length
      ? manager.getRepository(Certification).findBy({ zoneId: In(zoneIds) })
      : Promise.resolve([]);
  },

  certificatePlots(
    manager: EntityManager,
    certificationIds: string[],
    plotIds: string[],
  ): Promise<{ certification_id: string; plot_id: string }[]> {
    return certificationIds.length
      ? manager.query(
          'SELECT certification_id, plot_id FROM certification_plots WHERE certification_id = ANY($1) AND plot_id = ANY($2)',
          [certificationIds, plotIds],
        )
      : Promise.resolve([]);
  },

  /** The day of the plot's latest harvest, if any. */
  async lastHarvestOn(manager: EntityManager, plotId: string): Promise<string | null> {
    const [row] = await manager.query<{ on: string | null }[]>(
      `SELECT to_char(max(harvested_on), 'YYYY-MM-DD') AS "on" FROM harvests WHERE plot_id = $1`,
      [plotId],
    );
    return row?.on ?? null;
  },

  /** Plots with a major non-compliance open on that date. */
  async openMajorFindings(
    manager: EntityManager,
    plotIds: string[],
    on: IsoDate,
  ): Promise<Set<string>> {
    const rows = await manager.query<{ plot_id: string }[]>(
      `SELECT DISTINCT plot_id FROM non_compliances
        WHERE plot_id = ANY($1::uuid[]) AND severity = 'major' AND opened_on <= $2
          AND (closed_on IS NULL OR closed_on > $2)`,
      [plotIds, on],
    );
    return new Set(rows.map((row) => row.plot_id));
  },
};

/** Today's map: the plots still farmed, in the actor's scope, filtered. */
function mapFilters(actor: Actor, query: MapFilter, params: unknown[]): string {
  const filters: string[] = [scopeSql(actor, SCOPED.plots, 'plots', params), 'retired_on IS NULL'];
  const filter = (sql: string, value: unknown) => {
    params.push(value);
    filters.push(sql.replace('?', `$${params.length}`));
  };
  if (query.zoneId) filter('zone_id = ?', query.zoneId);
  if (query.cooperativeId) filter('cooperative_id = ?', query.cooperativeId);
  if (query.householdId) filter('household_id = ?', query.householdId);
  if (query.communeId) filter(COMMUNE_FILTER, query.communeId);
  if (query.farmingSystem) filter('farming_system = ?', query.farmingSystem);
  return filters.map((f) => ` AND ${f}`).join('');
}
