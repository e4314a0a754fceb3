import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/app-config.js';

export const TEST_ID_KEY = Buffer.alloc(32, 7).toString('base64');

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestApp {
  url: string;
  db: DataSource;
  get<T = any>(path: string): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body: unknown): Promise<ApiResponse<T>>;
  patch<T = any>(path: string, body: unknown): Promise<ApiResponse<T>>;
  raw(path: string, init: RequestInit): Promise<ApiResponse>;
  close(): Promise<void>;
}

/**
 * The real server on a free port: Fastify, NestJS, and Postgres — in memory by default, the
 * server named by DATABASE_URL when it is set.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({
    DATABASE_URL: process.env['DATABASE_URL'],
    DATA_DIR: 'memory://',
    ID_ENCRYPTION_KEY: TEST_ID_KEY,
    DEMO_DATA: 'off',
    LOG_LEVEL: 'silent',
    WEB_DIST: '/nonexistent',
    ...env,
  });
  const app: NestFastifyApplication = await createApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const raw = async (path: string, init: RequestInit): Promise<ApiResponse> => {
    const response = await fetch(`${url}/api/v1${path}`, init);
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: the raw text is the body.
    }
    return { status: response.status, body, headers: response.headers };
  };
  const send = (method: string) => (path: string, body: unknown) =>
    raw(path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return {
    url,
    db: app.get<DataSource>(getDataSourceToken()),
    get: (path) => raw(path, { method: 'GET' }),
    post: send('POST'),
    patch: send('PATCH'),
    raw,
    close: () => app.close(),
  };
}
