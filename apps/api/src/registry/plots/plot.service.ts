import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  areaInUnits,
  todayIso,
  type CreatePlotDto,
  type ImportPlotsDto,
  type ImportPlotsResult,
  type PlotClusterDto,
  type PlotClusterQuery,
  type IsoDate,
  type OrganicStatusVerdict,
  type Page,
  type PlotDto,
  type PlotListQuery,
  type UpdatePlotDto,
} from '@huuco/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { escapeLike } from '../admin-units/admin-unit.service.js';
import { AuditService } from '../../access/audit/audit.service.js';
import type { Actor } from '../../access/auth/actor.js';
import {
  cooperativeWritable,
  recordInScope,
  SCOPED,
  scopeSql,
  scopeWhere,
} from '../../access/auth/record-scope.js';
import { DomainError, notFound, referenceNotFound } from '../../platform/http/domain-error.js';
import { pageFrom } from '../../platform/http/pagination.js';
import { AppConfig } from '../../platform/config/app-config.js';
import { Cooperative } from '../cooperatives/cooperative.entity.js';
import { Household } from '../households/household.entity.js';
import { OrganicStatusService } from './organic-status.service.js';
import {
  findFitIssues,
  lockPlotGeometry,
  measurePlot,
  type PlotIssue,
} from './plot-geometry.guard.js';
import { Plot, PlotRevision } from './plot.entity.js';
import { RegistryEvents } from '../../platform/events/registry-events.js';

const SORT_COLUMNS = { code: 'p.code', area: 'p.area_m2', createdAt: 'p.created_at' } as const;
const COMMUNE_FILTER =
  'cooperative_id IN (SELECT fc.id FROM cooperatives fc WHERE fc.commune_id = ?)';

@Injectable()
export class PlotService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly statuses: OrganicStatusService,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly registry: RegistryEvents,
  ) {}

  async create(actor: Actor, dto: CreatePlotDto): Promise<PlotDto> {
    const { measured, bounds } = orThrow(measurePlot(0, dto.geometry, dto.declaredAreaM2));
    const id = await this.db.transaction(async (manager) => {
      const cooperativeId = await activeCooperativeOf(manager, actor, dto.householdId);
      await lockPlotGeometry(manager);
      const issues = await findFitIssues(manager, [{ ...dto, id: null, bounds }]);
      if (issues.length) throw issuesError(issues);
      const repo = manager.getRepository(Plot);
      const saved = await repo.save(
        repo.create({ ...dto, ...measured, cooperativeId, revision: 1 }),
      );
      await recordRevisions(manager, [saved]);
      await this.audit.record(manager, actor, {
        action: 'plot.create',
        entity: 'plot',
        entityId: saved.id,
        after: saved,
      });
      return saved.id;
    });
    return this.get(actor, id);
  }

  async importPlots(actor: Actor, dto: ImportPlotsDto): Promise<ImportPlotsResult> {
    const issues: PlotIssue[] = [];
    const measured = dto.plots.map((plot, index) => {
      const result = measurePlot(index, plot.geometry, plot.declaredAreaM2);
      if ('code' in result) issues.push(result);
      return 'code' in result ? null : result;
    });
    const firstByCode = new Map<string, number>();
    dto.plots.forEach((plot, index) => {
      const first = firstByCode.get(plot.code);
      if (first === undefined) firstByCode.set(plot.code, index);
      else
        issues.push({
          index,
          code: 'PLOT_CODE_TAKEN',
          path: 'code',
          message: `Plot ${first} has this code too.`,
        });
    });

    const saved = await this.db.transaction(async (manager) => {
      const householdIds = [...new Set(dto.plots.map((p) => p.householdId))];
      const households = await manager.query<
        { id: string; cooperative_id: string; status: string }[]
      >(
        `SELECT h.id, h.cooperative_id, c.status FROM households h JOIN cooperatives c ON c.id = h.cooperative_id
          WHERE h.id = ANY($1::uuid[])`,
        [householdIds],
      );
      const writable = new Set<string>();
      for (const cooperativeId of new Set(households.map((h) => h.cooperative_id))) {
        if (await cooperativeWritable(manager, actor, cooperativeId)) writable.add(cooperativeId);
      }
      const taken = new Set(
        (
          await manager.query<{ code: string }[]>('SELECT code FROM plots WHERE code = ANY($1)', [
            dto.plots.map((p) => p.code),
          ])
        ).map((row) => row.code),
      );
      dto.plots.forEach((plot, index) => {
        const household = households.find((h) => h.id === plot.householdId);
        if (!household || !writable.has(household.cooperative_id)) {
          issues.push({
            index,
            code: 'REFERENCE_NOT_FOUND',
            path: 'householdId',
            message: 'No household with this id.',
          });
        } else if (household.status !== 'active') {
          issues.push({
            index,
            code: 'COOPERATIVE_INACTIVE',
            path: 'householdId',
            message: 'The household’s cooperative is inactive.',
          });
        }
        if (taken.has(plot.code)) {
          issues.push({
            index,
            code: 'PLOT_CODE_TAKEN',
            path: 'code',
            message: 'A plot with this code exists.',
          });
        }
      });

      await lockPlotGeometry(manager);
      const measurable = dto.plots.flatMap((plot, index) => {
        const m = measured[index];
        return m ? [{ index, candidate: { ...plot, id: null, bounds: m.bounds } }] : [];
      });
      const fitIssues = await findFitIssues(
        manager,
        measurable.map((m) => m.candidate),
      );
      issues.push(
        ...fitIssues.map((issue) => ({ ...issue, index: measurable[issue.index]!.index })),
      );
      if (issues.length) {
        const rejected = new Set(issues.map((issue) => issue.index)).size;
        throw new DomainError(
          'PLOT_IMPORT_REJECTED',
          `${rejected} of ${dto.plots.length} plots break the rules; nothing was imported.`,
          issues
            .sort((a, b) => a.index - b.index)
            .slice(0, 500)
            .map(({ index, ...issue }) => ({ ...issue, path: `plots.${index}.${issue.path}` })),
        );
      }

      const rows = dto.plots.map((plot, index) => ({
        ...plot,
        ...measured[index]!.measured,
        cooperativeId: households.find((h) => h.id === plot.householdId)!.cooperative_id,
        revision: 1,
      }));
      const plots: Plot[] = [];
      for (let start = 0; start < rows.length; start += 500) {
        const chunk = rows.slice(start, start + 500);
        const result = await manager.getRepository(Plot).insert(chunk);
        chunk.forEach((row, k) =>
          plots.push({ ...row, id: result.identifiers[k]!['id'] as string } as Plot),
        );
      }
      await recordRevisions(manager, plots);
      await this.audit.record(manager, actor, {
        action: 'plot.import',
        entity: 'plot',
        entityId: null,
        after: plots.map((p) => p.id),
        details: { count: plots.length },
      });
      return plots;
    });
    return {
      imported: saved.length,
      plots: saved.map((p) => ({ id: p.id, code: p.code, areaM2: p.areaM2, flags: p.flags })),
    };
  }

  async update(actor: Actor, id: string, dto: UpdatePlotDto): Promise<PlotDto> {
    await this.db.transaction(async (manager) => {
      const repo = manager.getRepository(Plot);
      const plot = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!plot || !(await cooperativeWritable(manager, actor, plot.cooperativeId)))
        throw notFound('Plot', id);
      const next = { ...plot, ...dto } as Plot;
      const { measured, bounds } = orThrow(measurePlot(0, next.geometry, next.declaredAreaM2));
      if (dto.geometry !== undefined || dto.zoneId !== undefined) {
        await lockPlotGeometry(manager);
        const issues = await findFitIssues(manager, [{ ...next, id, bounds }]);
        if (issues.length) throw issuesError(issues);
      }
      const saved = await repo.save({ ...next, ...measured, revision: plot.revision + 1 });
      await recordRevisions(manager, [saved]);
      await this.audit.record(manager, actor, {
        action: 'plot.update',
        entity: 'plot',
        entityId: id,
        before: plot,
        after: saved,
        details: { revision: saved.revision },
      });
      await this.registry.emit(manager, { kind: 'plot.changed', plotId: id });
    });
    return this.get(actor, id);
  }

  async list(actor: Actor, query: PlotListQuery): Promise<Page<PlotDto>> {
    const qb = this.db.getRepository(Plot).createQueryBuilder('p');
    qb.where(...scopeWhere(actor, SCOPED.plots, 'p'));
    if (query.zoneId) qb.andWhere('p.zone_id = :zoneId', { zoneId: query.zoneId });
    if (query.householdId)
      qb.andWhere('p.household_id = :householdId', { householdId: query.householdId });
    if (query.cooperativeId)
      qb.andWhere('p.cooperative_id = :cooperativeId', { cooperativeId: query.cooperativeId });
    if (query.communeId) {
      qb.andWhere(
        'p.cooperative_id IN (SELECT fc.id FROM cooperatives fc WHERE fc.commune_id = :communeId)',
        {
          communeId: query.communeId,
        },
      );
    }
    if (query.farmingSystem) qb.andWhere('p.farming_system = :fs', { fs: query.farmingSystem });
    if (query.flagged === 'true') qb.andWhere("p.flags <> '{}'");
    if (query.flagged === 'false') qb.andWhere("p.flags = '{}'");
    if (query.q) qb.andWhere('p.code ILIKE :q', { q: `%${escapeLike(query.q)}%` });
    return pageFrom(qb, { sortColumn: SORT_COLUMNS[query.sort], idColumn: 'p.id' }, query, (rows) =>
      this.toDtos(rows),
    );
  }

  async get(actor: Actor, id: string): Promise<PlotDto> {
    const plot = await this.db.getRepository(Plot).findOneBy({ id });
    if (!plot || !(await recordInScope(this.db.manager, actor, SCOPED.plots, id))) {
      throw notFound('Plot', id);
    }
    const [dto] = await this.toDtos([plot]);
    return dto!;
  }

  async statusOn(
    actor: Actor,
    id: string,
    on: IsoDate | undefined,
  ): Promise<OrganicStatusVerdict & { plotId: string }> {
    const plot = await this.db.getRepository(Plot).findOne({
      where: { id },
      select: { id: true, zoneId: true, conversionStartedOn: true, cooperativeId: true },
    });
    if (!plot || !(await recordInScope(this.db.manager, actor, SCOPED.plots, id))) {
      throw notFound('Plot', id);
    }
    const verdicts = await this.statuses.derive([plot], on ?? todayIso());
    return { plotId: id, ...verdicts.get(id)! };
  }

  async revisions(actor: Actor, id: string): Promise<PlotRevision[]> {
    const plot = await this.db.getRepository(Plot).findOneBy({ id });
    if (!plot || !(await recordInScope(this.db.manager, actor, SCOPED.plots, id))) {
      throw notFound('Plot', id);
    }
    return this.db
      .getRepository(PlotRevision)
      .find({ where: { plotId: id }, order: { revision: 'ASC' } });
  }

  /**
   * The map's query: plots whose bounding box meets the viewport, through the GiST index,
   * serialised straight from the stored GeoJSON text.
   */
  async featuresInBbox(
    actor: Actor,
    query: PlotListQuery & { bbox: [number, number, number, number] },
  ): Promise<string> {
    const [minLng, minLat, maxLng, maxLat] = query.bbox;
    const params: unknown[] = [minLng, minLat, maxLng, maxLat, this.config.mapMaxFeatures + 1];
    const filters: string[] = [];
    const filter = (sql: string, value: unknown) => {
      params.push(value);
      filters.push(sql.replace('?', `$${params.length}`));
    };
    filters.push(scopeSql(actor, SCOPED.plots, 'plots', params));
    if (query.zoneId) filter('zone_id = ?', query.zoneId);
    if (query.cooperativeId) filter('cooperative_id = ?', query.cooperativeId);
    if (query.householdId) filter('household_id = ?', query.householdId);
    if (query.communeId) filter(COMMUNE_FILTER, query.communeId);
    if (query.farmingSystem) filter('farming_system = ?', query.farmingSystem);
    const rows = await this.db.query<
      { id: string; zone_id: string | null; conversion_started_on: string | null; head: string }[]
    >(
      `SELECT id, zone_id, conversion_started_on,
              '{"type":"Feature","id":"' || id || '","geometry":' || geometry::text ||
              ',"properties":{"code":' || to_json(code)::text ||
              ',"zoneId":' || COALESCE('"' || zone_id || '"', 'null') ||
              ',"farmingSystem":"' || farming_system || '","areaM2":' || area_m2 ||
              ',"flags":' || array_to_json(flags)::text || ',"isDemo":' || is_demo || ',"status":"' AS head
         FROM plots
        WHERE bbox && box(point($1, $2), point($3, $4))${filters.map((f) => ` AND ${f}`).join('')}
        LIMIT $5`,
      params,
    );
    const truncated = rows.length > this.config.mapMaxFeatures;
    const kept = truncated ? rows.slice(0, this.config.mapMaxFeatures) : rows;
    const verdicts = await this.statuses.derive(
      kept.map((r) => ({
        id: r.id,
        zoneId: r.zone_id,
        conversionStartedOn: r.conversion_started_on,
      })),
      todayIso(),
    );
    // Postgres writes each feature but its status, which only the domain rules can tell.
    const features = kept.map((r) => `${r.head}${verdicts.get(r.id)!.status}"}}`);
    return `{"type":"FeatureCollection","truncated":${truncated},"features":[${features.join(',')}]}`;
  }

  async clusters(actor: Actor, query: PlotClusterQuery): Promise<PlotClusterDto[]> {
    const [minLng, minLat, maxLng, maxLat] = query.bbox;
    const cell = (360 / 2 ** query.zoom) * (64 / 256);
    const params: unknown[] = [minLng, minLat, maxLng, maxLat, cell];
    const filters: string[] = [];
    const filter = (sql: string, value: unknown) => {
      params.push(value);
      filters.push(sql.replace('?', `$${params.length}`));
    };
    filters.push(scopeSql(actor, SCOPED.plots, 'plots', params));
    if (query.zoneId) filter('zone_id = ?', query.zoneId);
    if (query.cooperativeId) filter('cooperative_id = ?', query.cooperativeId);
    if (query.communeId) filter(COMMUNE_FILTER, query.communeId);
    if (query.farmingSystem) filter('farming_system = ?', query.farmingSystem);
    const rows = await this.db.query<{ n: number; lng: number; lat: number; area: string }[]>(
      `SELECT count(*) AS n, avg((center(bbox))[0]) AS lng, avg((center(bbox))[1]) AS lat, sum(area_m2) AS area
         FROM plots
        WHERE bbox && box(point($1, $2), point($3, $4))${filters.map((f) => ` AND ${f}`).join('')}
        GROUP BY floor((center(bbox))[0] / $5), floor((center(bbox))[1] / $5)`,
      params,
    );
    return rows.map((r) => ({
      lng: r.lng,
      lat: r.lat,
      count: r.n,
      areaM2: Math.round(Number(r.area)),
    }));
  }

  private async toDtos(plots: Plot[]): Promise<PlotDto[]> {
    if (plots.length === 0) return [];
    const verdicts = await this.statuses.derive(plots, todayIso());
    return plots.map((p) => ({
      id: p.id,
      code: p.code,
      householdId: p.householdId,
      cooperativeId: p.cooperativeId,
      zoneId: p.zoneId,
      farmingSystem: p.farmingSystem,
      area: areaInUnits(p.areaM2),
      declaredAreaM2: p.declaredAreaM2,
      flags: p.flags,
      conversionStartedOn: p.conversionStartedOn,
      organicStatus: verdicts.get(p.id)!,
      geometry: p.geometry,
      revision: p.revision,
      isDemo: p.isDemo,
      createdAt: p.createdAt.toISOString(),
      updatedAt: p.updatedAt.toISOString(),
    }));
  }
}

async function activeCooperativeOf(
  manager: EntityManager,
  actor: Actor,
  householdId: string,
): Promise<string> {
  const household = await manager.getRepository(Household).findOneBy({ id: householdId });
  if (!household || !(await cooperativeWritable(manager, actor, household.cooperativeId))) {
    throw referenceNotFound('householdId', 'Household');
  }
  const cooperative = await manager
    .getRepository(Cooperative)
    .findOneBy({ id: household.cooperativeId });
  if (cooperative?.status !== 'active') {
    throw new DomainError('COOPERATIVE_INACTIVE', 'The household’s cooperative is inactive.', [
      {
        path: 'householdId',
        code: 'COOPERATIVE_INACTIVE',
        message: 'The household’s cooperative is inactive.',
      },
    ]);
  }
  return household.cooperativeId;
}

function orThrow<T extends object>(result: T | PlotIssue): T {
  if ('code' in result) throw issuesError([result]);
  return result;
}

function issuesError(issues: PlotIssue[]): DomainError {
  return new DomainError(
    issues[0]!.code,
    issues[0]!.message,
    issues.map(({ index: _index, ...issue }) => issue),
  );
}

async function recordRevisions(manager: EntityManager, plots: Plot[]): Promise<void> {
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
      })),
    );
  }
}
