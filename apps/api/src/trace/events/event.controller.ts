import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { eventListQuerySchema, chainVerdictSchema } from '@huuco/domain';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { Returns, zodDto } from '../../platform/http/zod-dto.js';
import { epcisDocument } from './epcis.js';
import { EventStore } from './event-store.js';
import { epcisDocumentSchema, storedEventSchema } from '../../platform/http/responses.js';
import { EventQueries } from './event-queries.service.js';

class EventListQueryDto extends zodDto('EventListQuery', eventListQuerySchema) {}

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
