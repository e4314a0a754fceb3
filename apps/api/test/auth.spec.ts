import { createSecretKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCommune, newCooperative } from './support/factories.js';
import {
  startTestApp,
  TEST_PASSWORD,
  TEST_TOKEN_SECRET,
  type TestApp,
} from './support/test-app.js';

let api: TestApp;

beforeAll(async () => {
  api = await startTestApp({
    env: { LOGIN_MAX_FAILURES: '4', LOGIN_RATE_LIMIT_PER_MINUTE: '1000' },
  });
});
afterAll(() => api.close());

const refresh = (refreshToken: string) => api.as(null).post('/auth/refresh', { refreshToken });

describe('logging in', () => {
  it('gives a short-lived access token and a refresh token; refresh rotates; logout revokes', async () => {
    const user = await api.newUser('district_staff');
    const session = await api.login(user.username);
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({ username: user.username, role: 'district_staff' });
    expect(new Date(session.body.accessTokenExpiresAt).getTime() - Date.now()).toBeLessThanOrEqual(
      900_000,
    );

    const me = await api.as(session.body.accessToken).get('/auth/me');
    expect(me.body.username).toBe(user.username);

    const refreshed = await refresh(session.body.refreshToken);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(session.body.refreshToken);
    const next = await refresh(refreshed.body.refreshToken);
    expect(next.status).toBe(200);
    // A spent token whose successor was used is a copy: refused, and every session ends.
    expect((await refresh(session.body.refreshToken)).status).toBe(401);
    expect((await refresh(next.body.refreshToken)).status).toBe(401);

    const again = await api.login(user.username);
    expect(
      (await api.as(null).post('/auth/logout', { refreshToken: again.body.refreshToken })).status,
    ).toBe(204);
    expect(
      (await api.as(null).post('/auth/refresh', { refreshToken: again.body.refreshToken })).status,
    ).toBe(401);
  });

  it('answers a renewal asked again after its answer was lost, while the lost session is unused; not once it was used', async () => {
    const user = await api.newUser('district_staff');
    const session = await api.login(user.username);
    const lost = await refresh(session.body.refreshToken);
    expect(lost.status).toBe(200);

    // The device never got `lost` and asks again with the token it holds.
    const retried = await refresh(session.body.refreshToken);
    expect(retried.status).toBe(200);
    expect(retried.body.refreshToken).not.toBe(lost.body.refreshToken);
    expect((await api.as(retried.body.accessToken).get('/auth/me')).body.username).toBe(
      user.username,
    );
    // The lost answer's token no longer opens anything; presenting it is presenting a copy.
    expect((await refresh(lost.body.refreshToken)).status).toBe(401);
    expect((await refresh(retried.body.refreshToken)).status).toBe(401);

    // Once the renewed session was used, the token it replaced is a copy.
    const again = await api.login(user.username);
    const used = await refresh(again.body.refreshToken);
    expect((await refresh(used.body.refreshToken)).status).toBe(200);
    expect((await refresh(again.body.refreshToken)).status).toBe(401);
    expect((await api.login(user.username)).status).toBe(200);
  });

  it('ends every session when a spent token is presented after a logout of the session it opened', async () => {
    const user = await api.newUser('district_staff');
    const session = await api.login(user.username);
    const renewed = await refresh(session.body.refreshToken);
    const other = await api.login(user.username);
    expect(
      (await api.as(null).post('/auth/logout', { refreshToken: renewed.body.refreshToken })).status,
    ).toBe(204);
    expect((await refresh(session.body.refreshToken)).status).toBe(401);
    expect((await refresh(other.body.refreshToken)).status).toBe(401);
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const user = await api.newUser('inspector');
    const wrong = await api.login(user.username, 'not-the-password');
    const unknown = await api.login('nobody.here', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('slows repeated failures down, then locks the account, even for the right password', async () => {
    const user = await api.newUser('district_staff');
    const timings: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      expect((await api.login(user.username, `wrong-${i}`)).status).toBe(401);
      timings.push(Date.now() - started);
    }
    expect(timings[2]).toBeGreaterThanOrEqual(250);
    const locking = await api.login(user.username, 'wrong-again');
    expect(locking.status).toBe(423);
    expect(locking.body.code).toBe('ACCOUNT_LOCKED');
    const right = await api.login(user.username, TEST_PASSWORD);
    expect(right.status).toBe(423);
    const audit = await api.get(`/audit?entityId=${user.id}&action=auth.account_locked`);
    expect(audit.body.total).toBe(1);

    // An administrator lifts the lock; the same password works again.
    expect((await api.get(`/users/${user.id}`)).body.lockedUntil).not.toBeNull();
    const unlocked = await api.patch(`/users/${user.id}`, { unlock: true });
    expect(unlocked.status).toBe(200);
    expect(unlocked.body.lockedUntil).toBeNull();
    expect((await api.login(user.username, TEST_PASSWORD)).status).toBe(200);
    expect((await api.patch(`/users/${user.id}`, { unlock: false })).status).toBe(400);
  });

  it('ends the sessions of a disabled user and of a deleted one at once', async () => {
    const disabled = await api.newUser('district_staff');
    expect((await disabled.get('/zones')).status).toBe(200);
    await api.patch(`/users/${disabled.id}`, { disabled: true });
    expect((await disabled.get('/zones')).status).toBe(401);
    expect((await api.login(disabled.username)).status).toBe(401);

    const deleted = await api.newUser('inspector');
    expect((await deleted.get('/zones')).status).toBe(200);
    expect((await api.delete(`/users/${deleted.id}`)).status).toBe(204);
    expect((await deleted.get('/zones')).status).toBe(401);
  });

  it('refuses a forged or tampered token', async () => {
    const [header, payload] = api.adminToken.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    const response = await api.as(forged).get('/zones');
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('UNAUTHENTICATED');
  });

  it('counts parallel guesses one by one: the lock holds at the limit, even for the right password', async () => {
    const user = await api.newUser('inspector');
    const guesses = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        api.login(user.username, i === 12 ? TEST_PASSWORD : `wrong guess number ${i}`),
      ),
    );
    const codes = guesses.map((g) => g.body.code as string | undefined);
    // LOGIN_MAX_FAILURES is 4 here: at most four passwords were checked at all.
    const checked = codes.filter((c) => c !== 'ACCOUNT_LOCKED');
    expect(checked.length).toBeLessThanOrEqual(4);
    expect(codes.filter((c) => c === 'ACCOUNT_LOCKED').length).toBeGreaterThanOrEqual(20);
    const after = await api.login(user.username);
    if (!checked.includes(undefined)) expect(after.body.code).toBe('ACCOUNT_LOCKED');
  });

  it('refuses a validly signed token that never expires', async () => {
    const me = await api.get('/auth/me');
    const token = await new SignJWT({ ver: 0 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(me.body.id)
      .setIssuer('huuco')
      .setIssuedAt()
      .sign(createSecretKey(Buffer.from(TEST_TOKEN_SECRET, 'base64')));
    const response = await api.as(token).get('/auth/me');
    expect(response.status).toBe(401);
  });

  /** Five failed logins, each claiming another client address. */
  async function loginsFromClaimedAddresses(target: TestApp): Promise<number[]> {
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const response = await target.as(null).raw('/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i}` },
        body: JSON.stringify({ username: 'nobody', password: 'x' }),
      });
      statuses.push(response.status);
    }
    return statuses;
  }

  it('limits login attempts per client address, which a client cannot choose itself', async () => {
    const limited = await startTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      expect((await loginsFromClaimedAddresses(limited)).slice(-2)).toEqual([429, 429]);
    } finally {
      await limited.close();
    }
  });

  it('believes X-Forwarded-For from a listed proxy only', async () => {
    const behindProxy = await startTestApp({
      env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3', TRUSTED_PROXIES: '127.0.0.1,::1' },
    });
    try {
      expect(await loginsFromClaimedAddresses(behindProxy)).not.toContain(429);
    } finally {
      await behindProxy.close();
    }
  });
});

describe('accounts', () => {
  it('keeps a cooperative account to a cooperative within the administrator’s units', async () => {
    const commune = await newCommune(api);
    const cooperative = await newCooperative(api, commune.id);
    const manager = await api.newUser('coop_manager', { cooperativeId: cooperative.id });
    expect(manager.id).toBeTruthy();
    const noCooperative = await api.post('/users', {
      username: 'htx.khong.co',
      displayName: 'Thiếu HTX',
      password: TEST_PASSWORD,
      role: 'coop_manager',
    });
    expect(noCooperative.status).toBe(422);
    expect(noCooperative.body).toMatchObject({
      code: 'USER_SCOPE_INVALID',
      errors: [{ path: 'cooperativeId' }],
    });
    const shortPassword = await api.post('/users', {
      username: 'mat.khau.ngan',
      displayName: 'Ngắn',
      password: 'short',
      role: 'district_staff',
      adminUnitIds: [api.rootUnitId],
    });
    expect(shortPassword.status).toBe(400);
  });

  it('refuses blank, common and self-naming passwords', async () => {
    for (const password of [
      '            ',
      '123456789012',
      'password1234',
      'qwertyuiopas',
      'nguoi.dung.thu-2026',
    ]) {
      const response = await api.post('/users', {
        username: 'nguoi.dung.thu',
        displayName: 'Người dùng thử',
        password,
        role: 'district_staff',
        adminUnitIds: [api.rootUnitId],
      });
      expect(response.status, password).toBe(422);
      expect(response.body).toMatchObject({
        code: 'PASSWORD_TOO_WEAK',
        errors: [{ path: 'password' }],
      });
    }
    const user = await api.newUser('district_staff');
    const reset = await api.patch(`/users/${user.id}`, { password: `${user.username}!!` });
    expect(reset.status).toBe(422);
    expect(reset.body.code).toBe('PASSWORD_TOO_WEAK');
  });

  it('sends security headers', async () => {
    const response = await api.get('/health');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
  });
});

describe.runIf(Boolean(process.env['DATABASE_URL']))(
  'renewals racing on the server database',
  () => {
    it('a spent token asked again while its successor is renewed ends every session, in either order', async () => {
      for (let round = 0; round < 5; round++) {
        const user = await api.newUser('district_staff');
        const session = await api.login(user.username);
        const renewed = await refresh(session.body.refreshToken);
        const answers = await Promise.all([
          refresh(session.body.refreshToken),
          refresh(renewed.body.refreshToken),
        ]);
        // Whichever goes first, the other finds a used or superseded session: a copy.
        expect(answers.map((a) => a.status).sort()).toEqual([200, 401]);
        const issued = answers.find((a) => a.status === 200)!;
        expect((await refresh(issued.body.refreshToken)).status).toBe(401);
      }
    });
  },
);
