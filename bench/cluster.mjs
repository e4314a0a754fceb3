// `npm run bench:cluster` (needs DATABASE_URL): two API processes on one PostgreSQL server,
// as behind a load balancer. Harvests are recorded through both at once by 50 connections;
// halfway, one process is killed with SIGKILL. Afterwards every harvest either process
// answered 201 for must be in the database, and the event log must verify.
import { execFile, spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { root, throwawayKeys } from './support.mjs';

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) {
  console.log('bench:cluster needs DATABASE_URL (a PostgreSQL server): skipped');
  process.exit(0);
}
const DURATION_MS = Number(process.env.BENCH_DURATION ?? 10) * 1000;
const CONNECTIONS = 50;

const env = {
  ...process.env,
  DATABASE_URL,
  ...throwawayKeys(),
  LOG_LEVEL: 'warn',
  LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
  PUBLIC_RATE_LIMIT_PER_MINUTE: '1000000',
  PUBLIC_SIGNED_RATE_LIMIT_PER_MINUTE: '10000000',
};

async function resetDatabase() {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query('DROP SCHEMA IF EXISTS public CASCADE');
  await client.query('CREATE SCHEMA public');
  await client.end();
}

/** The demo, loaded as `npm run seed` loads it into an empty server database. */
async function seedDemo() {
  const child = spawn(process.execPath, [resolve(root, 'dist/apps/api/cli/seed.js')], {
    env: { ...env, DEMO_DATA: 'off' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const code = await new Promise((done) => child.on('exit', done));
  if (code !== 0) throw new Error(`seed exited with ${code}`);
}

/** A real process, as `npm start` runs it, ready once its health answers. */
async function startProcess(port) {
  const child = spawn(process.execPath, [resolve(root, 'dist/apps/api/main.js')], {
    env: { ...env, PORT: String(port), DEMO_DATA: 'off' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) return { child, url };
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`process on ${port} did not start`);
}

async function json(url, path, token, body) {
  const response = await fetch(`${url}/api/v1${path}`, {
    method: body ? 'POST' : 'GET',
    headers: {
      'content-type': 'application/json',
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: body && JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** 50 connections recording 1-kg harvests through both processes, each keeping what it was answered. */
async function harvestLoad(urls, token, bodies, killAfterMs, victim) {
  const answered = [];
  let refused = 0;
  let lost = 0;
  const stopAt = Date.now() + DURATION_MS;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  let next = 0;
  const killer = setTimeout(() => victim.kill('SIGKILL'), killAfterMs);
  const worker = async (n) => {
    while (Date.now() < stopAt) {
      const url = urls[n % urls.length];
      const body = JSON.stringify(bodies[next++ % bodies.length]);
      const status = await new Promise((done) => {
        const request = http.request(
          `${url}/api/v1/harvests`,
          {
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          },
          (response) => {
            let text = '';
            response.on('data', (chunk) => (text += chunk));
            response.on('end', () => {
              if (response.statusCode === 201) answered.push(JSON.parse(text).id);
              done(response.statusCode);
            });
          },
        );
        // A connection to the killed process: no answer, so nothing was promised.
        request.on('error', () => done(0));
        request.end(body);
      });
      if (status === 0) {
        lost++;
        n++; // the balancer's next choice
      } else if (status !== 201) refused++;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, n) => worker(n)));
  clearTimeout(killer);
  agent.destroy();
  return { answered, refused, unanswered: lost, seconds: (Date.now() - started) / 1000 };
}

const progress = (what) => console.error(`${new Date().toISOString()} ${what}`);
await resetDatabase();
await seedDemo();
progress('demo loaded');
const first = await startProcess(3901);
progress('first process up');
const second = await startProcess(3902);
progress('second process up');
const login = await json(first.url, '/auth/login', null, {
  username: 'htx.anthanh',
  password: 'huuco-demo',
});
const token = login.body.accessToken;
const client = new pg.Client({ connectionString: DATABASE_URL });
await client.connect();
const { rows: plots } = await client.query(
  `SELECT id FROM plots WHERE cooperative_id = (SELECT cooperative_id FROM users WHERE username = 'htx.anthanh')`,
);
const {
  rows: [season],
} = await client.query(`SELECT id FROM seasons WHERE year = 2026 AND name = 'main'`);
const {
  rows: [ragworm],
} = await client.query(`SELECT id FROM products WHERE code = 'RAGWORM'`);
const bodies = plots.map((p) => ({
  plotId: p.id,
  seasonId: season.id,
  harvestedOn: '2026-11-20',
  productId: ragworm.id,
  quantityKg: 1,
}));

progress('harvest load');
const load = await harvestLoad(
  [first.url, second.url],
  token,
  bodies,
  DURATION_MS / 2,
  second.child,
);
progress(`answered ${load.answered.length}`);
const { rows: found } = await client.query('SELECT id FROM harvests WHERE id = ANY($1::uuid[])', [
  load.answered,
]);
const admin = (
  await json(first.url, '/auth/login', null, { username: 'admin.tuky', password: 'huuco-demo' })
).body.accessToken;
// The survivor logs what the killed process committed but had not logged yet.
await new Promise((done) => setTimeout(done, 3_000));
const verify = await json(first.url, '/events/verify', admin);

// The provenance pages through two processes at once (a new second one), beside a bare
// node:http server measured the same way: 25 connections on each, the demo's signed lots.
const third = await startProcess(3903);
const lots = (await json(first.url, '/lots?pageSize=200', token)).body.items;
const paths = lots.map((l) => l.provenanceUrl.replace(/^https?:\/\/[^/]+/, ''));
const pathsFile = join(os.tmpdir(), `huuco-cluster-paths-${process.pid}.json`);
writeFileSync(pathsFile, JSON.stringify(paths));
const generate = (options) =>
  new Promise((done, fail) =>
    execFile(
      process.execPath,
      [resolve(root, 'bench/load.mjs'), JSON.stringify(options)],
      { maxBuffer: 1 << 24 },
      (error, stdout) => (error ? fail(error) : done(JSON.parse(stdout))),
    ),
  );
const bare = http.createServer((_, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end('{"status":"ok"}');
});
await new Promise((done) => bare.listen(0, '127.0.0.1', done));
const bareResult = await generate({
  url: `http://127.0.0.1:${bare.address().port}/`,
  duration: DURATION_MS / 1000,
});
bare.close();
const pages = await Promise.all(
  [first.url, third.url].map((url) =>
    generate({ url, pathsFile, connections: 25, duration: DURATION_MS / 1000 }),
  ),
);
const pageRate = pages.reduce((sum, r) => sum + r.requestsPerSecond, 0);
const pageErrors = pages.reduce((sum, r) => sum + r.errors + r.non2xx, 0);
await client.end();
first.child.kill('SIGTERM');
third.child.kill('SIGTERM');

const lines = [
  `Run ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}; two API processes on one PostgreSQL server; ${CONNECTIONS} connections for ${DURATION_MS / 1000} s, one process killed with SIGKILL halfway.`,
  '',
  '| harvests answered 201 | of which in the database | refused (4xx/5xx) | requests without an answer (killed process) | harvests/s answered | log after |',
  '|---|---|---|---|---|---|',
  `| ${load.answered.length} | ${found.length} | ${load.refused} | ${load.unanswered} | ${Math.round(load.answered.length / load.seconds)} | ${verify.body.valid ? 'valid' : 'BROKEN'}, ${verify.body.events} events |`,
  '',
  `Provenance pages of the demo's ${paths.length} lots through two processes at once (25 connections each):`,
  '',
  '| bare node:http req/s | pages req/s, both processes (× bare) | p99 ms (each) | errors |',
  '|---|---|---|---|',
  `| ${Math.round(bareResult.requestsPerSecond)} | ${Math.round(pageRate)} (${(pageRate / bareResult.requestsPerSecond).toFixed(2)}×) | ${pages.map((r) => r.p99).join(' / ')} | ${pageErrors} |`,
];
console.log(lines.join('\n'));
mkdirSync(resolve(root, 'bench/results'), { recursive: true });
writeFileSync(resolve(root, 'bench/results/cluster-latest.md'), `${lines.join('\n')}\n`);
process.exit(found.length === load.answered.length && verify.body.valid ? 0 : 1);
