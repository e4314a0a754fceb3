import { Body, Controller, Get, Header, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { ErrorCode } from '@huuco/domain';
import { z } from 'zod';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { IdParam } from '../../platform/http/dto.js';
import { DomainError, fieldError } from '../../platform/http/domain-error.js';
import { Returns, zodDto } from '../../platform/http/zod-dto.js';
import { EpcisCapture, type ErrorBehaviour } from './epcis-capture.service.js';

class EpcisDocumentBody extends zodDto(
  'EPCISDocumentBody',
  z.looseObject({ type: z.literal('EPCISDocument'), epcisBody: z.looseObject({}) }),
) {}
class EpcisEventBody extends zodDto('EPCISEventBody', z.looseObject({ type: z.string() })) {}

const captureErrorSchema = z
  .object({
    eventIndex: z.number().int(),
    eventID: z.string().optional(),
    code: z.string(),
    message: z.string(),
  })
  .strict();
const captureJobSchema = z
  .object({
    captureID: z.string(),
    createdAt: z.string(),
    running: z.boolean(),
    success: z.boolean(),
    captureErrorBehaviour: z.enum(['rollback', 'proceed']),
    eventIDs: z.array(z.string()),
    errors: z.array(captureErrorSchema),
  })
  .strict();

const STANDARD_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/** EPCIS 2.0 REST capture (GS1 OpenAPI `/capture`, `/events`) for partners' events about huuco's lots. */
@ApiTags('EPCIS')
@ApiBearerAuth()
@Controller('epcis')
export class EpcisCaptureController {
  constructor(private readonly capturing: EpcisCapture) {}

  /** An EPCISDocument; `GS1-Capture-Error-Behaviour: rollback` (default) or `proceed`. */
  @Post('capture')
  @HttpCode(202)
  @Allow('epcis.capture')
  @Header('gs1-epcis-version', '2.0.0')
  @Header('gs1-cbv-version', '2.0.0')
  @Returns('CaptureJob', captureJobSchema, 202)
  async capture(
    @CurrentActor() actor: Actor,
    @Body() document: EpcisDocumentBody,
    @Headers('gs1-capture-error-behaviour') behaviour: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const job = await this.capturing.capture(actor, document, errorBehaviour(behaviour));
    void reply.header('location', `/api/v1/epcis/capture/${job.captureID}`);
    return job;
  }

  @Get('capture/:id')
  @Allow('epcis.capture')
  @Header('gs1-epcis-version', '2.0.0')
  @Returns('CaptureJob', captureJobSchema)
  job(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.capturing.job(actor, id);
  }

  /** One event: recorded at once, or refused with the reason. */
  @Post('events')
  @HttpCode(201)
  @Allow('epcis.capture')
  @Header('gs1-epcis-version', '2.0.0')
  @Header('gs1-cbv-version', '2.0.0')
  @Returns('CaptureJob', captureJobSchema, 201)
  async captureEvent(
    @CurrentActor() actor: Actor,
    @Body() event: EpcisEventBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { '@context': context, ...content } = event as Record<string, unknown>;
    const job = await this.capturing.capture(
      actor,
      {
        '@context': [
          STANDARD_CONTEXT,
          ...(Array.isArray(context)
            ? context.filter((c) => typeof c === 'object')
            : context && typeof context === 'object'
              ? [context]
              : []),
        ],
        type: 'EPCISDocument',
        schemaVersion: '2.0',
        creationDate: new Date().toISOString(),
        epcisBody: { eventList: [content] },
      },
      'rollback',
    );
    const error = job.errors[0];
    if (error) {
      throw new DomainError(error.code as ErrorCode, error.message, [
        { path: 'event', code: error.code as ErrorCode, message: error.message },
      ]);
    }
    void reply.header('location', `/api/v1/epcis/events/${encodeURIComponent(job.eventIDs[0]!)}`);
    return job;
  }
}

function errorBehaviour(header: string | undefined): ErrorBehaviour {
  const value = (header ?? 'rollback').trim().toLowerCase();
  if (value !== 'rollback' && value !== 'proceed')
    throw fieldError('VALIDATION_FAILED', 'GS1-Capture-Error-Behaviour', 'rollback or proceed.');
  return value;
}
