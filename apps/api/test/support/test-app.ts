import { randomBytes } from 'node:crypto';
// The outsiders’ verifier makes the witness key, as a witness would.
// eslint-disable-next-line @nx/enforce-module-boundaries, no-restricted-imports
import { witnessVerifierKey } from '../../../log-verifier/verify-log.mjs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Role } from '@huuco/domain';
import type { DataSource } from 'typeorm';
import { createApp, type AppOptions } from '../../src/app.js';
import { hashPassword } from '../../src/access/auth/password.js';
import { loadConfig } from '../../src/platform/config/app-config.js';

export const TEST_ID_KEY = Buffer.alloc(32, 7).toString('base64');
export const TEST_TOKEN_SECRET = Buffer.alloc(32, 9).toString('base64');
export const TEST_LABEL_KEY = Buffer.alloc(32, 5).toString('base64');
/** One log key for every test server, as for processes sharing one database. */
export const TEST_LOG_KEY = Buffer.alloc(32, 3).toString('base64');
/** A witness every test server knows: another district that cosigns checkpoints. */
export const TEST_WITNESS = { name: 'witness.example.vn', seed: Buffer.alloc(32, 4) };
export const TEST_PASSWORD = 'test-password-123';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface Client {
  get<T = any>(path: string): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body: unknown): Promise<ApiResponse<T>>;
  patch<T = any>(path: string, body: unknown): Promise<ApiResponse<T>>;
  delete<T = any>(path: string): Promise<ApiResponse<T>>;
  raw(path: string, init: RequestInit): Promise<ApiResponse>;
}

export interface TestApp extends Client {
  app: NestFastifyApplication;
  url: string;
  db: DataSource;
  /** The province this file's administrator holds; factories build inside it. */
  rootUnitId: string;
  adminToken: string;
  as(token: string | null): Client;
  login(username: string, password?: string): Promise<ApiResponse>;
  /** A new account of this role, created by the administrator, logged in. */
  newUser(
    role: Role,
    scope?: { cooperativeId?: string; buyerId?: string; adminUnitIds?: string[] },
  ): Promise<Client & { id: string; username: string; token: string }>;
  close(): Promise<void>;
}

export interface TestAppOptions extends AppOptions {
  env?: Record<string, string>;
  /** Reuse (or create) the administrator with this username: for restarts on the same data. */
  adminUsername?: string;
}

/**
 * The real server on a free port: Fastify, NestJS, and Postgres — in memory by default, the
 * server named by DATABASE_URL when it is set — with a district administrator of its own
 * province, logged in.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = loadConfig({
    DATABASE_URL: process.env['DATABASE_URL'],
    DATA_DIR: 'memory://',
    ID_ENCRYPTION_KEY: TEST_ID_KEY,
    AUTH_TOKEN_SECRET: TEST_TOKEN_SECRET,
    LABEL_SIGNING_KEY: TEST_LABEL_KEY,
    LOG_SIGNING_KEY: TEST_LOG_KEY,
    LOG_APPEND_INTERVAL_MS: '0',
    WITNESS_KEYS: witnessVerifierKey(TEST_WITNESS.name, TEST_WITNESS.seed),
    DEMO_DATA: 'off',
    LOG_LEVEL: 'silent',
    WEB_DIST: '/nonexistent',
    ...options.env,
  });
  const app: NestFastifyApplication = await createApp(config, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const db = app.get<DataSource>(getDataSourceToken());

  const client = (token: string | null): Client => {
    const raw = async (path: string, init: RequestInit): Promise<ApiResponse> => {
      const headers = new Headers(init.headers);
      if (token) headers.set('authorization', `Bearer ${token}`);
      const response = await fetch(`${url}/api/v1${path}`, { ...init, headers });
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
      get: (path) => raw(path, { method: 'GET' }),
      post: send('POST'),
      patch: send('PATCH'),
      delete: (path) => raw(path, { method: 'DELETE' }),
      raw,
    };
  };
  const anonymous = client(null);
  const login = (username: string, password = TEST_PASSWORD) =>
    anonymous.post('/auth/login', { username, password });

  const adminUsername = options.adminUsername ?? `admin.${randomBytes(5).toString('hex')}`;
  const [existing] = await db.query<{ unit: string }[]>(
    `SELECT x.admin_unit_id AS unit FROM users u JOIN user_admin_units x ON x.user_id = u.id WHERE u.username = $1`,
    [adminUsername],
  );
  let rootUnitId = existing?.unit;
  if (!rootUnitId) {
    const [unit] = await db.query<{ id: string }[]>(
      `INSERT INTO admin_units (code, name, level, valid_from) VALUES ($1, 'Tỉnh Thử', 'province', $2) RETURNING id`,
      // Test files share a server database: code and start date together keep units apart.
      [
        String(10 + Math.floor(Math.random() * 89)),
        `19${50 + Math.floor(Math.random() * 40)}-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 10)}`,
      ],
    );
    rootUnitId = unit!.id;
    const [user] = await db.query<{ id: string }[]>(
      `INSERT INTO users (username, display_name, password_hash, role) VALUES ($1, 'Quản trị thử', $2, 'district_admin') RETURNING id`,
      [adminUsername, await hashPassword(TEST_PASSWORD)],
    );
    await db.query('INSERT INTO user_admin_units (user_id, admin_unit_id) VALUES ($1, $2)', [
      user!.id,
      rootUnitId,
    ]);
  }
  const session = await login(adminUsername);
  if (session.status !== 200) throw new Error(`admin login: ${JSON.stringify(session.body)}`);
  const adminToken = session.body.accessToken as string;
  const admin = client(adminToken);

  return {
    ...admin,
    app,
    url,
    db,
    rootUnitId,
    adminToken,
    as: client,
    login,
    async newUser(role, scope = {}) {
      const username = `${role.replace('_', '.')}.${randomBytes(4).toString('hex')}`;
      const adminUnitIds =
        scope.adminUnitIds ??
        (['district_admin', 'district_staff', 'inspector'].includes(role) ? [rootUnitId!] : []);
      const created = await admin.post('/users', {
        username,
        displayName: `Người dùng ${role}`,
        password: TEST_PASSWORD,
        role,
        cooperativeId: scope.cooperativeId ?? null,
        buyerId: scope.buyerId ?? null,
        adminUnitIds,
      });
      if (created.status !== 201) throw new Error(`user: ${JSON.stringify(created.body)}`);
      const loggedIn = await login(username);
      const token = loggedIn.body.accessToken as string;
      return { ...client(token), id: created.body.id, username, token };
    },
    close: () => app.close(),
  };
}
