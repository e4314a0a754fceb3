// A load generator in its own process, so it never shares the server's event loop:
// `node bench/load.mjs <json options>` prints autocannon's result as JSON.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2]);
const paths = options.pathsFile ? JSON.parse(readFileSync(options.pathsFile, 'utf8')) : null;
const bodies = options.bodiesFile ? JSON.parse(readFileSync(options.bodiesFile, 'utf8')) : null;
let next = 0;
const result = await autocannon({
  url: options.url,
  connections: options.connections ?? 50,
  ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 10 }),
  method: options.method ?? 'GET',
  headers: options.headers ?? {},
  requests: [
    {
      setupRequest(request) {
        const i = next++;
        if (paths) request.path = paths[i % paths.length];
        if (bodies) request.body = JSON.stringify(bodies[i % bodies.length]);
        return request;
      },
    },
  ],
});
process.stdout.write(
  JSON.stringify({
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statusCodes: result.statusCodeStats,
  }),
);
