/**
 * ISO 15143-3 whole-fleet snapshot: 20,000 assets (200 pages of 100) from `tug sandbox` in a child
 * process, which enforces the documented 50 fleet pages per second (sliding window).
 *
 * - production client defaults (iso-fleet 48 req/s + burst 2, never over 50 in any second): the
 *   physical floor is 200 pages at 50 req/s = 4 s;
 * - a repeat within 15 minutes: served from the cache, zero requests.
 * Wall time, requests, 429s and peak memory (rss sampled every 20 ms, heapUsed max) per run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchIsoSnapshot } from '../src/sources/iso15143/fetch.js';
import { TrackunitClient } from '../src/trackunit/client.js';
import { clientConfig } from '../src/trackunit/config.js';
import { figures, round, table } from './lib/report.js';
import { spawnSandbox } from './lib/sandbox-process.js';
import { LocalStateStore } from '../src/state/local-store.js';

const ASSETS = 20_000;
const PAGES = ASSETS / 100;
const FLOOR_MS = (PAGES / 50) * 1000;
const auth = { flow: 'v2' as const, clientId: 'sandbox-key', clientSecret: 'sandbox-key-secret', scopes: ['asset.view'] };

/** Counts only: the records are dropped so one run's heap does not weigh on the next one's peak. */
interface Run {
  wallMs: number;
  poolRequests: number;
  fleetRequests: number;
  rateLimited: number;
  peakRssMb: number;
  peakHeapMb: number;
}

async function serverLog(url: string): Promise<Array<{ route?: string; status: number }>> {
  return ((await (await fetch(`${url}/_sandbox/requests`)).json()) as { entries: Array<{ route?: string; status: number }> }).entries;
}

async function measure(url: string, stateDir: string): Promise<Run> {
  const client = new TrackunitClient(clientConfig({ irisUrl: url, authUrl: url, auth }));
  const before = (await serverLog(url)).filter((e) => e.route === 'iso-fleet.page');
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 20);
  const t0 = performance.now();
  try {
    const snapshot = await fetchIsoSnapshot({ client, state: new LocalStateStore(stateDir) });
    const wallMs = performance.now() - t0;
    sample();
    if (snapshot.records.length !== ASSETS) throw new Error(`got ${snapshot.records.length} records, expected ${ASSETS}`);
    const after = (await serverLog(url)).filter((e) => e.route === 'iso-fleet.page');
    const fresh = after.slice(before.length);
    const mb = (bytes: number) => round(bytes / 1024 / 1024, 0);
    return { wallMs, poolRequests: snapshot.stats.poolRequests, fleetRequests: fresh.length, rateLimited: fresh.filter((e) => e.status === 429).length, peakRssMb: mb(peakRss), peakHeapMb: mb(peakHeap) };
  } finally {
    clearInterval(timer);
    await client.close();
  }
}

const stateDir = await mkdtemp(join(tmpdir(), 'tug-bench-iso-'));
const sandbox = await spawnSandbox(['--seed', 'empty', '--assets', String(ASSETS)]);
let defaults: Run;
let cached: Run;
try {
  defaults = await measure(sandbox.url, stateDir);
  cached = await measure(sandbox.url, stateDir);
} finally {
  await sandbox.stop();
  await rm(stateDir, { recursive: true, force: true });
}

console.log(`ISO fleet snapshot, ${ASSETS} assets = ${PAGES} pages; floor ${PAGES} pages at 50 req/s = ${FLOOR_MS / 1000} s:`);
table([
  ['client defaults: wall time (ms)', round(defaults.wallMs, 0)],
  ['defaults: wall / floor', round(defaults.wallMs / FLOOR_MS, 2)],
  ['defaults: fleet requests (429s)', `${defaults.fleetRequests} (${defaults.rateLimited})`],
  ['defaults: pool requests', defaults.poolRequests],
  ['defaults: peak rss / heapUsed (MB)', `${defaults.peakRssMb} / ${defaults.peakHeapMb}`],
  ['repeat within 15 min: wall time (ms)', round(cached.wallMs, 0)],
  ['repeat within 15 min: requests', cached.fleetRequests],
]);
figures('iso-snapshot', {
  assets: ASSETS,
  pages: PAGES,
  floorMs: FLOOR_MS,
  wallMs: round(defaults.wallMs, 0),
  ratio: round(defaults.wallMs / FLOOR_MS, 2),
  requests: defaults.fleetRequests,
  rateLimited: defaults.rateLimited,
  poolRequests: defaults.poolRequests,
  peakRssMb: defaults.peakRssMb,
  peakHeapUsedMb: defaults.peakHeapMb,
  cachedWallMs: round(cached.wallMs, 0),
  cachedRequests: cached.fleetRequests,
});
