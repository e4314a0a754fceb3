import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CONTRACT_TRANSITIONS,
  DEFAULT_EXPECTED_YIELD_KG_PER_HA,
  ProductCategory,
  todayIso,
  type ContractCoverageDto,
  type ContractDto,
  type ContractListQuery,
  type ContractStatusChangeDto,
  type CreateContractDto,
  type FulfilmentDto,
  type FulfilmentRow,
  type Page,
} from '@huuco/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../access/audit/audit.service.js';
import type { Actor } from '../../access/auth/actor.js';
import { cooperativeWritable, SCOPED, scopeSql } from '../../access/auth/record-scope.js';
import { fieldError, notFound } from '../../platform/http/domain-error.js';
import { offsetOf, pageOf, sqlOrder } from '../../platform/http/pagination.js';
import { seasonLabel } from '../../trace/harvests/harvest.service.js';
import { OrganicStatusService } from '../../registry/plots/organic-status.service.js';

interface ContractRow {
  id: string;
  number: string;
  buyer_id: string;
  buyer_name: string;
  cooperative_id: string;
  cooperative_name: string;
  season_id: string;
  season_year: number;
  season_name: string;
  product_category: string;
  basis: ContractDto['basis'];
  contracted_kg: string | null;
  zone_id: string | null;
  plot_ids: string[];
  price_vnd_per_kg: number;
  quality_terms: string | null;
  status: ContractDto['status'];
  signed_on: string | null;
  is_demo: boolean;
  document: ContractDto['document'];
  covered_area_m2: string;
  delivered_kg: string;
  received_kg: string;
}

/**
 * One row per contract, with the area it covers (listed plots, or the cooperative's plots in
 * its zone) and what was delivered and received against it.
 */
const SELECT_CONTRACT = `
  SELECT c.id, c.number, c.buyer_id, b.name AS buyer_name, c.cooperative_id, co.name AS cooperative_name,
         c.season_id, s.year AS season_year, s.name AS season_name, c.product_category, c.basis, c.contracted_kg,
         c.zone_id, coalesce((SELECT array_to_json(array_agg(cp.plot_id)) FROM contract_plots cp WHERE cp.contract_id = c.id), '[]') AS plot_ids,
         c.price_vnd_per_kg, c.quality_terms, c.status, to_char(c.signed_on, 'YYYY-MM-DD') AS signed_on, c.is_demo,
         (SELECT json_build_object('filename', d.filename, 'contentType', d.content_type, 'sizeBytes', d.size_bytes, 'sha256', d.sha256)
            FROM contract_documents d WHERE d.contract_id = c.id) AS document,
         (SELECT coalesce(sum(p.area_m2), 0) FROM plots p
           WHERE c.basis = 'whole_area'
             AND (p.id IN (SELECT cp.plot_id FROM contract_plots cp WHERE cp.contract_id = c.id)
                  OR (NOT EXISTS (SELECT 1 FROM contract_plots cp WHERE cp.contract_id = c.id)
                      AND p.zone_id = c.zone_id AND p.cooperative_id = c.cooperative_id))) AS covered_area_m2,
         (SELECT coalesce(sum(dl.quantity_kg), 0) FROM deliveries d JOIN delivery_lots dl ON dl.delivery_id = d.id
           WHERE d.contract_id = c.id) AS delivered_kg,
         (SELECT coalesce(sum(dl.quantity_kg), 0) FROM deliveries d JOIN delivery_lots dl ON dl.delivery_id = d.id
           WHERE d.contract_id = c.id AND d.status = 'received') AS received_kg
    FROM contracts c
    JOIN buyers b ON b.id = c.buyer_id
    JOIN cooperatives co ON co.id = c.cooperative_id
    JOIN seasons s ON s.id = c.season_id`;

export function fulfilmentOf(r: {
  basis: string;
  product_category: string;
  contracted_kg: string | null;
  covered_area_m2: string;
  delivered_kg: string;
  received_kg: string;
  price_vnd_per_kg: number | string;
}): FulfilmentDto {
  const coveredAreaM2 = Number(r.covered_area_m2);
  const contractedKg = r.contracted_kg === null ? null : Number(r.contracted_kg);
  const expectedKg =
    r.basis === 'whole_area'
      ? Math.round(
          (coveredAreaM2 / 10_000) * (DEFAULT_EXPECTED_YIELD_KG_PER_HA[r.product_category] ?? 0),
        )
      : contractedKg!;
  const deliveredKg = Number(r.delivered_kg);
  const target = contractedKg ?? expectedKg;
  return {
    contractedKg,
    expectedKg,
    coveredAreaM2,
    deliveredKg,
    receivedKg: Number(r.received_kg),
    // Whole đồng: kg carry two decimals, so round once at the end.
    deliveredValueVnd: Math.round(deliveredKg * Number(r.price_vnd_per_kg)),
    share: target > 0 ? deliveredKg / target : null,
  };
}

function toDto(r: ContractRow): ContractDto {
  return {
    id: r.id,
    number: r.number,
    buyerId: r.buyer_id,
    buyerName: r.buyer_name,
    cooperativeId: r.cooperative_id,
    cooperativeName: r.cooperative_name,
    seasonId: r.season_id,
    seasonLabel: seasonLabel(r.season_year, r.season_name),
    productCategory: r.product_category,
    basis: r.basis,
    contractedKg: r.contracted_kg === null ? null : Number(r.contracted_kg),
    zoneId: r.zone_id,
    plotIds: r.plot_ids,
    priceVndPerKg: Number(r.price_vnd_per_kg),
    qualityTerms: r.quality_terms,
    status: r.status,
    signedOn: r.signed_on,
    document: r.document,
    fulfilment: fulfilmentOf(r),
    isDemo: r.is_demo,
  };
}

/** The contracts an actor may see: a buyer its own, everyone else their cooperatives'. */
export function contractScope(actor: Actor, params: unknown[]): string {
  return scopeSql(actor, SCOPED.contracts, 'c', params);
}

const DOCUMENT_SIGNATURES: Record<string, (b: Buffer) => boolean> = {
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) =>
    b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
};
export const DOCUMENT_TYPES = Object.keys(DOCUMENT_SIGNATURES);

/** Offtake contracts (hợp đồng bao tiêu) between a buyer and a cooperative, and their fulfilment. */
@Injectable()
export class ContractService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly statuses: OrganicStatusService,
  ) {}

  async create(actor: Actor, dto: CreateContractDto): Promise<ContractDto> {
    if (!(ProductCategory as readonly string[]).includes(dto.productCategory)) {
      throw fieldError(
        'VALIDATION_FAILED',
        'productCategory',
        `One of: ${ProductCategory.join(', ')}.`,
      );
    }
    const id = await this.db.transaction(async (manager) => {
      if (!(await cooperativeWritable(manager, actor, dto.cooperativeId))) {
        throw fieldError('REFERENCE_NOT_FOUND', 'cooperativeId', 'No cooperative with this id.');
      }
      for (const [path, table, value] of [
        ['buyerId', 'buyers', dto.buyerId],
        ['seasonId', 'seasons', dto.seasonId],
        ['zoneId', 'zones', dto.zoneId],
      ] as const) {
        if (value === null) continue;
        const [found] = await manager.query(`SELECT 1 FROM ${table} WHERE id = $1`, [value]);
        if (!found) throw fieldError('REFERENCE_NOT_FOUND', path, 'No record with this id.');
      }
      if (dto.plotIds.length) {
        const [{ n }] = (await manager.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM plots WHERE id = ANY($1::uuid[]) AND cooperative_id = $2',
          [dto.plotIds, dto.cooperativeId],
        )) as [{ n: number }];
        if (n !== new Set(dto.plotIds).size) {
          throw fieldError(
            'CONTRACT_SCOPE_INVALID',
            'plotIds',
            'Every plot must be the cooperative’s own.',
          );
        }
      }
      const [row] = await manager.query<{ id: string }[]>(
        `INSERT INTO contracts (number, buyer_id, cooperative_id, season_id, product_category, basis, contracted_kg,
           zone_id, price_vnd_per_kg, quality_terms, signed_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [
          dto.number,
          dto.buyerId,
          dto.cooperativeId,
          dto.seasonId,
          dto.productCategory,
          dto.basis,
          dto.basis === 'quantity' ? dto.contractedKg : null,
          dto.zoneId,
          dto.priceVndPerKg,
          dto.qualityTerms,
          dto.signedOn,
        ],
      );
      for (const plotId of new Set(dto.plotIds)) {
        await manager.query('INSERT INTO contract_plots (contract_id, plot_id) VALUES ($1, $2)', [
          row!.id,
          plotId,
        ]);
      }
      await this.audit.record(manager, actor, {
        action: 'contract.create',
        entity: 'contract',
        entityId: row!.id,
        after: dto,
      });
      return row!.id;
    });
    return this.get(actor, id);
  }

  async get(
    actor: Actor,
    id: string,
    manager: EntityManager = this.db.manager,
  ): Promise<ContractDto> {
    const params: unknown[] = [id];
    const scope = contractScope(actor, params);
    const [row] = await manager.query<ContractRow[]>(
      `${SELECT_CONTRACT} WHERE c.id = $1 AND ${scope}`,
      params,
    );
    if (!row) throw notFound('Contract', id);
    return toDto(row);
  }

  async list(actor: Actor, query: ContractListQuery): Promise<Page<ContractDto>> {
    const params: unknown[] = [];
    const conditions = [contractScope(actor, params)];
    if (query.status) conditions.push(`c.status = $${params.push(query.status)}`);
    if (query.buyerId) conditions.push(`c.buyer_id = $${params.push(query.buyerId)}`);
    if (query.cooperativeId)
      conditions.push(`c.cooperative_id = $${params.push(query.cooperativeId)}`);
    if (query.seasonId) conditions.push(`c.season_id = $${params.push(query.seasonId)}`);
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const [{ total }] = (await this.db.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM contracts c ${where}`,
      params,
    )) as [{ total: number }];
    const sort = query.sort === 'number' ? 'c.number' : 'c.created_at';
    const rows = await this.db.query<ContractRow[]>(
      `${SELECT_CONTRACT} ${where} ORDER BY ${sort} ${sqlOrder(query)}, c.id LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`,
      params,
    );
    return pageOf(rows.map(toDto), total, query);
  }

  /** draft → signed → active → fulfilled; cancelled from any but the last two. */
  async changeStatus(actor: Actor, id: string, dto: ContractStatusChangeDto): Promise<ContractDto> {
    await this.db.transaction(async (manager) => {
      // Locked first, so the status read is the one the change applies to.
      await manager.query('SELECT id FROM contracts WHERE id = $1 FOR UPDATE', [id]);
      const contract = await this.get(actor, id, manager);
      if (!(await cooperativeWritable(manager, actor, contract.cooperativeId)))
        throw notFound('Contract', id);
      const status = contract.status;
      if (!CONTRACT_TRANSITIONS[status].includes(dto.status)) {
        throw fieldError(
          'CONTRACT_STATUS_TRANSITION_INVALID',
          'status',
          `A ${status} contract cannot become ${dto.status}${CONTRACT_TRANSITIONS[status].length ? ` (only ${CONTRACT_TRANSITIONS[status].join(', ')})` : ''}.`,
          { from: status, to: dto.status },
        );
      }
      const signedOn = dto.status === 'signed' ? dto.signedOn : contract.signedOn;
      if (dto.status === 'signed' && !signedOn) {
        throw fieldError('VALIDATION_FAILED', 'signedOn', 'Say when the contract was signed.');
      }
      if (signedOn && signedOn > todayIso()) {
        throw fieldError(
          'VALIDATION_FAILED',
          'signedOn',
          'A contract cannot be signed in the future.',
        );
      }
      await manager.query(
        'UPDATE contracts SET status = $2, signed_on = $3, updated_at = now() WHERE id = $1',
        [id, dto.status, signedOn],
      );
      await this.audit.record(manager, actor, {
        action: `contract.${dto.status}`,
        entity: 'contract',
        entityId: id,
        before: { status },
        after: { status: dto.status },
        details: dto.reason ? { reason: dto.reason } : {},
      });
    });
    return this.get(actor, id);
  }

  /** The signed contract as an attachment: PDF, JPEG or PNG, checked by its first bytes, not its name. */
  async attach(
    actor: Actor,
    id: string,
    contentType: string,
    filename: string,
    content: Buffer,
  ): Promise<ContractDto> {
    const type = contentType.split(';')[0]!.trim().toLowerCase();
    const matches = DOCUMENT_SIGNATURES[type];
    if (!matches || !matches(content)) {
      throw fieldError(
        'DOCUMENT_TYPE_INVALID',
        'document',
        'The signed contract is a PDF, JPEG or PNG file.',
        {
          accepted: DOCUMENT_TYPES,
        },
      );
    }
    await this.db.transaction(async (manager) => {
      const contract = await this.get(actor, id, manager);
      if (!(await cooperativeWritable(manager, actor, contract.cooperativeId)))
        throw notFound('Contract', id);
      const sha256 = createHash('sha256').update(content).digest('hex');
      await manager.query(
        `INSERT INTO contract_documents (contract_id, filename, content_type, size_bytes, sha256, content, uploaded_by_username)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (contract_id) DO UPDATE SET filename = EXCLUDED.filename, content_type = EXCLUDED.content_type,
           size_bytes = EXCLUDED.size_bytes, sha256 = EXCLUDED.sha256, content = EXCLUDED.content,
           uploaded_by_username = EXCLUDED.uploaded_by_username, uploaded_at = now()`,
        [id, filename.slice(0, 200), type, content.length, sha256, content, actor.username],
      );
      await this.audit.record(manager, actor, {
        action: 'contract.document',
        entity: 'contract',
        entityId: id,
        details: { sha256, sizeBytes: content.length, contentType: type },
      });
    });
    return this.get(actor, id);
  }

  async document(
    actor: Actor,
    id: string,
  ): Promise<{ filename: string; contentType: string; content: Buffer }> {
    await this.get(actor, id);
    const [row] = await this.db.query<
      { filename: string; content_type: string; content: Buffer }[]
    >('SELECT filename, content_type, content FROM contract_documents WHERE contract_id = $1', [
      id,
    ]);
    if (!row) throw fieldError('NOT_FOUND', 'document', 'No signed document is attached yet.');
    return {
      filename: row.filename,
      contentType: row.content_type,
      content: Buffer.from(row.content),
    };
  }

  /** Contracted, expected and delivered per cooperative and season, within the viewer's scope. */
  async fulfilment(
    actor: Actor,
    filter: { seasonId?: string; cooperativeId?: string },
  ): Promise<FulfilmentRow[]> {
    const params: unknown[] = [];
    const conditions = [contractScope(actor, params), `c.status <> 'cancelled'`];
    if (filter.seasonId) conditions.push(`c.season_id = $${params.push(filter.seasonId)}`);
    if (filter.cooperativeId)
      conditions.push(`c.cooperative_id = $${params.push(filter.cooperativeId)}`);
    const rows = await this.db.query<ContractRow[]>(
      `${SELECT_CONTRACT} WHERE ${conditions.join(' AND ')}`,
      params,
    );
    const groups = new Map<string, FulfilmentRow>();
    const targets = new Map<string, number>();
    for (const row of rows) {
      const f = fulfilmentOf(row);
      const key = `${row.cooperative_id}:${row.season_id}`;
      const group = groups.get(key) ?? {
        cooperativeId: row.cooperative_id,
        cooperativeName: row.cooperative_name,
        seasonId: row.season_id,
        seasonLabel: seasonLabel(row.season_year, row.season_name),
        contracts: 0,
        contractedKg: 0,
        expectedKg: 0,
        coveredAreaM2: 0,
        deliveredKg: 0,
        receivedKg: 0,
        deliveredValueVnd: 0,
        share: null,
      };
      group.contracts++;
      group.contractedKg = (group.contractedKg ?? 0) + (f.contractedKg ?? 0);
      group.expectedKg += f.expectedKg;
      group.coveredAreaM2 += f.coveredAreaM2;
      group.deliveredKg += f.deliveredKg;
      group.receivedKg += f.receivedKg;
      group.deliveredValueVnd += f.deliveredValueVnd;
      groups.set(key, group);
      targets.set(key, (targets.get(key) ?? 0) + (f.contractedKg ?? f.expectedKg));
    }
    return [...groups.values()]
      .map((g) => {
        const target = targets.get(`${g.cooperativeId}:${g.seasonId}`) ?? 0;
        return { ...g, share: target > 0 ? g.deliveredKg / target : null };
      })
      .sort(
        (a, b) =>
          a.cooperativeName.localeCompare(b.cooperativeName) ||
          b.seasonLabel.localeCompare(a.seasonLabel),
      );
  }

  /** The share of certified organic area, today, that signed or active whole-area contracts cover. */
  async coverage(actor: Actor): Promise<ContractCoverageDto> {
    const plotParams: unknown[] = [];
    const plotScope = scopeSql(actor, SCOPED.plots, 'p', plotParams);
    const plots = await this.db.query<
      {
        id: string;
        zone_id: string | null;
        conversion_started_on: string | null;
        area_m2: string;
        contracted: boolean;
      }[]
    >(
      `SELECT p.id, p.zone_id, to_char(p.conversion_started_on, 'YYYY-MM-DD') AS conversion_started_on, p.area_m2,
              EXISTS (SELECT 1 FROM contracts c
                       WHERE c.basis = 'whole_area' AND c.status IN ('signed', 'active') AND c.cooperative_id = p.cooperative_id
                         AND (p.id IN (SELECT cp.plot_id FROM contract_plots cp WHERE cp.contract_id = c.id)
                              OR (NOT EXISTS (SELECT 1 FROM contract_plots cp WHERE cp.contract_id = c.id) AND p.zone_id = c.zone_id))
                     ) AS contracted
         FROM plots p WHERE ${plotScope}`,
      plotParams,
    );
    const verdicts = await this.statuses.derive(
      plots.map((p) => ({
        id: p.id,
        zoneId: p.zone_id,
        conversionStartedOn: p.conversion_started_on,
      })),
      todayIso(),
    );
    let organicAreaM2 = 0;
    let contractedAreaM2 = 0;
    for (const plot of plots) {
      if (verdicts.get(plot.id)?.status !== 'certified') continue;
      organicAreaM2 += Number(plot.area_m2);
      if (plot.contracted) contractedAreaM2 += Number(plot.area_m2);
    }
    return {
      organicAreaM2: Math.round(organicAreaM2),
      contractedAreaM2: Math.round(contractedAreaM2),
      share: organicAreaM2 > 0 ? contractedAreaM2 / organicAreaM2 : null,
    };
  }
}
