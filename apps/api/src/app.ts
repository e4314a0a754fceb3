import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit from '@fastify/rate-limit';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { LogController } from 'fastify';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppModule } from './app.module.js';
import { DOCUMENT_TYPES } from './platform/files/attached-document.js';
import type { AppConfig } from './platform/config/app-config.js';
import { setUpOpenApi } from './platform/openapi.js';
import { isSignedScan, registerProvenanceRoutes } from './trace/provenance/provenance.routes.js';
import { LabelSigner } from './trace/provenance/label-signer.js';
import { ProvenanceService } from './trace/provenance/provenance.service.js';
import { refuseNulCharacters } from './platform/http/text-guard.js';

export const API_PREFIX = 'api/v1';

/** Builds the whole server (API, OpenAPI, web app) for a configuration; main.ts and tests share it. */
export interface AppOptions {
  /** Where request and error logs go (tests read them); standard output by default. */
  logStream?: NodeJS.WritableStream;
}

export async function createApp(
  config: AppConfig,
  options: AppOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // One line per request only when debugging; errors are always logged.
    logController: new LogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            ...(options.logStream && { stream: options.logStream }),
            // Bodies are never logged; headers that identify people are redacted.
            redact: ['req.headers.authorization', 'req.headers.cookie'],
          },
    // X-Forwarded-For is believed only from the proxies listed; from anyone else it is ignored.
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forConfig(config),
    adapter,
    {
      logger: config.logLevel === 'silent' ? false : ['error', 'warn'],
      abortOnError: false,
    },
  );
  app.setGlobalPrefix(API_PREFIX);
  app.enableShutdownHooks();

  await harden(app, config);
  // Signed contracts arrive as the file itself; their size has its own limit.
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser(
      DOCUMENT_TYPES,
      { parseAs: 'buffer', bodyLimit: config.contractDocumentMaxBytes },
      (
        _request: FastifyRequest,
        body: Buffer,
        done: (error: Error | null, body?: Buffer) => void,
      ) => done(null, body),
    );
  const fastify = app.getHttpAdapter().getInstance();
  // Imports arrive as multipart uploads: one file and a few fields, the file within its limit.
  await fastify.register(fastifyMultipart, {
    limits: { fileSize: config.importMaxBytes, files: 1, fields: 10, parts: 12 },
  });
  // EPCIS documents arrive as JSON-LD.
  fastify.addContentTypeParser(
    'application/ld+json',
    { parseAs: 'string' },
    fastify.getDefaultJsonParser('error', 'error'),
  );
  setUpOpenApi(app);
  // The provenance pages live at the addresses printed in QR codes, outside the API.
  registerProvenanceRoutes(
    app.getHttpAdapter().getInstance(),
    app.get(ProvenanceService),
    config.publicBaseUrl,
  );
  await serveWebApp(app, config.webDist);
  await app.init();
  return app;
}

async function serveWebApp(app: NestFastifyApplication, webDist: string): Promise<void> {
  const root = resolve(webDist);
  const fastify = app.getHttpAdapter().getInstance();
  if (!existsSync(resolve(root, 'index.html'))) return;
  await fastify.register(fastifyStatic, { root, prefix: '/', index: false });
  // The web app's pages have real addresses under /app (a record page survives a reload);
  // every one of them is the same document, which routes in the browser.
  const page = (_request: FastifyRequest, reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html');
  fastify.get('/', (_request, reply) => reply.redirect('/app/'));
  fastify.get('/app', page);
  fastify.get('/app/*', page);
}

/** Security headers, CORS from configuration, and rate limits on logins and public routes. */
async function harden(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  refuseNulCharacters(fastify);
  const headers = securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', ...tileOrigins(config.mapTileUrl)],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
    done();
  });
  await fastify.register(fastifyCors, {
    origin: config.corsOrigins.length ? config.corsOrigins : false,
  });
  const signer = app.get(LabelSigner);
  // A scan of a genuine signed label has a budget of its own, far larger (see docs/security.md).
  // The limiter asks three times per request; the signature is checked once.
  const groups = new WeakMap<FastifyRequest, 'login' | 'public' | 'signed' | undefined>();
  const groupOf = (request: FastifyRequest) => {
    if (groups.has(request)) return groups.get(request);
    const group = (request.routeOptions.config as { limitGroup?: 'login' | 'public' }).limitGroup;
    const chosen = group === 'public' && isSignedScan(request, signer) ? 'signed' : group;
    groups.set(request, chosen);
    return chosen;
  };
  const budgets = {
    login: config.loginRateLimitPerMinute,
    public: config.publicRateLimitPerMinute,
    signed: config.publicSignedRateLimitPerMinute,
  };
  await fastify.register(fastifyRateLimit, {
    global: true,
    timeWindow: 60_000,
    // Only logins and public routes are limited, per client address; signed-in work is not.
    allowList: (request) => groupOf(request) === undefined,
    max: (request) => budgets[groupOf(request) ?? 'public'],
    keyGenerator: (request) => `${groupOf(request)}:${request.ip}`,
    errorResponseBuilder: () => ({
      statusCode: 429,
      code: 'TOO_MANY_REQUESTS',
      message: 'Too many requests; wait a minute and try again.',
    }),
  });
}

/**
 * Helmet's headers for these options, worked out once: they are the same on every answer (no
 * nonces), and building Helmet's middleware again for each request (as its Fastify plugin
 * does) was a tenth of a provenance page's cost.
 */
function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number) =>
      void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return headers;
}

/** The basemap's tile host, for the content security policy ({s} subdomains included). */
function tileOrigins(template: string): string[] {
  if (!template) return [];
  const host = new URL(template.replace(/\{[^}]+\}/g, 'x')).host;
  return [`https://${host}`, `https://*.${host.split('.').slice(-2).join('.')}`];
}
