import { can, Role } from '@huuco/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes, concretePath, type ApiRoute } from './support/routes.js';
import { startTestApp, type Client, type TestApp } from './support/test-app.js';
import { newCommune, newCooperative } from './support/factories.js';

/**
 * Walks every route the API declares, as every role and as nobody: closed by default means a
 * route no rule opens answers 401 or 403, and no request — however hostile — answers 500.
 */
let api: TestApp;
let routes: ApiRoute[];
const users = {} as Record<Role, Client>;

beforeAll(async () => {
  api = await startTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '10000' } });
  routes = apiRoutes(api.app);
  const commune = await newCommune(api);
  const cooperative = (await newCooperative(api, commune.id)).id;
  const buyer = await api.post('/buyers', {
    name: 'Công ty Đi Qua',
    taxCode: String(1_000_000_000 + Math.floor(Math.random() * 8e9)),
    province: 'Hà Nội',
  });
  for (const role of Role) {
    users[role] = await api.newUser(role, {
      ...(role === 'coop_manager' || role === 'coop_member' ? { cooperativeId: cooperative } : {}),
      ...(role === 'buyer' ? { buyerId: buyer.body.id } : {}),
    });
  }
});
afterAll(() => api.close());

function send(client: Client, route: ApiRoute, path = concretePath(route.path)) {
  if (route.method === 'GET') return client.get(path);
  if (route.method === 'DELETE') return client.delete(path);
  return client.raw(path, {
    method: route.method,
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
}

describe('every route', () => {
  it('is found: the walk covers the whole API', () => {
    expect(routes.length).toBeGreaterThan(60);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toContain('GET /lots/:id');
  });

  it('is public or names the permission it needs', () => {
    const open = routes.filter((r) => !r.isPublic && r.permission === undefined);
    expect(open.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('answers 401 to nobody and 403 to every role its permission leaves out, and never 500', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const anonymous = await send(api.as(null), route);
      if (!route.isPublic && anonymous.status !== 401)
        wrong.push(`${route.method} ${route.path} anonymous → ${anonymous.status}`);
      for (const role of Role) {
        const { status } = await send(users[role], route);
        const allowed = route.isPublic || can(role, route.permission!);
        if (
          status >= 500 ||
          (!allowed && status !== 403) ||
          (allowed && status === 403 && !route.path.includes(':'))
        )
          wrong.push(`${route.method} ${route.path} ${role} → ${status}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('hostile input', () => {
  const nul = '\u0000';

  it('answers a NUL character in any path, query or body field 400 with the field named', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const attempts: [string, Promise<{ status: number; body: any }>][] = [];
      const concrete = concretePath(route.path);
      attempts.push(['query', api.get(`${concrete}?q=${encodeURIComponent(`a${nul}b`)}`)]);
      if (route.path.includes(':'))
        attempts.push(['path', api.get(route.path.replace(/:[A-Za-z]+/, '%00'))]);
      if (route.method !== 'GET' && route.method !== 'DELETE') {
        attempts.push([
          'body',
          api.raw(concrete, {
            method: route.method,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ name: `x${nul}`, username: nul, items: [{ note: nul }] }),
          }),
        ]);
      }
      for (const [where, attempt] of attempts) {
        const response = await attempt;
        const named = Array.isArray(response.body?.errors) && response.body.errors[0]?.path;
        // A NUL in the path may also leave a route unmatched: 404 is then the honest answer.
        const fine =
          (response.status === 400 && named) || (where === 'path' && response.status === 404);
        if (!fine) wrong.push(`${route.method} ${route.path} (${where}) → ${response.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('names a NUL in the login form and in a list filter', async () => {
    const login = await api
      .as(null)
      .post('/auth/login', { username: `admin${nul}`, password: 'x' });
    expect(login.status).toBe(400);
    expect(login.body.errors[0].path).toBe('username');
    for (const filter of ['/plots?q=', '/households?q=', '/lots?q=', '/audit?action=']) {
      const response = await api.get(`${filter}${encodeURIComponent(nul)}`);
      expect(response.status, filter).toBe(400);
    }
  });

  it('answers a malformed percent-encoded file name 400 with the header named', async () => {
    const response = await api.raw('/contracts/3f0c9a52-4d1e-4b8a-9a71-2b5c1d7e8f90/document', {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf', 'x-filename': 'h%E0%A4%A.pdf' },
      body: Buffer.from('%PDF-1.4\n'),
    });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].path).toBe('x-filename');
  });

  it('never answers 500 to odd values in the headers the server reads', async () => {
    const odd = ['%E0%A4%A', 'Ã¿'.repeat(500), '\t', '*/*;q=abc', 'Bearer', 'Bearer a.b.c'];
    const wrong: string[] = [];
    for (const route of routes.filter((r) => r.method === 'GET')) {
      for (const value of odd) {
        const response = await api.as(null).raw(concretePath(route.path), {
          method: 'GET',
          headers: {
            authorization: value,
            accept: value,
            'user-agent': value,
            'x-forwarded-for': value,
            'accept-language': value,
          },
        });
        if (response.status >= 500) wrong.push(`${route.path} ${JSON.stringify(value)}`);
      }
    }
    for (const path of ['/t/ABC%E0%A4', '/01/%00/10/x', '/t/%FF?k=%00&s=1']) {
      const response = await fetch(`${api.url}${path}`);
      if (response.status >= 500) wrong.push(`${path} → ${response.status}`);
    }
    expect(wrong).toEqual([]);
  });
});
