import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  checkTransformation,
  lotIsOrganic,
  ocopStars,
  ocopValidTo,
  todayIso,
  type CreateLotsDto,
  type LotDto,
  type LotListQuery,
  type LotTraceDto,
  type Page,
  type TraceNode,
} from '@huuco/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../access/audit/audit.service.js';
import { affectedRows } from '../../platform/http/affected-rows.js';
import type { Actor } from '../../access/auth/actor.js';
import {
  cooperativeWritable,
  recordInScope,
  SCOPED,
  scopeSql,
} from '../../access/auth/record-scope.js';
import { DomainError, fieldError, notFound } from '../../platform/http/domain-error.js';
import { offsetOf, pageOf, sqlOrder } from '../../platform/http/pagination.js';
import { AppConfig } from '../../platform/config/app-config.js';
import {
  cooperativeLocation,
  epcClassOfHarvest,
  epcClassOfLot,
  eventTimeOn,
  kilograms,
  VIETNAM_OFFSET,
} from '../events/epcis.js';
import { EventStore } from '../events/event-store.js';
import { seasonLabel } from '../harvests/harvest.service.js';
import { ProvenanceBuilder } from '../provenance/provenance.builder.js';
import { LabelSigner } from '../provenance/label-signer.js';
import { newLotCode, qrPng, qrSvg, type Pick } from './lot-codes.js';

interface LotRow {
  id: string;
  code: string;
  product_id: string;
  product_code: string;
  product_name_vi: string;
  product_name_en: string;
  product_category: LotDto['productCategory'];
  gtin: string | null;
  cooperative_id: string;
  season_id: string | null;
  season_year: number | null;
  season_name: string | null;
  process: LotDto['process'];
  produced_on: string;
  quantity_kg: string;
  remaining_kg: string;
  organic: boolean;
  status: LotDto['status'];
  recalled_at: Date | null;
  recall_reason: string | null;
  qr_url: string;
  scan_count: number | null;
  scan_warning: boolean | null;
  created_at: Date;
}

const SELECT_LOT = `
  SELECT l.id, l.code, l.product_id, pr.code AS product_code, pr.name_vi AS product_name_vi,
         pr.name_en AS product_name_en, pr.category AS product_category, pr.gtin, l.cooperative_id,
         l.season_id, s.year AS season_year, s.name AS season_name, t.process,
         to_char(t.occurred_on, 'YYYY-MM-DD') AS produced_on, l.quantity_kg, l.remaining_kg, l.organic,
         l.status, l.recalled_at, l.recall_reason, l.qr_url, (SELECT count(*)::int FROM scans sc WHERE sc.lot_id = l.id) AS scan_count,
         lp.scan_warning, l.created_at
    FROM lots l
    JOIN products pr ON pr.id = l.product_id
    JOIN transformations t ON t.id = l.transformation_id
    LEFT JOIN seasons s ON s.id = l.season_id
    LEFT JOIN lot_provenance lp ON lp.lot_id = l.id`;

const SORT = { createdAt: 'l.created_at', code: 'l.code', quantity: 'l.quantity_kg' } as const;

function toDto(r: LotRow): LotDto {
  return {
    id: r.id,
    code: r.code,
    productId: r.product_id,
    productCode: r.product_code,
    productNameVi: r.product_name_vi,
    productNameEn: r.product_name_en,
    productCategory: r.product_category,
    gtin: r.gtin,
    cooperativeId: r.cooperative_id,
    seasonId: r.season_id,
    seasonLabel: r.season_year === null ? null : seasonLabel(r.season_year, r.season_name!),
    process: r.process,
    producedOn: r.produced_on,
    quantityKg: Number(r.quantity_kg),
    remainingKg: Number(r.remaining_kg),
    organic: r.organic,
    status: r.status,
    recalledAt: r.recalled_at?.toISOString() ?? null,
    recallReason: r.recall_reason,
    provenanceUrl: r.qr_url,
    scanCount: r.scan_count ?? 0,
    scanWarning: r.scan_warning ?? false,
    createdAt: r.created_at.toISOString(),
  };
}

interface InputSource {
  index: number;
  kind: 'harvest' | 'lot';
  id: string;
  quantityKg: number;
  cooperativeId: string;
  category: string;
  organic: boolean;
  seasonId: string | null;
  epcClass: string;
}

/**
 * Lots and the transformations that make them (rule 3): a lot never takes more than what
 * remains of its inputs — checked by the database row by row, so parallel requests cannot
 * both take the last kilogram — and is organic only if every input is.
 */
@Injectable()
export class LotService {
  private pick: Pick = randomInt;

  /** The demo draws its lot codes from its own seed, so the same seed gives the same codes. */
  withCodesFrom<T>(pick: Pick, work: () => Promise<T>): Promise<T> {
    this.pick = pick;
    return work().finally(() => {
      this.pick = randomInt;
    });
  }

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventStore,
    private readonly audit: AuditService,
    private readonly signer: LabelSigner,
    private readonly provenance: ProvenanceBuilder,
    private readonly config: AppConfig,
  ) {}

  async create(actor: Actor, dto: CreateLotsDto): Promise<LotDto[]> {
    if (dto.occurredOn > todayIso()) {
      throw fieldError(
        'TRANSFORMATION_INVALID',
        'occurredOn',
        'A lot is recorded on or after the day it is made.',
      );
    }
    const seen = new Set<string>();
    dto.inputs.forEach((input, index) => {
      const key = input.harvestId ?? input.lotId!;
      if (seen.has(key))
        throw fieldError('VALIDATION_FAILED', `inputs.${index}`, 'This input is listed twice.');
      seen.add(key);
    });
    if ((dto.process === 'aggregation' || dto.process === 'packing') && dto.outputs.length !== 1) {
      throw fieldError(
        'TRANSFORMATION_INVALID',
        'outputs',
        'Aggregation and packing make one lot.',
      );
    }

    const ids = await this.db.transaction(async (manager) => {
      const sources = await this.consumeInputs(manager, actor, dto);
      const cooperativeId = sources[0]!.cooperativeId;
      const products = await manager.query<{ id: string; category: string; gtin: string | null }[]>(
        'SELECT id, category, gtin FROM products WHERE id = ANY($1::uuid[])',
        [dto.outputs.map((o) => o.productId)],
      );
      const outputs = dto.outputs.map((output, index) => {
        const product = products.find((p) => p.id === output.productId);
        if (!product)
          throw fieldError(
            'REFERENCE_NOT_FOUND',
            `outputs.${index}.productId`,
            'No product with this id.',
          );
        return { ...output, product };
      });
      this.checkBalance(dto, sources, outputs);

      const organic = lotIsOrganic(sources);
      const seasons = new Set(sources.map((s) => s.seasonId));
      const seasonId = seasons.size === 1 ? [...seasons][0]! : null;
      const [transformation] = await manager.query<{ id: string }[]>(
        `INSERT INTO transformations (process, occurred_on, cooperative_id, note, created_by_username)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [dto.process, dto.occurredOn, cooperativeId, dto.note, actor.username],
      );
      for (const source of sources) {
        await manager.query(
          `INSERT INTO transformation_inputs (transformation_id, harvest_id, lot_id, quantity_kg) VALUES ($1, $2, $3, $4)`,
          [
            transformation!.id,
            source.kind === 'harvest' ? source.id : null,
            source.kind === 'lot' ? source.id : null,
            source.quantityKg,
          ],
        );
      }
      const made: { id: string; code: string; gtin: string | null; quantityKg: number }[] = [];
      for (const output of outputs) {
        const code = newLotCode(dto.process, dto.occurredOn, this.pick);
        const url = this.signer.urlFor(code, output.product.gtin);
        const [lot] = await manager.query<{ id: string }[]>(
          `INSERT INTO lots (code, product_id, cooperative_id, season_id, transformation_id, quantity_kg, remaining_kg,
             organic, qr_url, qr_svg)
           VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9) RETURNING id`,
          [
            code,
            output.product.id,
            cooperativeId,
            seasonId,
            transformation!.id,
            output.quantityKg,
            organic,
            url,
            await qrSvg(url),
          ],
        );
        made.push({ id: lot!.id, code, gtin: output.product.gtin, quantityKg: output.quantityKg });
      }

      const [cooperative] = await manager.query<{ registration_number: string }[]>(
        'SELECT registration_number FROM cooperatives WHERE id = $1',
        [cooperativeId],
      );
      await this.events.append(manager, {
        body: {
          type: 'TransformationEvent',
          eventTime: eventTimeOn(dto.occurredOn),
          eventTimeZoneOffset: VIETNAM_OFFSET,
          inputQuantityList: sources.map((s) => kilograms(s.epcClass, s.quantityKg)),
          outputQuantityList: made.map((m) =>
            kilograms(epcClassOfLot(m.code, m.gtin), m.quantityKg),
          ),
          transformationID: `urn:huuco:transformation:${transformation!.id}`,
          bizStep: dto.process === 'packing' ? 'packing' : 'commissioning',
          disposition: 'active',
          bizLocation: { id: cooperativeLocation(cooperative!.registration_number) },
          ilmd: {
            'cbvmda:countryOfOrigin': 'VN',
            'huuco:organic': organic,
            'huuco:lotNumbers': made.map((m) => m.code),
          },
          'huuco:process': dto.process,
        },
        lotIds: [...made.map((m) => m.id), ...sources.map((s) => s.id)],
        cooperativeId,
        actorUsername: actor.username,
        why: dto.note,
      });
      for (const lot of made) await this.provenance.rebuild(manager, lot.id);
      await this.audit.record(manager, actor, {
        action: `lot.${dto.process}`,
        entity: 'lot',
        entityId: made[0]!.id,
        after: { ...dto, lots: made.map((m) => m.code) },
      });
      return made.map((m) => m.id);
    });
    return Promise.all(ids.map((id) => this.get(actor, id)));
  }

  /** Takes each input's quantity, atomically: the UPDATE matches only while enough remains. */
  private async consumeInputs(
    manager: EntityManager,
    actor: Actor,
    dto: CreateLotsDto,
  ): Promise<InputSource[]> {
    const sources: InputSource[] = [];
    // Rows are locked in one order whatever order the inputs are listed in, so two lots made
    // from the same harvests at once wait for each other instead of deadlocking.
    for (const [index, input] of lockOrder(dto.inputs)) {
      const path = `inputs.${index}`;
      if (input.harvestId) {
        const [harvest] = await manager.query<
          {
            id: string;
            cooperative_id: string;
            category: string;
            organic_status: string;
            season_id: string;
            remaining_kg: string;
          }[]
        >(
          `SELECT h.id, h.cooperative_id, pr.category, h.organic_status, h.season_id, h.remaining_kg
             FROM harvests h JOIN products pr ON pr.id = h.product_id WHERE h.id = $1`,
          [input.harvestId],
        );
        if (!harvest || !(await cooperativeWritable(manager, actor, harvest.cooperative_id))) {
          throw fieldError('REFERENCE_NOT_FOUND', `${path}.harvestId`, 'No harvest with this id.');
        }
        const taken = await manager.query<unknown[]>(
          'UPDATE harvests SET remaining_kg = remaining_kg - $2 WHERE id = $1 AND remaining_kg >= $2 RETURNING id',
          [harvest.id, input.quantityKg],
        );
        if (affectedRows(taken) === 0) {
          const [now] = await manager.query<{ remaining_kg: string }[]>(
            'SELECT remaining_kg FROM harvests WHERE id = $1',
            [harvest.id],
          );
          throw insufficient(path, now!.remaining_kg);
        }
        sources.push({
          index,
          kind: 'harvest',
          id: harvest.id,
          quantityKg: input.quantityKg,
          cooperativeId: harvest.cooperative_id,
          category: harvest.category,
          organic: harvest.organic_status === 'certified',
          seasonId: harvest.season_id,
          epcClass: epcClassOfHarvest(harvest.id),
        });
      } else {
        const [lot] = await manager.query<
          {
            id: string;
            code: string;
            cooperative_id: string;
            category: string;
            organic: boolean;
            season_id: string | null;
            status: string;
            gtin: string | null;
          }[]
        >(
          `SELECT l.id, l.code, l.cooperative_id, pr.category, l.organic, l.season_id, l.status, pr.gtin
             FROM lots l JOIN products pr ON pr.id = l.product_id WHERE l.id = $1`,
          [input.lotId],
        );
        if (!lot || !(await cooperativeWritable(manager, actor, lot.cooperative_id))) {
          throw fieldError('REFERENCE_NOT_FOUND', `${path}.lotId`, 'No lot with this id.');
        }
        const taken = await manager.query<unknown[]>(
          `UPDATE lots SET remaining_kg = remaining_kg - $2
            WHERE id = $1 AND remaining_kg >= $2 AND status IN ('open', 'sealed') RETURNING id`,
          [lot.id, input.quantityKg],
        );
        if (affectedRows(taken) === 0) {
          const [now] = await manager.query<{ status: string; remaining_kg: string }[]>(
            'SELECT status, remaining_kg FROM lots WHERE id = $1',
            [lot.id],
          );
          if (now!.status === 'recalled' || now!.status === 'shipped') {
            throw fieldError(
              'LOT_NOT_USABLE',
              `${path}.lotId`,
              `Lot ${lot.code} is ${now!.status}; nothing can be made from it.`,
              {
                status: now!.status,
              },
            );
          }
          throw insufficient(path, now!.remaining_kg);
        }
        sources.push({
          index,
          kind: 'lot',
          id: lot.id,
          quantityKg: input.quantityKg,
          cooperativeId: lot.cooperative_id,
          category: lot.category,
          organic: lot.organic,
          seasonId: lot.season_id,
          epcClass: epcClassOfLot(lot.code, lot.gtin),
        });
      }
    }
    if (new Set(sources.map((s) => s.cooperativeId)).size > 1) {
      throw fieldError(
        'INPUTS_FROM_SEVERAL_COOPERATIVES',
        'inputs',
        'A lot is made by one cooperative from its own harvests and lots.',
      );
    }
    return sources.sort((a, b) => a.index - b.index);
  }

  private checkBalance(
    dto: CreateLotsDto,
    sources: InputSource[],
    outputs: { quantityKg: number; product: { category: string } }[],
  ): void {
    const inputKg = sources.reduce((sum, s) => sum + s.quantityKg, 0);
    const issues = checkTransformation(
      dto.process,
      sources.map((s) => s.category),
      inputKg,
      outputs.map((o) => ({ product: o.product.category, quantityKg: o.quantityKg })),
      this.config.millingRatio,
    );
    if (dto.process === 'aggregation' && Math.abs(outputs[0]!.quantityKg - inputKg) > 0.005) {
      throw fieldError(
        'TRANSFORMATION_INVALID',
        'outputs.0.quantityKg',
        `An aggregated lot weighs what its inputs weigh: ${inputKg} kg.`,
        {
          inputKg,
        },
      );
    }
    const ratio = issues.find((i) => i.code === 'MILLING_RATIO_OUT_OF_RANGE');
    if (ratio) {
      const { min, max } = this.config.millingRatio;
      throw fieldError(
        'MILLING_RATIO_OUT_OF_RANGE',
        'outputs',
        `Milled rice is ${(ratio.ratio * 100).toFixed(1)} % of the paddy; milling gives ${min * 100}–${max * 100} %.`,
        { ratio: ratio.ratio, min, max },
      );
    }
    if (issues.length) {
      throw new DomainError(
        'TRANSFORMATION_INVALID',
        'These outputs cannot come from these inputs.',
        issues.map((issue) => ({
          path:
            issue.code === 'PRODUCT_NOT_FROM_PROCESS'
              ? `outputs.${issue.index}.productId`
              : issue.code === 'OUTPUTS_EXCEED_INPUTS'
                ? 'outputs'
                : 'inputs',
          code: issue.code,
          message:
            issue.code === 'OUTPUTS_EXCEED_INPUTS'
              ? `Outputs weigh ${issue.outputKg} kg, more than the ${issue.inputKg} kg put in.`
              : issue.code === 'PRODUCT_NOT_FROM_PROCESS'
                ? `${dto.process} does not make ${issue.product}.`
                : `${dto.process} takes one kind of product (got ${'product' in issue ? issue.product : ''}).`,
        })),
      );
    }
  }

  async get(actor: Actor, id: string): Promise<LotDto> {
    const [row] = await this.db.query<LotRow[]>(`${SELECT_LOT} WHERE l.id = $1`, [id]);
    if (!row || !(await recordInScope(this.db.manager, actor, SCOPED.lots, id)))
      throw notFound('Lot', id);
    return toDto(row);
  }

  async list(actor: Actor, query: LotListQuery): Promise<Page<LotDto>> {
    const params: unknown[] = [];
    const conditions = [scopeSql(actor, SCOPED.lots, 'l', params)];
    if (query.status) conditions.push(`l.status = $${params.push(query.status)}`);
    if (query.productId) conditions.push(`l.product_id = $${params.push(query.productId)}`);
    if (query.cooperativeId)
      conditions.push(`l.cooperative_id = $${params.push(query.cooperativeId)}`);
    if (query.seasonId) conditions.push(`l.season_id = $${params.push(query.seasonId)}`);
    if (query.q)
      conditions.push(`l.code ILIKE $${params.push(`%${query.q.replace(/[\\%_]/g, '\\$&')}%`)}`);
    if (query.available === 'true')
      conditions.push(`l.remaining_kg > 0 AND l.status IN ('open', 'sealed')`);
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const [{ total }] = (await this.db.query<{ total: string }[]>(
      `SELECT count(*) AS total FROM lots l ${where}`,
      params,
    )) as [{ total: string }];
    const rows = await this.db.query<LotRow[]>(
      `${SELECT_LOT} ${where} ORDER BY ${SORT[query.sort]} ${sqlOrder(query)}, l.id LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`,
      params,
    );
    return pageOf(rows.map(toDto), Number(total), query);
  }

  /** One step back and one forward, all the way: every input down to the plots, every lot made from it. */
  async trace(actor: Actor, id: string): Promise<LotTraceDto> {
    const lot = await this.get(actor, id);
    const upstream = await this.provenance.upstreamTree(this.db.manager, id);
    const downstream = await this.db.query<
      {
        id: string;
        code: string;
        product: string;
        quantity_kg: string;
        status: LotDto['status'];
        depth: number;
      }[]
    >(
      `WITH RECURSIVE down(id, depth) AS (
         SELECT $1::uuid, 0
         UNION
         SELECT l.id, d.depth + 1 FROM down d
           JOIN transformation_inputs ti ON ti.lot_id = d.id
           JOIN lots l ON l.transformation_id = ti.transformation_id
       )
       SELECT l.id, l.code, pr.category AS product, l.quantity_kg, l.status, min(d.depth) AS depth
         FROM down d JOIN lots l ON l.id = d.id JOIN products pr ON pr.id = l.product_id
        WHERE d.depth > 0
        GROUP BY l.id, l.code, pr.category, l.quantity_kg, l.status
        ORDER BY min(d.depth), l.code`,
      [id],
    );
    return {
      lot,
      upstream: upstream as TraceNode,
      downstream: downstream.map((d) => ({
        ...d,
        quantityKg: Number(d.quantity_kg),
        depth: Number(d.depth),
      })),
    };
  }

  async seal(actor: Actor, id: string): Promise<LotDto> {
    const lot = await this.get(actor, id);
    await this.db.transaction(async (manager) => {
      if (!(await cooperativeWritable(manager, actor, lot.cooperativeId)))
        throw notFound('Lot', id);
      const updated = await manager.query<unknown[]>(
        `UPDATE lots SET status = 'sealed' WHERE id = $1 AND status = 'open' RETURNING id`,
        [id],
      );
      if (affectedRows(updated) === 0) {
        throw fieldError(
          'LOT_STATUS_TRANSITION_INVALID',
          'status',
          `A ${lot.status} lot cannot be sealed; only an open one.`,
          {
            from: lot.status,
            to: 'sealed',
          },
        );
      }
      await this.events.append(manager, {
        body: {
          type: 'ObjectEvent',
          eventTime: new Date().toISOString(),
          eventTimeZoneOffset: VIETNAM_OFFSET,
          action: 'OBSERVE',
          bizStep: 'storing',
          disposition: 'sellable_not_accessible',
          quantityList: [kilograms(epcClassOfLot(lot.code, lot.gtin), lot.quantityKg)],
        },
        lotIds: [id],
        cooperativeId: lot.cooperativeId,
        actorUsername: actor.username,
      });
      await this.provenance.rebuild(manager, id);
      await this.audit.record(manager, actor, {
        action: 'lot.seal',
        entity: 'lot',
        entityId: id,
        before: lot,
      });
    });
    return this.get(actor, id);
  }

  /** Rule 5: the lot and every lot made from it, however far down, are recalled together. */
  async recall(actor: Actor, id: string, reason: string): Promise<{ recalled: LotDto[] }> {
    const lot = await this.get(actor, id);
    const recalledIds = await this.db.transaction(async (manager) => {
      if (!(await cooperativeWritable(manager, actor, lot.cooperativeId)))
        throw notFound('Lot', id);
      if (lot.status === 'recalled') {
        throw fieldError(
          'LOT_STATUS_TRANSITION_INVALID',
          'status',
          'This lot is already recalled.',
          { from: 'recalled', to: 'recalled' },
        );
      }
      const affected = await manager.query<
        {
          id: string;
          code: string;
          gtin: string | null;
          quantity_kg: string;
          cooperative_id: string;
        }[]
      >(
        `WITH RECURSIVE down(id) AS (
           SELECT $1::uuid
           UNION
           SELECT l.id FROM down d
             JOIN transformation_inputs ti ON ti.lot_id = d.id
             JOIN lots l ON l.transformation_id = ti.transformation_id
         )
         SELECT l.id, l.code, pr.gtin, l.quantity_kg, l.cooperative_id
           FROM down d JOIN lots l ON l.id = d.id JOIN products pr ON pr.id = l.product_id
          WHERE l.status <> 'recalled'
          ORDER BY l.created_at
          FOR UPDATE OF l`,
        [id],
      );
      await manager.query(
        `UPDATE lots SET status = 'recalled', recalled_at = now(), recall_reason = $2,
           recalled_because_of = CASE WHEN id = $1 THEN NULL ELSE $1::uuid END
         WHERE id = ANY($3::uuid[])`,
        [id, reason, affected.map((a) => a.id)],
      );
      await this.events.append(manager, {
        body: {
          type: 'ObjectEvent',
          eventTime: new Date().toISOString(),
          eventTimeZoneOffset: VIETNAM_OFFSET,
          action: 'OBSERVE',
          bizStep: 'holding',
          disposition: 'recalled',
          quantityList: affected.map((a) =>
            kilograms(epcClassOfLot(a.code, a.gtin), Number(a.quantity_kg)),
          ),
          'huuco:recallOf': lot.code,
        },
        lotIds: affected.map((a) => a.id),
        cooperativeId: lot.cooperativeId,
        actorUsername: actor.username,
        why: reason,
      });
      for (const a of affected) await this.provenance.rebuild(manager, a.id);
      await this.audit.record(manager, actor, {
        action: 'lot.recall',
        entity: 'lot',
        entityId: id,
        details: { reason, lots: affected.map((a) => a.code) },
      });
      return affected.map((a) => a.id);
    });
    return { recalled: await Promise.all(recalledIds.map((rid) => this.get(actor, rid))) };
  }

  /** OCOP stars to print on each lot's label: only while the product's certificate is valid. */
  async validOcopStars(lots: LotDto[]): Promise<Map<string, number>> {
    const rows = await this.db.query<
      { product_id: string; cooperative_id: string; score: number; certified_on: string }[]
    >(
      `SELECT product_id, cooperative_id, score, to_char(certified_on, 'YYYY-MM-DD') AS certified_on
         FROM ocop_products WHERE product_id = ANY($1::uuid[])`,
      [[...new Set(lots.map((l) => l.productId))]],
    );
    const today = todayIso();
    const stars = new Map<string, number>();
    for (const lot of lots) {
      const valid = rows.find(
        (r) =>
          r.product_id === lot.productId &&
          r.cooperative_id === lot.cooperativeId &&
          r.certified_on <= today &&
          today < ocopValidTo(r.certified_on),
      );
      if (valid) stars.set(lot.id, ocopStars(valid.score));
    }
    return stars;
  }

  async qrSvg(actor: Actor, id: string): Promise<string> {
    await this.get(actor, id);
    const [row] = await this.db.query<{ qr_svg: string }[]>(
      'SELECT qr_svg FROM lots WHERE id = $1',
      [id],
    );
    return row!.qr_svg;
  }

  /** PNGs cost a few milliseconds: made on first request and kept. */
  async qrPng(actor: Actor, id: string): Promise<Buffer> {
    const lot = await this.get(actor, id);
    const [row] = await this.db.query<{ qr_png: Buffer | null }[]>(
      'SELECT qr_png FROM lots WHERE id = $1',
      [id],
    );
    if (row!.qr_png) return Buffer.from(row!.qr_png);
    const png = await qrPng(lot.provenanceUrl);
    await this.db.query('UPDATE lots SET qr_png = $2 WHERE id = $1', [id, png]);
    return png;
  }
}

function insufficient(path: string, remainingKg: string): DomainError {
  const remaining = Number(remainingKg);
  return fieldError(
    'INSUFFICIENT_QUANTITY',
    `${path}.quantityKg`,
    `Only ${remaining} kg remain of this input.`,
    { remainingKg: remaining },
  );
}

/** The inputs with their positions, harvests before lots, each by id: the order rows are locked in. */
export function lockOrder<T extends { harvestId?: string | null; lotId?: string | null }>(
  inputs: readonly T[],
): [number, T][] {
  const key = (input: T) => (input.harvestId ? `h:${input.harvestId}` : `l:${input.lotId ?? ''}`);
  return [...inputs.entries()].sort(([, a], [, b]) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0,
  );
}
