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
  type Page,
  type YieldCheck,
} from '@huuco/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { changesOf } from '../../registry/status-history.repository.js';
import { AuditService } from '../../access/audit/audit.service.js';
import type { Actor } from '../../access/auth/actor.js';
import { cooperativeWritable, recordInScope, SCOPED } from '../../access/auth/record-scope.js';
import { fieldError, notFound, referenceNotFound } from '../../platform/http/domain-error.js';
import { idempotency, keyedRequest } from '../../platform/http/idempotency.js';
import { AppConfig } from '../../platform/config/app-config.js';
import { EventStore } from '../events/event-store.js';
import { OrganicStatusService } from '../../registry/plots/organic-status.service.js';
import { commissioningEvent } from './harvest-events.js';
import { harvestRepository, type PlotFacts } from './harvest.repository.js';

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

  /** With a key, a repeat of the same harvest (a retry after a lost answer) gets the first answer. */
  async record(actor: Actor, dto: CreateHarvestDto, key: string | null): Promise<HarvestDto> {
    const request = keyedRequest(actor.id, key, 'POST /harvests', dto);
    const first = await idempotency.answered<HarvestDto>(this.db.manager, request);
    if (first) return first;
    const plot = await this.writablePlot(this.db.manager, actor, dto.plotId, dto.harvestedOn);
    if (dto.plotRevision !== undefined && dto.plotRevision !== plot.revision) {
      throw fieldError('PLOT_CHANGED', 'plotRevision', `Plot ${plot.code} changed since then.`, {
        code: plot.code,
        seenRevision: dto.plotRevision,
        revision: plot.revision,
      });
    }
    // Derived before the transaction: the derivation reads through its own connection.
    const verdict = (await this.statuses.derive([this.statusFacts(plot)], dto.harvestedOn)).get(
      plot.id,
    )!;

    return idempotency.transaction(this.db, request, async (manager) => {
      await harvestRepository.lockPlot(manager, plot.id);
      const product = await this.harvestProduct(manager, dto.productId);
      await this.checkSeason(manager, dto.seasonId, dto.harvestedOn);
      const yieldCheck = await this.checkYield(
        manager,
        plot,
        product,
        dto.seasonId,
        dto.quantityKg,
        dto.overrideReason,
      );

      const harvestId = await harvestRepository.insert(manager, {
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
      });
      await this.audit.record(manager, actor, {
        action: 'harvest.record',
        entity: 'harvest',
        entityId: harvestId,
        after: { ...dto, organicStatus: verdict.status },
      });
      await this.events.append(manager, {
        body: commissioningEvent({
          harvestId,
          harvestedOn: dto.harvestedOn,
          quantityKg: dto.quantityKg,
          plotCode: plot.code,
          category: product.category,
          verdict,
          lunarDate: dto.lunarDate,
          yieldCheck: yieldCheck.check,
        }),
        lotIds: [harvestId],
        cooperativeId: plot.cooperative_id,
        actorUsername: actor.username,
        why: yieldCheck.check === 'overridden' ? dto.overrideReason : null,
      });
      return (await harvestRepository.find(manager, harvestId))!;
    });
  }

  /**
   * A correction is a new event pointing at the harvest's first: the record shows the corrected
   * value, the history keeps both. Only a harvest nothing was made from yet can be corrected.
   */
  async correct(actor: Actor, id: string, dto: CorrectHarvestDto): Promise<HarvestDto> {
    // Out of the actor's scope the harvest is not found; only cooperative roles write harvests.
    const current = await this.get(actor, id);
    const harvestedOn = dto.harvestedOn ?? current.harvestedOn;
    const plot = await this.writablePlot(this.db.manager, actor, current.plotId, harvestedOn);
    const quantityKg = dto.quantityKg ?? current.quantityKg;
    const verdict = (await this.statuses.derive([this.statusFacts(plot)], harvestedOn)).get(
      plot.id,
    )!;

    await this.db.transaction(async (manager) => {
      await harvestRepository.lockPlot(manager, plot.id);
      const locked = await harvestRepository.lockQuantities(manager, id);
      if (locked.remainingKg !== locked.quantityKg) {
        throw fieldError(
          'HARVEST_CORRECTION_INVALID',
          'quantityKg',
          'Part of this harvest is already in a lot; correct the lot instead.',
        );
      }
      await this.checkSeason(manager, current.seasonId, harvestedOn);
      const product = await this.harvestProduct(manager, current.productId);
      const yieldCheck = await this.checkYield(
        manager,
        plot,
        product,
        current.seasonId,
        quantityKg - current.quantityKg,
        current.overrideReason,
        id,
        quantityKg,
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
    const harvest = await harvestRepository.find(this.db.manager, id);
    if (!harvest || !(await recordInScope(this.db.manager, actor, SCOPED.harvests, id)))
      throw notFound('Harvest', id);
    return harvest;
  }

  list(actor: Actor, query: HarvestListQuery): Promise<Page<HarvestDto>> {
    return harvestRepository.page(this.db.manager, actor, query);
  }

  private statusFacts(plot: PlotFacts) {
    return { id: plot.id, zoneId: plot.zone_id, conversionStartedOn: plot.conversion_started_on };
  }

  /**
   * The plot, if the actor may record on it: its cooperative active and its household a member
   * on the day of the harvest (a harvest sent late from the field keeps the day it happened).
   */
  private async writablePlot(
    manager: EntityManager,
    actor: Actor,
    plotId: string,
    harvestedOn: string,
  ): Promise<PlotFacts> {
    const plot = await harvestRepository.plotFacts(manager, plotId);
    if (!plot || !(await cooperativeWritable(manager, actor, plot.cooperative_id)))
      throw referenceNotFound('plotId', 'Plot');
    const activity = await changesOf<CooperativeStatus>(manager, 'cooperative', [
      plot.cooperative_id,
    ]);
    if (statusOn(plot.cooperative_initial_status, activity, harvestedOn) !== 'active') {
      throw fieldError(
        'COOPERATIVE_INACTIVE',
        'plotId',
        'The plot’s cooperative was inactive on that day.',
      );
    }
    if (plot.retired_on !== null && plot.retired_on <= harvestedOn) {
      throw fieldError('PLOT_RETIRED', 'plotId', `The plot was retired on ${plot.retired_on}.`, {
        retiredOn: plot.retired_on,
      });
    }
    if (plot.household_left_on !== null && plot.household_left_on <= harvestedOn) {
      throw fieldError(
        'HOUSEHOLD_LEFT',
        'plotId',
        `The plot’s household left the cooperative on ${plot.household_left_on}.`,
        { leftOn: plot.household_left_on },
      );
    }
    return plot;
  }

  private async harvestProduct(manager: EntityManager, productId: string) {
    const product = await harvestRepository.product(manager, productId);
    if (!product) throw referenceNotFound('productId', 'Product');
    if (!(HarvestProduct as readonly string[]).includes(product.category)) {
      throw fieldError(
        'HARVEST_PRODUCT_INVALID',
        'productId',
        'Only field products are harvested: paddy, rươi, cáy, crab, shrimp.',
      );
    }
    return product as { id: string; category: HarvestProduct };
  }

  private async checkSeason(manager: EntityManager, seasonId: string, harvestedOn: string) {
    if (harvestedOn > todayIso()) {
      throw fieldError(
        'HARVEST_IN_FUTURE',
        'harvestedOn',
        'A harvest is recorded on or after the day it happens.',
      );
    }
    const season = await harvestRepository.season(manager, seasonId);
    if (!season) throw referenceNotFound('seasonId', 'Season');
    if (harvestedOn < season.starts_on || harvestedOn > season.ends_on) {
      throw fieldError(
        'HARVEST_OUTSIDE_SEASON',
        'harvestedOn',
        `The season runs from ${season.starts_on} to ${season.ends_on}.`,
        {
          startsOn: season.starts_on,
          endsOn: season.ends_on,
        },
      );
    }
  }

  /** The season's total from this plot, this harvest included, against the product's limits. */
  private async checkYield(
    manager: EntityManager,
    plot: PlotFacts,
    product: { id: string; category: HarvestProduct },
    seasonId: string,
    addedKg: number,
    overrideReason: string | null,
    excludeHarvestId: string | null = null,
    ownKg = 0,
  ): Promise<{ kgPerHa: number; check: YieldCheck }> {
    const otherKg = await harvestRepository.seasonKg(manager, {
      plotId: plot.id,
      seasonId,
      productId: product.id,
      excluding: excludeHarvestId,
    });
    const seasonKg = otherKg + (excludeHarvestId ? ownKg : addedKg);
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
