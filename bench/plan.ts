/**
 * Plans and applies on a large account at the shipped default limits (10 req/s and 8 in flight per REST
 * family), tug and the naive reader alike: fleet-10k = 10,000 assets (two custom field values each),
 * 2,000 customers (one value and one contact each), 50 depots, 25 definitions, 20,000 contracts (one
 * item each), served by `tug sandbox` in a child process with 30 ms added to every request. The account
 * is built in-process (bench/lib/plan-fleet.ts) with manifests that describe it exactly; each measured
 * step runs in a process of its own (bench/lib/plan-worker.ts, on the built code as `tug` runs), so its
 * peak RSS is tug's alone.
 *
 * Steps, on a simulated clock for the inventory (the sandbox and the rate limits run in real time):
 *   cold     no-change plan, no inventory (every per-object detail read live)          at T0
 *   warm     no-change plan, inventory from `cold`, hourly plans → 1/24 re-checked     at T0 + 1 h
 *   changed  10 contract manifests changed (an item's off-rent date), warm             at T0 + 2 h
 *   apply    10 asset manifests changed (rental status), warm plan + apply (both checks) at T0 + 3 h
 *   naive    every object and per-object detail by its own GET, at tug's per-family limits
 *   lists    the lists only (for fleets whose cold plan would take hours)
 *   export   `tug export` of the whole account (cold), written under the work directory
 *   roundtrip validate that export, then a cold plan of it (expected: no change but adoptions)
 *
 *   npm run bench -- plan     env: BENCH_SCALE=1 (× 10,000 assets), BENCH_STEPS=cold,warm,changed,apply,naive,
 *                                  BENCH_RATE (REST req/s for both sides; default the shipped 10)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import ts from 'typescript';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../src/sandbox/store.js';
import { buildFleet, fleetSizes, writeManifests, type Doc } from './lib/plan-fleet.js';
import type { WorkerInput } from './lib/plan-worker.js';
import { figures, round, table } from './lib/report.js';
import { spawnSandbox } from './lib/sandbox-process.js';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SIZES = fleetSizes(Math.round(10_000 * SCALE));
const STEPS = (process.env.BENCH_STEPS ?? 'cold,warm,changed,apply,naive').split(',').map((s) => s.trim());
const RATE = process.env.BENCH_RATE ? Number(process.env.BENCH_RATE) : undefined;
const LATENCY_MS = 30;
const HOUR = 3_600_000;
const T0 = Date.parse('2026-12-01T06:00:00.000Z');
const CHANGED = 10;

type Row = [string, string | number];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Result = any;

/**
 * The worker as a user runs tug: plain node on the built code in dist/ (tsx alone adds ~33 MB of RSS),
 * transpiled from bench/lib/plan-worker.ts with its src/ imports pointed at dist/.
 */
function builtWorker(): string {
  const source = readFileSync('bench/lib/plan-worker.ts', 'utf8').replaceAll("from '../../src/", "from '../../dist/");
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const file = 'bench/lib/plan-worker.generated.mjs';
  writeFileSync(file, js);
  return file;
}
const WORKER = builtWorker();

function step(input: WorkerInput): Result {
  const run = spawnSync(process.execPath, [WORKER, JSON.stringify({ ...input, ...(RATE ? { rate: RATE } : {}) })], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const last = run.stdout.trim().split('\n').pop() ?? '';
  if (run.status !== 0) throw new Error(`step ${input.step} failed (exit ${run.status}): ${last}`);
  return JSON.parse(last);
}

const liveOf = (r: Result) => Object.values((r.freshness?.kinds ?? {}) as Record<string, { live: number; reads: number }>).reduce((n, k) => n + k.live, 0);
const readsOf = (r: Result) => Object.values((r.freshness?.kinds ?? {}) as Record<string, { live: number; reads: number }>).reduce((n, k) => n + k.reads, 0);
const planRows = (name: string, r: Result): Row[] => [
  [`${name}: wall (s)`, round(r.wallMs / 1000, 1)],
  [`${name}: requests (+ token)`, `${r.requests} + ${r.tokenRequests}`],
  [`${name}: per-object reads live / compared`, `${liveOf(r)} / ${readsOf(r)}`],
  [`${name}: peak RSS (MB), CPU (s)`, `${r.peakRssMb}, ${round(r.cpuMs / 1000, 1)}`],
  [`${name}: changes, problems`, `${r.changes}, ${r.problems}`],
];

const work = await mkdtemp(join(tmpdir(), 'tug-bench-plan-'));
try {
  let t0 = performance.now();
  const store = new Store('sandbox:plan-bench');
  const docs = buildFleet(store, SIZES);
  const dataFile = join(work, 'account.json');
  await writeFile(dataFile, JSON.stringify(store.toSnapshot()));
  await writeManifests(work, docs);
  const buildMs = performance.now() - t0;
  const rows: Row[] = [['account build + manifest write (s, untimed)', round(buildMs / 1000, 1)]];
  const out: Record<string, unknown> = {};
  const sandbox = await spawnSandbox(['--seed', 'empty', '--latency-ms', String(LATENCY_MS), '--data', dataFile]);
  try {
    const base = { dir: work, url: sandbox.url };
    if (STEPS.includes('cold')) {
      const r = step({ ...base, step: 'plan', nowMs: T0 });
      rows.push(...planRows('cold plan', r));
      out.cold = r;
    }
    if (STEPS.includes('warm')) {
      const r = step({ ...base, step: 'plan', nowMs: T0 + HOUR });
      rows.push(...planRows('warm plan (1 h later)', r));
      out.warm = r;
    }
    if (STEPS.includes('changed')) {
      const edited = docs.contracts!.slice(0, 2 * CHANGED).filter((_, j) => j % 2 === 1);
      const saved = edited.map((d) => structuredClone(d.items));
      for (const d of edited) (d.items as Doc[])[0]!.offRentDate = '2026-12-20';
      await writeManifests(work, docs);
      const r = step({ ...base, step: 'plan', nowMs: T0 + 2 * HOUR });
      rows.push(...planRows(`plan, ${CHANGED} contracts changed (warm)`, r));
      out.changed = r;
      edited.forEach((d, i) => (d.items = saved[i]));
      await writeManifests(work, docs);
    }
    if (STEPS.includes('apply')) {
      const middle = Math.floor(docs.assets!.length / 2);
      for (const d of docs.assets!.slice(middle, middle + CHANGED)) d.rentalStatus = 'AVAILABLE';
      await writeManifests(work, docs);
      const r = step({ ...base, step: 'apply', nowMs: T0 + 3 * HOUR });
      rows.push(...planRows(`plan, ${CHANGED} assets changed (warm)`, r.plan));
      rows.push(
        [`apply of ${CHANGED} asset changes: requests (both checks + writes)`, r.apply.requests],
        ['apply: wall (s), converged', `${round(r.apply.wallMs / 1000, 1)}, ${r.apply.converged}`],
        ['apply: predicted requests / actual', `${r.predictedRequests} / ${r.apply.requests}`],
        [
          'apply: predicted seconds / actual (ratio)',
          `${r.predictedSeconds} / ${round(r.apply.wallMs / 1000, 1)} (${round(r.apply.wallMs / 1000 / Math.max(0.1, r.predictedSeconds), 2)})`,
        ],
      );
      out.apply = r;
    }
    if (STEPS.includes('naive')) {
      const r = step({ ...base, step: 'naive' });
      rows.push(['naive: GETs', r.gets], ['naive: wall (s)', round(r.wallMs / 1000, 1)], ['naive: peak RSS (MB)', r.peakRssMb]);
      out.naive = r;
      const warm = out.warm as Result | undefined;
      if (warm) rows.push(['ratio naive / warm plan wall time', `${round(r.wallMs / warm.wallMs, 1)}x`]);
    }
    if (STEPS.includes('export')) {
      const r = step({ ...base, step: 'export', nowMs: T0 });
      rows.push(
        ['export: wall (s)', round(r.wallMs / 1000, 1)],
        ['export: requests (+ token)', `${r.requests} + ${r.tokenRequests}`],
        ['export: per-object reads', r.reads],
        ['export: peak RSS (MB), CPU (s)', `${r.peakRssMb}, ${round(r.cpuMs / 1000, 1)}`],
        ['export: objects written, left out, files', `${r.objects}, ${r.skipped}, ${r.files}`],
      );
      out.export = r;
    }
    if (STEPS.includes('roundtrip')) {
      const r = step({ ...base, step: 'roundtrip', nowMs: T0 });
      rows.push(
        ['round trip: documents, validate errors', `${r.documents}, ${r.validateErrors}`],
        ['round trip: cold plan of the export: changes by op, errors', `${JSON.stringify(r.ops)}, ${r.planErrors}`],
        ['round trip: plan requests, wall (s), peak RSS (MB)', `${r.requests}, ${round(r.wallMs / 1000, 1)}, ${r.peakRssMb}`],
      );
      out.roundtrip = r;
    }
    if (STEPS.includes('lists')) {
      const r = step({ ...base, step: 'lists' });
      rows.push(
        ['lists only: wall (s)', round(r.wallMs / 1000, 1)],
        ['lists only: requests', r.requests],
        ['lists only: peak RSS (MB)', r.peakRssMb],
        ['manifests load (s)', round(r.manifestsMs / 1000, 1)],
      );
      out.lists = r;
    }
  } finally {
    await sandbox.stop();
  }
  console.log(
    `Fleet: ${SIZES.assets} assets, ${SIZES.customers} customers, ${SIZES.depots} depots, ${SIZES.definitions} definitions, ${SIZES.contracts} contracts; ${LATENCY_MS} ms added latency`,
  );
  console.log(`Limits, tug and naive alike: ${RATE ? `${RATE} req/s per REST family` : 'the shipped defaults (10 req/s, burst 10, 8 in flight per REST family)'}`);
  table(rows);
  figures('plan', { sizes: SIZES, latencyMs: LATENCY_MS, rate: RATE ?? 'default', steps: STEPS, ...out });
} finally {
  await rm(work, { recursive: true, force: true });
}
