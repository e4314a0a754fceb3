// `npm run bench:trace`: the public provenance page and its JSON over 100,000 lots under
// 50 connections beside a bare node:http server; the full upstream trace of a lot five
// transformations deep; harvest recording under load. On the embedded database always, and on
// the PostgreSQL server too when DATABASE_URL is set (BENCH_EMBEDDED=off: the server alone).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { dist, root, startBenchApp } from './support.mjs';

const { DemoSeeder } = await dist('demo/demo.seeder.js');
const { LabelSigner } = await dist('trace/provenance/label-signer.js');
const { LogAppender } = await dist('trace/log/log-appender.service.js');
const { ProvenanceBuilder } = await dist('trace/provenance/provenance.builder.js');
const { ScanLog } = await dist('trace/provenance/scan-log.js');
const { ProvenanceService } = await dist('trace/provenance/provenance.service.js');
const run = promisify(execFile);

const LOTS = Number(process.env.BENCH_LOTS ?? 100_000);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const work = mkdtempSync(join(os.tmpdir(), 'huuco-bench-'));

async function load(options) {
  const { stdout } = await run(
    process.execPath,
    [resolve(root, 'bench/load.mjs'), JSON.stringify(options)],
    {
      maxBuffer: 1 << 24,
    },
  );
  return JSON.parse(stdout);
}

/** The baseline: a bare node:http server answering a small JSON body, measured in this run. */
async function bareServer() {
  const server = http.createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"status":"ok"}');
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const result = await load({
    url: `http://127.0.0.1:${server.address().port}/`,
    duration: DURATION,
  });
  server.close();
  return result;
}

async function api(url, token, method, path, body) {
  const response = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: body && JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${path}: ${JSON.stringify(json)}`);
  return json;
}

async function runOn(label, env) {
  const dataDir = env.DATABASE_URL ? 'memory://' : mkdtempSync(join(work, 'data-'));
  const { app, url, db } = await startBenchApp({
    DATA_DIR: dataDir,
    // The load generator is one address: neither public budget may throttle it.
    PUBLIC_RATE_LIMIT_PER_MINUTE: '1000000',
    PUBLIC_SIGNED_RATE_LIMIT_PER_MINUTE: '10000000',
    ...env,
  });
  // The demo: real provenance documents (20 plots with outlines, certificates, steps).
  await app.get(DemoSeeder).seedIfEmpty();
  // The demo's events join the log first: the copies below share the source lot's trace, and a
  // batch logging its events then would rebuild every copy's page.
  await app.get(LogAppender).appendPending();

  // 100,000 lots copied from a milled, bagged demo lot, each with its own code and document.
  const [source] = await db.query(
    `SELECT l.id, pr.gtin FROM lots l JOIN products pr ON pr.id = l.product_id
      WHERE pr.gtin IS NOT NULL AND l.status = 'sealed' ORDER BY l.code LIMIT 1`,
  );
  const started = performance.now();
  for (let from = 1; from <= LOTS; from += 20_000) {
    const to = Math.min(LOTS, from + 19_999);
    await db.query(
      `INSERT INTO lots (code, product_id, cooperative_id, season_id, transformation_id, quantity_kg, remaining_kg,
         organic, status, qr_url, qr_svg)
       SELECT 'B' || lpad(g::text, 7, '0'), product_id, cooperative_id, season_id, transformation_id, quantity_kg,
              remaining_kg, organic, 'sealed', qr_url, ''
         FROM lots, generate_series($2::int, $3::int) g WHERE lots.id = $1`,
      [source.id, from, to],
    );
    await db.query(
      `INSERT INTO lot_provenance (lot_id, code, gtin, document, page_json, page_vi, page_en)
       SELECT l.id, l.code, src.gtin, jsonb_set(src.document, '{lot,code}', to_jsonb(l.code)), replace(src.page_json, src.code, l.code),
              replace(src.page_vi, src.code, l.code), replace(src.page_en, src.code, l.code)
         FROM lots l, lot_provenance src
        WHERE src.lot_id = $1 AND l.code BETWEEN 'B' || lpad($2::text, 7, '0') AND 'B' || lpad($3::text, 7, '0')`,
      [source.id, from, to],
    );
  }
  await db.query('ANALYZE lots');
  await db.query('ANALYZE lot_provenance');
  const loadSeconds = (performance.now() - started) / 1000;

  const signer = app.get(LabelSigner);
  // Longer than a run's requests, so the random scans are never a short list scanned again; a
  // second list for a run once the process has seen every lot.
  const randomPaths = () =>
    Array.from({ length: Math.max(200_000, 2 * LOTS) }, () => {
      const code = `B${String(1 + Math.floor(Math.random() * LOTS)).padStart(7, '0')}`;
      return signer.urlFor(code, source.gtin.trim()).replace(/^https?:\/\/[^/]+/, '');
    });
  const paths = randomPaths();
  const pathsFile = join(work, `paths-${label}.json`);
  writeFileSync(pathsFile, JSON.stringify(paths));
  const againFile = join(work, `paths-again-${label}.json`);
  writeFileSync(againFile, JSON.stringify(randomPaths()));
  // Every lot scanned once, as a process that has served a while has seen them.
  const everyLotFile = join(work, `paths-every-${label}.json`);
  writeFileSync(
    everyLotFile,
    JSON.stringify(
      Array.from({ length: LOTS }, (_, i) =>
        signer
          .urlFor(`B${String(i + 1).padStart(7, '0')}`, source.gtin.trim())
          .replace(/^https?:\/\/[^/]+/, ''),
      ),
    ),
  );
  const sample = await fetch(`${url}${paths[0]}`).then((r) => r.text());
  const sampleJson = await fetch(`${url}${paths[0]}`, {
    headers: { accept: 'application/json' },
  }).then((r) => r.text());

  // A retailer's campaign: most scans on a few hundred lots, Zipf-like (the n-th most scanned
  // lot is scanned about 1/n as often as the first).
  const CAMPAIGN_LOTS = 300;
  const weights = Array.from({ length: CAMPAIGN_LOTS }, (_, n) => 1 / (n + 1) ** 1.1);
  const total = weights.reduce((a, b) => a + b, 0);
  const campaignPaths = Array.from({ length: 20_000 }, () => {
    let r = Math.random() * total;
    let n = 0;
    while ((r -= weights[n]) > 0 && n < CAMPAIGN_LOTS - 1) n++;
    const code = `B${String(1 + n * Math.floor(LOTS / CAMPAIGN_LOTS)).padStart(7, '0')}`;
    return signer.urlFor(code, source.gtin.trim()).replace(/^https?:\/\/[^/]+/, '');
  });
  const campaignFile = join(work, `campaign-${label}.json`);
  writeFileSync(campaignFile, JSON.stringify(campaignPaths));

  const bare = await bareServer();
  const page = await load({ url, pathsFile, duration: DURATION });
  const everyLot = await load({ url, pathsFile: everyLotFile, amount: LOTS });
  const pageAgain = await load({ url, pathsFile: againFile, duration: DURATION });
  const held = app.get(ProvenanceService).held;
  const heldAfterRandom = {
    pages: held.size,
    bytes: held.heldBytes,
    rss: process.memoryUsage().rss,
  };
  const json = await load({
    url,
    pathsFile,
    duration: DURATION,
    headers: { accept: 'application/json' },
  });
  const campaignPage = await load({ url, pathsFile: campaignFile, duration: DURATION });
  const campaignJson = await load({
    url,
    pathsFile: campaignFile,
    duration: DURATION,
    headers: { accept: 'application/json' },
  });
  // Every scan answered is counted: the scans logged match the 2xx answers.
  await app.get(ScanLog).flush();
  const scansLogged = Number((await db.query('SELECT count(*) AS n FROM scans'))[0].n);
  const scansAnswered = [page, everyLot, pageAgain, json, campaignPage, campaignJson].reduce(
    (sum, r) => sum + r.total,
    1,
  );

  // A lot five transformations deep: aggregation, drying, milling, then packing twice… and once more.
  const token = (
    await api(url, null, 'POST', '/auth/login', { username: 'htx.anthanh', password: 'huuco-demo' })
  ).accessToken;
  const products = await api(url, token, 'GET', '/products');
  const id = (code) => products.find((p) => p.code === code).id;
  const [paddyLot] = await db.query(
    `SELECT l.id, l.remaining_kg FROM lots l JOIN products pr ON pr.id = l.product_id
      WHERE pr.code = 'PADDY' AND l.remaining_kg > 1000 AND l.status = 'open' AND l.organic ORDER BY l.code LIMIT 1`,
  );
  const today = new Date().toISOString().slice(0, 10);
  let lot = (
    await api(url, token, 'POST', '/lots', {
      process: 'drying',
      occurredOn: today,
      inputs: [{ lotId: paddyLot.id, quantityKg: 1000 }],
      outputs: [{ productId: id('PADDY'), quantityKg: 880 }],
    })
  )[0];
  lot = (
    await api(url, token, 'POST', '/lots', {
      process: 'milling',
      occurredOn: today,
      inputs: [{ lotId: lot.id, quantityKg: 880 }],
      outputs: [
        { productId: id('WHITE-RICE'), quantityKg: 570 },
        { productId: id('BRAN'), quantityKg: 80 },
        { productId: id('HUSK'), quantityKg: 180 },
      ],
    })
  )[0];
  for (let i = 0; i < 3; i++) {
    lot = (
      await api(url, token, 'POST', '/lots', {
        process: 'packing',
        occurredOn: today,
        inputs: [{ lotId: lot.id, quantityKg: lot.quantityKg }],
        outputs: [
          {
            productId: id(i === 0 ? 'GAO-HC-ANTHANH-5KG' : 'GAO-HC-ANTHANH-5KG'),
            quantityKg: lot.quantityKg,
          },
        ],
      })
    )[0];
  }
  const builder = app.get(ProvenanceBuilder);
  const traceTimes = [];
  let depth = 0;
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    const tree = await builder.upstreamTree(db.manager, lot.id);
    traceTimes.push(performance.now() - t0);
    if (i === 0) for (let n = tree; n.inputs.length && n.kind === 'lot'; n = n.inputs[0]) depth++;
  }
  const traceHttp = [];
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    await api(url, token, 'GET', `/lots/${lot.id}/trace`);
    traceHttp.push(performance.now() - t0);
  }

  // Harvest recording under load: 1-kg harvests on the demo plots, 50 connections.
  const plots = await db.query(
    `SELECT id FROM plots WHERE cooperative_id = (SELECT cooperative_id FROM users WHERE username = 'htx.anthanh')`,
  );
  const [season] = await db.query(`SELECT id FROM seasons WHERE year = 2026 AND name = 'main'`);
  const before = Number((await db.query('SELECT count(*) AS n FROM harvests'))[0].n);
  const bodiesFile = join(work, `bodies-${label}.json`);
  writeFileSync(
    bodiesFile,
    JSON.stringify(
      plots.map((p) => ({
        plotId: p.id,
        seasonId: season.id,
        harvestedOn: '2026-11-20',
        productId: id('RAGWORM'),
        quantityKg: 1,
      })),
    ),
  );
  const harvests = await load({
    url: `${url}/api/v1/harvests`,
    method: 'POST',
    bodiesFile,
    duration: DURATION,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  });
  // Requests still in flight when the load stops finish first.
  await new Promise((done) => setTimeout(done, 2_000));
  const after = Number((await db.query('SELECT count(*) AS n FROM harvests'))[0].n);
  // Every event recorded joins the log before it is verified.
  await app.get(LogAppender).appendPending();
  const chain = await api(
    url,
    (
      await api(url, null, 'POST', '/auth/login', {
        username: 'admin.tuky',
        password: 'huuco-demo',
      })
    ).accessToken,
    'GET',
    '/events/verify',
  );

  await app.close();
  const sorted = (xs) => [...xs].sort((a, b) => a - b);
  const pct = (xs, p) => sorted(xs)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
  return {
    label,
    lots: LOTS,
    loadSeconds,
    pageBytes: Buffer.byteLength(sample),
    jsonBytes: Buffer.byteLength(sampleJson),
    heldAfterRandom,
    bare,
    page,
    everyLot,
    pageAgain,
    json,
    campaignPage,
    campaignJson,
    scansLogged,
    scansAnswered,
    depth,
    trace: { p50: pct(traceTimes, 50), p95: pct(traceTimes, 95) },
    traceHttp: { p50: pct(traceHttp, 50), p95: pct(traceHttp, 95) },
    harvests: {
      ...harvests,
      recorded: after - before,
      chainValid: chain.valid,
      chainEvents: chain.events,
    },
  };
}

// BENCH_EMBEDDED=off: the server database alone (100,000 lots take the embedded one ~16 min).
const results =
  process.env.BENCH_EMBEDDED === 'off'
    ? []
    : [await runOn('embedded (PGlite)', { DATABASE_URL: '' })];
if (process.env.DATABASE_URL)
  results.push(await runOn('server (PostgreSQL)', { DATABASE_URL: process.env.DATABASE_URL }));
rmSync(work, { recursive: true, force: true });

const f0 = (n) => Math.round(n).toLocaleString('en');
const f1 = (n) => n.toFixed(1);
const lines = [
  `Run ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}; ${LOTS.toLocaleString('en')} lots; autocannon, 50 connections, ${DURATION} s each, in its own process.`,
  '',
  '| database | bare node:http req/s | page req/s (× bare), from a fresh process | page p50 / p99 ms | page req/s (× bare), once every lot was scanned | page p50 / p99 ms | JSON req/s (× bare) | JSON p50 / p99 ms | errors | page / JSON size | held after the random pages (pages, MB counted, process RSS MB) |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
  ...results.map(
    (r) =>
      `| ${r.label} | ${f0(r.bare.requestsPerSecond)} | ${f0(r.page.requestsPerSecond)} (${(r.page.requestsPerSecond / r.bare.requestsPerSecond).toFixed(2)}×) | ${r.page.p50} / ${r.page.p99} | ${f0(r.pageAgain.requestsPerSecond)} (${(r.pageAgain.requestsPerSecond / r.bare.requestsPerSecond).toFixed(2)}×) | ${r.pageAgain.p50} / ${r.pageAgain.p99} | ${f0(r.json.requestsPerSecond)} (${(r.json.requestsPerSecond / r.bare.requestsPerSecond).toFixed(2)}×) | ${r.json.p50} / ${r.json.p99} | ${r.page.errors + r.page.non2xx + r.everyLot.errors + r.everyLot.non2xx + r.pageAgain.errors + r.pageAgain.non2xx + r.json.errors + r.json.non2xx} | ${(r.pageBytes / 1024).toFixed(1)} / ${(r.jsonBytes / 1024).toFixed(1)} KB | ${f0(r.heldAfterRandom.pages)}, ${f0(r.heldAfterRandom.bytes / 2 ** 20)}, ${f0(r.heldAfterRandom.rss / 2 ** 20)} |`,
  ),
  '',
  `Campaign: most scans on ${300} lots (Zipf-like), same connections and duration:`,
  '',
  '| database | page req/s (× bare) | page p50 / p99 ms | JSON req/s (× bare) | JSON p50 / p99 ms | errors | scans answered / logged |',
  '|---|---|---|---|---|---|---|',
  ...results.map(
    (r) =>
      `| ${r.label} | ${f0(r.campaignPage.requestsPerSecond)} (${(r.campaignPage.requestsPerSecond / r.bare.requestsPerSecond).toFixed(2)}×) | ${r.campaignPage.p50} / ${r.campaignPage.p99} | ${f0(r.campaignJson.requestsPerSecond)} (${(r.campaignJson.requestsPerSecond / r.bare.requestsPerSecond).toFixed(2)}×) | ${r.campaignJson.p50} / ${r.campaignJson.p99} | ${r.campaignPage.errors + r.campaignPage.non2xx + r.campaignJson.errors + r.campaignJson.non2xx} | ${f0(r.scansAnswered)} / ${f0(r.scansLogged)} |`,
  ),
  '',
  '| database | trace depth (transformations) | upstream trace in-process p50 / p95 ms | GET /lots/:id/trace p50 / p95 ms | harvests/s (50 conn.) | harvest p99 ms | 2xx answered / non-2xx / rows written | chain after load |',
  '|---|---|---|---|---|---|---|---|',
  ...results.map(
    (r) =>
      `| ${r.label} | ${r.depth} | ${f1(r.trace.p50)} / ${f1(r.trace.p95)} | ${f1(r.traceHttp.p50)} / ${f1(r.traceHttp.p95)} | ${f0(r.harvests.requestsPerSecond)} | ${r.harvests.p99} | ${f0(r.harvests.total - r.harvests.non2xx)} / ${f0(r.harvests.non2xx + r.harvests.errors)} / ${f0(r.harvests.recorded)} | ${r.harvests.chainValid ? 'valid' : 'BROKEN'}, ${f0(r.harvests.chainEvents)} events |`,
  ),
];
console.log(lines.join('\n'));
mkdirSync(resolve(root, 'bench/results'), { recursive: true });
writeFileSync(resolve(root, 'bench/results/trace-latest.md'), `${lines.join('\n')}\n`);
process.exit(0);
