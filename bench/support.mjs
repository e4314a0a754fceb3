// What every benchmark starts from: the built server, in this process, on a fresh database —
// the embedded one in memory (or in `DATA_DIR`), or the server named by DATABASE_URL with its
// `public` schema recreated — with throwaway keys, listening on a free port.
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const dist = (path) => import(resolve(root, 'dist/apps/api', path));

const { createApp } = await dist('app.js');
const { loadConfig } = await dist('platform/config/app-config.js');
const { getDataSourceToken } = await import('@nestjs/typeorm');

/** Keys made for one run: every process of the run must share them. */
export const throwawayKeys = () => ({
  ID_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  AUTH_TOKEN_SECRET: randomBytes(32).toString('base64'),
  LABEL_SIGNING_KEY: randomBytes(32).toString('base64'),
  LOG_SIGNING_KEY: randomBytes(32).toString('base64'),
});

export async function startBenchApp(env = {}) {
  const config = loadConfig({
    DATA_DIR: 'memory://',
    ...throwawayKeys(),
    DEMO_DATA: 'off',
    LOG_LEVEL: 'silent',
    WEB_DIST: '/nonexistent',
    ...env,
  });
  if (config.databaseUrl) {
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    await client.query('DROP SCHEMA IF EXISTS public CASCADE');
    await client.query('CREATE SCHEMA public');
    await client.end();
  }
  const app = await createApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url, db: app.get(getDataSourceToken()), config };
}
