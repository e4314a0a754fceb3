import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  todayIso,
  type CreateDeliveryDto,
  type DeliveryDto,
  type DeliveryListQuery,
  type Page,
} from '@huuco/domain';
import type { DataSource } from 'typeorm';
import { AuditService } from '../../access/audit/audit.service.js';
import { affectedRows } from '../../platform/http/affected-rows.js';
import type { Actor } from '../../access/auth/actor.js';
import { cooperativeWritable } from '../../access/auth/record-scope.js';
import { fieldError, notFound } from '../../platform/http/domain-error.js';
import { offsetOf, pageOf, sqlOrder } from '../../platform/http/pagination.js';
import { AppConfig } from '../../platform/config/app-config.js';
import { contractScope, ContractService } from '../contracts/contract.service.js';
import { epcClassOfLot, eventTimeOn, kilograms, VIETNAM_OFFSET } from '../../trace/events/epcis.js';
import { EventStore } from '../../trace/events/event-store.js';
import { ProvenanceBuilder } from '../../trace/provenance/provenance.builder.js';

interface DeliveryRow {
  id: string;
  contract_id: string;
  contract_number: string;
  buyer_name: string;
  cooperative_name: string;
  delivered_on: string;
  destination: string;
  status: DeliveryDto['status'];
  received_on: string | null;
  received_by_username: string | null;
  over_contract: boolean;
  lots: DeliveryDto['lots'];
}

const SELECT_DELIVERY = `
  SELECT d.id, d.contract_id, c.number AS contract_number, b.name AS buyer_name, co.name AS cooperative_name,
         to_char(d.delivered_on, 'YYYY-MM-DD') AS delivered_on, d.destination, d.status,
         to_char(d.received_on, 'YYYY-MM-DD') AS received_on, d.received_by_username, d.over_contract,
         (SELECT json_agg(json_build_object('lotId', l.id, 'code', l.code, 'productNameVi', pr.name_vi,
                 'quantityKg', dl.quantity_kg, 'provenanceUrl', l.qr_url) ORDER BY l.code)
            FROM delivery_lots dl JOIN lots l ON l.id = dl.lot_id JOIN products pr ON pr.id = l.product_id
           WHERE dl.delivery_id = d.id) AS lots
    FROM deliveries d
    JOIN contracts c ON c.id = d.contract_id
    JOIN buyers b ON b.id = c.buyer_id
    JOIN cooperatives co ON co.id = c.cooperative_id`;

function toDto(r: DeliveryRow): DeliveryDto {
  const lots = r.lots.map((l) => ({ ...l, quantityKg: Number(l.quantityKg) }));
  return {
    id: r.id,
    contractId: r.contract_id,
    contractNumber: r.contract_number,
    buyerName: r.buyer_name,
    cooperativeName: r.cooperative_name,
    deliveredOn: r.delivered_on,
    destination: r.destination,
    status: r.status,
    receivedOn: r.received_on,
    receivedBy: r.received_by_username,
    quantityKg: lots.reduce((sum, l) => sum + l.quantityKg, 0),
    overContract: r.over_contract,
    lots,
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Deliveries of lots against a contract (rule 3: never more than remains of a lot), each a
 * shipping event with the contract as business transaction; the buyer's receipt is a receiving
 * event, after which the lots' provenance pages name the buyer.
 */
@Injectable()
export class DeliveryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly contracts: ContractService,
    private readonly events: EventStore,
    private readonly provenance: ProvenanceBuilder,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async create(actor: Actor, dto: CreateDeliveryDto): Promise<DeliveryDto> {
    if (dto.deliveredOn > todayIso()) {
      throw fieldError(
        'VALIDATION_FAILED',
        'deliveredOn',
        'A delivery is recorded on or after the day it leaves.',
      );
    }
    const lotIds = dto.lots.map((l) => l.lotId);
    if (new Set(lotIds).size !== lotIds.length)
      throw fieldError('VALIDATION_FAILED', 'lots', 'A lot is listed twice.');

    const id = await this.db.transaction(async (manager) => {
      // One delivery at a time per contract: the quantity check below counts the others.
      await manager.query('SELECT id FROM contracts WHERE id = $1 FOR UPDATE', [dto.contractId]);
      const contract = await this.contracts.get(actor, dto.contractId, manager).catch(() => {
        throw fieldError('REFERENCE_NOT_FOUND', 'contractId', 'No contract with this id.');
      });
      if (!(await cooperativeWritable(manager, actor, contract.cooperativeId))) {
        throw fieldError('REFERENCE_NOT_FOUND', 'contractId', 'No contract with this id.');
      }
      if (contract.status !== 'active') {
        throw fieldError(
          'CONTRACT_NOT_ACTIVE',
          'contractId',
          `Deliveries go against an active contract; this one is ${contract.status}.`,
          { status: contract.status },
        );
      }
      const fresh = contract.fulfilment;
      const quantityKg = round2(dto.lots.reduce((sum, l) => sum + l.quantityKg, 0));
      const limitKg = fresh.contractedKg ?? fresh.expectedKg;
      const over = fresh.deliveredKg + quantityKg > limitKg + 0.005;
      if (over && this.config.overDelivery === 'refuse') {
        throw fieldError(
          'DELIVERY_EXCEEDS_CONTRACT',
          'lots',
          `The contract covers ${limitKg} kg; ${fresh.deliveredKg} kg are delivered, so at most ${round2(Math.max(0, limitKg - fresh.deliveredKg))} kg more.`,
          {
            limitKg,
            deliveredKg: fresh.deliveredKg,
            remainingKg: round2(Math.max(0, limitKg - fresh.deliveredKg)),
          },
        );
      }

      const [delivery] = await manager.query<{ id: string }[]>(
        `INSERT INTO deliveries (contract_id, delivered_on, destination, over_contract, created_by_username)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [contract.id, dto.deliveredOn, dto.destination, over, actor.username],
      );
      const shipped: { id: string; code: string; gtin: string | null; quantityKg: number }[] = [];
      // Lots are taken in id order whatever order they are listed in: no deadlock between two deliveries.
      for (const [index, item] of [...dto.lots.entries()].sort(([, a], [, b]) =>
        a.lotId < b.lotId ? -1 : a.lotId > b.lotId ? 1 : 0,
      )) {
        const path = `lots.${index}`;
        const [lot] = await manager.query<
          {
            id: string;
            code: string;
            cooperative_id: string;
            category: string;
            gtin: string | null;
            status: string;
          }[]
        >(
          `SELECT l.id, l.code, l.cooperative_id, pr.category, pr.gtin, l.status
             FROM lots l JOIN products pr ON pr.id = l.product_id WHERE l.id = $1`,
          [item.lotId],
        );
        if (!lot || lot.cooperative_id !== contract.cooperativeId) {
          throw fieldError(
            'REFERENCE_NOT_FOUND',
            `${path}.lotId`,
            'No lot of this cooperative with this id.',
          );
        }
        if (lot.category !== contract.productCategory) {
          throw fieldError(
            'DELIVERY_LOT_INVALID',
            `${path}.lotId`,
            `The contract buys ${contract.productCategory}; lot ${lot.code} is ${lot.category}.`,
          );
        }
        // Taken atomically: parallel deliveries from one lot cannot both take its last kilogram.
        const taken = await manager.query<unknown[]>(
          `UPDATE lots SET remaining_kg = remaining_kg - $2,
                  status = CASE WHEN remaining_kg - $2 = 0 THEN 'shipped' ELSE status END
            WHERE id = $1 AND remaining_kg >= $2 AND status IN ('open', 'sealed') RETURNING id`,
          [lot.id, item.quantityKg],
        );
        if (affectedRows(taken) === 0) {
          const [now] = await manager.query<{ status: string; remaining_kg: string }[]>(
            'SELECT status, remaining_kg FROM lots WHERE id = $1',
            [lot.id],
          );
          if (now!.status === 'recalled') {
            throw fieldError(
              'LOT_NOT_USABLE',
              `${path}.lotId`,
              `Lot ${lot.code} is recalled; it cannot be delivered.`,
            );
          }
          throw fieldError(
            'INSUFFICIENT_QUANTITY',
            `${path}.quantityKg`,
            `Only ${Number(now!.remaining_kg)} kg remain of lot ${lot.code}.`,
            {
              remainingKg: Number(now!.remaining_kg),
            },
          );
        }
        await manager.query(
          'INSERT INTO delivery_lots (delivery_id, lot_id, quantity_kg) VALUES ($1, $2, $3)',
          [delivery!.id, lot.id, item.quantityKg],
        );
        shipped.push({ id: lot.id, code: lot.code, gtin: lot.gtin, quantityKg: item.quantityKg });
      }
      const [buyer] = await manager.query<{ tax_code: string }[]>(
        'SELECT tax_code FROM buyers WHERE id = $1',
        [contract.buyerId],
      );
      await this.events.append(manager, {
        body: {
          type: 'ObjectEvent',
          eventTime: eventTimeOn(dto.deliveredOn),
          eventTimeZoneOffset: VIETNAM_OFFSET,
          action: 'OBSERVE',
          bizStep: 'shipping',
          disposition: 'in_transit',
          quantityList: shipped.map((s) => kilograms(epcClassOfLot(s.code, s.gtin), s.quantityKg)),
          bizTransactionList: [
            { type: 'po', bizTransaction: contractUrn(buyer!.tax_code, contract.number) },
          ],
          destinationList: [
            { type: 'owning_party', destination: `urn:huuco:buyer:${buyer!.tax_code}` },
          ],
          'huuco:delivery': `urn:huuco:delivery:${delivery!.id}`,
        },
        lotIds: shipped.map((s) => s.id),
        cooperativeId: contract.cooperativeId,
        actorUsername: actor.username,
        why: over ? 'above the contract quantity' : null,
      });
      for (const lot of shipped) await this.provenance.rebuild(manager, lot.id);
      await this.audit.record(manager, actor, {
        action: 'delivery.ship',
        entity: 'delivery',
        entityId: delivery!.id,
        after: dto,
        details: over ? { overContract: true } : {},
      });
      return delivery!.id;
    });
    return this.get(actor, id);
  }

  /** The buyer confirms receipt; the lots' pages then name the buyer and the contract. */
  async receive(actor: Actor, id: string, receivedOn: string): Promise<DeliveryDto> {
    const delivery = await this.get(actor, id);
    if (actor.scope.kind !== 'buyer') throw notFound('Delivery', id);
    if (receivedOn < delivery.deliveredOn || receivedOn > todayIso()) {
      throw fieldError(
        'VALIDATION_FAILED',
        'receivedOn',
        `Between the delivery (${delivery.deliveredOn}) and today.`,
      );
    }
    await this.db.transaction(async (manager) => {
      const updated = await manager.query<unknown[]>(
        `UPDATE deliveries SET status = 'received', received_on = $2, received_by_username = $3
          WHERE id = $1 AND status = 'shipped' RETURNING id`,
        [id, receivedOn, actor.username],
      );
      if (affectedRows(updated) === 0) {
        throw fieldError(
          'DELIVERY_ALREADY_RECEIVED',
          'status',
          'This delivery was already received.',
        );
      }
      const [row] = await manager.query<
        { tax_code: string; number: string; cooperative_id: string }[]
      >(
        `SELECT b.tax_code, c.number, c.cooperative_id FROM deliveries d JOIN contracts c ON c.id = d.contract_id
           JOIN buyers b ON b.id = c.buyer_id WHERE d.id = $1`,
        [id],
      );
      const gtins = await manager.query<{ id: string; gtin: string | null }[]>(
        `SELECT l.id, pr.gtin FROM lots l JOIN products pr ON pr.id = l.product_id WHERE l.id = ANY($1::uuid[])`,
        [delivery.lots.map((l) => l.lotId)],
      );
      await this.events.append(manager, {
        body: {
          type: 'ObjectEvent',
          eventTime: eventTimeOn(receivedOn),
          eventTimeZoneOffset: VIETNAM_OFFSET,
          action: 'OBSERVE',
          bizStep: 'receiving',
          disposition: 'in_progress',
          quantityList: delivery.lots.map((l) =>
            kilograms(
              epcClassOfLot(l.code, gtins.find((g) => g.id === l.lotId)?.gtin ?? null),
              l.quantityKg,
            ),
          ),
          bizTransactionList: [
            { type: 'po', bizTransaction: contractUrn(row!.tax_code, row!.number) },
          ],
          'huuco:delivery': `urn:huuco:delivery:${id}`,
        },
        lotIds: delivery.lots.map((l) => l.lotId),
        cooperativeId: row!.cooperative_id,
        actorUsername: actor.username,
      });
      for (const lot of delivery.lots) await this.provenance.rebuild(manager, lot.lotId);
      await this.audit.record(manager, actor, {
        action: 'delivery.receive',
        entity: 'delivery',
        entityId: id,
        after: { receivedOn },
      });
    });
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<DeliveryDto> {
    const params: unknown[] = [id];
    const scope = contractScope(actor, params);
    const [row] = await this.db.query<DeliveryRow[]>(
      `${SELECT_DELIVERY} WHERE d.id = $1 AND ${scope}`,
      params,
    );
    if (!row) throw notFound('Delivery', id);
    return toDto(row);
  }

  async list(actor: Actor, query: DeliveryListQuery): Promise<Page<DeliveryDto>> {
    const params: unknown[] = [];
    const conditions = [contractScope(actor, params)];
    if (query.contractId) conditions.push(`d.contract_id = $${params.push(query.contractId)}`);
    if (query.status) conditions.push(`d.status = $${params.push(query.status)}`);
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const [{ total }] = (await this.db.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM deliveries d JOIN contracts c ON c.id = d.contract_id ${where}`,
      params,
    )) as [{ total: number }];
    const sort = query.sort === 'createdAt' ? 'd.created_at' : 'd.delivered_on';
    const rows = await this.db.query<DeliveryRow[]>(
      `${SELECT_DELIVERY} ${where} ORDER BY ${sort} ${sqlOrder(query)}, d.id LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`,
      params,
    );
    return pageOf(rows.map(toDto), total, query);
  }
}

export const contractUrn = (buyerTaxCode: string, number: string) =>
  `urn:huuco:contract:${buyerTaxCode}:${encodeURIComponent(number)}`;
