import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AuditEntryDto, AuditQuery, Page, RecordChangeDto } from '@huuco/domain';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { canonicalJson } from '../../platform/http/canonical-json.js';
import { auditRepository } from './audit.repository.js';

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
    await this.recordAll(manager, [{ actor, entry }]);
  }

  /** Several actions, each by its own actor, in one statement. */
  async recordAll(
    manager: EntityManager,
    actions: { actor: Actor | null; entry: AuditRecord }[],
  ): Promise<void> {
    if (actions.length === 0) return;
    await auditRepository.insert(
      manager,
      actions.map(({ actor, entry }) => ({
        actorId: actor?.id ?? null,
        actorUsername: actor?.username ?? null,
        action: entry.action,
        entity: entry.entity,
        entityId: entry.entityId,
        beforeDigest: digestOf(entry.before),
        afterDigest: digestOf(entry.after),
        details: entry.details ?? {},
      })),
    );
  }

  /** One record's changes, for its timeline: only after the caller has found the record in scope. */
  changesOf(entity: string, id: string): Promise<RecordChangeDto[]> {
    return auditRepository.changesOf(this.db.manager, entity, id);
  }

  /** The trail of what the reader's units hold: their accounts' actions, and changes to their records. */
  list(actor: Actor, query: AuditQuery): Promise<Page<AuditEntryDto>> {
    return auditRepository.page(this.db.manager, actor, query);
  }
}
