import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ocopStars,
  ocopValidTo,
  progressOf,
  todayIso,
  type CreateTargetDto,
  type DashboardDto,
  type Indicator,
  type TargetDto,
} from '@huuco/domain';
import type { DataSource } from 'typeorm';
import { AuditService } from '../../access/audit/audit.service.js';
import type { Actor } from '../../access/auth/actor.js';
import { fieldError, notFound } from '../../platform/http/domain-error.js';
import { seasonLabel } from '../../trace/catalogue/season-label.js';
import { OrganicStatusService } from '../../registry/plots/organic-status.service.js';
import { targetRepository, type TargetRow } from './target.repository.js';

const FIRST_YEAR = 2021;

/**
 * Targets (chỉ tiêu) per admin unit and year, with actuals computed from the records, never
 * typed in. A unit's records are those of the cooperatives in it, its communes and the units
 * that succeeded them, so district-era targets stay correct after the 2025 reform.
 */
@Injectable()
export class TargetService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly statuses: OrganicStatusService,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, dto: CreateTargetDto): Promise<TargetDto> {
    if (!actor.unitIds.includes(dto.adminUnitId))
      throw fieldError('REFERENCE_NOT_FOUND', 'adminUnitId', 'No unit of yours with this id.');
    const id = await this.db.transaction(async (manager) => {
      const targetId = await targetRepository.insert(manager, dto);
      await this.audit.record(manager, actor, {
        action: 'target.create',
        entity: 'target',
        entityId: targetId,
        after: dto,
      });
      return targetId;
    });
    const row = await targetRepository.find(this.db.manager, id);
    return (await this.withActuals([row]))[0]!;
  }

  async list(actor: Actor, filter: { adminUnitId?: string; year?: number }): Promise<TargetDto[]> {
    return this.withActuals(await targetRepository.list(this.db.manager, actor.unitIds, filter));
  }

  private async withActuals(rows: TargetRow[]): Promise<TargetDto[]> {
    const cache = new Map<string, number>();
    const result: TargetDto[] = [];
    for (const row of rows) {
      const key = `${row.admin_unit_id}:${row.year}:${row.indicator}`;
      const actual =
        cache.get(key) ?? (await this.actual(row.admin_unit_id, row.year, row.indicator));
      cache.set(key, actual);
      const target = Number(row.target_value);
      result.push({
        id: row.id,
        adminUnitId: row.admin_unit_id,
        adminUnitName: row.admin_unit_name,
        year: row.year,
        indicator: row.indicator,
        targetValue: target,
        actual,
        ...progressOf(actual, target),
        note: row.note,
        isDemo: row.is_demo,
      });
    }
    return result;
  }

  /** The unit's cooperatives: in it, under it, or in the units that succeeded those. */
  cooperativesOf(unitId: string): Promise<string[]> {
    return targetRepository.cooperativesOf(this.db.manager, unitId);
  }

  /** The indicator's value for the unit in the year, from the records as they stand. */
  async actual(unitId: string, year: number, indicator: Indicator): Promise<number> {
    const cooperatives = await this.cooperativesOf(unitId);
    const on = minDate(todayIso(), `${year}-12-31`);
    switch (indicator) {
      case 'organic_ha':
        return round(
          (await this.organicPlots(cooperatives, on)).reduce((sum, p) => sum + p.areaM2, 0) /
            10_000,
          2,
        );
      case 'households':
        return new Set((await this.organicPlots(cooperatives, on, true)).map((p) => p.householdId))
          .size;
      case 'ocop_3_stars': {
        const rows = await targetRepository.ocopRatings(this.db.manager, cooperatives);
        return rows.filter(
          (r) =>
            ocopStars(r.score) >= 3 &&
            r.certified_on <= `${year}-12-31` &&
            ocopValidTo(r.certified_on) > `${year}-01-01`,
        ).length;
      }
      case 'tonnes_harvested': {
        const kg = await targetRepository.harvestedKg(
          this.db.manager,
          cooperatives,
          `${year}-01-01`,
          `${year}-12-31`,
        );
        return round(kg / 1_000, 2);
      }
      case 'contract_share': {
        const organic = await this.organicPlots(cooperatives, on);
        const contracted = await targetRepository.contractedPlots(
          this.db.manager,
          cooperatives,
          year,
        );
        const total = organic.reduce((sum, p) => sum + p.areaM2, 0);
        const under = organic
          .filter((p) => contracted.has(p.id))
          .reduce((sum, p) => sum + p.areaM2, 0);
        return total > 0 ? round(under / total, 4) : 0;
      }
    }
  }

  /** Plots certified (or, with `orConverting`, in conversion) on the date. */
  private async organicPlots(cooperatives: string[], on: string, members = false) {
    // Counting households: only those that had joined by then, with plots certified or converting.
    const plots = await targetRepository.plots(this.db.manager, cooperatives, on, members);
    const verdicts = await this.statuses.derive(
      plots.map((p) => ({
        id: p.id,
        zoneId: p.zone_id,
        conversionStartedOn: p.conversion_started_on,
      })),
      on,
    );
    return plots
      .filter((p) => {
        const status = verdicts.get(p.id)?.status;
        return status === 'certified' || (members && status === 'in_conversion');
      })
      .map((p) => ({
        id: p.id,
        zoneId: p.zone_id,
        areaM2: Number(p.area_m2),
        householdId: p.household_id,
      }));
  }

  /** What staff report from: this year's targets with live actuals, and the figures behind the charts. */
  async dashboard(actor: Actor, unitId: string | undefined, year: number): Promise<DashboardDto> {
    const unit = unitId ?? (await this.homeUnit(actor));
    if (!actor.unitIds.includes(unit)) throw notFound('Admin unit', unit);
    const cooperatives = await this.cooperativesOf(unit);
    const targets = await this.list(actor, { adminUnitId: unit, year });
    const areaTargets = await targetRepository.yearly(this.db.manager, unit, 'organic_ha');
    const organicAreaByYear = [];
    for (let y = FIRST_YEAR; y <= Number(todayIso().slice(0, 4)); y++) {
      const target = areaTargets.find((t) => t.year === y);
      organicAreaByYear.push({
        year: y,
        ha: await this.actual(unit, y, 'organic_ha'),
        targetHa: target ? Number(target.target_value) : null,
      });
    }
    const tonnes = await targetRepository.harvestedBySeason(this.db.manager, cooperatives);
    const ocop = await targetRepository.ocopRatings(this.db.manager, cooperatives);
    const today = todayIso();
    const zones = await targetRepository.zonesOf(this.db.manager, cooperatives);
    const certified = await this.organicPlots(cooperatives, today);
    return {
      year,
      targets,
      organicAreaByYear,
      tonnesBySeason: tonnes.map((t) => ({
        seasonLabel: seasonLabel(t.year, t.name),
        tonnes: round(Number(t.kg) / 1_000, 2),
      })),
      ocopByStars: [1, 2, 3, 4, 5].map((stars) => {
        const rated = ocop.filter((o) => ocopStars(o.score) === stars);
        const valid = rated.filter(
          (o) => o.certified_on <= today && today < ocopValidTo(o.certified_on),
        ).length;
        return { stars, valid, expired: rated.length - valid };
      }),
      households: await this.actual(unit, year, 'households'),
      contractShare: await this.actual(unit, year, 'contract_share'),
      zones: zones.map((z) => {
        const certifiedHa = round(
          certified.filter((p) => p.zoneId === z.id).reduce((s, p) => s + p.areaM2, 0) / 10_000,
          2,
        );
        const targetHa =
          z.target_area_m2 === null ? null : round(Number(z.target_area_m2) / 10_000, 2);
        return {
          id: z.id,
          code: z.code,
          name: z.name,
          certifiedHa,
          targetHa,
          ratio: targetHa ? certifiedHa / targetHa : null,
        };
      }),
    };
  }

  /** The unit a district user was given (not the ones under it). */
  private async homeUnit(actor: Actor): Promise<string> {
    const unit = await targetRepository.homeUnit(this.db.manager, actor.id);
    if (!unit) throw fieldError('VALIDATION_FAILED', 'adminUnitId', 'Choose an admin unit.');
    return unit;
  }
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const minDate = (a: string, b: string) => (a < b ? a : b);
