import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { z } from 'zod';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { chainVerdictSchema, epcisQuerySchema, eventListQuerySchema } from '@huuco/domain';
import type { FastifyReply } from 'fastify';
import { fieldError } from '../../platform/http/domain-error.js';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { Returns, zodDto } from '../../platform/http/zod-dto.js';
import { epcisDocument } from './epcis.js';
import { EventStore } from './event-store.js';
import { epcisDocumentSchema, storedEventSchema } from '../../platform/http/responses.js';
import { EventQueries } from './event-queries.service.js';

class EventListQueryDto extends zodDto('EventListQuery', eventListQuerySchema) {}
class EpcisQueryDto extends zodDto('EPCISQuery', epcisQuerySchema) {}

const tokenOf = (offset: number) => Buffer.from(`o${offset}`).toString('base64url');
function offsetOf(token: string): number {
  const text = Buffer.from(token, 'base64url').toString();
  if (!/^o\d{1,9}$/.test(text))
    throw fieldError('VALIDATION_FAILED', 'nextPageToken', 'Not a token this server gave.');
  return Number(text.slice(1));
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

  /**
   * GS1 EPCIS 2.0 JSON-LD: harvests, transformations, recalls, partners' events; corrected
   * events declared in error. Takes the EPCIS standard query (`eventType`, `GE_eventTime`,
   * `EQ_bizStep`, `MATCH_epcClass`, …) with `perPage` and `nextPageToken`.
   */
  @Get('epcis/events')
  @Allow('events.read')
  @Header('gs1-epcis-version', '2.0.0')
  @Header('gs1-cbv-version', '2.0.0')
  @Returns('EPCISDocument', epcisDocumentSchema)
  async epcis(
    @CurrentActor() actor: Actor,
    @Query() query: EpcisQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const offset = query.nextPageToken ? offsetOf(query.nextPageToken) : 0;
    const perPage = query.perPage ?? query.limit;
    const events = await this.queries.find(actor, query, { offset, limit: perPage + 1 });
    const page = events.slice(0, perPage);
    if (events.length > perPage) {
      const next = new URLSearchParams(
        Object.entries({
          ...(reply.request.query as Record<string, string>),
          nextPageToken: tokenOf(offset + perPage),
        }),
      );
      void reply.header('link', `</api/v1/epcis/events?${next.toString()}>; rel="next"`);
    }
    const corrections = await this.store.correctionsOf(page.map((e) => e.seq));
    return epcisDocument(page, corrections);
  }
}
