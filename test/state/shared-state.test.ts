/**
 * Several machines, one state database (issue 13's scenarios). Each "runner" is its own checkout of the
 * same manifest repository with its own local state directory (which must not matter) and, where it runs
 * in a separate process, its own tug process; all share one PostgreSQL schema and one sandbox (a real
 * HTTP server on loopback).
 *
 *   - three processes apply the same plan at once: exactly one wins, the others fail at once naming the
 *     holder — twenty rounds, twenty single winners;
 *   - the holder is killed with SIGKILL mid-apply on runner A: `tug apply plan.json --resume` on runner B
 *     finishes it — converged, one create per identity (request log and store); `--resume` without a plan
 *     file works from the plan the database kept;
 *   - the state database ends the apply's connections mid-apply (pg_terminate_backend): exit 5, and the
 *     resume creates nothing twice;
 *   - two plans from two fresh checkouts within 15 minutes: the second makes no ISO request at all (the
 *     shared cache), and no troubleshooting-pool request is ever spent (the sandbox's pool counter);
 *   - an unreachable database: a clear error before any request to Trackunit;
 *   - the connection string's password appears in no output, file or table.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startSandbox, Store, type SandboxHandle } from '../../src/sandbox/index.js';
import { seedStore } from '../../src/sandbox/seed.js';
import { runCli, type CliResult } from '../cli/run-cli.js';
import { databasePassword, databaseUrlFor, describePostgres, freshSchema, sql, terminateTug } from '../support/postgres.js';
import { tugWorker, type TugWorker } from '../support/tug-process.js';
import { startGitHub, TOKENS } from '../support/github-server.js';

type Doc = Record<string, unknown>;
const DEMO = (() => {
  const store = new Store('sandbox:demo');
  seedStore(store, { kind: 'demo' });
  return store.toSnapshot();
})();
const CREATES = ['sites.create', 'customers.create'] as const;
const PG_CLUSTER = join(import.meta.dirname, '../../scripts/pg-cluster.sh');
const pad = (n: number) => String(n).padStart(3, '0');
const ok = (status: number) => status >= 200 && status < 300;

let sandbox: SandboxHandle;
const workers: TugWorker[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, store: Store.fromSnapshot(structuredClone(DEMO)), latencyMs: 15 });
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
});
afterAll(async () => {
  await sandbox?.close();
});

function depots(prefix: string, n: number): Doc[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: 'Depot',
    key: `${prefix}-${pad(i)}`,
    name: `${prefix} depot ${pad(i)}`,
    address: { streetAddress: `Fællesvej ${i + 1}`, zipCode: String(8000 + i), city: 'Aarhus', country: 'DK' },
  }));
}

function customers(prefix: string, n: number): Doc[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: 'Customer',
    externalReference: `${prefix.toUpperCase()}-${pad(i)}`,
    name: `${prefix} customer ${pad(i)}`,
    type: 'CONTRACTOR',
  }));
}

/** A checkout of the manifest repository: tug.yaml (postgres state in `schema`) and the manifests. */
function checkout(schema: string, docs: Doc[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'tug-runner-'));
  mkdirSync(join(dir, 'manifests'));
  writeManifests(dir, docs);
  const limits = Object.fromEntries(['sites', 'customers', 'custom-fields', 'assets', 'rental'].map((f) => [f, { ratePerSecond: 200, burst: 20, maxInFlight: 4 }]));
  writeFileSync(
    join(dir, 'tug.yaml'),
    stringify({
      apiVersion: 'tug/v1',
      manifests: ['manifests/**/*.yaml'],
      trackunit: {},
      rateLimits: limits,
      concurrency: 4,
      stateDir: '.tug',
      state: { backend: 'postgres', schema },
      safety: { maxUpdates: { default: { count: 1000 } } },
    }),
  );
  return dir;
}

function writeManifests(dir: string, docs: Doc[]): void {
  writeFileSync(join(dir, 'manifests', 'all.yaml'), docs.map((d) => stringify(d)).join('---\n'));
}

/** What a runner has: Trackunit credentials and URLs, and the state database's connection string. */
function runnerEnv(schema: string, irisUrl = sandbox.url): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    CI: 'true',
    TRACKUNIT_CLIENT_ID: 'sandbox-key',
    TRACKUNIT_CLIENT_SECRET: 'sandbox-key-secret',
    TRACKUNIT_IRIS_URL: irisUrl,
    TRACKUNIT_AUTH_URL: irisUrl,
    TUG_STATE_DATABASE_URL: databaseUrlFor(schema),
  };
}

const tug = (dir: string, schema: string, argv: string[], irisUrl?: string): Promise<CliResult> => runCli(argv, { cwd: dir, env: runnerEnv(schema, irisUrl) });

async function planInto(dir: string, schema: string, ...others: string[]): Promise<void> {
  const planned = await tug(dir, schema, ['plan', '--out', join(dir, 'plan.json')]);
  expect(planned.code, planned.stderr).toBe(0);
  for (const other of others) copyFileSync(join(dir, 'plan.json'), join(other, 'plan.json'));
}

async function startWorkers(dirs: string[], schema: string, irisUrl?: string): Promise<TugWorker[]> {
  const started = dirs.map((dir) => tugWorker(dir, runnerEnv(schema, irisUrl)));
  workers.push(...started);
  await Promise.all(started.map((w) => w.ready));
  return started;
}

/** Answered creates per route since `from` (request log index). */
const createsSince = (from: number) =>
  Object.fromEntries(CREATES.map((route) => [route, sandbox.requestLog.count((e) => e.seq > from && e.route === route && (ok(e.status) || e.fault === 'commit-drop'))]));
const lastSeq = () => sandbox.requestLog.count();

/** Identities held by more than one object (none expected). */
function duplicates(): string[] {
  const seen = new Map<string, number>();
  for (const v of [...sandbox.store.sites.values()].map((s) => `site ${s.name}`).concat([...sandbox.store.customers.values()].map((c) => `customer ${c.externalReference}`))) {
    seen.set(v, (seen.get(v) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([v]) => v);
}

/**
 * A sandbox of its own for a test of the ISO export's budget: the export's 15-minute rule is per URL on the
 * server, so another test's requests for the same URLs (with its own state store) would count against it.
 */
async function withIsoSandbox(fn: (iso: SandboxHandle) => Promise<void>): Promise<void> {
  const iso = await startSandbox({ port: 0, store: Store.fromSnapshot(structuredClone(DEMO)), latencyMs: 15 });
  try {
    await fn(iso);
  } finally {
    await iso.close();
  }
}

const PIN = DEMO.assets.find((x) => x.owned && typeof x.telemetry?.pin === 'string')?.telemetry?.pin;
const isoRequests = (s: SandboxHandle) => s.requestLog.count((e) => e.family === 'iso-fleet' || e.family === 'iso-single');

async function until(what: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!what()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describePostgres('shared state on PostgreSQL', () => {
  it('three processes, three checkouts, one database: exactly one apply wins, the others fail at once naming it — 20 rounds', async () => {
    const schema = freshSchema();
    const dirs = [checkout(schema, []), checkout(schema, []), checkout(schema, [])];
    const runners = await startWorkers(dirs, schema);
    const winners: number[] = [];
    for (let round = 0; round < 20; round++) {
      const docs = depots(`r${pad(round)}`, 6);
      for (const dir of dirs) writeManifests(dir, docs);
      await planInto(dirs[0]!, schema, dirs[1]!, dirs[2]!);
      const from = lastSeq();
      const ended: Array<{ i: number; at: number; result: Awaited<ReturnType<TugWorker['run']>> }> = [];
      await Promise.all(runners.map((w, i) => w.run(['apply', 'plan.json', '--format', 'json']).then((result) => ended.push({ i, at: performance.now(), result }))));
      const won = ended.filter((e) => e.result.code === 0);
      const lost = ended.filter((e) => e.result.code !== 0);
      expect(won, `round ${round}: ${ended.map((e) => `${e.i}:${e.result.code} ${e.result.stderr}`).join(' | ')}`).toHaveLength(1);
      const winner = runners[won[0]!.i]!;
      for (const loser of lost) {
        expect(loser.result.code, loser.result.stderr).toBe(1);
        const { error } = JSON.parse(loser.result.stderr) as { error: { code: string; message: string; meta: { pid: number } } };
        expect(error.code).toBe('locked');
        expect(error.meta.pid).toBe(winner.pid);
        expect(error.message).toContain(`pid ${winner.pid}`);
        expect(loser.at, 'a loser ends before the winner does').toBeLessThan(won[0]!.at);
      }
      expect(createsSince(from)['sites.create'], `round ${round}`).toBe(6);
      winners.push(won[0]!.i);
    }
    expect(winners).toHaveLength(20);
    expect(duplicates()).toEqual([]);
  }, 180_000);

  it('kill -9 of the holder mid-apply on runner A; `tug apply plan.json --resume` on runner B finishes it, one create per identity', async () => {
    const schema = freshSchema();
    const docs = [...depots('kill', 40), ...customers('kill', 30)];
    const a = checkout(schema, docs);
    const b = checkout(schema, docs);
    await planInto(a, schema, b);
    const from = lastSeq();
    const [runnerA] = await startWorkers([a], schema);
    const applying = runnerA!.run(['apply', 'plan.json', '--format', 'json']);
    await until(() => sandbox.requestLog.count((e) => e.seq > from && e.write) >= 15);
    runnerA!.kill();
    expect((await applying).code).toBe(-1);
    const writesBefore = sandbox.requestLog.count((e) => e.seq > from && e.write);
    expect(writesBefore).toBeLessThan(70);

    // Runner B: its own checkout and (empty) state directory; the journal and the lock are in the database.
    const refused = await tug(b, schema, ['apply', 'plan.json']);
    expect(refused.code, 'without --resume the unfinished journal is a reason to stop').toBe(1);
    expect(refused.stderr).toContain('[journal_unfinished]');
    // A's lock went with its connection: B took it over at once, naming A.
    expect(refused.stderr).toMatch(new RegExp(`Took over the apply lock of .* pid ${runnerA!.pid}, .*that apply is no longer running`));
    const resumed = await tug(b, schema, ['apply', 'plan.json', '--resume', '--format', 'json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const report = JSON.parse(resumed.stdout) as { convergence: { ok: boolean }; resumed: boolean };
    expect(report).toMatchObject({ convergence: { ok: true }, resumed: true });
    expect(createsSince(from)).toEqual({ 'sites.create': 40, 'customers.create': 30 });
    expect(duplicates()).toEqual([]);
    const again = await tug(b, schema, ['plan', '--detailed-exitcode']);
    expect(again.code, again.stdout).toBe(0);
  }, 60_000);

  it('`tug apply --resume` with no plan file on a third machine finishes from the plan the database kept', async () => {
    const schema = freshSchema();
    const docs = depots('kept', 40);
    const a = checkout(schema, docs);
    await planInto(a, schema);
    const from = lastSeq();
    const [runnerA] = await startWorkers([a], schema);
    const applying = runnerA!.run(['apply', 'plan.json']);
    await until(() => sandbox.requestLog.count((e) => e.seq > from && e.write) >= 10);
    runnerA!.kill();
    await applying;
    const c = checkout(schema, docs); // no plan.json here
    const resumed = await tug(c, schema, ['apply', '--resume', '--format', 'json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(createsSince(from)['sites.create']).toBe(40);
    expect(duplicates()).toEqual([]);
    const nothing = await tug(c, schema, ['apply', '--resume']);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('[nothing_to_resume]');
  }, 60_000);

  it("the database ends the apply's connections mid-apply: exit 5 before the next request; the resume creates nothing twice", async () => {
    const schema = freshSchema();
    const docs = [...depots('term', 40), ...customers('term', 20)];
    const dir = checkout(schema, docs);
    await planInto(dir, schema);
    const from = lastSeq();
    const applying = tug(dir, schema, ['apply', 'plan.json']);
    await until(() => sandbox.requestLog.count((e) => e.seq > from && e.write) >= 10);
    expect(await terminateTug(schema)).toBeGreaterThan(0);
    const stopped = await applying;
    expect(stopped.code, stopped.stderr).toBe(5);
    expect(stopped.stderr).toMatch(/The apply stopped: (the apply lock was lost|its journal could not be written)/);
    const writesAtStop = sandbox.requestLog.count((e) => e.seq > from && e.write);
    expect(writesAtStop).toBeLessThan(60);
    const resumed = await tug(dir, schema, ['apply', 'plan.json', '--resume', '--format', 'json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(createsSince(from)).toEqual({ 'sites.create': 40, 'customers.create': 20 });
    expect(duplicates()).toEqual([]);
  }, 60_000);

  it('PostgreSQL itself crashes mid-apply (immediate shutdown): exit 5; once it is back, the resume creates nothing twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tug-crash-pg-'));
    const cluster = (cmd: 'start' | 'stop') => execFileSync(PG_CLUSTER, [cmd, dir], { encoding: 'utf8', timeout: 60_000 }).trim();
    const url = cluster('start');
    try {
      const schema = freshSchema();
      const docs = [...depots('crash', 40), ...customers('crash', 20)];
      const repo = checkout(schema, docs);
      const env = { ...runnerEnv(schema), TUG_STATE_DATABASE_URL: url };
      expect((await runCli(['plan', '--out', join(repo, 'plan.json')], { cwd: repo, env })).code).toBe(0);
      const from = lastSeq();
      const applying = runCli(['apply', 'plan.json'], { cwd: repo, env });
      await until(() => sandbox.requestLog.count((e) => e.seq > from && e.write) >= 10);
      cluster('stop');
      const stopped = await applying;
      expect(stopped.code, stopped.stderr).toBe(5);
      expect(stopped.stderr).toMatch(/The apply stopped: (the apply lock was lost|its journal could not be written)/);
      expect(sandbox.requestLog.count((e) => e.seq > from && e.write)).toBeLessThan(60);
      const down = await runCli(['apply', 'plan.json', '--resume'], { cwd: repo, env });
      expect(down.code, 'while the database is down: a clear error, nothing sent').toBe(1);
      expect(down.stderr).toContain('[state_unavailable]');
      cluster('start');
      const resumed = await runCli(['apply', 'plan.json', '--resume', '--format', 'json'], { cwd: repo, env });
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(createsSince(from)).toEqual({ 'sites.create': 40, 'customers.create': 20 });
      expect(duplicates()).toEqual([]);
    } finally {
      try {
        cluster('stop');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }, 90_000);

  it("two checkouts share one inventory: a fresh runner's plan takes the per-object reads from the database", async () => {
    const schema = freshSchema();
    const docs = customers('inv', 30).map((c, i) => ({ ...c, contacts: [{ name: `Contact ${i}`, email: `c${i}@example.com` }] }));
    const first = checkout(schema, docs);
    const applied = await tug(first, schema, ['apply', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    const second = checkout(schema, docs); // a fresh runner: nothing on its disk
    const before = sandbox.requestLog.count((e) => e.route === 'customers.listContacts');
    const planned = await tug(second, schema, ['plan']);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).toMatch(/^No changes\. The account matches the manifests\.$/m);
    expect(planned.stdout).toMatch(/^ {2}Customer: 30 reads, [01] live, (29|30) from the inventory/m);
    expect(sandbox.requestLog.count((e) => e.route === 'customers.listContacts') - before).toBeLessThanOrEqual(1);
    // Four kinds, meta, and the record of what was last applied (tug drift's), shared like the rest.
    expect(await sql(`SELECT key FROM ${schema}.kv WHERE namespace = 'inventory' ORDER BY key`)).toEqual(
      ['Asset', 'Contract', 'Customer', 'Depot', 'applied', 'meta'].map((key) => ({ key })),
    );
  }, 60_000);

  it(
    'two plans from two fresh checkouts within 15 minutes: the second makes no ISO request; the pool is never spent',
    () =>
      withIsoSandbox(async (iso) => {
        const schema = freshSchema();
        if (!PIN) throw new Error('the demo seed has no owned asset with a PIN');
        const docs = [{ kind: 'Asset', pin: PIN, customFields: { licensePlate: 'SHARED 01' } }];
        const first = checkout(schema, docs);
        const one = await tug(first, schema, ['plan'], iso.url);
        expect(one.code, one.stderr).toBe(0);
        const byFirst = isoRequests(iso);
        expect(byFirst).toBeGreaterThan(0);
        const second = checkout(schema, docs); // a fresh runner: nothing on its disk
        const two = await tug(second, schema, ['plan'], iso.url);
        expect(two.code, two.stderr).toBe(0);
        expect(two.stdout).toBe(one.stdout);
        expect(isoRequests(iso) - byFirst, 'the second plan is served from the shared cache').toBe(0);
        expect(iso.isoLimiter.poolUsesTotal).toBe(0);
        expect(await sql(`SELECT count(*)::int AS n FROM ${schema}.iso_requests WHERE pool`)).toEqual([{ n: 0 }]);
        const shown = await tug(second, schema, ['state', 'show'], iso.url);
        expect(shown.code, shown.stderr).toBe(0);
        expect(shown.stdout).toMatch(/troubleshooting pool 50\/50 left; cached/);
      }),
    60_000,
  );

  it(
    'two plans at the same moment: each ISO URL is requested once; the other runner waits for that answer',
    () =>
      withIsoSandbox(async (iso) => {
        const schema = freshSchema();
        const docs = [{ kind: 'Asset', pin: PIN, customFields: { licensePlate: 'SAME TIME' } }];
        const runners = await startWorkers([checkout(schema, docs), checkout(schema, docs)], schema, iso.url);
        const [one, two] = await Promise.all(runners.map((w) => w.run(['plan'])));
        expect(one!.code, one!.stderr).toBe(0);
        expect(two!.code, two!.stderr).toBe(0);
        expect(two!.stdout).toBe(one!.stdout);
        const urls = await sql<{ n: number; requests: number }>(`SELECT count(DISTINCT url)::int AS n, count(*)::int AS requests FROM ${schema}.iso_requests`);
        expect(urls[0]!.requests, 'one request per URL').toBe(urls[0]!.n);
        expect(isoRequests(iso)).toBe(urls[0]!.n);
        expect(iso.isoLimiter.poolUsesTotal).toBe(0);
      }),
    60_000,
  );

  it(
    '`tug snapshot` on a second machine is served from the shared cache',
    () =>
      withIsoSandbox(async (iso) => {
        const schema = freshSchema();
        const one = await tug(checkout(schema, []), schema, ['snapshot', '--format', 'csv'], iso.url);
        expect(one.code, one.stderr).toBe(0);
        const sent = isoRequests(iso);
        const two = await tug(checkout(schema, []), schema, ['snapshot', '--format', 'csv'], iso.url);
        expect(two.code, two.stderr).toBe(0);
        expect(two.stdout).toBe(one.stdout);
        expect(two.stderr).toMatch(/0 requests made, \d+ served from cache/);
        expect(isoRequests(iso)).toBe(sent);
      }),
    60_000,
  );

  it('an unreachable state database is a clear error before any request to Trackunit', async () => {
    const schema = freshSchema();
    const dir = checkout(schema, depots('down', 2));
    const closed = new URL(databaseUrlFor(schema));
    closed.port = '1';
    const from = lastSeq();
    for (const argv of [['apply', '--yes'], ['plan']]) {
      const result = await runCli(argv, { cwd: dir, env: { ...runnerEnv(schema), TUG_STATE_DATABASE_URL: closed.href } });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/State database PostgreSQL 127\.0\.0\.1:1\/postgres: connecting failed: .*ECONNREFUSED.* \[state_unavailable\]/);
      expect(result.stderr).not.toContain(databasePassword());
    }
    expect(lastSeq() - from, 'nothing was read from or written to Trackunit').toBe(0);
  });

  it('the password of the connection string is in no output, file or table', async () => {
    const schema = freshSchema();
    const password = databasePassword();
    const docs = depots('secret', 3);
    const dir = checkout(schema, docs);
    const outputs: CliResult[] = [];
    outputs.push(await tug(dir, schema, ['plan', '--out', join(dir, 'plan.json')]));
    outputs.push(await tug(dir, schema, ['apply', 'plan.json', '--format', 'json']));
    outputs.push(await tug(dir, schema, ['state', 'show', '--format', 'json']));
    outputs.push(await tug(dir, schema, ['state', 'show']));
    outputs.push(await tug(dir, schema, ['state', 'migrate']));
    outputs.push(await tug(dir, schema, ['unlock', '--format', 'json']));
    const wrong = new URL(databaseUrlFor(schema));
    wrong.password = `${password}-wrong`;
    outputs.push(await runCli(['apply', '--yes'], { cwd: dir, env: { ...runnerEnv(schema), TUG_STATE_DATABASE_URL: wrong.href } }));
    outputs.push(await runCli(['plan', '--format', 'json'], { cwd: dir, env: { ...runnerEnv(schema), TUG_STATE_DATABASE_URL: wrong.href } }));
    expect(outputs.slice(0, 6).map((o) => o.code)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(outputs.at(-1)!.stderr).toMatch(/password authentication failed/);
    for (const output of outputs) expect(`${output.stdout}\n${output.stderr}`).not.toContain(password);
    const files = (function walk(d: string): string[] {
      return readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
    })(dir);
    for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toContain(password);
    const tables = await sql<{ dump: string }>(
      `SELECT concat_ws(' ', (SELECT string_agg(entry::text, ' ') FROM ${schema}.journal_entries), (SELECT string_agg(plan, ' ') FROM ${schema}.kept_plans),
         (SELECT string_agg(row_to_json(l)::text, ' ') FROM ${schema}.locks l), (SELECT string_agg(row_to_json(a)::text, ' ') FROM ${schema}.accounts a)) AS dump`,
    );
    expect(tables[0]!.dump.length).toBeGreaterThan(100);
    expect(tables[0]!.dump).not.toContain(password);
  }, 60_000);
  it('the GitOps loop across fresh runners: the pull request runner keeps the plan in the database; two apply runners after the merge write once', async () => {
    const github = await startGitHub();
    const schema = freshSchema();
    const docs = depots('loop', 3);
    const runners = [checkout(schema, docs), checkout(schema, docs), checkout(schema, docs)];
    try {
      const ghEnv = (dir: string, event: object) => {
        const file = join(dir, 'event.json');
        writeFileSync(file, JSON.stringify(event));
        return { ...runnerEnv(schema), GITHUB_TOKEN: TOKENS.write, GITHUB_REPOSITORY: github.repo, GITHUB_API_URL: github.url, GITHUB_EVENT_PATH: file };
      };
      const pr = github.pull('c'.repeat(40));
      const [planner, applierA, applierB] = runners as [string, string, string];
      await planInto(planner, schema);
      const commented = await runCli(['github', 'comment', '--plan', 'plan.json'], {
        cwd: planner,
        env: ghEnv(planner, { pull_request: { number: pr.number, head: { sha: pr.pull!.headSha } } }),
      });
      expect(commented.code, commented.stderr).toBe(0);
      expect(await sql(`SELECT count(*)::int AS n FROM ${schema}.kept_plans`)).toEqual([{ n: 1 }]);
      github.merge(pr.number, 'd'.repeat(40));
      const before = lastSeq();
      const [a, b] = await Promise.all([applierA, applierB].map((dir) => runCli(['github', 'apply'], { cwd: dir, env: ghEnv(dir, { after: 'd'.repeat(40) }) })));
      expect([a!.code, b!.code]).toContain(0);
      for (const r of [a!, b!]) if (r.code !== 0) expect(r.stderr).toMatch(/lock|already/i);
      expect(createsSince(before)).toEqual({ 'sites.create': 3, 'customers.create': 0 });
      expect(duplicates()).toEqual([]);
    } finally {
      await github.close();
      for (const dir of runners) rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
