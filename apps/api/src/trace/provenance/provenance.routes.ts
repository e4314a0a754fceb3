import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isValidGtin14, provenancePath } from '@huuco/domain';
import type { LabelSigner } from './label-signer.js';
import { linkset, linkTypeName, lotLinks, resolverDescription } from './resolver.js';
import { fillProvenancePage, renderNotGenuinePage, type Lang } from './provenance.page.js';
import type { HeldPage } from './held-pages.js';
import type { ProvenanceService } from './provenance.service.js';

interface ScanQuery {
  k?: string;
  s?: string;
  lang?: string;
  linkType?: string;
}

const LOT_CODE = /^[A-Za-z0-9-]{1,60}$/;
const GTIN = /^[0-9]{8,14}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{1,64}$/;
const LINK_TYPE = /^(all|(gs1:|https:\/\/gs1\.org\/voc\/)?[A-Za-z]{2,40})$/;

/**
 * The public provenance page, at both addresses a QR may carry: GS1 Digital Link
 * (`/01/{gtin}/10/{lot}`) and the short form (`/t/{code}`). HTML by default, the same content
 * as JSON with `Accept: application/json`. Registered on Fastify directly, beside the API
 * rather than in it: the busiest route does one indexed read and nothing it does not need.
 */
export function registerProvenanceRoutes(
  fastify: FastifyInstance,
  provenance: ProvenanceService,
  origin: string,
): void {
  // Read by the rate limiter in app.ts: public routes share one per-client budget.
  const config = { limitGroup: 'public' } as Record<string, unknown>;
  // As a GS1 resolver: GET (and HEAD), OPTIONS, any origin, a trailing slash tolerated.
  for (const path of ['/t/:code', '/t/:code/']) {
    fastify.get<{ Params: { code: string }; Querystring: ScanQuery }>(
      path,
      { config },
      (request, reply) => answer(provenance, origin, request, reply, request.params.code, null),
    );
    fastify.options(path, { config }, (_request, reply) => preflight(reply));
  }
  for (const path of ['/01/:gtin/10/:lot', '/01/:gtin/10/:lot/']) {
    fastify.get<{ Params: { gtin: string; lot: string }; Querystring: ScanQuery }>(
      path,
      { config },
      (request, reply) =>
        answer(provenance, origin, request, reply, request.params.lot, request.params.gtin),
    );
    fastify.options(path, { config }, (_request, reply) => preflight(reply));
  }
  fastify.get('/.well-known/gs1resolver', { config }, (_request, reply) =>
    reply.header('access-control-allow-origin', '*').send(resolverDescription(origin)),
  );
}

/**
 * Whether a request is a scan of a label huuco signed: checked before the request is answered
 * (one HMAC, no database), so the rate limit can tell a campaign's real scanners from forged
 * codes.
 */
export function isSignedScan(request: FastifyRequest, signer: LabelSigner): boolean {
  const params = request.params as { code?: string; lot?: string; gtin?: string };
  const code = params.code ?? params.lot;
  const { k, s } = (request.query ?? {}) as ScanQuery;
  if (!code || !k || !s || !LOT_CODE.test(code)) return false;
  return signer.verify(provenancePath(code, params.gtin ?? null), k, s).genuine;
}

function preflight(reply: FastifyReply) {
  return reply
    .status(204)
    .header('allow', 'GET, HEAD, OPTIONS')
    .header('access-control-allow-origin', '*')
    .header('access-control-allow-methods', 'GET, HEAD, OPTIONS')
    .header('access-control-allow-headers', 'Accept, Accept-Language')
    .header('access-control-max-age', '86400')
    .send();
}

async function answer(
  provenance: ProvenanceService,
  origin: string,
  request: FastifyRequest<{ Querystring: ScanQuery }>,
  reply: FastifyReply,
  code: string,
  gtin: string | null,
) {
  const { k, s, lang: asked, linkType } = request.query;
  void reply.header('access-control-allow-origin', '*');
  const invalid =
    (!LOT_CODE.test(code) && 'code') ||
    (gtin !== null && !(GTIN.test(gtin) && isValidGtin14(gtin.padStart(14, '0'))) && 'gtin') ||
    (linkType !== undefined && !LINK_TYPE.test(linkType) && 'linkType') ||
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
  const path = gtin ? `/01/${gtin}/10/${code}` : `/t/${code}`;
  const signed = k && s ? `${path}?k=${k}&s=${s}` : path;
  void reply.header(
    'link',
    `<${origin}${path}?linkType=all>; rel="linkset"; type="application/linkset+json"`,
  );
  const chosen = linkType === undefined ? 'pip' : linkTypeName(linkType);
  if (chosen !== 'pip' && chosen !== 'traceability') {
    const described = await provenance.described(code, gtin);
    if (!described) return notFound(reply);
    const links = lotLinks(origin, signed, described);
    if (chosen === 'all') {
      return reply
        .header('cache-control', 'no-cache')
        .type('application/linkset+json')
        .send(linkset(`${origin}${path}`, links));
    }
    const link = links.find((l) => l.rel === chosen);
    // A link type the lot does not have: the default link, as GS1 resolvers do.
    if (link) return reply.redirect(link.href, 307);
  }
  const json =
    chosen === 'traceability' || (request.headers.accept ?? '').includes('application/json');
  const lang: Lang = asked === 'en' ? 'en' : 'vi';
  // An answer is filled in once per version of the page, language, printed address and day (an
  // OCOP certificate's stars show only while it is valid); the JSON once per version.
  const today = new Date().toISOString().slice(0, 10);
  const answerKey = json ? 'json' : `${lang} ${today} ${signed}`;
  const result = await provenance.answer({
    code,
    gtin,
    form: json ? 'json' : lang,
    answerKey,
    keyId: k,
    signature: s,
    ip: request.ip,
    userAgent: request.headers['user-agent'],
  });
  const status = !result.genuine && result.reason === 'UNKNOWN_CODE' ? 404 : 200;
  void reply
    .status(status)
    .header('cache-control', 'no-store')
    .header('vary', 'accept, accept-encoding');
  const gzip = GZIP.test(request.headers['accept-encoding'] ?? '');
  if (json) {
    void reply.type('application/json; charset=utf-8');
    if (!result.genuine) return reply.send(JSON.stringify(result));
    const { held, content } = result;
    return sendHeld(reply, held, answerKey, gzip, () => heldJson(held.scanWarning, content!));
  }
  void reply.type('text/html; charset=utf-8');
  if (!result.genuine) return reply.send(renderNotGenuinePage(result, lang, signed));
  const { held, content } = result;
  return sendHeld(reply, held, answerKey, gzip, () =>
    fillProvenancePage(content!, { lang, selfPath: signed, scanWarning: held.scanWarning, today }),
  );
}

const GZIP = /\bgzip\b/;

/**
 * A held page's answer under `key`, made once per version of the page (`make` is called only
 * when the page held none: the scan then read the page). To a phone that takes
 * gzip it goes compressed from its second scan on (about a third of the bytes for the page, a
 * fifth for the JSON, on 3G): a label scanned once is not worth compressing, a campaign's are.
 */
function sendHeld(
  reply: FastifyReply,
  held: HeldPage,
  key: string,
  gzip: boolean,
  make: () => Buffer,
) {
  // Kept: a campaign's thousandth scan does not fill in the same page again.
  let bytes = held.answer(key);
  if (bytes === undefined) {
    bytes = make();
    held.keepAnswer(key, bytes);
    return reply.send(bytes);
  }
  if (!gzip) return reply.send(bytes);
  let packed = held.compressedAnswer(key);
  if (packed === undefined) {
    packed = gzipSync(bytes);
    held.keepCompressedAnswer(key, packed);
  }
  return reply.header('content-encoding', 'gzip').send(packed);
}

function notFound(reply: FastifyReply) {
  return reply.status(404).send({
    statusCode: 404,
    code: 'NOT_FOUND',
    message: 'huuco printed no lot with this address.',
  });
}

/** The stored document goes out as stored: no parse and re-serialise per scan. */
function heldJson(scanWarning: boolean, documentJson: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`{"genuine":true,"scanWarning":${scanWarning},"document":`),
    documentJson,
    CLOSE_BRACE,
  ]);
}

const CLOSE_BRACE = Buffer.from('}');
