// `npm run bench`: the map's bbox query over 50,000 plots beside the same SQL run raw, and plot
// creation with every geometry rule, on the embedded database and (with DATABASE_URL) the server.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import http from 'node:http';
import { dist, root, startBenchApp } from './support.mjs';

const { hashPassword } = await dist('access/auth/password.js');

const PLOTS = Number(process.env.BENCH_PLOTS ?? 50_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const CREATES = Number(process.env.BENCH_CREATES ?? 500);
const M_PER_DEG_LAT = 110_700;
const ORIGIN = [105.6, 21.3];
const mPerDegLng = M_PER_DEG_LAT * Math.cos((ORIGIN[1] * Math.PI) / 180);

function rect(x, y, w, h) {
  const at = (px, py) => [
    Math.round((ORIGIN[0] + px / mPerDegLng) * 1e7) / 1e7,
    Math.round((ORIGIN[1] + py / M_PER_DEG_LAT) * 1e7) / 1e7,
  ];
  const ring = [at(x, y), at(x + w, y), at(x + w, y + h), at(x, y + h)];
  return { type: 'Polygon', coordinates: [[...ring, ring[0]]] };
}

function bboxOf(geometry) {
  const xs = geometry.coordinates[0].map((p) => p[0]);
  const ys = geometry.coordinates[0].map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

const agent = new http.Agent({ keepAlive: true });

/** A plain node:http GET on a kept-alive connection: the lightest client there is. */
function get(url) {
  return new Promise((resolveBody, reject) => {
    http
      .get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolveBody(Buffer.concat(chunks)));
      })
      .on('error', reject);
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

let token = null;

async function post(url, path, body) {
  const response = await fetch(`${url}/api/v1${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${path}: ${JSON.stringify(json)}`);
  return json;
}

async function runOn(label, env) {
  const { app, url, db } = await startBenchApp(env);

  // A province and its administrator, as `npm run create-admin` would make them.
  const [province] = await db.query(
    `INSERT INTO admin_units (code, name, level, valid_from) VALUES ('99', 'Tỉnh Đo', 'province', '2000-01-01') RETURNING id`,
  );
  const [admin] = await db.query(
    `INSERT INTO users (username, display_name, password_hash, role) VALUES ('bench.admin', 'Đo', $1, 'district_admin') RETURNING id`,
    [await hashPassword('bench-password-1')],
  );
  await db.query('INSERT INTO user_admin_units (user_id, admin_unit_id) VALUES ($1, $2)', [
    admin.id,
    province.id,
  ]);
  token = null;
  token = (
    await post(url, '/auth/login', { username: 'bench.admin', password: 'bench-password-1' })
  ).accessToken;
  const commune = await post(url, '/admin-units', {
    code: '99999',
    name: 'Xã Đo',
    level: 'commune',
    parentId: province.id,
    validFrom: '2000-01-01',
  });
  const cooperative = await post(url, '/cooperatives', {
    name: 'HTX Đo',
    registrationNumber: 'BENCH-1',
    communeId: commune.id,
  });
  const household = await post(url, '/households', {
    headName: 'Hộ Đo',
    idNumber: '030000000001',
    communeId: commune.id,
    cooperativeId: cooperative.id,
    joinedOn: '2020-01-01',
  });

  // 50,000 plots of 30 m × 25 m on a 250-column grid: a district's worth, loaded with SQL.
  const columns = 250;
  const loadStarted = performance.now();
  for (let start = 0; start < PLOTS; start += 1_000) {
    const values = [];
    const params = [];
    for (let i = start; i < Math.min(PLOTS, start + 1_000); i++) {
      const geometry = rect((i % columns) * 32, Math.floor(i / columns) * 27, 30, 25);
      const [a, b, c, d] = bboxOf(geometry);
      params.push(`B-${i}`, JSON.stringify(geometry), `(${c},${d}),(${a},${b})`);
      const n = params.length;
      values.push(
        `($${n - 2}, $${n - 1}::json, $${n}::box, 750, 'organic_rice', '${household.id}', '${cooperative.id}')`,
      );
    }
    await db.query(
      `INSERT INTO plots (code, geometry, bbox, area_m2, farming_system, household_id, cooperative_id) VALUES ${values.join(',')}`,
      params,
    );
  }
  await db.query('ANALYZE plots');
  const loadSeconds = (performance.now() - loadStarted) / 1000;

  // Viewports of ~1.1 km × 0.7 km (zoom 15 on a laptop): ≤ 2,000 plots each.
  const width = 1_100 / mPerDegLng;
  const height = 700 / M_PER_DEG_LAT;
  const span = [
    (columns * 32) / mPerDegLng - width,
    ((PLOTS / columns) * 27) / M_PER_DEG_LAT - height,
  ];
  const viewports = Array.from({ length: QUERIES }, (_, i) => {
    const x = ORIGIN[0] + (((i * 7919) % 1000) / 1000) * span[0];
    const y = ORIGIN[1] + (((i * 104729) % 1000) / 1000) * span[1];
    return [x, y, x + width, y + height];
  });
  // The endpoint's own SQL, run raw: the API's cost is what it adds to this.
  const rawSql = `SELECT id, zone_id, conversion_started_on,
      '{"type":"Feature","id":"' || id || '","geometry":' || geometry::text ||
      ',"properties":{"code":' || to_json(code)::text ||
      ',"zoneId":' || COALESCE('"' || zone_id || '"', 'null') ||
      ',"farmingSystem":"' || farming_system || '","areaM2":' || area_m2 ||
      ',"flags":' || array_to_json(flags)::text || ',"isDemo":' || is_demo || ',"status":"' AS head
    FROM plots WHERE bbox && box(point($1, $2), point($3, $4))
      AND cooperative_id IN (SELECT sc.id FROM cooperatives sc WHERE sc.commune_id = ANY($5::uuid[]))
    LIMIT 5001`;
  // The administrator's scope, as the endpoint adds it: every unit under the province.
  const scopeUnits = (await db.query('SELECT id FROM admin_units')).map((row) => row.id);

  const rawTimes = [];
  let rawRows = 0;
  for (const v of viewports) {
    const t0 = performance.now();
    const rows = await db.query(rawSql, [...v, scopeUnits]);
    rawTimes.push(performance.now() - t0);
    rawRows += rows.length;
  }
  const apiTimes = [];
  let apiRows = 0;
  for (const v of viewports) {
    const t0 = performance.now();
    const bytes = await get(`${url}/api/v1/plots?bbox=${v.join(',')}`);
    apiTimes.push(performance.now() - t0);
    apiRows += JSON.parse(bytes.toString('utf8')).features.length;
  }
  const plan = (await db.query(`EXPLAIN ${rawSql}`, [...viewports[0], scopeUnits]))
    .map((r) => r['QUERY PLAN'])
    .join('\n');

  // Plot creation through the API with every rule: outline, size, zone containment, overlap.
  const zone = await post(url, '/zones', {
    code: 'BENCH-ZONE',
    name: 'Vùng đo',
    kind: 'organic',
    communeIds: [commune.id],
    geometry: rect(-2_000, -2_000, 1_900, 1_900),
  });
  const createStarted = performance.now();
  for (let i = 0; i < CREATES; i++) {
    await post(url, '/plots', {
      code: `C-${i}`,
      householdId: household.id,
      zoneId: zone.id,
      farmingSystem: 'organic_rice',
      geometry: rect(-1_950 + (i % 50) * 32, -1_950 + Math.floor(i / 50) * 27, 30, 25),
    });
  }
  const createSeconds = (performance.now() - createStarted) / 1000;

  // The same rules through POST /plots/import, 1,000 plots a request, beside the plots above.
  const IMPORTS = Number(process.env.BENCH_IMPORTS ?? 20_000);
  const importStarted = performance.now();
  for (let start = 0; start < IMPORTS; start += 1_000) {
    const plots = Array.from({ length: Math.min(1_000, IMPORTS - start) }, (_, k) => {
      const i = start + k;
      return {
        code: `I-${i}`,
        householdId: household.id,
        farmingSystem: 'organic_rice',
        geometry: rect((i % columns) * 32, -3_000 - Math.floor(i / columns) * 27, 30, 25),
      };
    });
    await post(url, '/plots/import', { plots });
  }
  const importSeconds = (performance.now() - importStarted) / 1000;
  await app.close();

  const raw = stats(rawTimes);
  const api = stats(apiTimes);
  return {
    label,
    plots: PLOTS,
    loadSeconds,
    rowsPerQuery: Math.round(apiRows / QUERIES),
    raw,
    api,
    rawRowsPerSecond: Math.round(rawRows / (rawTimes.reduce((a, b) => a + b, 0) / 1000)),
    apiRowsPerSecond: Math.round(apiRows / (apiTimes.reduce((a, b) => a + b, 0) / 1000)),
    ratioP50: api.p50 / raw.p50,
    ratioP95: api.p95 / raw.p95,
    createsPerSecond: CREATES / createSeconds,
    importsPerSecond: IMPORTS / importSeconds,
    plan,
  };
}

/** Time from `node main.js` to a healthy answer, on a fresh data folder and then on the same again. */
async function startupTimes() {
  const dataDir = mkdtempSync(resolve(os.tmpdir(), 'huuco-bench-'));
  const once = async () => {
    const port = 3900 + Math.floor(Math.random() * 90);
    const started = performance.now();
    const child = spawn(process.execPath, [resolve(root, 'dist/apps/api/main.js')], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: '',
        PORT: String(port),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    });
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
        if (response.ok) break;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const seconds = (performance.now() - started) / 1000;
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
    return seconds;
  };
  const fresh = await once();
  const existing = await once();
  rmSync(dataDir, { recursive: true, force: true });
  return { fresh, existing };
}

const startup = await startupTimes();
const runs = [await runOn('embedded (PGlite)', {})];
if (process.env.DATABASE_URL)
  runs.push(await runOn('server (PostgreSQL)', { DATABASE_URL: process.env.DATABASE_URL }));

const ms = (n) => n.toFixed(1);
const lines = [
  `Run ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0].model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
  '',
  '| database | plots | rows/query | raw SQL p50 / p95 (ms) | API p50 / p95 (ms) | API ÷ raw p50 / p95 | raw rows/s | API rows/s | POST /plots, plots/s | POST /plots/import, plots/s |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...runs.map(
    (r) =>
      `| ${r.label} | ${r.plots} | ${r.rowsPerQuery} | ${ms(r.raw.p50)} / ${ms(r.raw.p95)} | ${ms(r.api.p50)} / ${ms(r.api.p95)} | ${r.ratioP50.toFixed(2)} / ${r.ratioP95.toFixed(2)} | ${r.rawRowsPerSecond} | ${r.apiRowsPerSecond} | ${r.createsPerSecond.toFixed(0)} | ${r.importsPerSecond.toFixed(0)} |`,
  ),
  '',
  `Start-up (embedded, \`node dist/apps/api/main.js\` to a healthy answer): empty data folder with demo load ${startup.fresh.toFixed(1)} s; existing data folder ${startup.existing.toFixed(1)} s.`,
  '',
  ...runs.flatMap((r) => [`Query plan, ${r.label}:`, '', '```', r.plan, '```', '']),
];
const output = lines.join('\n');
console.log(output);
mkdirSync(resolve(root, 'bench/results'), { recursive: true });
writeFileSync(resolve(root, 'bench/results/latest.md'), `${output}\n`);
