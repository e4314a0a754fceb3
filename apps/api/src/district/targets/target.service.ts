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
import { unitsWithin } from '../../access/auth/scope.service.js';
import { fieldError, notFound } from '../../platform/http/domain-error.js';
import { seasonLabel } from '../../trace/catalogue/season-label.js';
import { OrganicStatusService } from '../../registry/plots/organic-status.service.js';

interface TargetRow {
  id: string;
  admin_unit_id: string;
  admin_unit_name: string;
  year: number;
  indicator: Indicator;
  target_value: string;
  note: string | null;
  is_demo: boolean;
}

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
      const [row] = await manager.query<{ id: string }[]>(
        `INSERT INTO targets (admin_unit_id, year, indicator, target_value, note) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [dto.adminUnitId, dto.year, dto.indicator, dto.targetValue, dto.note],
      );
      await this.audit.record(manager, actor, {
        action: 'target.create',
        entity: 'target',
        entityId: row!.id,
        after: dto,
      });
      return row!.id;
    });
    const [row] = await this.db.query<TargetRow[]>(`${SELECT_TARGET} WHERE t.id = $1`, [id]);
    return (await this.withActuals([row!]))[0]!;
  }

  async list(actor: Actor, filter: { adminUnitId?: string; year?: number }): Promise<TargetDto[]> {
    const params: unknown[] = [actor.unitIds];
    const conditions = ['t.admin_unit_id = ANY($1::uuid[])'];
    if (filter.adminUnitId)
      conditions.push(`t.admin_unit_id = $${params.push(filter.adminUnitId)}`);
    if (filter.year) conditions.push(`t.year = $${params.push(filter.year)}`);
    const rows = await this.db.query<TargetRow[]>(
      `${SELECT_TARGET} WHERE ${conditions.join(' AND ')} ORDER BY t.year DESC, u.name, t.indicator`,
      params,
    );
    return this.withActuals(rows);
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
  async cooperativesOf(unitId: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT c.id FROM cooperatives c WHERE c.commune_id IN (${unitsWithin('SELECT $1::uuid')})`,
      [unitId],
    );
    return rows.map((r) => r.id);
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
        const rows = await this.db.query<{ score: number; certified_on: string }[]>(
          `SELECT score, to_char(certified_on, 'YYYY-MM-DD') AS certified_on FROM ocop_products WHERE cooperative_id = ANY($1::uuid[])`,
          [cooperatives],
        );
        return rows.filter(
          (r) =>
            ocopStars(r.score) >= 3 &&
            r.certified_on <= `${year}-12-31` &&
            ocopValidTo(r.certified_on) > `${year}-01-01`,
        ).length;
      }
      case 'tonnes_harvested': {
        const [{ kg }] = (await this.db.query<{ kg: string | null }[]>(
          `SELECT sum(quantity_kg) AS kg FROM harvests
            WHERE cooperative_id = ANY($1::uuid[]) AND harvested_on BETWEEN $2 AND $3`,
          [cooperatives, `${year}-01-01`, `${year}-12-31`],
        )) as [{ kg: string | null }];
        return round(Number(kg ?? 0) / 1_000, 2);
      }
      case 'contract_share': {
        const organic = await this.organicPlots(cooperatives, on);
        const contracted = new Set(
          (
            await this.db.query<{ id: string }[]>(
              `SELECT p.id FROM plots p JOIN contracts c ON c.cooperative_id = p.cooperative_id
                 JOIN seasons s ON s.id = c.season_id
                WHERE p.cooperative_id = ANY($1::uuid[]) AND s.year = $2 AND c.basis = 'whole_area'
                  AND c.status IN ('signed', 'active', 'fulfilled')
                  AND (p.id IN (SELECT cp.plot_id FROM contract_plots cp WHERE cp.contract_id = c.id)
                       OR (NOT EXISTS (SELECT 1 FROM contract_plots cp WHERE cp.contract_id = c.id) AND p.zone_id = c.zone_id))`,
              [cooperatives, year],
            )
          ).map((r) => r.id),
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
    const plots = await this.db.query<
      {
        id: string;
        zone_id: string | null;
        conversion_started_on: string | null;
        area_m2: string;
        household_id: string;
      }[]
    >(
      `SELECT p.id, p.zone_id, to_char(p.conversion_started_on, 'YYYY-MM-DD') AS conversion_started_on, p.area_m2, p.household_id
         FROM plots p JOIN households h ON h.id = p.household_id
        WHERE p.cooperative_id = ANY($1::uuid[]) AND ($3::boolean IS FALSE OR h.joined_on <= $2)`,
      [cooperatives, on, members],
    );
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
      .map((p) => ({ id: p.id, areaM2: Number(p.area_m2), householdId: p.household_id }));
  }

  /** What staff report from: this year's targets with live actuals, and the figures behind the charts. */
  async dashboard(actor: Actor, unitId: string | undefined, year: number): Promise<DashboardDto> {
    const unit = unitId ?? (await this.homeUnit(actor));
    if (!actor.unitIds.includes(unit)) throw notFound('Admin unit', unit);
    const cooperatives = await this.cooperativesOf(unit);
    const targets = await this.list(actor, { adminUnitId: unit, year });
    const areaTargets = await this.db.query<{ year: number; target_value: string }[]>(
      `SELECT year, target_value FROM targets WHERE admin_unit_id = $1 AND indicator = 'organic_ha'`,
      [unit],
    );
    const organicAreaByYear = [];
    for (let y = FIRST_YEAR; y <= Number(todayIso().slice(0, 4)); y++) {
      const target = areaTargets.find((t) => t.year === y);
      organicAreaByYear.push({
        year: y,
        ha: await this.actual(unit, y, 'organic_ha'),
        targetHa: target ? Number(target.target_value) : null,
      });
    }
    const tonnes = await this.db.query<{ year: number; name: string; kg: string }[]>(
      `SELECT s.year, s.name, sum(h.quantity_kg) AS kg FROM harvests h JOIN seasons s ON s.id = h.season_id
        WHERE h.cooperative_id = ANY($1::uuid[]) GROUP BY s.year, s.name, s.starts_on ORDER BY s.starts_on`,
      [cooperatives],
    );
    const ocop = await this.db.query<{ score: number; certified_on: string }[]>(
      `SELECT score, to_char(certified_on, 'YYYY-MM-DD') AS certified_on FROM ocop_products WHERE cooperative_id = ANY($1::uuid[])`,
      [cooperatives],
    );
    const today = todayIso();
    const zones = await this.db.query<
      { id: string; code: string; name: string; target_area_m2: string | null }[]
    >(
      `SELECT DISTINCT z.id, z.code, z.name, z.target_area_m2 FROM zones z
         JOIN plots p ON p.zone_id = z.id WHERE p.cooperative_id = ANY($1::uuid[]) ORDER BY z.code`,
      [cooperatives],
    );
    const certified = await this.organicPlots(cooperatives, today);
    const zoneOf = new Map(
      (
        await this.db.query<{ id: string; zone_id: string | null }[]>(
          'SELECT id, zone_id FROM plots WHERE id = ANY($1::uuid[])',
          [certified.map((p) => p.id)],
        )
      ).map((r) => [r.id, r.zone_id]),
    );
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
          certified.filter((p) => zoneOf.get(p.id) === z.id).reduce((s, p) => s + p.areaM2, 0) /
            10_000,
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
    const [row] = await this.db.query<{ admin_unit_id: string }[]>(
      `SELECT x.admin_unit_id FROM user_admin_units x JOIN admin_units u ON u.id = x.admin_unit_id
        WHERE x.user_id = $1 ORDER BY u.level LIMIT 1`,
      [actor.id],
    );
    if (!row) throw fieldError('VALIDATION_FAILED', 'adminUnitId', 'Choose an admin unit.');
    return row.admin_unit_id;
  }
}

const SELECT_TARGET = `
  SELECT t.id, t.admin_unit_id, u.name AS admin_unit_name, t.year, t.indicator, t.target_value, t.note, t.is_demo
    FROM targets t JOIN admin_units u ON u.id = t.admin_unit_id`;

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const minDate = (a: string, b: string) => (a < b ? a : b);
