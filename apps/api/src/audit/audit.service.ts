import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AuditEntryDto, AuditQuery, Page } from '@huuco/domain';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { canonicalJson } from '../common/canonical-json.js';
import { offsetOf, pageOf, sqlOrder } from '../common/pagination.js';
import { AuditEntry } from './audit-entry.entity.js';

/** SHA-256 of a record as canonical JSON (keys sorted): proves what changed without storing it. */
export function digestOf(record: unknown): string | null {
  if (record === null || record === undefined) return null;
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}

export interface AuditRecord {
  action: string;
  entity: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
  /** Never personal data: reasons, codes, counts. */
  details?: Record<string, unknown>;
}

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Written inside the caller's transaction, so the write and its record stand or fall together. */
  async record(manager: EntityManager, actor: Actor | null, entry: AuditRecord): Promise<void> {
    const repo = manager.getRepository(AuditEntry);
    await repo.save(
      repo.create({
        actorId: actor?.id ?? null,
        actorUsername: actor?.username ?? null,
        action: entry.action,
        entity: entry.entity,
        entityId: entry.entityId,
        beforeDigest: digestOf(entry.before),
        afterDigest: digestOf(entry.after),
        details: entry.details ?? {},
      }),
    );
  }

  async list(query: AuditQuery): Promise<Page<AuditEntryDto>> {
    const qb = this.db.getRepository(AuditEntry).createQueryBuilder('a');
    if (query.entity) qb.andWhere('a.entity = :entity', { entity: query.entity });
    if (query.entityId) qb.andWhere('a.entity_id = :entityId', { entityId: query.entityId });
    if (query.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: query.actorId });
    if (query.action) qb.andWhere('a.action = :action', { action: query.action });
    qb.orderBy('a.at', sqlOrder(query)).addOrderBy('a.id', sqlOrder(query));
    const [items, total] = await qb.skip(offsetOf(query)).take(query.pageSize).getManyAndCount();
    return pageOf(
      items.map((a) => ({
        id: String(a.id),
        at: a.at.toISOString(),
        actorId: a.actorId,
        actorUsername: a.actorUsername,
        action: a.action,
        entity: a.entity,
        entityId: a.entityId,
        beforeDigest: a.beforeDigest,
        afterDigest: a.afterDigest,
        details: a.details,
      })),
      total,
      query,
    );
  }
}
