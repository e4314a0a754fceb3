import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ProvenanceDocument } from './provenance.document.js';
import { renderProvenancePage, type Lang } from './provenance.page.js';
import type { ProvenanceService, StoredAnswer } from './provenance.service.js';

interface ScanQuery {
  k?: string;
  s?: string;
  lang?: string;
}

const LOT_CODE = /^[A-Za-z0-9-]{1,60}$/;
const GTIN = /^[0-9]{8,14}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The public provenance page, at both addresses a QR may carry: GS1 Digital Link
 * (`/01/{gtin}/10/{lot}`) and the short form (`/t/{code}`). HTML by default, the same content
 * as JSON with `Accept: application/json`. Registered on Fastify directly, beside the API
 * rather than in it: the busiest route does one indexed read and nothing it does not need.
 */
export function registerProvenanceRoutes(
  fastify: FastifyInstance,
  provenance: ProvenanceService,
): void {
  // Read by the rate limiter in app.ts: public routes share one per-client budget.
  const config = { limitGroup: 'public' } as Record<string, unknown>;
  fastify.get<{ Params: { code: string }; Querystring: ScanQuery }>(
    '/t/:code',
    { config },
    (request, reply) => answer(provenance, request, reply, request.params.code, null),
  );
  fastify.get<{ Params: { gtin: string; lot: string }; Querystring: ScanQuery }>(
    '/01/:gtin/10/:lot',
    { config },
    (request, reply) => answer(provenance, request, reply, request.params.lot, request.params.gtin),
  );
}

async function answer(
  provenance: ProvenanceService,
  request: FastifyRequest<{ Querystring: ScanQuery }>,
  reply: FastifyReply,
  code: string,
  gtin: string | null,
) {
  const { k, s, lang: asked } = request.query;
  const invalid =
    (!LOT_CODE.test(code) && 'code') ||
    (gtin !== null && !GTIN.test(gtin) && 'gtin') ||
    (k !== undefined && !SIGNATURE.test(k) && 'k') ||
    (s !== undefined && !SIGNATURE.test(s) && 's');
  if (invalid) {
    return reply.status(400).send({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'This is not a lot address huuco prints.',
      errors: [{ path: invalid, code: 'INVALID_FORMAT', message: 'Not in the printed form.' }],
    });
  }
  const result = await provenance.answer({
    code,
    gtin,
    keyId: k,
    signature: s,
    ip: request.ip,
    userAgent: request.headers['user-agent'],
  });
  const status = !result.genuine && result.reason === 'UNKNOWN_CODE' ? 404 : 200;
  void reply.status(status).header('cache-control', 'no-store').header('vary', 'accept');
  if ((request.headers.accept ?? '').includes('application/json')) {
    return reply.type('application/json; charset=utf-8').send(asJson(result));
  }
  const lang: Lang = asked === 'en' ? 'en' : 'vi';
  const path = gtin ? `/01/${gtin}/10/${code}` : `/t/${code}`;
  const signed = k && s ? `${path}?k=${k}&s=${s}` : path;
  const page = result.genuine
    ? {
        genuine: true as const,
        document: JSON.parse(result.documentJson) as ProvenanceDocument,
        scanWarning: result.scanWarning,
      }
    : result;
  return reply.type('text/html; charset=utf-8').send(renderProvenancePage(page, lang, signed));
}

/** The stored document goes out as stored: no parse and re-serialise per scan. */
function asJson(result: StoredAnswer): string {
  return result.genuine
    ? `{"genuine":true,"scanWarning":${result.scanWarning},"document":${result.documentJson}}`
    : JSON.stringify(result);
}
