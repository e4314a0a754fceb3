/* global window, document, requestAnimationFrame -- these run inside the page, through page.evaluate. */
// `npm run bench:map`: the map in headless Chromium over districts of 1,000, 10,000 and 50,000
// plots — time to first plots drawn at zoom 15, time for a 500-px pan — and the viewport API's
// p50/p95 on the same data. Plots are spread over Tứ Kỳ's extent, as a district's would be.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { createApp } = await import(resolve(root, 'dist/apps/api/app.js'));
const { loadConfig } = await import(resolve(root, 'dist/apps/api/platform/config/app-config.js'));
const { hashPassword } = await import(resolve(root, 'dist/apps/api/access/auth/password.js'));
const { getDataSourceToken } = await import('@nestjs/typeorm');

const SIZES = (process.env.BENCH_MAP_SIZES ?? '1000,10000,50000').split(',').map(Number);
const EXTENT = { minLng: 106.31, minLat: 20.72, maxLng: 106.5, maxLat: 20.91 };
const CENTER = [20.815, 106.405];
const VIEWPORT = { width: 1024, height: 768 };
const M_PER_DEG_LAT = 110_700;

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const pct = (xs, p) => sorted(xs)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function district(count) {
  const app = await createApp(
    loadConfig({
      DATA_DIR: 'memory://',
      ID_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      AUTH_TOKEN_SECRET: randomBytes(32).toString('base64'),
      DEMO_DATA: 'off',
      LOG_LEVEL: 'silent',
      MAP_TILE_URL: '',
    }),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const db = app.get(getDataSourceToken());
  const [province] = await db.query(
    `INSERT INTO admin_units (code, name, level, valid_from) VALUES ('30', 'Tỉnh Đo', 'province', '2000-01-01') RETURNING id`,
  );
  const [commune] = await db.query(
    `INSERT INTO admin_units (code, name, level, parent_id, valid_from) VALUES ('11125', 'Xã Đo', 'commune', $1, '2000-01-01') RETURNING id`,
    [province.id],
  );
  const [coop] = await db.query(
    `INSERT INTO cooperatives (name, registration_number, commune_id) VALUES ('HTX Đo', 'BENCH-MAP', $1) RETURNING id`,
    [commune.id],
  );
  const [household] = await db.query(
    `INSERT INTO households (head_name, id_number_ciphertext, id_number_key_id, id_number_hash, id_number_masked, commune_id, cooperative_id, joined_on)
     VALUES ('Hộ Đo', 'x', 'k', $1, '030******001', $2, $3, '2020-01-01') RETURNING id`,
    ['0'.repeat(64), commune.id, coop.id],
  );
  const [user] = await db.query(
    `INSERT INTO users (username, display_name, password_hash, role) VALUES ('bench.map', 'Đo', $1, 'district_admin') RETURNING id`,
    [await hashPassword('bench-password-1')],
  );
  await db.query('INSERT INTO user_admin_units (user_id, admin_unit_id) VALUES ($1, $2)', [
    user.id,
    province.id,
  ]);

  // An even spread over the district: spacing so that `count` plots cover its extent.
  const widthM =
    (EXTENT.maxLng - EXTENT.minLng) * M_PER_DEG_LAT * Math.cos((CENTER[0] * Math.PI) / 180);
  const heightM = (EXTENT.maxLat - EXTENT.minLat) * M_PER_DEG_LAT;
  const spacing = Math.sqrt((widthM * heightM) / count);
  const columns = Math.floor(widthM / spacing);
  const mPerDegLng = M_PER_DEG_LAT * Math.cos((CENTER[0] * Math.PI) / 180);
  for (let start = 0; start < count; start += 1_000) {
    const values = [];
    const params = [];
    for (let i = start; i < Math.min(count, start + 1_000); i++) {
      const x0 = EXTENT.minLng + ((i % columns) * spacing) / mPerDegLng;
      const y0 = EXTENT.minLat + (Math.floor(i / columns) * spacing) / M_PER_DEG_LAT;
      const x1 = x0 + 30 / mPerDegLng;
      const y1 = y0 + 25 / M_PER_DEG_LAT;
      const ring = [
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
        [x0, y0],
      ];
      params.push(
        `M-${i}`,
        JSON.stringify({ type: 'Polygon', coordinates: [ring] }),
        `(${x1},${y1}),(${x0},${y0})`,
      );
      const n = params.length;
      values.push(
        `($${n - 2}, $${n - 1}::json, $${n}::box, 750, 'organic_rice', '${household.id}', '${coop.id}')`,
      );
    }
    await db.query(
      `INSERT INTO plots (code, geometry, bbox, area_m2, farming_system, household_id, cooperative_id) VALUES ${values.join(',')}`,
      params,
    );
  }
  await db.query('ANALYZE plots');
  return { app, url };
}

async function measure(count, browser) {
  const { app, url } = await district(count);
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench.map', password: 'bench-password-1' }),
  }).then((r) => r.json());

  // The viewport API on zoom-15 viewports across the district.
  const degPerPx = 360 / 2 ** 15 / 256;
  const w = VIEWPORT.width * degPerPx;
  const h = VIEWPORT.height * degPerPx * Math.cos((CENTER[0] * Math.PI) / 180);
  const apiTimes = [];
  let rows = 0;
  for (let i = 0; i < 60; i++) {
    const x = EXTENT.minLng + ((i * 0.137) % 1) * (EXTENT.maxLng - EXTENT.minLng - w);
    const y = EXTENT.minLat + ((i * 0.311) % 1) * (EXTENT.maxLat - EXTENT.minLat - h);
    const t0 = performance.now();
    const body = await fetch(`${url}/api/v1/plots?bbox=${x},${y},${x + w},${y + h}`, {
      headers: { authorization: `Bearer ${login.accessToken}` },
    }).then((r) => r.json());
    apiTimes.push(performance.now() - t0);
    rows += body.features.length;
  }

  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript(
    (token) => localStorage.setItem('huuco.refreshToken', token),
    login.refreshToken,
  );
  const page = await context.newPage();
  await page.goto(`${url}/`);
  await page.waitForFunction(() => window.huucoMap !== undefined);
  await page.evaluate(() => new Promise((done) => setTimeout(done, 500)));
  // First plots drawn: from asking for zoom 15 to the frame after they reach the canvas.
  const firstRender = await page.evaluate(
    ([lat, lng]) =>
      new Promise((done) => {
        const t0 = performance.now();
        window.addEventListener(
          'huuco:plots-drawn',
          () => requestAnimationFrame(() => done(performance.now() - t0)),
          {
            once: true,
          },
        );
        window.huucoMap.setView([lat, lng], 15, { animate: false });
      }),
    CENTER,
  );
  const pans = [];
  for (let i = 0; i < 10; i++) {
    pans.push(
      await page.evaluate(
        (dx) =>
          new Promise((done) => {
            const t0 = performance.now();
            window.addEventListener(
              'huuco:plots-drawn',
              () => requestAnimationFrame(() => done(performance.now() - t0)),
              {
                once: true,
              },
            );
            window.huucoMap.panBy([dx, 0], { animate: false });
          }),
        i % 2 === 0 ? 500 : -500,
      ),
    );
  }
  const drawn = await page.evaluate(
    () => document.querySelector('[role=status]')?.textContent ?? '',
  );
  await context.close();
  await app.close();
  return {
    count,
    rowsPerViewport: Math.round(rows / apiTimes.length),
    apiP50: pct(apiTimes, 50),
    apiP95: pct(apiTimes, 95),
    firstRender,
    panP50: pct(pans, 50),
    panMax: Math.max(...pans),
    drawn,
  };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const results = [];
for (const count of SIZES) results.push(await measure(count, browser));
await browser.close();

const ms = (n) => n.toFixed(0);
const lines = [
  `Run ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}, Chromium headless, viewport ${VIEWPORT.width}×${VIEWPORT.height}, embedded database.`,
  '',
  '| plots in district | plots per zoom-15 viewport | viewport API p50 / p95 (ms) | first plots drawn at zoom 15 (ms) | 500-px pan p50 / max (ms) |',
  '|---|---|---|---|---|',
  ...results.map(
    (r) =>
      `| ${r.count} | ${r.rowsPerViewport} | ${ms(r.apiP50)} / ${ms(r.apiP95)} | ${ms(r.firstRender)} | ${ms(r.panP50)} / ${ms(r.panMax)} |`,
  ),
];
console.log(lines.join('\n'));
mkdirSync(resolve(root, 'bench/results'), { recursive: true });
writeFileSync(resolve(root, 'bench/results/map-latest.md'), `${lines.join('\n')}\n`);
