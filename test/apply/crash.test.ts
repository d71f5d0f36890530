/**
 * Crash test (issue 6): `tug apply plan.json` runs in a child process on a 314-change plan and is
 * killed with SIGKILL at seeded random moments; each time `tug apply plan.json --resume` must converge —
 * exit 0, and a fresh plan is empty — and no identity may be created twice: over the whole run (the
 * killed child's requests, a create the sandbox committed for a child already dead, the resume's), the
 * sandbox's request log holds exactly one answered create per planned create on every create route, and
 * no two sites, customers, definitions or contacts in the store share an identity. (The log keeps no
 * bodies; "one 2xx per planned identity in total" plus "no identity twice in the store" is the same
 * statement.)
 *
 * The plan: 4 definitions, 100 depots and 150 customers (creates, 50 of them with a contact), 30 asset
 * updates (externalReference and custom fields on the new definitions) and 30 asset syncs (owning depot,
 * 16 contracts) that point at the new depots and customers. Each run gets a fresh in-process sandbox with
 * the demo account (ids included, so one plan file serves every run) and 30 ms added to every request;
 * in the killed apply and its resume, 0.5 % of writes are dropped before the server handles them and
 * 0.5 % after it committed them (CRASH_FAULTS).
 * The child is the real CLI entry, loaded ahead of time (crash-child.ts) so that the kill lands in the
 * apply, not in module loading; `--resume` runs the same CLI entry in this process. First, uninterrupted
 * applies time the first and last write; the kill moments are spread (stratified, jittered, seeded) from
 * halfway to the first write (lock taken, no journal yet) to a quarter into the
 * convergence check, so that most land while writes are in flight: at least half the runs must be
 * killed with requests the journal saw sent and not answered.
 *
 * What a SIGKILL leaves behind, and how `--resume` alone copes (the report printed at the end counts it):
 *   - the apply lock with an unexpired lease and a dead pid: taken over, since its holder was a process of
 *     this host that no longer runs;
 *   - no journal when the kill came before the journal was opened (nothing was written then): applied
 *     from the start;
 *   - changes of this plan whose live state its own earlier writes moved: finished, not refused as stale.
 * The last three tests pin each of these on a small plan.
 *
 * Knobs: CRASH_RUNS (default 20), CRASH_LANES (runs at once, default 2), CRASH_SEED (default 6),
 * CRASH_LATENCY_MS (default 30), CRASH_FAULTS (sandbox fault rules, default above; '' for none). The kill moments (ms after start) replay with the same CRASH_SEED and
 * CRASH_RUNS; where in the apply they land varies with the machine's load. CRASH_PLAN=light: no asset
 * externalReferences or new definitions on assets.
 */
import { LocalStateStore } from '../../src/state/local-store.js';
import { accountOf } from '../../src/trackunit/account.js';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/index.js';
import { createRunContext } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { loadProjectConfig, type ProjectConfig } from '../../src/config/load.js';
import type { Plan } from '../../src/core/plan.js';
import { loadManifestSet, type ManifestSet } from '../../src/manifests/index.js';
import { runPlan } from '../../src/plan/run-plan.js';
import { readPlanFile } from '../../src/state/plan-file.js';
import { startSandbox, Store, type SandboxHandle } from '../../src/sandbox/index.js';
import { seedStore } from '../../src/sandbox/seed.js';
import { acquireLock, inspectLock, journalFile, journalState, openJournal, readJournal } from '../../src/state/index.js';
import { capture } from '../cli/run-cli.js';
import { sandboxClient } from '../trackunit/helpers.js';

const RUNS = Number(process.env.CRASH_RUNS ?? 20);
/** Runs going on at once, each lane with its own sandboxes and repository copy. */
const LANES = Number(process.env.CRASH_LANES ?? 2);
const SEED = Number(process.env.CRASH_SEED ?? 6);
const LATENCY_MS = Number(process.env.CRASH_LATENCY_MS ?? 30);
/** Faults in the killed apply and its resume: writes lost before and after the server handled them. */
const FAULTS = process.env.CRASH_FAULTS ?? 'writes:drop=0.005,commit-drop=0.005';
/** The full plan (asset externalReferences and custom definitions) is the default; CRASH_PLAN=light avoids them. */
const FULL_PLAN = process.env.CRASH_PLAN !== 'light';
const ROOT = join(import.meta.dirname, '../..');
const CHILD = join(import.meta.dirname, 'crash-child.ts');
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), TRACKUNIT_CLIENT_ID: 'sandbox-key', TRACKUNIT_CLIENT_SECRET: 'sandbox-key-secret', CI: 'true' };
const PLAN_FILE = 'plan.json';
const DEMO = (() => {
  const store = new Store('sandbox:demo');
  seedStore(store, { kind: 'demo' });
  return store.toSnapshot();
})();
const CREATE_ROUTES = ['custom-fields.definitions.create', 'sites.create', 'customers.create', 'customers.createContact'] as const;
type CreateRoute = (typeof CREATE_ROUTES)[number];
const SIZES = { definitions: 4, depots: 100, customers: 150, assets: 30, contracts: 16 };
/** Answered creates per route the plan makes: one per identity. */
const EXPECTED_CREATES: Record<CreateRoute, number> = {
  'custom-fields.definitions.create': SIZES.definitions,
  'sites.create': SIZES.depots,
  'customers.create': SIZES.customers,
  'customers.createContact': Math.ceil(SIZES.customers / 3),
};

// ---- the manifest repository ------------------------------------------------------------------------

type Doc = Record<string, unknown>;
const pad = (n: number) => String(n).padStart(3, '0');
const depotKey = (i: number) => `crash-depot-${pad(i)}`;
const customerRef = (i: number) => `CRASH-C-${pad(i)}`;

/**
 * The crash plan's manifests. By default the Asset changes use ASSET definitions created by the same plan
 * and PATCH the externalReference of assets that are also synced — changes whose live state the plan's own
 * earlier writes move, which --resume must finish rather than call stale. CRASH_PLAN=light avoids both.
 */
function manifests(): Record<string, Doc[]> {
  const owned = DEMO.assets.filter((a) => a.owned).map((a) => a.serialNumber as string);
  if (owned.length < SIZES.assets) throw new Error(`the demo seed has ${owned.length} owned assets, the crash plan needs ${SIZES.assets}`);
  const assetFields = FULL_PLAN
    ? [{ kind: 'CustomFieldDefinition', key: 'crashNote', entityType: 'ASSET', type: 'STRING', title: 'Note' },
       { kind: 'CustomFieldDefinition', key: 'crashPriority', entityType: 'ASSET', type: 'NUMBER', title: 'Priority', isInteger: true }]
    : [{ kind: 'CustomFieldDefinition', key: 'crashRegion', entityType: 'SITE', type: 'STRING', title: 'Region' },
       { kind: 'CustomFieldDefinition', key: 'crashTier', entityType: 'CUSTOMER', type: 'NUMBER', title: 'Tier', isInteger: true }];
  const definitions: Doc[] = [
    { kind: 'CustomFieldDefinition', key: 'crashDepotManager', entityType: 'SITE', type: 'STRING', title: 'Depot manager (crash test)' },
    { kind: 'CustomFieldDefinition', key: 'crashSegment', entityType: 'CUSTOMER', type: 'DROPDOWN', title: 'Segment', options: ['A', 'B', 'C'] },
    ...assetFields,
  ];
  const depots = Array.from({ length: SIZES.depots }, (_, i) => ({
    kind: 'Depot', key: depotKey(i), name: `Crash Depot ${pad(i)}`,
    address: { streetAddress: `Nedbrudsvej ${i + 1}`, zipCode: String(8000 + i), city: 'Aarhus', country: 'DK' },
    customFields: { crashDepotManager: `Manager ${pad(i)}` },
  }));
  const customers = Array.from({ length: SIZES.customers }, (_, i) => ({
    kind: 'Customer', externalReference: customerRef(i), name: `Crash Customer ${pad(i)} ApS`, type: 'CONTRACTOR',
    ...(i % 3 === 0 ? { contacts: [{ name: `Contact ${pad(i)}`, email: `c${pad(i)}@example.com` }] } : {}),
    ...(i % 2 === 0 ? { customFields: { crashSegment: ['A', 'B', 'C'][i % 3] } } : {}),
  }));
  const assets = owned.slice(0, SIZES.assets).map((serialNumber, i) => ({
    kind: 'Asset', serialNumber, owningDepot: depotKey(i * 3),
    ...(FULL_PLAN
      ? { externalReference: `CRASH-A-${pad(i)}`, customFields: { crashNote: `note ${i}`, crashPriority: i } }
      : { customFields: { licensePlate: `CR ${pad(i)} 00` } }),
  }));
  const contracts = Array.from({ length: SIZES.contracts }, (_, i) => ({
    kind: 'Contract', externalReference: `CRASH-K-${pad(i)}`, customer: customerRef(i), status: 'RESERVED',
    startDate: '2027-03-01', endDate: '2027-03-20', hiringDepot: depotKey(i),
    items: [{ externalReference: `CRASH-K-${pad(i)}-1`, asset: { serialNumber: owned[i] }, onRentDate: '2027-03-01', offRentDate: '2027-03-20' }],
  }));
  return { definitions, depots, customers, assets, contracts };
}

const TUG_YAML = {
  apiVersion: 'tug/v1',
  manifests: ['manifests/**/*.yaml'],
  // The sandbox's URL changes per run: every command gets --iris-url / --auth-url.
  trackunit: {},
  // Fast enough that an apply of 300 changes takes a few seconds against 30 ms of latency.
  rateLimits: Object.fromEntries(['sites', 'customers', 'custom-fields', 'assets', 'rental'].map((f) => [f, { ratePerSecond: 500, burst: 50, maxInFlight: 8 }])),
  concurrency: 8,
  stateDir: '.tug',
  safety: { maxUpdates: { default: { count: 1000 } } },
};

/** A temporary repository: tug.yaml and one manifest file per entry of `files`. */
function writeRepo(files: Record<string, Doc[]>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tug-crash-'));
  mkdirSync(join(dir, 'manifests'));
  writeFileSync(join(dir, 'tug.yaml'), stringify(TUG_YAML));
  for (const [name, docs] of Object.entries(files)) {
    writeFileSync(join(dir, 'manifests', `${name}.yaml`), docs.map((d) => stringify(d)).join('---\n'));
  }
  return dir;
}

// ---- tug, in a child and in this process -----------------------------------------------------------------

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A crash-child.ts process: loaded, waiting for its command. */
interface WarmTug {
  pid: number;
  ready: Promise<void>;
  /** Starts the command; `done` settles when the process has exited. */
  start(args: string[]): void;
  done: Promise<Exit>;
  kill(): void;
}

function warmTug(cwd: string): WarmTug {
  const child = spawn(process.execPath, ['--import', TSX, CHILD], { cwd, env: ENV, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let markReady = () => undefined as void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk) => {
    stdout += String(chunk);
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const done = new Promise<Exit>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout: stdout.replace(/^ready\n/, ''), stderr }));
  });
  const readyOrExited = Promise.race([ready, done.then((exit) => Promise.reject(new Error(`crash-child exited before it was ready: ${exit.stderr}`)))]);
  readyOrExited.catch(() => undefined); // a spare child killed unused is no error; a used one is awaited
  return {
    pid: child.pid!,
    ready: readyOrExited,
    start: (args) => child.stdin.end(`${JSON.stringify(args)}\n`),
    done,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** Plan and apply talk to this run's sandbox. */
const withUrls = (args: string[], sandbox: SandboxHandle) =>
  ['plan', 'apply'].includes(args[0]!) ? [...args, '--iris-url', sandbox.url, '--auth-url', sandbox.url] : args;

/** `tug …args` through the CLI entry, in this process (cwd `dir`; paths given absolute). */
async function tugHere(dir: string, sandbox: SandboxHandle, args: string[]): Promise<Exit & { ms: number }> {
  const out = capture();
  const err = capture();
  const started = performance.now();
  const code = await main(withUrls(args, sandbox), createRunContext({ stdout: out.stream, stderr: err.stream, env: ENV, cwd: dir }));
  return { code, signal: null, stdout: out.text(), stderr: err.text(), ms: performance.now() - started };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** mulberry32: the kill moments replay exactly for one CRASH_SEED. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// ---- checks ---------------------------------------------------------------------------------------------

const freshSandbox = () => startSandbox({ port: 0, store: Store.fromSnapshot(structuredClone(DEMO)), latencyMs: LATENCY_MS });
const ok = (status: number) => status >= 200 && status < 300;
const writesIn = (s: SandboxHandle) => s.requestLog.count((e) => e.write);

/** Committed creates per create route, over the whole run: answered (2xx), or committed and then dropped. */
function createsPerRoute(s: SandboxHandle): Record<CreateRoute, number> {
  const committed = (e: { status: number; fault?: string }) => ok(e.status) || e.fault === 'commit-drop';
  return Object.fromEntries(CREATE_ROUTES.map((r) => [r, s.requestLog.count((e) => e.route === r && committed(e))])) as Record<CreateRoute, number>;
}

/** Identities held by more than one object in the store (none expected). */
function duplicates(s: SandboxHandle): string[] {
  const twice = (label: string, values: Array<string | null | undefined>) => {
    const seen = new Map<string, number>();
    for (const v of values) if (v) seen.set(v, (seen.get(v) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([v, n]) => `${label} ${v} ×${n}`);
  };
  return [
    ...twice('site', [...s.store.sites.values()].map((x) => x.externalReference)),
    ...twice('customer', [...s.store.customers.values()].map((x) => x.externalReference)),
    ...twice('definition', [...s.store.definitions.values()].map((x) => `${x.entityType}/${x.key}`)),
    ...twice('contact', [...s.store.contacts.values()].map((x) => `${x.customerId}/${x.name}`)),
  ];
}

/** The keys of a fresh plan's changes (none expected). */
async function replanChanges(s: SandboxHandle): Promise<string[]> {
  const client = sandboxClient(s);
  const isoStateDir = mkdtempSync(join(tmpdir(), 'tug-crash-iso-'));
  try {
    return (await runPlan({ client, config, manifests: set, isoStateDir })).plan.changes.map((c) => c.key);
  } finally {
    await client.close();
    rmSync(isoStateDir, { recursive: true, force: true });
  }
}

/** Converged, each identity once. */
async function expectConverged(sandbox: SandboxHandle, result: Exit, context: string): Promise<void> {
  expect(result.code, `${context}: ${result.stderr}`).toBe(0);
  const report = JSON.parse(result.stdout) as { convergence: { ok: boolean }; outcomes: Array<{ status: string }> };
  expect(report.convergence.ok, context).toBe(true);
  expect(report.outcomes.filter((o) => o.status === 'failed'), context).toEqual([]);
  expect(createsPerRoute(sandbox), context).toEqual(EXPECTED_CREATES);
  expect(duplicates(sandbox), context).toEqual([]);
  expect(await replanChanges(sandbox), context).toEqual([]);
}

// ---- the crash runs -------------------------------------------------------------------------------------

interface RunRecord {
  run: number;
  killAtMs: number;
  /** The apply had ended before its kill was due. */
  finishedFirst: boolean;
  writesBeforeKill: number;
  journal: 'none' | 'open';
  /** Requests the journal shows sent without an outcome. */
  inFlight: number;
  lockLeft: boolean;
  resumeMs: number;
  /** Faults the sandbox injected over the run (killed apply and resume). */
  faults: number;
}

let repo: string;
let plan: Plan;
let config: ProjectConfig;
let set: ManifestSet;
const records: RunRecord[] = [];
const timing = { started: 0, firstWriteMs: 0, lastWriteMs: 0, totalMs: 0 };
/** The first lock left behind is shown through the CLI: a refused resume, then `tug unlock --force`. */

beforeAll(async () => {
  timing.started = performance.now();
  repo = writeRepo(manifests());
  const sandbox = await freshSandbox();
  try {
    const planned = await tugHere(repo, sandbox, ['plan', '--out', join(repo, PLAN_FILE)]);
    expect(planned.code, planned.stderr).toBe(0);
  } finally {
    await sandbox.close();
  }
  plan = readPlanFile(await readFile(join(repo, PLAN_FILE), 'utf8'));
  config = await loadProjectConfig({ cwd: repo });
  set = await loadManifestSet(config, repo);
}, 60_000);

afterAll(() => {
  if (repo) rmSync(repo, { recursive: true, force: true });
});

/** Runs `fn` on every lane at once, each in its own copy of the repository; all lanes end before a failure is thrown. */
async function onLanes<T>(fn: (lane: number, dir: string) => Promise<T>): Promise<T[]> {
  const dirs = Array.from({ length: LANES }, (_, lane) => {
    const dir = `${repo}-lane${lane}`;
    cpSync(repo, dir, { recursive: true });
    return dir;
  });
  try {
    const settled = await Promise.allSettled(dirs.map((dir, lane) => fn(lane, dir)));
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** One uninterrupted apply in a warm child: converges, each identity once; when did it write, how long did it take. */
async function cleanApply(dir: string) {
  const child = warmTug(dir);
  const sandbox = await freshSandbox();
  try {
    await child.ready;
    const t0 = Date.now();
    child.start(withUrls(['apply', join(dir, PLAN_FILE), '--format', 'json'], sandbox));
    const result = await child.done;
    const totalMs = Date.now() - t0;
    await expectConverged(sandbox, result, 'uninterrupted apply');
    const writes = sandbox.requestLog.all().filter((e) => e.write);
    return { firstWriteMs: writes[0]!.at - t0, lastWriteMs: writes.at(-1)!.at - t0, totalMs };
  } finally {
    child.kill();
    await sandbox.close();
    rmSync(join(dir, '.tug'), { recursive: true, force: true });
  }
}

/**
 * Apply in `child`, SIGKILL at `killAtMs`, clear what the crash left, `--resume` to the end, check the
 * account. `afterKill` runs once the child is dead: the lane starts loading the next one meanwhile.
 */
async function crashRun(dir: string, runIndex: number, killAtMs: number, child: WarmTug, afterKill: () => void): Promise<RunRecord> {
  const sandbox = await freshSandbox();
  sandbox.setFaults(FAULTS, `${SEED}/${runIndex}/${Math.round(killAtMs)}`);
  const stateDir = join(dir, '.tug');
  const planFile = join(dir, PLAN_FILE);
  try {
    await child.ready;
    child.start(withUrls(['apply', planFile, '--format', 'json'], sandbox));
    const finishedFirst = await Promise.race([child.done.then(() => true), sleep(killAtMs).then(() => false)]);
    child.kill();
    const killed = await child.done;
    afterKill();
    if (!finishedFirst) expect(killed.signal).toBe('SIGKILL');
    await sleep(LATENCY_MS * 3); // what the dead child had sent is still answered (and logged)
    const writesBeforeKill = writesIn(sandbox);
    const journal = existsSync(journalFile(stateDir, plan.fingerprint)) ? 'open' : 'none';
    const inFlight = journal === 'open' ? journalState((await readJournal(stateDir, plan.fingerprint)).entries).inFlight.length : 0;
    // The journal is opened before the first write: without one, nothing may have been written.
    if (journal === 'none') expect(writesBeforeKill, `run ${runIndex}: a write before the journal was opened`).toBe(0);
    // The dead apply's lock is left behind (its lease has not expired): --resume takes it over because
    // its holder is a process of this host that no longer runs. Without a journal, resume applies from
    // the start (nothing was written).
    const lockLeft = (await inspectLock(stateDir)).state === 'held';
    const resumed = await tugHere(dir, sandbox, ['apply', planFile, '--resume', '--format', 'json']);
    const resumeMs = resumed.ms;
    await expectConverged(sandbox, resumed, `run ${runIndex} (kill at ${Math.round(killAtMs)} ms, ${writesBeforeKill} writes before it)`);
    const faults = Object.values(sandbox.faults.injected).reduce((n, k) => n + k, 0);
    return { run: runIndex, killAtMs: Math.round(killAtMs), finishedFirst, writesBeforeKill, journal, inFlight, lockLeft, resumeMs: Math.round(resumeMs), faults };
  } finally {
    child.kill();
    await sandbox.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}


/** Kill moments, seeded: one per slot of [from, to] split RUNS ways, jittered inside it, slots shuffled. */
function killMoments(from: number, to: number): number[] {
  const random = rng(SEED);
  const slots = Array.from({ length: RUNS }, (_, i) => i);
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [slots[i], slots[j]] = [slots[j]!, slots[i]!];
  }
  return slots.map((slot) => from + ((slot + random()) / RUNS) * (to - from));
}

describe('crash test: SIGKILL during apply, then --resume', () => {
  it('the plan has at least 300 changes, creates on every create route among them, no deletes', () => {
    expect(plan.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(plan.safety.ok).toBe(true);
    expect(plan.changes.length).toBeGreaterThanOrEqual(300);
    const creates = (kind: string) => plan.changes.filter((c) => c.op === 'create' && c.kind === kind).length;
    expect([creates('CustomFieldDefinition'), creates('Depot'), creates('Customer')]).toEqual([SIZES.definitions, SIZES.depots, SIZES.customers]);
    expect(plan.changes.filter((c) => c.op === 'delete')).toEqual([]);
  });

  it('uninterrupted applies (one per lane, at once) converge, each identity once; they time the kills', async () => {
    const timings = await onLanes((_, dir) => cleanApply(dir));
    const mean = (pick: (t: (typeof timings)[number]) => number) => timings.reduce((n, t) => n + pick(t), 0) / timings.length;
    Object.assign(timing, { firstWriteMs: mean((t) => t.firstWriteMs), lastWriteMs: mean((t) => t.lastWriteMs), totalMs: mean((t) => t.totalMs) });
  }, 120_000);

  it(`${RUNS} applies killed at random moments: each finished by --resume, every identity created once`, async () => {
    // From late in the start (lock, stale check: before the journal) to a quarter into the convergence check.
    const moments = killMoments(timing.firstWriteMs / 2, timing.lastWriteMs + (timing.totalMs - timing.lastWriteMs) / 4);
    await onLanes(async (lane, dir) => {
      let child = warmTug(dir);
      try {
        for (let r = lane; r < RUNS; r += LANES) {
          // An apply that ended before its kill moment is checked too, then run again with an earlier one.
          for (let moment = moments[r]!; ; moment *= 0.8) {
            const record = await crashRun(dir, r, moment, child, () => (child = warmTug(dir)));
            records.push(record);
            if (!record.finishedFirst) break;
          }
        }
      } finally {
        child.kill();
      }
    });
    report();
    // The kills must land in the writes, not around them: count the runs killed with requests in flight.
    const midWrite = records.filter((r) => !r.finishedFirst && r.inFlight > 0).length;
    expect(midWrite, 'runs killed while the journal had requests in flight').toBeGreaterThanOrEqual(Math.ceil(RUNS / 2));
  }, 900_000);
});

function report(): void {
  const kills = records.filter((r) => !r.finishedFirst);
  const times = kills.map((r) => r.killAtMs).sort((a, b) => a - b);
  const range = (values: number[]) => `${Math.min(...values)}–${Math.max(...values)}`;
  const count = (pick: (r: RunRecord) => boolean) => kills.filter(pick).length;
  const lines = [
    `crash test: ${RUNS} runs on ${LANES} lanes (seed ${SEED}, latency ${LATENCY_MS} ms, ${FULL_PLAN ? 'full' : 'default'} plan of ${plan.changes.length} changes); uninterrupted apply: first write at ${Math.round(timing.firstWriteMs)} ms, last at ${Math.round(timing.lastWriteMs)} ms, exit at ${Math.round(timing.totalMs)} ms`,
    `  killed: ${kills.length} (${records.length - kills.length} applies ended before their kill moment and ran again), at ${range(times)} ms, median ${times[Math.floor(times.length / 2)]} ms`,
    `  before the first write: ${count((r) => r.writesBeforeKill === 0)} (no journal yet: ${count((r) => r.journal === 'none')}); after it: ${count((r) => r.writesBeforeKill > 0)}, with ${range(kills.map((r) => r.writesBeforeKill))} writes done`,
    `  requests in flight in the journal at the kill: ${kills.reduce((n, r) => n + r.inFlight, 0)} over ${count((r) => r.inFlight > 0)} runs; lock left behind: ${count((r) => r.lockLeft)}`,
    `  faults injected (drops before and after the write): ${records.reduce((n, r) => n + r.faults, 0)} over ${records.filter((r) => r.faults > 0).length} runs`,
    `  --resume took ${range(records.map((r) => r.resumeMs))} ms; whole file so far ${Math.round((performance.now() - timing.started) / 1000)} s`,
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}

// ---- regressions: what this test found, pinned on small plans --------------------------------------------

describe('resume after a partial apply (found by the crash test)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  /** A small repository planned against a fresh sandbox; `apply` and `resume` run in-process. */
  async function small(docs: Doc[]) {
    const dir = writeRepo({ manifests: docs });
    dirs.push(dir);
    const sandbox = await freshSandbox();
    const client = sandboxClient(sandbox);
    const cfg = await loadProjectConfig({ cwd: dir });
    const manifestSet = await loadManifestSet(cfg, dir);
    const stateDir = join(dir, '.tug');
    const { plan: saved } = await runPlan({ client, config: cfg, manifests: manifestSet, isoStateDir: stateDir, inventory: new LocalStateStore(stateDir).account(accountOf(client.config)).kv });
    const apply = (extra: { maxChanges?: number; resume?: boolean }) => applyPlan({ client, plan: saved, config: cfg, manifests: manifestSet, stateDir, ...extra });
    return { saved, apply, close: async () => (await client.close(), await sandbox.close()) };
  }
  const owned = DEMO.assets.filter((a) => a.owned).map((a) => a.serialNumber as string);

  // FIXED: --resume refused its own plan as stale once a change it depends on was applied.
  // Input: a definition (create) and an Asset setting that field (update); `apply --max-changes 1`
  // (or a SIGKILL) after the definition, then `apply --resume`. Expected: the update is applied.
  // Was: exit 4 stale_plan, "Asset/…: (live object changed outside the managed fields)".
  // Suspected: src/kinds/asset/plan.ts:88 fingerprints the asset's whole value list
  // (`{ asset, values }`), which gains an entry for the definition the same plan created; and
  // src/apply/stale.ts compareWithFresh exempts only changes the journal saw started, not changes
  // whose live object was moved by changes of this plan already applied. With CRASH_PLAN=full the
  // crash test meets it in most kills after the first write (15 of 20 runs with the default seed).
  it('a definition applied, then --resume: the Asset update using it is applied, not refused as stale', async () => {
    const s = await small([
      { kind: 'CustomFieldDefinition', key: 'crashNote', entityType: 'ASSET', type: 'STRING', title: 'Note' },
      { kind: 'Asset', serialNumber: owned[0], customFields: { crashNote: 'n' } },
    ]);
    try {
      expect(s.saved.changes.map((c) => c.key)).toEqual(['create:CustomFieldDefinition/crashNote', `update:Asset/serialNumber=${owned[0]}`]);
      await s.apply({ maxChanges: 1 });
      await expect(s.apply({ resume: true })).resolves.toMatchObject({ convergence: { ok: true } });
    } finally {
      await s.close();
    }
  }, 30_000);

  // FIXED (same family): the Asset `sync` (rental side) fingerprints the raw asset
  // (src/kinds/contract/plan.ts:77, liveRentalSnapshot), which the same plan's Asset `update`
  // (PATCH externalReference) changes. Input: an Asset with externalReference and owningDepot;
  // `--max-changes 2` (depot create, asset update), then `--resume`. Expected: the sync is applied.
  // Was: exit 4 stale_plan naming the Asset.
  it('an Asset update applied, then --resume: the same asset\'s sync is applied, not refused as stale', async () => {
    const s = await small([
      { kind: 'Depot', key: 'crash-depot-000', name: 'Crash Depot 000', address: { city: 'Aarhus', country: 'DK' } },
      { kind: 'Asset', serialNumber: owned[0], externalReference: 'CRASH-A-000', owningDepot: 'crash-depot-000' },
    ]);
    try {
      expect(s.saved.changes.map((c) => `${c.op}:${c.kind}`)).toEqual(['create:Depot', 'update:Asset', 'sync:Asset']);
      await s.apply({ maxChanges: 2 });
      await expect(s.apply({ resume: true })).resolves.toMatchObject({ convergence: { ok: true } });
    } finally {
      await s.close();
    }
  }, 30_000);
});

describe('gaps: what keeps a plain `--resume` from finishing every crash', () => {
  let sandbox: SandboxHandle;
  let stateDir = '';
  const dirs: string[] = [];
  const newStateDir = () => {
    stateDir = mkdtempSync(join(tmpdir(), 'tug-crash-gap-'));
    dirs.push(stateDir);
  };
  beforeAll(async () => {
    sandbox = await freshSandbox();
  });
  afterAll(async () => {
    await sandbox?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const applyResume = async () => {
    const client = sandboxClient(sandbox);
    try {
      return await applyPlan({ client, plan, config, manifests: set, stateDir, isoStateDir: stateDir, resume: true });
    } finally {
      await client.close();
    }
  };

  // FIXED (gap): a SIGKILLed apply leaves its lock with the full lease (DEFAULT_LEASE_MS, 60 s) and a dead pid;
  // acquireLock (src/state/lock.ts, takeOverIfAbandoned) only takes over an *expired* lease, so
  // `--resume` right after the crash exits 1 "locked" although lockedError already knows the pid is not
  // running on this host. Expected: a same-host lock whose pid is gone is taken over (or `apply` offers a
  // lease option); actual: LockError `locked` until the lease runs out or `tug unlock --force`.
  it('--resume takes over a lock whose holder died on this host', async () => {
    newStateDir();
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.once('exit', resolve));
    await acquireLock(stateDir, { pid: dead.pid! });
    openJournal(stateDir, plan).close(); // the journal of the killed run: opened, nothing written yet
    await expect(applyResume()).resolves.toMatchObject({ convergence: { ok: true } });
  }, 30_000);

  // FIXED (gap): killed before the journal was opened (start-up, lock, stale check — no write yet), `--resume`
  // exits 1 `nothing_to_resume` (src/apply/prior-run.ts readPriorRun) instead of starting the apply:
  // a script that always answers a crash with `--resume` stops there. Safe (nothing was written) but
  // not "each time --resume converges".
  it('--resume of a plan whose apply died before opening its journal applies it', async () => {
    newStateDir();
    await expect(applyResume()).resolves.toMatchObject({ convergence: { ok: true } });
  }, 30_000);
});
