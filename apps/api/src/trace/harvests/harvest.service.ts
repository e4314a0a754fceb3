import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  checkYield,
  HarvestProduct,
  statusOn,
  todayIso,
  type CooperativeStatus,
  type CorrectHarvestDto,
  type CreateHarvestDto,
  type HarvestDto,
  type HarvestListQuery,
  type OrganicStatusVerdict,
  type Page,
  type YieldCheck,
} from '@huuco/domain';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import {
  bySubject,
  changesOf,
  type StoredStatusChange,
} from '../../registry/status-history.repository.js';
import { AuditService } from '../../access/audit/audit.service.js';
import type { Actor } from '../../access/auth/actor.js';
import { cooperativeWritable } from '../../access/auth/record-scope.js';
import {
  DomainError,
  fieldError,
  notFound,
  referenceNotFound,
} from '../../platform/http/domain-error.js';
import { GroupedWrites } from '../../platform/database/grouped-writes.js';
import { idempotency, keyedRequest } from '../../platform/http/idempotency.js';
import { AppConfig } from '../../platform/config/app-config.js';
import { EventStore } from '../events/event-store.js';
import { OrganicStatusService } from '../../registry/plots/organic-status.service.js';
import { commissioningEvent } from './harvest-events.js';
import { harvestRepository, seasonKey, type PlotFacts } from './harvest.repository.js';

/**
 * Harvests, the first link of the trace. Each carries its plot's organic status on the day
 * (rule 2) and passes the plot's yield limit for the season, or says why it may exceed it (rule 3).
 */
@Injectable()
export class HarvestService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly statuses: OrganicStatusService,
    private readonly events: EventStore,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /**
   * With a key, a repeat of the same harvest (a retry after a lost answer) gets the first answer.
   * Without one, harvests arriving together are recorded together (`GroupedWrites`): each is
   * checked and answered on its own, and commits with the others in one transaction.
   */
  async record(actor: Actor, dto: CreateHarvestDto, key: string | null): Promise<HarvestDto> {
    const request = keyedRequest(actor.id, key, 'POST /harvests', dto);
    if (!request) return this.grouped.submit({ actor, dto });
    const first = await idempotency.answered<HarvestDto>(this.db.manager, request);
    if (first) return first;
    const [checked] = await this.checkPlots([{ actor, dto }]);
    if (checked instanceof Error) throw checked;
    return idempotency.transaction(this.db, request, async (manager) => {
      const [id] = await this.write(manager, [checked!]);
      if (id instanceof Error) throw id;
      return (await harvestRepository.find(manager, actor, id!))!;
    });
  }

  private readonly grouped = new GroupedWrites<HarvestRequest, HarvestDto>(
    (requests) => this.recordTogether(requests),
    {
      groupSize: 100,
      // The embedded database has one connection; the server's pool is shared with the reads.
      concurrent: () => (this.config.databaseUrl ? 4 : 1),
    },
  );

  private async recordTogether(requests: HarvestRequest[]): Promise<(HarvestDto | Error)[]> {
    const checked = await this.checkPlots(requests);
    const ready = checked.filter((c): c is CheckedHarvest => !(c instanceof Error));
    let written: (string | Error)[];
    try {
      written = await this.db.transaction((manager) => this.write(manager, ready));
    } catch (error) {
      // A group refused as a whole (a deadlock with another kind of write, say): each alone.
      if (requests.length === 1) throw error;
      return Promise.all(
        requests.map((request) =>
          this.recordTogether([request]).then(
            ([result]) => result!,
            (alone: unknown) => (alone instanceof Error ? alone : new Error(String(alone))),
          ),
        ),
      );
    }
    const recorded = ready.flatMap((harvest, i) => {
      const id = written[i];
      return typeof id === 'string' ? [{ id, cooperativeId: harvest.plot.cooperative_id }] : [];
    });
    const found = recorded.length
      ? await harvestRepository.findAll(this.db.manager, recorded)
      : new Map();
    let next = 0;
    return checked.map((c) => {
      if (c instanceof Error) return c;
      const result = written[next++]!;
      return result instanceof Error ? result : (found.get(result) as HarvestDto);
    });
  }

  /**
   * Before the transaction: each harvest's plot, whether the actor may record on it that day,
   * and its organic status on that day (rule 2). The derivation reads through its own connection.
   */
  private async checkPlots(requests: HarvestRequest[]): Promise<(CheckedHarvest | Error)[]> {
    const manager = this.db.manager;
    const plots = await harvestRepository.plotFacts(manager, [
      ...new Set(requests.map((r) => r.dto.plotId)),
    ]);
    const activity = bySubject(
      await changesOf<CooperativeStatus>(manager, 'cooperative', [
        ...new Set([...plots.values()].map((plot) => plot.cooperative_id)),
      ]),
    );
    const checked: (Omit<CheckedHarvest, 'verdict'> | Error)[] = [];
    for (const { actor, dto } of requests) {
      const plot = plots.get(dto.plotId);
      const refusal =
        !plot || !(await cooperativeWritable(manager, actor, plot.cooperative_id))
          ? referenceNotFound('plotId', 'Plot')
          : plotRefusal(plot, activity.get(plot.cooperative_id) ?? [], dto);
      checked.push(refusal ?? { actor, dto, plot: plot! });
    }
    const verdicts = new Map<string, Map<string, OrganicStatusVerdict>>();
    for (const on of new Set(requests.map((r) => r.dto.harvestedOn))) {
      const onThatDay = checked.filter(
        (c): c is Omit<CheckedHarvest, 'verdict'> =>
          !(c instanceof Error) && c.dto.harvestedOn === on,
      );
      if (onThatDay.length === 0) continue;
      const facts = new Map(onThatDay.map((c) => [c.plot.id, this.statusFacts(c.plot)]));
      verdicts.set(on, await this.statuses.derive([...facts.values()], on));
    }
    return checked.map((c) =>
      c instanceof Error ? c : { ...c, verdict: verdicts.get(c.dto.harvestedOn)!.get(c.plot.id)! },
    );
  }

  /**
   * In the transaction: the plots locked, then each harvest's product, season and the plot's
   * season total checked in order (two harvests on one plot count each other), and those that
   * pass written with their audit entries and commissioning events, a statement for each kind.
   * Each harvest is answered by its new id or the error refusing it alone.
   */
  private async write(
    manager: EntityManager,
    harvests: CheckedHarvest[],
  ): Promise<(string | Error)[]> {
    if (harvests.length === 0) return [];
    const distinct = (pick: (h: CheckedHarvest) => string) => [...new Set(harvests.map(pick))];
    const plots = [...new Map(harvests.map((h) => [h.plot.id, h.plot])).values()];
    await harvestRepository.lockPlots(manager, plots);
    const products = await harvestRepository.products(
      manager,
      distinct((h) => h.dto.productId),
    );
    const seasons = await harvestRepository.seasons(
      manager,
      distinct((h) => h.dto.seasonId),
    );
    const seasonKg = await harvestRepository.seasonKg(manager, {
      plots,
      seasonIds: distinct((h) => h.dto.seasonId),
      productIds: distinct((h) => h.dto.productId),
      excluding: null,
    });

    const results: (string | Error)[] = [];
    const accepted: {
      harvest: CheckedHarvest;
      id: string;
      product: HarvestProductRow;
      yieldCheck: { kgPerHa: number; check: YieldCheck };
    }[] = [];
    for (const harvest of harvests) {
      const { dto, plot } = harvest;
      try {
        const product = harvestProductOf(products.get(dto.productId));
        seasonFit(seasons.get(dto.seasonId), dto.harvestedOn);
        const key = seasonKey(plot.id, dto.seasonId, product.id);
        const total = (seasonKg.get(key) ?? 0) + dto.quantityKg;
        const yieldCheck = this.yieldFit(plot, product, total, dto.overrideReason);
        seasonKg.set(key, total);
        const id = randomUUID();
        accepted.push({ harvest, id, product, yieldCheck });
        results.push(id);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        results.push(error);
      }
    }
    if (accepted.length === 0) return results;

    await harvestRepository.insertAll(
      manager,
      accepted.map(({ harvest: { actor, dto, plot, verdict }, id, product, yieldCheck }) => ({
        id,
        plotId: plot.id,
        cooperativeId: plot.cooperative_id,
        seasonId: dto.seasonId,
        productId: product.id,
        harvestedOn: dto.harvestedOn,
        lunarDate: dto.lunarDate,
        quantityKg: dto.quantityKg,
        organicStatus: verdict.status,
        organicStatusReason: verdict.reason,
        yieldKgPerHa: Math.round(yieldCheck.kgPerHa * 10) / 10,
        yieldCheck: yieldCheck.check,
        overrideReason: yieldCheck.check === 'overridden' ? dto.overrideReason : null,
        recordedBy: actor.id,
        recordedByUsername: actor.username,
      })),
    );
    await this.audit.recordAll(
      manager,
      accepted.map(({ harvest: { actor, dto, verdict }, id }) => ({
        actor,
        entry: {
          action: 'harvest.record',
          entity: 'harvest',
          entityId: id,
          after: { ...dto, organicStatus: verdict.status },
        },
      })),
    );
    await this.events.appendAll(
      manager,
      accepted.map(({ harvest: { actor, dto, plot, verdict }, id, product, yieldCheck }) => ({
        body: commissioningEvent({
          harvestId: id,
          harvestedOn: dto.harvestedOn,
          quantityKg: dto.quantityKg,
          plotCode: plot.code,
          category: product.category,
          verdict,
          lunarDate: dto.lunarDate,
          yieldCheck: yieldCheck.check,
        }),
        lotIds: [id],
        cooperativeId: plot.cooperative_id,
        actorUsername: actor.username,
        why: yieldCheck.check === 'overridden' ? dto.overrideReason : null,
      })),
    );
    return results;
  }

  /**
   * A correction is a new event pointing at the harvest's first: the record shows the corrected
   * value, the history keeps both. Only a harvest nothing was made from yet can be corrected.
   */
  async correct(actor: Actor, id: string, dto: CorrectHarvestDto): Promise<HarvestDto> {
    // Out of the actor's scope the harvest is not found; only cooperative roles write harvests.
    const current = await this.get(actor, id);
    const harvestedOn = dto.harvestedOn ?? current.harvestedOn;
    const [checked] = await this.checkPlots([
      { actor, dto: { ...current, harvestedOn, plotRevision: undefined } },
    ]);
    if (checked instanceof Error) throw checked;
    const { plot, verdict } = checked!;
    const quantityKg = dto.quantityKg ?? current.quantityKg;

    await this.db.transaction(async (manager) => {
      await harvestRepository.lockPlots(manager, [plot]);
      const locked = await harvestRepository.lockQuantities(manager, current);
      if (locked.remainingKg !== locked.quantityKg) {
        throw fieldError(
          'HARVEST_CORRECTION_INVALID',
          'quantityKg',
          'Part of this harvest is already in a lot; correct the lot instead.',
        );
      }
      const seasons = await harvestRepository.seasons(manager, [current.seasonId]);
      seasonFit(seasons.get(current.seasonId), harvestedOn);
      const products = await harvestRepository.products(manager, [current.productId]);
      const product = harvestProductOf(products.get(current.productId));
      const others = await harvestRepository.seasonKg(manager, {
        plots: [plot],
        seasonIds: [current.seasonId],
        productIds: [product.id],
        excluding: id,
      });
      const yieldCheck = this.yieldFit(
        plot,
        product,
        (others.get(seasonKey(plot.id, current.seasonId, product.id)) ?? 0) + quantityKg,
        current.overrideReason,
      );
      await harvestRepository.correct(manager, id, {
        quantityKg,
        harvestedOn,
        organicStatus: verdict.status,
        organicStatusReason: verdict.reason,
        yieldKgPerHa: Math.round(yieldCheck.kgPerHa * 10) / 10,
        yieldCheck: yieldCheck.check,
      });
      await this.events.append(manager, {
        body: commissioningEvent({
          harvestId: id,
          harvestedOn,
          quantityKg,
          plotCode: plot.code,
          category: product.category,
          verdict,
        }),
        lotIds: [id],
        cooperativeId: plot.cooperative_id,
        actorUsername: actor.username,
        why: dto.reason,
        correctsSeq: await harvestRepository.commissioningSeq(manager, id),
      });
      await this.audit.record(manager, actor, {
        action: 'harvest.correct',
        entity: 'harvest',
        entityId: id,
        before: current,
        after: { quantityKg, harvestedOn },
        details: { reason: dto.reason },
      });
    });
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<HarvestDto> {
    const harvest = await harvestRepository.find(this.db.manager, actor, id);
    if (!harvest) throw notFound('Harvest', id);
    return harvest;
  }

  list(actor: Actor, query: HarvestListQuery): Promise<Page<HarvestDto>> {
    return harvestRepository.page(this.db.manager, actor, query);
  }

  private statusFacts(plot: PlotFacts) {
    return { id: plot.id, zoneId: plot.zone_id, conversionStartedOn: plot.conversion_started_on };
  }

  /** The season's total from this plot, this harvest included, against the product's limits. */
  private yieldFit(
    plot: PlotFacts,
    product: HarvestProductRow,
    seasonKg: number,
    overrideReason: string | null,
  ): { kgPerHa: number; check: YieldCheck } {
    const limit = this.config.yieldLimits[product.category]!;
    const verdict = checkYield(seasonKg, Number(plot.area_m2), limit);
    const tPerHa = (verdict.kgPerHa / 1000).toFixed(2);
    if (verdict.kind === 'reject') {
      throw fieldError(
        'YIELD_IMPLAUSIBLE',
        'quantityKg',
        `${tPerHa} t/ha this season from this plot is above the ${limit.rejectKgPerHa / 1000} t/ha any field gives.`,
        { kgPerHa: Math.round(verdict.kgPerHa), rejectKgPerHa: limit.rejectKgPerHa },
      );
    }
    if (verdict.kind === 'flag' && !overrideReason) {
      throw fieldError(
        'YIELD_NEEDS_OVERRIDE',
        'overrideReason',
        `${tPerHa} t/ha this season is above the ${limit.flagKgPerHa / 1000} t/ha expected; give the reason the quantity is right.`,
        { kgPerHa: Math.round(verdict.kgPerHa), flagKgPerHa: limit.flagKgPerHa },
      );
    }
    return { kgPerHa: verdict.kgPerHa, check: verdict.kind === 'flag' ? 'overridden' : 'ok' };
  }
}

interface HarvestRequest {
  actor: Actor;
  dto: Pick<
    CreateHarvestDto,
    | 'plotId'
    | 'seasonId'
    | 'productId'
    | 'harvestedOn'
    | 'quantityKg'
    | 'lunarDate'
    | 'overrideReason'
    | 'plotRevision'
  >;
}

interface CheckedHarvest extends HarvestRequest {
  plot: PlotFacts;
  verdict: OrganicStatusVerdict;
}

type HarvestProductRow = { id: string; category: HarvestProduct };

/**
 * Why the plot takes no harvest on that day, if it does not: its cooperative inactive then, the
 * plot retired or its household gone by then (a harvest sent late from the field keeps the day
 * it happened), or the plot changed since the device saw it.
 */
function plotRefusal(
  plot: PlotFacts,
  activity: StoredStatusChange<CooperativeStatus>[],
  dto: HarvestRequest['dto'],
): DomainError | null {
  const on = dto.harvestedOn;
  if (statusOn(plot.cooperative_initial_status, activity, on) !== 'active') {
    return fieldError(
      'COOPERATIVE_INACTIVE',
      'plotId',
      'The plot’s cooperative was inactive on that day.',
    );
  }
  if (plot.retired_on !== null && plot.retired_on <= on) {
    return fieldError('PLOT_RETIRED', 'plotId', `The plot was retired on ${plot.retired_on}.`, {
      retiredOn: plot.retired_on,
    });
  }
  if (plot.household_left_on !== null && plot.household_left_on <= on) {
    return fieldError(
      'HOUSEHOLD_LEFT',
      'plotId',
      `The plot’s household left the cooperative on ${plot.household_left_on}.`,
      { leftOn: plot.household_left_on },
    );
  }
  if (dto.plotRevision !== undefined && dto.plotRevision !== plot.revision) {
    return fieldError('PLOT_CHANGED', 'plotRevision', `Plot ${plot.code} changed since then.`, {
      code: plot.code,
      seenRevision: dto.plotRevision,
      revision: plot.revision,
    });
  }
  return null;
}

function harvestProductOf(
  product: { id: string; category: string } | undefined,
): HarvestProductRow {
  if (!product) throw referenceNotFound('productId', 'Product');
  if (!(HarvestProduct as readonly string[]).includes(product.category)) {
    throw fieldError(
      'HARVEST_PRODUCT_INVALID',
      'productId',
      'Only field products are harvested: paddy, rươi, cáy, crab, shrimp.',
    );
  }
  return product as HarvestProductRow;
}

function seasonFit(
  season: { starts_on: string; ends_on: string } | undefined,
  harvestedOn: string,
) {
  if (harvestedOn > todayIso()) {
    throw fieldError(
      'HARVEST_IN_FUTURE',
      'harvestedOn',
      'A harvest is recorded on or after the day it happens.',
    );
  }
  if (!season) throw referenceNotFound('seasonId', 'Season');
  if (harvestedOn < season.starts_on || harvestedOn > season.ends_on) {
    throw fieldError(
      'HARVEST_OUTSIDE_SEASON',
      'harvestedOn',
      `The season runs from ${season.starts_on} to ${season.ends_on}.`,
      { startsOn: season.starts_on, endsOn: season.ends_on },
    );
  }
}
