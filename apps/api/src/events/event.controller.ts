import { Controller, Get, Injectable, Query } from '@nestjs/common';
import { z } from 'zod';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { eventListQuerySchema, type EventListQuery, chainVerdictSchema } from '@huuco/domain';
import type { DataSource } from 'typeorm';
import { Actor, Allow, CurrentActor } from '../auth/actor.js';
import { fieldError } from '../common/domain-error.js';
import { Returns, zodDto } from '../common/zod-dto.js';
import { ProvenanceBuilder } from '../provenance/provenance.builder.js';
import { LotService } from '../lots/lot.service.js';
import { epcisDocument } from './epcis.js';
import { EventStore, type StoredEvent } from './event-store.js';
import { epcisDocumentSchema, storedEventSchema } from '../common/responses.js';

class EventListQueryDto extends zodDto('EventListQuery', eventListQuerySchema) {}

@Injectable()
export class EventQueries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: EventStore,
    private readonly lots: LotService,
    private readonly provenance: ProvenanceBuilder,
  ) {}

  /** A lot's events are those of its whole upstream trace: the lots it was made from and their harvests. */
  async find(actor: Actor, query: EventListQuery): Promise<StoredEvent[]> {
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
      limit: query.limit,
    });
  }

  private async lotIdOf(code: string): Promise<string> {
    const [row] = await this.db.query<{ id: string }[]>('SELECT id FROM lots WHERE code = $1', [
      code,
    ]);
    if (!row) throw fieldError('NOT_FOUND', 'lot', 'No lot with this code.');
    return row.id;
  }
}

@ApiTags('events')
@ApiBearerAuth()
@Controller()
export class EventController {
  constructor(
    private readonly queries: EventQueries,
    private readonly store: EventStore,
  ) {}

  /** The stored events with their chain links: sequence, hash, previous hash, who and why. */
  @Get('events')
  @Allow('events.read')
  @Returns('StoredEventList', z.array(storedEventSchema))
  list(@CurrentActor() actor: Actor, @Query() query: EventListQueryDto) {
    return this.queries.find(actor, query);
  }

  /** Recomputes every link of the chain and names the first one that does not hold. */
  @Get('events/verify')
  @Allow('events.verify')
  @Returns('ChainVerdict', chainVerdictSchema)
  verify() {
    return this.store.verify();
  }

  /** GS1 EPCIS 2.0 JSON-LD: harvests, transformations, recalls; corrected events declared in error. */
  @Get('epcis/events')
  @Allow('events.read')
  @Returns('EPCISDocument', epcisDocumentSchema)
  async epcis(@CurrentActor() actor: Actor, @Query() query: EventListQueryDto) {
    const events = await this.queries.find(actor, query);
    const corrections = await this.store.correctionsOf(events.map((e) => e.seq));
    return epcisDocument(events, corrections);
  }
}
