import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  BuyerDto,
  BuyerListQuery,
  CreateBuyerDto,
  Page,
  RecordChangeDto,
  UpdateBuyerDto,
} from '@huuco/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../access/audit/audit.service.js';
import type { Actor } from '../../access/auth/actor.js';
import { fieldError, notFound } from '../../platform/http/domain-error.js';
import { RegistryEvents } from '../../platform/events/registry-events.js';
import { buyerRepository } from './buyer.repository.js';

/** Buyers (doanh nghiệp): a buyer's own users see only their organisation. */
@Injectable()
export class BuyerService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly events: RegistryEvents,
  ) {}

  list(actor: Actor, query: BuyerListQuery): Promise<Page<BuyerDto>> {
    return buyerRepository.page(this.db.manager, actor, query);
  }

  async get(actor: Actor, id: string, manager: EntityManager = this.db.manager): Promise<BuyerDto> {
    const buyer = await buyerRepository.find(manager, actor, id);
    if (!buyer) throw notFound('Buyer', id);
    return buyer;
  }

  /** The buyer's changes, for whoever may read the buyer. */
  async changes(actor: Actor, id: string): Promise<RecordChangeDto[]> {
    await this.get(actor, id);
    return this.audit.changesOf('buyer', id);
  }

  /** Registered by one of the actor's units: the one named, or their first. */
  async create(actor: Actor, dto: CreateBuyerDto): Promise<BuyerDto> {
    return this.db.transaction(async (manager) => {
      const unitId = dto.registeredUnitId ?? (await buyerRepository.firstUnitOf(manager, actor));
      if (!unitId || !actor.unitIds.includes(unitId)) {
        throw fieldError(
          'REFERENCE_NOT_FOUND',
          'registeredUnitId',
          'No admin unit of yours with this id.',
        );
      }
      const buyer = await buyerRepository.insert(manager, dto, unitId);
      await this.audit.record(manager, actor, {
        action: 'buyer.create',
        entity: 'buyer',
        entityId: buyer.id,
        after: buyer,
      });
      return buyer;
    });
  }

  async update(actor: Actor, id: string, dto: UpdateBuyerDto): Promise<BuyerDto> {
    return this.db.transaction(async (manager) => {
      const before = await this.get(actor, id, manager);
      const updated = await buyerRepository.update(manager, id, { ...before, ...dto });
      await this.audit.record(manager, actor, {
        action: 'buyer.update',
        entity: 'buyer',
        entityId: id,
        before,
        after: updated,
      });
      await this.events.emit(manager, { kind: 'buyer.changed', buyerId: id });
      return updated;
    });
  }
}
