import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type EpcisQuery, type EventListQuery } from '@huuco/domain';
import type { DataSource } from 'typeorm';
import { Actor } from '../../access/auth/actor.js';
import { fieldError } from '../../platform/http/domain-error.js';
import { ProvenanceBuilder } from '../provenance/provenance.builder.js';
import { LotService } from '../lots/lot.service.js';
import { lotRepository } from '../lots/lot.repository.js';
import { EventStore, type StoredEvent } from './event-store.js';

@Injectable()
export class EventQueries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: EventStore,
    private readonly lots: LotService,
    private readonly provenance: ProvenanceBuilder,
  ) {}

  /** A lot's events are those of its whole upstream trace: the lots it was made from and their harvests. */
  async find(
    actor: Actor,
    query: EventListQuery | EpcisQuery,
    page: { offset: number; limit: number } | null = null,
  ): Promise<StoredEvent[]> {
    let subjectIds: string[] | undefined;
    const lotId = query.lotId ?? (query.lot ? await this.lotIdOf(query.lot) : undefined);
    if (lotId) {
      await this.lots.get(actor, lotId);
      const upstream = await this.provenance.upstreamLots(this.db.manager, lotId);
      subjectIds = [
        ...upstream.map((l) => l.id),
        ...upstream.flatMap((l) => l.inputs.flatMap((i) => (i.harvestId ? [i.harvestId] : []))),
      ];
    }
    return this.store.find({
      subjectIds,
      actor,
      from: query.from,
      to: query.to,
      bizStep: query.bizStep,
      limit: page?.limit ?? query.limit,
      offset: page?.offset ?? 0,
      epcis: query as EpcisQuery,
    });
  }

  private async lotIdOf(code: string): Promise<string> {
    const id = await lotRepository.idOfCode(this.db.manager, code);
    if (!id) throw fieldError('NOT_FOUND', 'lot', 'No lot with this code.');
    return id;
  }
}
