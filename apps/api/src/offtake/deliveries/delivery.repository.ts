import type { DeliveryDto, DeliveryListQuery, Page } from '@huuco/domain';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../access/auth/actor.js';
import { affectedRows } from '../../platform/http/affected-rows.js';
import { offsetOf, pageOf, sqlOrder } from '../../platform/http/pagination.js';
import type { ShardRow } from '../../platform/database/distribution.js';
import { lotRepository } from '../../trace/lots/lot.repository.js';
import { contractScope } from '../contracts/contract.repository.js';

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
            FROM delivery_lots dl
            JOIN lots l ON l.id = dl.lot_id AND l.cooperative_id = c.cooperative_id
            JOIN products pr ON pr.id = l.product_id
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

export interface DeliveredLot {
  id: string;
  code: string;
  cooperative_id: string;
  category: string;
  gtin: string | null;
  status: string;
}

/** Deliveries' SQL, all of it: deliveries, the lots they carry, their receipt. */
export const deliveryRepository = {
  async find(manager: EntityManager, actor: Actor, id: string): Promise<DeliveryDto | null> {
    const params: unknown[] = [id];
    const scope = contractScope(actor, params);
    const [row] = await manager.query<DeliveryRow[]>(
      `${SELECT_DELIVERY} WHERE d.id = $1 AND ${scope}`,
      params,
    );
    return row ? toDto(row) : null;
  },

  async page(
    manager: EntityManager,
    actor: Actor,
    query: DeliveryListQuery,
  ): Promise<Page<DeliveryDto>> {
    const params: unknown[] = [];
    const conditions = [contractScope(actor, params)];
    if (query.contractId) conditions.push(`d.contract_id = $${params.push(query.contractId)}`);
    if (query.status) conditions.push(`d.status = $${params.push(query.status)}`);
    const where = `WHERE ${conditions.join(' AND ')}`;
    const [{ total }] = (await manager.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM deliveries d JOIN contracts c ON c.id = d.contract_id ${where}`,
      params,
    )) as [{ total: number }];
    const sort = query.sort === 'createdAt' ? 'd.created_at' : 'd.delivered_on';
    const rows = await manager.query<DeliveryRow[]>(
      `${SELECT_DELIVERY} ${where} ORDER BY ${sort} ${sqlOrder(query)}, d.id LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`,
      params,
    );
    return pageOf(rows.map(toDto), total, query);
  },

  async insert(
    manager: EntityManager,
    d: { contractId: string; deliveredOn: string; destination: string; overContract: boolean },
    username: string,
  ): Promise<string> {
    const [row] = await manager.query<{ id: string }[]>(
      `INSERT INTO deliveries (contract_id, delivered_on, destination, over_contract, created_by_username)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [d.contractId, d.deliveredOn, d.destination, d.overContract, username],
    );
    return row!.id;
  },

  /** The cooperative's lot with this id: another cooperative's is not found. */
  async lot(
    manager: EntityManager,
    id: string,
    cooperativeId: string,
  ): Promise<DeliveredLot | null> {
    const [lot] = await manager.query<DeliveredLot[]>(
      `SELECT l.id, l.code, l.cooperative_id, pr.category, pr.gtin, l.status
         FROM lots l JOIN products pr ON pr.id = l.product_id
        WHERE l.id = $1 AND l.cooperative_id = $2`,
      [id, cooperativeId],
    );
    return lot ?? null;
  },

  /**
   * Ships the quantity from a usable lot if that much remains, atomically (a lot emptied is
   * shipped), and records it on the delivery; else answers how the lot stands.
   */
  async ship(
    manager: EntityManager,
    deliveryId: string,
    lot: ShardRow,
    kg: number,
  ): Promise<{ shipped: true } | { shipped: false; status: string; remainingKg: number }> {
    const take = await lotRepository.takeFromLot(manager, lot, kg, true);
    if (!take.taken)
      return { shipped: false, status: take.status, remainingKg: Number(take.remainingKg) };
    await manager.query(
      'INSERT INTO delivery_lots (delivery_id, lot_id, quantity_kg) VALUES ($1, $2, $3)',
      [deliveryId, lot.id, kg],
    );
    return { shipped: true };
  },

  async buyerTaxCode(manager: EntityManager, buyerId: string): Promise<string> {
    const [buyer] = await manager.query<{ tax_code: string }[]>(
      'SELECT tax_code FROM buyers WHERE id = $1',
      [buyerId],
    );
    return buyer!.tax_code;
  },

  async markReceived(
    manager: EntityManager,
    id: string,
    receivedOn: string,
    username: string,
  ): Promise<boolean> {
    const updated = await manager.query<unknown[]>(
      `UPDATE deliveries SET status = 'received', received_on = $2, received_by_username = $3
        WHERE id = $1 AND status = 'shipped' RETURNING id`,
      [id, receivedOn, username],
    );
    return affectedRows(updated) > 0;
  },

  async contractOf(
    manager: EntityManager,
    id: string,
  ): Promise<{ tax_code: string; number: string; cooperative_id: string }> {
    const [row] = await manager.query<
      { tax_code: string; number: string; cooperative_id: string }[]
    >(
      `SELECT b.tax_code, c.number, c.cooperative_id FROM deliveries d JOIN contracts c ON c.id = d.contract_id
         JOIN buyers b ON b.id = c.buyer_id WHERE d.id = $1`,
      [id],
    );
    return row!;
  },

  gtins(manager: EntityManager, lotIds: string[]): Promise<{ id: string; gtin: string | null }[]> {
    return manager.query(
      `SELECT l.id, pr.gtin FROM lots l JOIN products pr ON pr.id = l.product_id WHERE l.id = ANY($1::uuid[])`,
      [lotIds],
    );
  },
};
