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
  type RetirePlotDto,
  type UpdatePlotDto,
} from '@huuco/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../access/audit/audit.service.js';
import type { Actor } from '../../access/auth/actor.js';
import { cooperativeWritable } from '../../access/auth/record-scope.js';
import {
  DomainError,
  fieldError,
  notFound,
  referenceNotFound,
} from '../../platform/http/domain-error.js';
import { AppConfig } from '../../platform/config/app-config.js';
import { OrganicStatusService } from './organic-status.service.js';
import { findFitIssues, measurePlot, type PlotIssue } from './plot-geometry.guard.js';
import type { Plot, PlotRevision } from './plot.entity.js';
import { plotRepository } from './plot.repository.js';
import { RegistryEvents } from '../../platform/events/registry-events.js';

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
      await plotRepository.lockGeometry(manager);
      const issues = await findFitIssues(manager, [{ ...dto, id: null, bounds }]);
      if (issues.length) throw issuesError(issues);
      const saved = await plotRepository.save(manager, {
        ...dto,
        ...measured,
        cooperativeId,
        revision: 1,
      });
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
    return this.db.transaction((manager) => this.importIn(manager, actor, dto));
  }

  /** Many new plots in the caller's transaction, all or nothing: every rule 1 check per plot. */
  async importIn(
    manager: EntityManager,
    actor: Actor,
    dto: ImportPlotsDto,
  ): Promise<ImportPlotsResult> {
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

    const saved = await (async () => {
      const householdIds = [...new Set(dto.plots.map((p) => p.householdId))];
      const households = await plotRepository.householdsWithStatus(manager, householdIds);
      const writable = new Set<string>();
      for (const cooperativeId of new Set(households.map((h) => h.cooperative_id))) {
        if (await cooperativeWritable(manager, actor, cooperativeId)) writable.add(cooperativeId);
      }
      const taken = await plotRepository.takenCodes(
        manager,
        dto.plots.map((p) => p.code),
      );
      const householdById = new Map(households.map((h) => [h.id, h]));
      dto.plots.forEach((plot, index) => {
        const household = householdById.get(plot.householdId);
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

      await plotRepository.lockGeometry(manager);
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
        cooperativeId: householdById.get(plot.householdId)!.cooperative_id,
      }));
      const plots = await plotRepository.insertMany(manager, rows);
      await this.audit.record(manager, actor, {
        action: 'plot.import',
        entity: 'plot',
        entityId: null,
        after: plots.map((p) => p.id),
        details: { count: plots.length },
      });
      return plots;
    })();
    return {
      imported: saved.length,
      plots: saved.map((p) => ({ id: p.id, code: p.code, areaM2: p.areaM2, flags: p.flags })),
    };
  }

  async update(actor: Actor, id: string, dto: UpdatePlotDto): Promise<PlotDto> {
    await this.db.transaction((manager) => this.revise(manager, actor, id, dto));
    return this.get(actor, id);
  }

  /** A new revision of the plot, in the caller's transaction (a form, an import). */
  async revise(
    manager: EntityManager,
    actor: Actor,
    id: string,
    dto: UpdatePlotDto,
  ): Promise<void> {
    const plot = await plotRepository.lock(manager, actor, id);
    if (!plot || !(await cooperativeWritable(manager, actor, plot.cooperativeId)))
      throw notFound('Plot', id);
    if (plot.retiredOn) throw retired(plot.retiredOn);
    const next = { ...plot, ...dto } as Plot;
    const { measured, bounds } = orThrow(measurePlot(0, next.geometry, next.declaredAreaM2));
    if (dto.geometry !== undefined || dto.zoneId !== undefined) {
      await plotRepository.lockGeometry(manager);
      const issues = await findFitIssues(manager, [{ ...next, id, bounds }]);
      if (issues.length) throw issuesError(issues);
    }
    const saved = await plotRepository.save(manager, {
      ...next,
      ...measured,
      revision: plot.revision + 1,
    });
    await this.audit.record(manager, actor, {
      action: 'plot.update',
      entity: 'plot',
      entityId: id,
      before: plot,
      after: saved,
      details: { revision: saved.revision },
    });
    await this.registry.emit(manager, {
      kind: 'plot.changed',
      plotId: id,
      cooperativeId: plot.cooperativeId,
    });
  }

  /**
   * Retired from a date, with the reason, as a new revision: kept with its harvests before
   * that day, off today's map, and out of the way of a new outline on the same land.
   */
  async retire(actor: Actor, id: string, dto: RetirePlotDto): Promise<PlotDto> {
    if (dto.retiredOn > todayIso())
      throw fieldError('VALIDATION_FAILED', 'retiredOn', 'A plot is retired on or before today.');
    await this.db.transaction(async (manager) => {
      const plot = await plotRepository.lock(manager, actor, id);
      if (!plot || !(await cooperativeWritable(manager, actor, plot.cooperativeId)))
        throw notFound('Plot', id);
      if (plot.retiredOn) throw retired(plot.retiredOn);
      const lastHarvestOn = await plotRepository.lastHarvestOn(manager, id);
      if (lastHarvestOn !== null && dto.retiredOn <= lastHarvestOn) {
        throw fieldError(
          'PLOT_HAS_LATER_HARVESTS',
          'retiredOn',
          `A harvest was recorded on ${lastHarvestOn}; retire the plot after it.`,
          { lastHarvestOn },
        );
      }
      const saved = await plotRepository.save(manager, {
        ...plot,
        retiredOn: dto.retiredOn,
        retiredReason: dto.reason,
        revision: plot.revision + 1,
      });
      await this.audit.record(manager, actor, {
        action: 'plot.retire',
        entity: 'plot',
        entityId: id,
        details: { retiredOn: dto.retiredOn, reason: dto.reason, revision: saved.revision },
      });
      await this.registry.emit(manager, {
        kind: 'plot.changed',
        plotId: id,
        cooperativeId: plot.cooperativeId,
      });
    });
    return this.get(actor, id);
  }

  list(actor: Actor, query: PlotListQuery): Promise<Page<PlotDto>> {
    return plotRepository.page(this.db.manager, actor, query, (rows) => this.toDtos(rows));
  }

  async get(actor: Actor, id: string): Promise<PlotDto> {
    const plot = await plotRepository.find(this.db.manager, actor, id);
    if (!plot) throw notFound('Plot', id);
    const [dto] = await this.toDtos([plot]);
    return dto!;
  }

  async statusOn(
    actor: Actor,
    id: string,
    on: IsoDate | undefined,
  ): Promise<OrganicStatusVerdict & { plotId: string }> {
    const plot = await plotRepository.statusFacts(this.db.manager, actor, id);
    if (!plot) throw notFound('Plot', id);
    const verdicts = await this.statuses.derive([plot], on ?? todayIso());
    return { plotId: id, ...verdicts.get(id)! };
  }

  async revisions(actor: Actor, id: string): Promise<PlotRevision[]> {
    const plot = await plotRepository.find(this.db.manager, actor, id);
    if (!plot) throw notFound('Plot', id);
    return plotRepository.revisions(this.db.manager, id);
  }

  /** The map's features in the viewport, each with today's status, as GeoJSON text. */
  async featuresInBbox(
    actor: Actor,
    query: PlotListQuery & { bbox: [number, number, number, number] },
  ): Promise<string> {
    const rows = await plotRepository.mapFeatures(
      this.db.manager,
      actor,
      query.bbox,
      query,
      this.config.mapMaxFeatures + 1,
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
    const features = kept.map((r) => `${r.head}${verdicts.get(r.id)!.status}"}}`);
    return `{"type":"FeatureCollection","truncated":${truncated},"features":[${features.join(',')}]}`;
  }

  async clusters(actor: Actor, query: PlotClusterQuery): Promise<PlotClusterDto[]> {
    const cell = (360 / 2 ** query.zoom) * (64 / 256);
    const rows = await plotRepository.mapClusters(this.db.manager, actor, query.bbox, query, cell);
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
      retiredOn: p.retiredOn,
      retiredReason: p.retiredReason,
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
  const household = await plotRepository.household(manager, actor, householdId);
  if (!household || !(await cooperativeWritable(manager, actor, household.cooperativeId))) {
    throw referenceNotFound('householdId', 'Household');
  }
  const cooperative = await plotRepository.cooperative(manager, household.cooperativeId);
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

function retired(retiredOn: string): DomainError {
  return fieldError('PLOT_RETIRED', 'plotId', `The plot was retired on ${retiredOn}.`, {
    retiredOn,
  });
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
