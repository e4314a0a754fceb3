// `npm run bench:imports`: 100,000 plots from one zipped Shapefile, end to end — upload, check
// (preview), commit — on the PostgreSQL server named by DATABASE_URL (and on the embedded
// database when it is not set), with the process's peak memory and what the import still holds
// after a full collection at the end of its check and of its commit; beside the raw SQL that
// inserts the same rows, measured in the same run.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import shpwrite from '@mapbox/shp-write';
import { dist, root, startBenchApp } from './support.mjs';

const { DemoSeeder } = await dist('demo/demo.seeder.js');

const PLOTS = Number(process.env.BENCH_PLOTS ?? 100_000);

/** A grid of 40 m × 30 m plots, 10 m apart, far from the demo's fields. */
function survey(householdCode) {
  const side = Math.ceil(Math.sqrt(PLOTS));
  const dLng = 50 / 104_000;
  const dLat = 40 / 110_600;
  const features = [];
  for (let i = 0; i < PLOTS; i++) {
    const lng = 105.2 + (i % side) * dLng;
    const lat = 10.1 + Math.floor(i / side) * dLat;
    const w = 40 / 104_000;
    const h = 30 / 110_600;
    features.push({
      type: 'Feature',
      properties: { MA_THUA: `B-${String(i).padStart(6, '0')}`, MA_HO: householdCode },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [lng, lat],
            [lng + w, lat],
            [lng + w, lat + h],
            [lng, lat + h],
            [lng, lat],
          ],
        ],
      },
    });
  }
  return { type: 'FeatureCollection', features };
}

/**
 * JS heap still in use above `before` once a full collection has run (V8 collects lazily);
 * not a number when node was started without --expose-gc, rather than a misleading one.
 */
function heldSince(before) {
  if (!global.gc) return NaN;
  global.gc();
  return (process.memoryUsage().heapUsed - before) / 1048576;
}

/**
 * The survey as a zipped Shapefile, kept under bench/results/ between runs: the writer's time
 * grows with the square of the features (about 4½ minutes for 100,000), outside what is measured.
 */
async function surveyZip(collection, householdCode) {
  const cached = resolve(root, `bench/results/survey-${PLOTS}-${householdCode}.zip`);
  if (existsSync(cached)) return readFileSync(cached);
  const zip = await shpwrite.zip(collection, {
    outputType: 'nodebuffer',
    compression: 'DEFLATE',
    types: { polygon: 'thua_dat' },
  });
  mkdirSync(resolve(root, 'bench/results'), { recursive: true });
  writeFileSync(cached, zip);
  return zip;
}

async function runOn(label, env) {
  const { app, url, db } = await startBenchApp({ ...env, IMPORT_MAX_BYTES: '500000000' });
  await app.get(DemoSeeder).seedIfEmpty();
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'htx.anthanh', password: 'huuco-demo' }),
  }).then((r) => r.json());
  const token = login.accessToken;
  const get = (path) =>
    fetch(`${url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } }).then((r) =>
      r.json(),
    );
  const household = (await get('/households?pageSize=1')).items[0];
  const collection = survey(household.code);
  const zip = await surveyZip(collection, household.code);

  // The benchmark's own survey and zip are in memory already: what the import adds is the peak less this.
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  let heapPeak = process.memoryUsage().heapUsed;
  const heapBefore = heapPeak;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peak = Math.max(peak, now.rss);
    heapPeak = Math.max(heapPeak, now.heapUsed);
  }, 100);
  const started = performance.now();
  const form = new FormData();
  form.append('kind', 'plots');
  form.append('cooperativeId', household.cooperativeId);
  form.append('file', new Blob([zip]), 'khao-sat.zip');
  const job = await fetch(`${url}/api/v1/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  }).then((r) => r.json());
  const uploaded = performance.now();
  let checked = job;
  while (checked.status === 'checking') {
    await new Promise((done) => setTimeout(done, 200));
    checked = await get(`/imports/${job.id}?pageSize=1`);
  }
  const previewed = performance.now();
  const heldAfterCheck = heldSince(heapBefore);
  if (checked.status !== 'ready' || checked.counts.error)
    throw new Error(`the survey did not check clean: ${JSON.stringify(checked).slice(0, 800)}`);
  const committed = await fetch(`${url}/api/v1/imports/${job.id}/commit`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  }).then((r) => r.json());
  const done = performance.now();
  clearInterval(sampler);
  const heldAfterCommit = heldSince(heapBefore);
  if (committed.status !== 'committed')
    throw new Error(`commit: ${JSON.stringify(committed).slice(0, 800)}`);
  const [{ n }] = await db.query(`SELECT count(*) AS n FROM plots WHERE code LIKE 'B-%'`);

  // The baseline: the same rows inserted by one raw SQL statement, into a scratch table.
  await db.query('CREATE TABLE bench_plots (LIKE plots INCLUDING DEFAULTS)');
  const rows = collection.features.map((f) => ({
    code: `R${f.properties.MA_THUA}`,
    geometry: f.geometry,
  }));
  const [template] = await db.query(
    `SELECT household_id, cooperative_id FROM plots WHERE code LIKE 'B-%' LIMIT 1`,
  );
  const rawStart = performance.now();
  await db.query(
    `INSERT INTO bench_plots (code, household_id, cooperative_id, geometry, area_m2, bbox, farming_system, revision)
     SELECT r.code, $2, $3, r.geometry, 1200, box(point(0,0), point(1,1)), 'organic_rice', 1
       FROM json_to_recordset($1::json) AS r(code text, geometry json)`,
    [JSON.stringify(rows), template.household_id, template.cooperative_id],
  );
  const rawSeconds = (performance.now() - rawStart) / 1000;
  await db.query('DROP TABLE bench_plots');
  await app.close();
  return {
    label,
    plots: PLOTS,
    stored: Number(n),
    zipMb: zip.length / 1048576,
    uploadS: (uploaded - started) / 1000,
    checkS: (previewed - uploaded) / 1000,
    commitS: (done - previewed) / 1000,
    totalS: (done - started) / 1000,
    peakMb: peak / 1048576,
    growthMb: (peak - before) / 1048576,
    heapGrowthMb: (heapPeak - heapBefore) / 1048576,
    heldMb: [heldAfterCheck, heldAfterCommit],
    rawS: rawSeconds,
  };
}

const results = [];
if (process.env.DATABASE_URL)
  results.push(await runOn('PostgreSQL server', { DATABASE_URL: process.env.DATABASE_URL }));
else results.push(await runOn('embedded (PGlite)', { DATABASE_URL: '' }));

const f = (n, d = 1) => n.toFixed(d);
const lines = [
  `# Imports benchmark, ${new Date().toISOString().slice(0, 10)}`,
  '',
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
  '',
  '| Database | Plots | Zip (MB) | Upload (s) | Check (s) | Commit (s) | Total (s) | Peak RSS (MB) | Added by the import: RSS / JS heap (MB) | Heap held after check / commit (MB) | Raw SQL insert (s) |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...results.map(
    (r) =>
      `| ${r.label} | ${r.stored.toLocaleString('en')} | ${f(r.zipMb)} | ${f(r.uploadS)} | ${f(r.checkS)} | ${f(r.commitS)} | ${f(r.totalS)} | ${f(r.peakMb, 0)} | ${f(r.growthMb, 0)} / ${f(r.heapGrowthMb, 0)} | ${f(r.heldMb[0], 1)} / ${f(r.heldMb[1], 1)} | ${f(r.rawS, 2)} |`,
  ),
];
console.log(lines.join('\n'));
mkdirSync(resolve(root, 'bench/results'), { recursive: true });
writeFileSync(resolve(root, 'bench/results/imports-latest.md'), `${lines.join('\n')}\n`);
