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
import type { Actor } from '../../access/auth/actor.js';
import { cooperativeWritable } from '../../access/auth/record-scope.js';
import { fieldError, notFound } from '../../platform/http/domain-error.js';
import { AppConfig } from '../../platform/config/app-config.js';
import { ContractService } from '../contracts/contract.service.js';
import { epcClassOfLot, eventTimeOn, kilograms, VIETNAM_OFFSET } from '../../trace/events/epcis.js';
import { EventStore } from '../../trace/events/event-store.js';
import { ProvenanceBuilder } from '../../trace/provenance/provenance.builder.js';
import { contractRepository } from '../contracts/contract.repository.js';
import { deliveryRepository } from './delivery.repository.js';

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
      await contractRepository.lock(manager, actor, dto.contractId);
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

      const deliveryId = await deliveryRepository.insert(
        manager,
        { ...dto, contractId: contract.id, overContract: over },
        actor.username,
      );
      const shipped: { id: string; code: string; gtin: string | null; quantityKg: number }[] = [];
      // Lots are taken in id order whatever order they are listed in: no deadlock between two deliveries.
      for (const [index, item] of [...dto.lots.entries()].sort(([, a], [, b]) =>
        a.lotId < b.lotId ? -1 : a.lotId > b.lotId ? 1 : 0,
      )) {
        const path = `lots.${index}`;
        const lot = await deliveryRepository.lot(manager, item.lotId, contract.cooperativeId);
        if (!lot) {
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
        const ship = await deliveryRepository.ship(manager, deliveryId, lot, item.quantityKg);
        if (!ship.shipped) {
          if (ship.status === 'recalled') {
            throw fieldError(
              'LOT_NOT_USABLE',
              `${path}.lotId`,
              `Lot ${lot.code} is recalled; it cannot be delivered.`,
            );
          }
          throw fieldError(
            'INSUFFICIENT_QUANTITY',
            `${path}.quantityKg`,
            `Only ${ship.remainingKg} kg remain of lot ${lot.code}.`,
            { remainingKg: ship.remainingKg },
          );
        }
        shipped.push({ id: lot.id, code: lot.code, gtin: lot.gtin, quantityKg: item.quantityKg });
      }
      const taxCode = await deliveryRepository.buyerTaxCode(manager, contract.buyerId);
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
            { type: 'po', bizTransaction: contractUrn(taxCode, contract.number) },
          ],
          destinationList: [{ type: 'owning_party', destination: `urn:huuco:buyer:${taxCode}` }],
          'huuco:delivery': `urn:huuco:delivery:${deliveryId}`,
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
        entityId: deliveryId,
        after: dto,
        details: over ? { overContract: true } : {},
      });
      return deliveryId;
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
      if (!(await deliveryRepository.markReceived(manager, id, receivedOn, actor.username))) {
        throw fieldError(
          'DELIVERY_ALREADY_RECEIVED',
          'status',
          'This delivery was already received.',
        );
      }
      const row = await deliveryRepository.contractOf(manager, id);
      const gtins = await deliveryRepository.gtins(
        manager,
        delivery.lots.map((l) => l.lotId),
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
            { type: 'po', bizTransaction: contractUrn(row.tax_code, row.number) },
          ],
          'huuco:delivery': `urn:huuco:delivery:${id}`,
        },
        lotIds: delivery.lots.map((l) => l.lotId),
        cooperativeId: row.cooperative_id,
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
    const delivery = await deliveryRepository.find(this.db.manager, actor, id);
    if (!delivery) throw notFound('Delivery', id);
    return delivery;
  }

  list(actor: Actor, query: DeliveryListQuery): Promise<Page<DeliveryDto>> {
    return deliveryRepository.page(this.db.manager, actor, query);
  }
}

export const contractUrn = (buyerTaxCode: string, number: string) =>
  `urn:huuco:contract:${buyerTaxCode}:${encodeURIComponent(number)}`;
