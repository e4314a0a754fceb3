import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import { LogController } from 'fastify';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { setUpOpenApi } from './openapi.js';

export const API_PREFIX = 'api/v1';

/** Builds the whole server (API, OpenAPI, web app) for a configuration; main.ts and tests share it. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
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
            // Bodies are never logged; headers that identify people are redacted.
            redact: ['req.headers.authorization', 'req.headers.cookie'],
          },
    trustProxy: true,
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

  setUpOpenApi(app);
  await serveWebApp(app, config.webDist);
  await app.init();
  return app;
}

async function serveWebApp(app: NestFastifyApplication, webDist: string): Promise<void> {
  const root = resolve(webDist);
  const fastify = app.getHttpAdapter().getInstance();
  if (!existsSync(resolve(root, 'index.html'))) return;
  await fastify.register(fastifyStatic, { root, prefix: '/', index: ['index.html'] });
}
