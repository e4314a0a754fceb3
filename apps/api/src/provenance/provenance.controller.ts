import { Controller, Get, Headers, Ip, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Public } from '../auth/actor.js';
import { zodDto } from '../common/zod-dto.js';
import { renderProvenancePage, type Lang } from './provenance.page.js';
import { ProvenanceService, type ProvenanceAnswer } from './provenance.service.js';

const scanQuery = z.object({
  k: z.string().max(16).optional(),
  s: z.string().max(64).optional(),
  lang: z.enum(['vi', 'en']).optional(),
});
class ScanQueryDto extends zodDto('ScanQuery', scanQuery) {}
const codeParam = z.object({ code: z.string().max(60) }).strict();
class CodeParam extends zodDto('LotCodeParam', codeParam) {}
const digitalLinkParam = z.object({ gtin: z.string().max(20), lot: z.string().max(60) }).strict();
class DigitalLinkParam extends zodDto('DigitalLinkParam', digitalLinkParam) {}

/**
 * The public provenance page, at both addresses a QR may carry: GS1 Digital Link
 * (`/01/{gtin}/10/{lot}`) and the short form (`/t/{code}`). HTML by default,
 * the same content as JSON with `Accept: application/json`.
 */
@ApiExcludeController()
@Public()
@Controller()
export class ProvenanceController {
  constructor(private readonly provenance: ProvenanceService) {}

  @Get('t/:code')
  @RouteConfig({ limitGroup: 'public' })
  async short(
    @Param() { code }: CodeParam,
    @Query() query: ScanQueryDto,
    @Ip() ip: string,
    @Headers() headers: Record<string, string | undefined>,
    @Res() reply: FastifyReply,
  ) {
    const answer = await this.provenance.answer({
      code,
      gtin: null,
      keyId: query.k,
      signature: query.s,
      ip,
      userAgent: headers['user-agent'],
    });
    return send(reply, answer, headers, query, `/t/${encodeURIComponent(code)}`);
  }

  @Get('01/:gtin/10/:lot')
  @RouteConfig({ limitGroup: 'public' })
  async digitalLink(
    @Param() { gtin, lot }: DigitalLinkParam,
    @Query() query: ScanQueryDto,
    @Ip() ip: string,
    @Headers() headers: Record<string, string | undefined>,
    @Res() reply: FastifyReply,
  ) {
    const answer = await this.provenance.answer({
      code: lot,
      gtin,
      keyId: query.k,
      signature: query.s,
      ip,
      userAgent: headers['user-agent'],
    });
    return send(
      reply,
      answer,
      headers,
      query,
      `/01/${encodeURIComponent(gtin)}/10/${encodeURIComponent(lot)}`,
    );
  }
}

function send(
  reply: FastifyReply,
  answer: ProvenanceAnswer,
  headers: Record<string, string | undefined>,
  query: z.infer<typeof scanQuery>,
  path: string,
) {
  const status = !answer.genuine && answer.reason === 'UNKNOWN_CODE' ? 404 : 200;
  void reply.header('cache-control', 'no-store').header('vary', 'accept');
  if ((headers['accept'] ?? '').includes('application/json')) {
    return reply.status(status).type('application/json; charset=utf-8').send(answer);
  }
  const lang: Lang = query.lang ?? 'vi';
  const signed =
    query.k && query.s
      ? `${path}?k=${encodeURIComponent(query.k)}&s=${encodeURIComponent(query.s)}`
      : path;
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .send(renderProvenancePage(answer, lang, signed));
}
