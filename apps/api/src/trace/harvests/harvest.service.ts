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
import {
  cooperativeWritable,
  recordInScope,
  SCOPED,
  scopeSql,
} from '../../access/auth/record-scope.js';
import { fieldError, notFound, referenceNotFound } from '../../platform/http/domain-error.js';
import { offsetOf, pageOf, sqlOrder } from '../../platform/http/pagination.js';
import { AppConfig } from '../../platform/config/app-config.js';
import {
  epcClassOfHarvest,
  eventTimeOn,
  kilograms,
  plotLocation,
  VIETNAM_OFFSET,
} from '../events/epcis.js';
import { EventStore } from '../events/event-store.js';
import { OrganicStatusService } from '../../registry/plots/organic-status.service.js';

interface HarvestRow {
  id: string;
  plot_id: string;
  plot_code: string;
  cooperative_id: string;
  season_id: string;
  season_year: number;
  season_name: string;
  harvested_on: string;
  lunar_date: string | null;
  product_id: string;
  product_code: string;
  product_category: HarvestDto['productCategory'];
  quantity_kg: string;
  remaining_kg: string;
  organic_status: HarvestDto['organicStatus'];
  organic_status_reason: HarvestDto['organicStatusReason'];
  yield_kg_per_ha: string;
  yield_check: YieldCheck;
  override_reason: string | null;
  recorded_by_username: string;
  created_at: Date;
}

const SELECT_HARVEST = `
  SELECT h.id, h.plot_id, p.code AS plot_code, h.cooperative_id, h.season_id, s.year AS season_year,
         s.name AS season_name, to_char(h.harvested_on, 'YYYY-MM-DD') AS harvested_on, h.lunar_date,
         h.product_id, pr.code AS product_code, pr.category AS product_category, h.quantity_kg,
         h.remaining_kg, h.organic_status, h.organic_status_reason, h.yield_kg_per_ha, h.yield_check,
         h.override_reason, h.recorded_by_username, h.created_at
    FROM harvests h
    JOIN plots p ON p.id = h.plot_id
    JOIN seasons s ON s.id = h.season_id
    JOIN products pr ON pr.id = h.product_id`;

const SORT = {
  harvestedOn: 'h.harvested_on',
  quantity: 'h.quantity_kg',
  createdAt: 'h.created_at',
} as const;

export const seasonLabel = (year: number, name: string) => `${name}:${year}`;

function toDto(r: HarvestRow): HarvestDto {
  return {
    id: r.id,
    plotId: r.plot_id,
    plotCode: r.plot_code,
    cooperativeId: r.cooperative_id,
    seasonId: r.season_id,
    seasonLabel: seasonLabel(r.season_year, r.season_name),
    harvestedOn: r.harvested_on,
    lunarDate: r.lunar_date,
    productId: r.product_id,
    productCode: r.product_code,
    productCategory: r.product_category,
    quantityKg: Number(r.quantity_kg),
    remainingKg: Number(r.remaining_kg),
    organicStatus: r.organic_status,
    organicStatusReason: r.organic_status_reason,
    yieldKgPerHa: Number(r.yield_kg_per_ha),
    yieldCheck: r.yield_check,
    overrideReason: r.override_reason,
    recordedBy: r.recorded_by_username,
    createdAt: r.created_at.toISOString(),
  };
}

interface PlotFacts {
  id: string;
  code: string;
  cooperative_id: string;
  zone_id: string | null;
  conversion_started_on: string | null;
  area_m2: string;
  cooperative_initial_status: CooperativeStatus;
  household_left_on: string | null;
}

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

  async record(actor: Actor, dto: CreateHarvestDto): Promise<HarvestDto> {
    const plot = await this.writablePlot(this.db.manager, actor, dto.plotId, dto.harvestedOn);
    // Derived before the transaction: the derivation reads through its own connection.
    const verdict = (await this.statuses.derive([this.statusFacts(plot)], dto.harvestedOn)).get(
      plot.id,
    )!;

    const id = await this.db.transaction(async (manager) => {
      // The plot's row serialises harvests on one plot, so the season's yield is counted once.
      await manager.query('SELECT id FROM plots WHERE id = $1 FOR UPDATE', [plot.id]);
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

      const [row] = await manager.query<{ id: string }[]>(
        `INSERT INTO harvests (plot_id, cooperative_id, season_id, product_id, harvested_on, lunar_date,
           quantity_kg, remaining_kg, organic_status, organic_status_reason, yield_kg_per_ha, yield_check,
           override_reason, recorded_by, recorded_by_username)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
        [
          plot.id,
          plot.cooperative_id,
          dto.seasonId,
          product.id,
          dto.harvestedOn,
          dto.lunarDate,
          dto.quantityKg,
          verdict.status,
          verdict.reason,
          Math.round(yieldCheck.kgPerHa * 10) / 10,
          yieldCheck.check,
          yieldCheck.check === 'overridden' ? dto.overrideReason : null,
          actor.id,
          actor.username,
        ],
      );
      const harvestId = row!.id;
      // The chain head is locked from the append to the commit: append last.
      await this.audit.record(manager, actor, {
        action: 'harvest.record',
        entity: 'harvest',
        entityId: harvestId,
        after: { ...dto, organicStatus: verdict.status },
      });
      await this.events.append(manager, {
        body: {
          type: 'ObjectEvent',
          eventTime: eventTimeOn(dto.harvestedOn),
          eventTimeZoneOffset: VIETNAM_OFFSET,
          action: 'ADD',
          bizStep: 'commissioning',
          disposition: 'active',
          quantityList: [kilograms(epcClassOfHarvest(harvestId), dto.quantityKg)],
          readPoint: { id: plotLocation(plot.code) },
          ilmd: {
            'cbvmda:harvestEndDate': dto.harvestedOn,
            'cbvmda:countryOfOrigin': 'VN',
            'huuco:product': product.category,
            'huuco:organicStatus': verdict.status,
            'huuco:organicStatusReason': verdict.reason,
            ...(dto.lunarDate && { 'huuco:lunarDate': dto.lunarDate }),
          },
          'huuco:yieldCheck': yieldCheck.check,
        },
        lotIds: [harvestId],
        cooperativeId: plot.cooperative_id,
        actorUsername: actor.username,
        why: yieldCheck.check === 'overridden' ? dto.overrideReason : null,
      });
      return harvestId;
    });
    return this.get(actor, id);
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
      await manager.query('SELECT id FROM plots WHERE id = $1 FOR UPDATE', [plot.id]);
      const [locked] = await manager.query<{ quantity_kg: string; remaining_kg: string }[]>(
        'SELECT quantity_kg, remaining_kg FROM harvests WHERE id = $1 FOR UPDATE',
        [id],
      );
      if (Number(locked!.remaining_kg) !== Number(locked!.quantity_kg)) {
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
      await manager.query(
        `UPDATE harvests SET quantity_kg = $2, remaining_kg = $2, harvested_on = $3, organic_status = $4,
           organic_status_reason = $5, yield_kg_per_ha = $6, yield_check = $7::varchar,
           override_reason = CASE WHEN $7::varchar = 'overridden' THEN override_reason END
         WHERE id = $1`,
        [
          id,
          quantityKg,
          harvestedOn,
          verdict.status,
          verdict.reason,
          Math.round(yieldCheck.kgPerHa * 10) / 10,
          yieldCheck.check,
        ],
      );
      const [original] = await manager.query<{ seq: string }[]>(
        `SELECT seq FROM events WHERE lot_ids @> ARRAY[$1]::uuid[] AND biz_step = 'commissioning' ORDER BY seq LIMIT 1`,
        [id],
      );
      await this.events.append(manager, {
        body: {
          type: 'ObjectEvent',
          eventTime: eventTimeOn(harvestedOn),
          eventTimeZoneOffset: VIETNAM_OFFSET,
          action: 'ADD',
          bizStep: 'commissioning',
          disposition: 'active',
          quantityList: [kilograms(epcClassOfHarvest(id), quantityKg)],
          readPoint: { id: plotLocation(plot.code) },
          ilmd: {
            'cbvmda:harvestEndDate': harvestedOn,
            'cbvmda:countryOfOrigin': 'VN',
            'huuco:product': product.category,
            'huuco:organicStatus': verdict.status,
            'huuco:organicStatusReason': verdict.reason,
          },
          'huuco:correction': true,
        },
        lotIds: [id],
        cooperativeId: plot.cooperative_id,
        actorUsername: actor.username,
        why: dto.reason,
        correctsSeq: original ? Number(original.seq) : null,
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
    const [row] = await this.db.query<HarvestRow[]>(`${SELECT_HARVEST} WHERE h.id = $1`, [id]);
    if (!row || !(await recordInScope(this.db.manager, actor, SCOPED.harvests, id)))
      throw notFound('Harvest', id);
    return toDto(row);
  }

  async list(actor: Actor, query: HarvestListQuery): Promise<Page<HarvestDto>> {
    const params: unknown[] = [];
    const conditions = [scopeSql(actor, SCOPED.harvests, 'h', params)];
    if (query.plotId) conditions.push(`h.plot_id = $${params.push(query.plotId)}`);
    if (query.seasonId) conditions.push(`h.season_id = $${params.push(query.seasonId)}`);
    if (query.cooperativeId)
      conditions.push(`h.cooperative_id = $${params.push(query.cooperativeId)}`);
    if (query.available === 'true') conditions.push('h.remaining_kg > 0');
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const [{ total }] = (await this.db.query<{ total: string }[]>(
      `SELECT count(*) AS total FROM harvests h ${where}`,
      params,
    )) as [{ total: string }];
    const rows = await this.db.query<HarvestRow[]>(
      `${SELECT_HARVEST} ${where} ORDER BY ${SORT[query.sort]} ${sqlOrder(query)}, h.id LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`,
      params,
    );
    return pageOf(rows.map(toDto), Number(total), query);
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
    const [plot] = await manager.query<PlotFacts[]>(
      `SELECT p.id, p.code, p.cooperative_id, p.zone_id, to_char(p.conversion_started_on, 'YYYY-MM-DD') AS conversion_started_on,
              p.area_m2, c.initial_status AS cooperative_initial_status,
              to_char(hh.left_on, 'YYYY-MM-DD') AS household_left_on
         FROM plots p JOIN cooperatives c ON c.id = p.cooperative_id
         JOIN households hh ON hh.id = p.household_id
        WHERE p.id = $1`,
      [plotId],
    );
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
    const [product] = await manager.query<{ id: string; category: string }[]>(
      'SELECT id, category FROM products WHERE id = $1',
      [productId],
    );
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
    const [season] = await manager.query<{ starts_on: string; ends_on: string }[]>(
      `SELECT to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on FROM seasons WHERE id = $1`,
      [seasonId],
    );
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
    const [{ kg }] = (await manager.query<{ kg: string | null }[]>(
      `SELECT sum(quantity_kg) AS kg FROM harvests WHERE plot_id = $1 AND season_id = $2 AND product_id = $3 AND id IS DISTINCT FROM $4`,
      [plot.id, seasonId, product.id, excludeHarvestId],
    )) as [{ kg: string | null }];
    const seasonKg = Number(kg ?? 0) + (excludeHarvestId ? ownKg : addedKg);
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
