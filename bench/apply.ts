/**
 * `tug apply` of 5,000 rental syncs against `tug sandbox` (a child process) that limits the Rental API
 * to 20 req/s (token bucket, burst 20) and adds 30 ms to every request. tug's own limit for the rental
 * family is set equal to the server's (20 req/s, burst 20, 8 in flight): the question is whether the
 * scheduler runs at the limit without bouncing off it — throughput as a fraction of 20 req/s (target
 * ≥ 0.9), the 429s it received, and the plan's predicted duration against the actual one.
 *
 * The account: N owned assets with no rental status (`--seed empty --assets N`); the manifests: one
 * Asset per serial number with `rentalStatus: ON_RENT` — so the plan holds exactly N syncs, one POST
 * /api/rental/v1/synchronization each, all in one dependency level. Project set-up goes through
 * tug.yaml and the credential variables, as a user's would; runPlan and applyPlan run in-process.
 *
 * Timed: the plan (runPlan), then the apply (applyPlan: stale-check re-plan → syncs → convergence
 * re-plan). The phases of the apply are told apart by the sandbox's request log (arrival of the first
 * and last sync), which also counts the 429s the server sent. Peak RSS of this process is sampled.
 *
 * The sandbox runs without `--data` by default: with a data file it re-serialises the whole 5 MB
 * account after every write (debounced 50 ms), ~50 ms of blocked event loop each time, which bunches
 * arrivals at its rate limiter — a sandbox artefact, not a property of tug. BENCH_DATA_FILE=1 builds
 * the account in-process into a --data file instead; measured once at 5,000 syncs: 3 × 429 instead of
 * 1, a busiest second of 39 accepted syncs instead of 29, 0.991 of the limit instead of 1.001.
 *
 * BENCH_STATE=postgres keeps the apply's lock and journal in PostgreSQL (tug.yaml `state.backend:
 * postgres`; TUG_STATE_DATABASE_URL, or a throwaway cluster on loopback): three committed INSERTs per sync
 * (intent, outcome, change) instead of three fsync'd lines — the rate must stay at the limit.
 *
 *   npm run bench -- apply     env: BENCH_SYNCS=5000 BENCH_RATE=20 BENCH_LATENCY_MS=30
 *                                   BENCH_CONCURRENCY=4 (tug.yaml concurrency) BENCH_DATA_FILE=0
 *                                   BENCH_STATE=local|postgres
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import { applyPlan } from '../src/apply/index.js';
import { connectProject } from '../src/cli/connect.js';
import { loadProjectConfig } from '../src/config/load.js';
import { loadManifestSet } from '../src/manifests/index.js';
import { runPlan } from '../src/plan/index.js';
import type { RequestLogEntry } from '../src/sandbox/request-log.js';
import { seedStore } from '../src/sandbox/seed.js';
import { Store, type StoreSnapshot } from '../src/sandbox/store.js';
import { openStateStore } from '../src/state/index.js';
import { sampleRss } from './lib/measure.js';
import { benchDatabase } from './lib/postgres.js';
import { figures, round, table } from './lib/report.js';
import { spawnSandbox } from './lib/sandbox-process.js';

const SYNCS = Number(process.env.BENCH_SYNCS ?? 5000);
const RATE = Number(process.env.BENCH_RATE ?? 20);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 30);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const DATA_FILE = process.env.BENCH_DATA_FILE === '1';
const STATE = process.env.BENCH_STATE === 'postgres' ? 'postgres' : 'local';
const RENTAL_LIMIT = { ratePerSecond: RATE, burst: RATE, maxInFlight: 8 };
const SYNC_ROUTE = 'rental.synchronize';
/** The sandbox's documented demo API key (README, "Sandbox"), handed over as a user would: env vars. */
const CREDENTIALS = { TRACKUNIT_CLIENT_ID: 'sandbox-key', TRACKUNIT_CLIENT_SECRET: 'sandbox-key-secret' };

/** Sandbox arguments serving N assets: its own seed, or (BENCH_DATA_FILE=1) an account built here. */
async function accountArgs(work: string): Promise<string[]> {
  const common = ['--latency-ms', String(LATENCY_MS), '--rate-limit', `rental=${RATE}`];
  if (!DATA_FILE) return [...common, '--seed', 'empty', '--assets', String(SYNCS)];
  const store = new Store('sandbox:apply-bench');
  seedStore(store, { kind: 'empty', assets: SYNCS, seed: 'apply-bench' });
  const file = join(work, 'account.json');
  await writeFile(file, JSON.stringify(store.toSnapshot()));
  return [...common, '--data', file];
}

async function sandboxJson<T>(url: string, path: string, method = 'GET'): Promise<T> {
  const res = await fetch(`${url}${path}`, { method });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`);
  return (await res.json()) as T;
}

/** tug.yaml pointing at the sandbox, and one Asset manifest per owned asset (rental status only). */
async function writeProject(work: string, url: string): Promise<void> {
  const state = await sandboxJson<StoreSnapshot>(url, '/_sandbox/state');
  const serials = state.assets.filter((a) => a.owned && a.rentalStatus !== 'ON_RENT').map((a) => a.serialNumber);
  if (serials.length !== SYNCS) throw new Error(`the sandbox holds ${serials.length} owned assets to sync, expected ${SYNCS}`);
  const config = {
    apiVersion: 'tug/v1',
    trackunit: { irisUrl: url, authUrl: url },
    rateLimits: { rental: RENTAL_LIMIT },
    concurrency: CONCURRENCY,
    stateDir: 'state',
    ...(STATE === 'postgres' ? { state: { backend: 'postgres', schema: `bench_apply_${Date.now()}` } } : {}),
  };
  await writeFile(join(work, 'tug.yaml'), jsYaml.dump(config));
  await mkdir(join(work, 'manifests'));
  for (let part = 0; part * 5000 < serials.length; part += 1) {
    const docs = serials.slice(part * 5000, (part + 1) * 5000).map((serialNumber) => jsYaml.dump({ kind: 'Asset', serialNumber, rentalStatus: 'ON_RENT' }));
    await writeFile(join(work, 'manifests', `assets-${part + 1}.yaml`), docs.join('---\n'));
  }
}

/** What the server saw during the apply: the sync phase's span and rate, 429s, the rate per 10 s. */
function serverView(entries: RequestLogEntry[]) {
  const rental = entries.filter((e) => e.family === 'rental');
  const syncs = rental.filter((e) => e.route === SYNC_ROUTE);
  const accepted = syncs.filter((e) => e.status >= 200 && e.status < 300);
  const firstAt = syncs[0]?.at ?? 0;
  const lastAt = syncs.at(-1)?.at ?? 0;
  const spanS = (lastAt - firstAt) / 1000;
  // Accepted syncs per whole 10-s window of the sync phase (the last, partial window left out).
  const windows: number[] = [];
  for (let start = firstAt; start + 10_000 <= lastAt; start += 10_000) {
    windows.push(accepted.filter((e) => e.at >= start && e.at < start + 10_000).length / 10);
  }
  let busiestSecond = 0;
  for (let i = 0, j = 0; j < accepted.length; j += 1) {
    while (accepted[j]!.at - accepted[i]!.at >= 1000) i += 1;
    busiestSecond = Math.max(busiestSecond, j - i + 1);
  }
  return {
    firstAt,
    lastAt,
    spanS,
    syncRequests: syncs.length,
    syncAccepted: accepted.length,
    rateLimited: rental.filter((e) => e.status === 429).length,
    rentalRequests: rental.length,
    otherRequests: entries.length - rental.length,
    rate: spanS > 0 ? (accepted.length - 1) / spanS : 0,
    windows,
    busiestSecond,
  };
}

/** A plain progress line on stderr every 10 s, as `tug apply` prints in CI. */
function progressPrinter() {
  let last = 0;
  return (p: { done: number; total: number; elapsedMs: number }) => {
    if (p.elapsedMs - last < 10_000 && p.done < p.total) return;
    last = p.elapsedMs;
    process.stderr.write(`  … ${p.done}/${p.total} changes after ${round(p.elapsedMs / 1000, 0)} s\n`);
  };
}

const work = await mkdtemp(join(tmpdir(), 'tug-bench-apply-'));
const database = STATE === 'postgres' ? benchDatabase() : undefined;
try {
  let t0 = performance.now();
  const sandbox = await spawnSandbox(await accountArgs(work));
  try {
    await writeProject(work, sandbox.url);
    const config = await loadProjectConfig({ cwd: work, required: true });
    const manifests = await loadManifestSet(config, work);
    if (manifests.diagnostics.some((d) => d.severity === 'error')) throw new Error(`generated manifests are invalid: ${JSON.stringify(manifests.diagnostics.slice(0, 3))}`);
    const setupMs = performance.now() - t0;
    const env = { ...process.env, TRACKUNIT_IRIS_URL: undefined, TRACKUNIT_AUTH_URL: undefined, TRACKUNIT_SCOPES: undefined, ...CREDENTIALS, ...(database ? { TUG_STATE_DATABASE_URL: database.url } : {}) };
    const state = await openStateStore(config, env);
    const connection = await connectProject(config, {}, env);
    const rss = sampleRss();
    try {
      const { client } = connection;
      t0 = performance.now();
      const { plan } = await runPlan({ client, config, manifests, state });
      const planMs = performance.now() - t0;
      const syncs = plan.changes.filter((c) => c.op === 'sync').length;
      if (syncs !== SYNCS || plan.changes.length !== SYNCS) throw new Error(`the plan holds ${plan.changes.length} changes (${syncs} syncs), expected ${SYNCS} syncs`);

      await sandboxJson(sandbox.url, '/_sandbox/requests', 'DELETE');
      const applyStartAt = Date.now();
      t0 = performance.now();
      const report = await applyPlan({ client, plan, config, manifests, state, onProgress: progressPrinter() });
      const applyMs = performance.now() - t0;
      const applyEndAt = Date.now();
      const peakRssMb = rss.stop();
      const { entries } = await sandboxJson<{ entries: RequestLogEntry[] }>(sandbox.url, '/_sandbox/requests');
      const server = serverView(entries);

      const applied = report.outcomes.filter((o) => o.status === 'applied').length;
      const failed = report.outcomes.filter((o) => o.status === 'failed').length;
      const predictedS = plan.budget.predictedSeconds;
      // The ideal sync phase: the first `burst` at once, the rest at the rate; its (n-1)/span rate.
      const idealSpanS = Math.max(0, SYNCS - RENTAL_LIMIT.burst) / RATE;
      const idealRate = idealSpanS > 0 ? (SYNCS - 1) / idealSpanS : RATE;
      const fraction = server.rate / RATE;
      const endToEndRate = applied / (applyMs / 1000);
      const phases = {
        beforeSyncsMs: server.firstAt - applyStartAt,
        syncsMs: server.lastAt - server.firstAt,
        afterSyncsMs: applyEndAt - server.lastAt,
      };
      const steady = server.windows.length > 0 ? { min: Math.min(...server.windows), max: Math.max(...server.windows) } : { min: 0, max: 0 };

      console.log(`Apply of ${SYNCS} rental syncs; sandbox: rental ${RATE} req/s (burst ${RATE}), ${LATENCY_MS} ms added latency${DATA_FILE ? ', --data file' : ''}`);
      console.log(`tug: rental ${RATE} req/s, burst ${RENTAL_LIMIT.burst}, ${RENTAL_LIMIT.maxInFlight} in flight; concurrency ${config.concurrency}; state: ${state.description}`);
      table([
        ['set-up: sandbox + manifests + load (ms, untimed)', round(setupMs, 0)],
        ['plan: wall time (ms)', round(planMs, 0)],
        ['plan: changes (syncs)', `${plan.changes.length} (${syncs})`],
        ['plan: predicted apply duration (s)', predictedS],
        ['apply: wall time (s)', round(applyMs / 1000, 1)],
        ['apply: before the first sync — lock, stale-check re-plan (ms)', phases.beforeSyncsMs],
        ['apply: first sync → last sync (s)', round(phases.syncsMs / 1000, 1)],
        ['apply: after the last sync — convergence re-plan, report (ms)', phases.afterSyncsMs],
        ['outcomes applied / failed / skipped', `${applied} / ${failed} / ${report.outcomes.length - applied - failed}`],
        ['converged', String(report.convergence.ok)],
        ['sync throughput, sync phase (req/s)', round(server.rate, 2)],
        [`  as a fraction of ${RATE} req/s (target ≥ 0.9; ideal ${round(idealRate / RATE, 3)})`, round(fraction, 3)],
        ['sync throughput, whole apply (req/s)', round(endToEndRate, 2)],
        [`  as a fraction of ${RATE} req/s`, round(endToEndRate / RATE, 3)],
        ['accepted syncs per s, 10-s windows: min / max', server.windows.length > 0 ? `${round(steady.min, 1)} / ${round(steady.max, 1)}` : 'n/a (under 10 s)'],
        ['accepted syncs in the busiest 1-s window', server.busiestSecond],
        ['429s: sent by the server / seen by tug', `${server.rateLimited} / ${report.rateLimited}`],
        ['retries (tug)', report.retries],
        ['requests: tug / server (rental, other)', `${report.requests} / ${server.rentalRequests + server.otherRequests} (${server.rentalRequests}, ${server.otherRequests})`],
        ['predicted / actual sync phase', `${predictedS} s / ${round(phases.syncsMs / 1000, 1)} s (${round(phases.syncsMs / 1000 / Math.max(predictedS, 0.001), 3)}x)`],
        ['predicted / actual apply', `${predictedS} s / ${round(applyMs / 1000, 1)} s (${round(applyMs / 1000 / Math.max(predictedS, 0.001), 3)}x)`],
        ['peak RSS, plan + apply (MB)', peakRssMb],
      ]);
      figures('apply', {
        syncs: SYNCS,
        state: STATE,
        ratePerSecond: RATE,
        latencyMs: LATENCY_MS,
        dataFile: DATA_FILE,
        limits: { rental: RENTAL_LIMIT, serverBurst: RATE },
        concurrency: config.concurrency,
        planMs: round(planMs, 0),
        predictedSeconds: predictedS,
        applyMs: round(applyMs, 0),
        phasesMs: phases,
        applied,
        failed,
        converged: report.convergence.ok,
        syncPhaseRate: round(server.rate, 2),
        fraction: round(fraction, 3),
        idealFraction: round(idealRate / RATE, 3),
        wholeApplyRate: round(endToEndRate, 2),
        wholeApplyFraction: round(endToEndRate / RATE, 3),
        windowRate: steady,
        busiestSecond: server.busiestSecond,
        rateLimitedServer: server.rateLimited,
        rateLimitedClient: report.rateLimited,
        retries: report.retries,
        requests: report.requests,
        syncRequests: server.syncRequests,
        peakRssMb,
      });
      if (!report.convergence.ok || failed > 0) process.exitCode = 1;
    } finally {
      await connection.close();
      await state.close();
    }
  } finally {
    await sandbox.stop();
  }
} finally {
  database?.stop();
  await rm(work, { recursive: true, force: true });
}
