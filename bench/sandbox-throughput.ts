/**
 * Sandbox throughput: requests per second for a simple list call (GET sites, default page size) at
 * concurrency 16, over keep-alive connections, with the sandbox in its own process (as `tug sandbox`).
 * Also: the sandbox's start-up time (spawn → listening), which the README promises is under a second.
 */
import { Pool } from 'undici';
import { figures, percentile, round, table } from './lib/report.js';
import { sandboxToken, spawnSandbox } from './lib/sandbox-process.js';

const CONCURRENCY = 16;
const WARMUP = 2_000;
const REQUESTS = 30_000;
const PATH = '/api/site/v1/sites';

async function load(pool: Pool, token: string, total: number, latencies: number[] | undefined): Promise<number> {
  let next = 0;
  let errors = 0;
  const worker = async () => {
    while (next < total) {
      next += 1;
      const t0 = performance.now();
      const res = await pool.request({ path: PATH, method: 'GET', headers: { authorization: `Bearer ${token}` } });
      await res.body.text();
      if (res.statusCode !== 200) errors += 1;
      latencies?.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return errors;
}

const startups: number[] = [];
for (let i = 0; i < 5; i += 1) {
  const s = await spawnSandbox(['--seed', 'demo']);
  startups.push(s.startupMs);
  await s.stop();
}
startups.sort((a, b) => a - b);

const sandbox = await spawnSandbox(['--seed', 'demo']);
try {
  const token = await sandboxToken(sandbox.url);
  const pool = new Pool(sandbox.url, { connections: CONCURRENCY });
  await load(pool, token, WARMUP, undefined);
  const latencies: number[] = [];
  const t0 = performance.now();
  const errors = await load(pool, token, REQUESTS, latencies);
  const seconds = (performance.now() - t0) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const rps = REQUESTS / seconds;
  console.log(`GET ${PATH} (page size 20), ${REQUESTS} requests at concurrency ${CONCURRENCY}, sandbox in its own process:`);
  table([
    ['requests/s', round(rps, 0)],
    ['latency p50 (ms)', round(percentile(latencies, 50), 2)],
    ['latency p99 (ms)', round(percentile(latencies, 99), 2)],
    ['non-200 answers', errors],
    ['start-up median of 5 (ms)', round(percentile(startups, 50), 0)],
    ['start-up max (ms)', round(startups.at(-1) ?? 0, 0)],
  ]);
  figures('sandbox-throughput', {
    concurrency: CONCURRENCY,
    requests: REQUESTS,
    requestsPerSecond: round(rps, 0),
    p50Ms: round(percentile(latencies, 50), 2),
    p99Ms: round(percentile(latencies, 99), 2),
    errors,
    startupMedianMs: round(percentile(startups, 50), 0),
    startupMaxMs: round(startups.at(-1) ?? 0, 0),
  });
} finally {
  await sandbox.stop();
}
