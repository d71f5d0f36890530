/**
 * The inventory of per-object reads against the sandbox, on a fake clock shared by the sandbox and the
 * client: list-visible drift is found by the very next plan (warm or cold), drift only a per-object read
 * shows is found within refresh.maxAge by hourly plans, a damaged or foreign inventory is discarded,
 * `--target` narrows the reads, and apply re-reads live what it writes (stale check, convergence) at
 * exactly the request count its plan predicted.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/index.js';
import { loadProjectConfig, type ProjectConfig } from '../../src/config/load.js';
import type { RefreshMode } from '../../src/core/inventory.js';
import type { Plan } from '../../src/core/plan.js';
import { loadManifestSet, type ManifestSet } from '../../src/manifests/index.js';
import { runPlan } from '../../src/plan/run-plan.js';
import { FakeClock } from '../../src/sandbox/clock.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { LocalStateStore } from '../../src/state/local-store.js';
import type { KvStore } from '../../src/state/store.js';
import { accountOf } from '../../src/trackunit/account.js';
import type { TrackunitClient } from '../../src/trackunit/client.js';
import { EXAMPLES, fixture } from '../apply/helpers.js';
import { schedulerClockOn } from '../golden/harness.js';
import { start } from '../sandbox/helpers.js';
import { sandboxClient } from '../trackunit/helpers.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-02T06:00:00.000Z');

interface World {
  clock: FakeClock;
  sandbox: SandboxHandle;
  client: TrackunitClient;
  config: ProjectConfig;
  manifests: ManifestSet;
  stateDir: string;
  kv: KvStore;
  plan(options?: { refresh?: RefreshMode; targets?: string[] }): ReturnType<typeof runPlan>;
  apply(plan: Plan, extra?: Parameters<typeof applyPlan>[0] extends infer A ? Partial<A> : never): ReturnType<typeof applyPlan>;
  requests(): number;
}

const worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) {
    await w.client.close();
    await w.sandbox.close();
    rmSync(w.stateDir, { recursive: true, force: true });
  }
});

/** The example repository applied to a fresh demo sandbox: every plan from here on is empty. */
async function convergedWorld(): Promise<World> {
  const clock = new FakeClock(T0);
  const sandbox = await start({ clock });
  const client = sandboxClient(sandbox, {}, { clock: schedulerClockOn(clock) });
  const stateDir = mkdtempSync(join(tmpdir(), 'tug-inventory-'));
  const config = { ...(await loadProjectConfig({ cwd: EXAMPLES })), stateDir };
  const manifests = await loadManifestSet(config, EXAMPLES);
  const kv = new LocalStateStore(stateDir).account(accountOf(client.config)).kv;
  const now = () => clock.now();
  const world: World = {
    clock,
    sandbox,
    client,
    config,
    manifests,
    stateDir,
    kv,
    plan: (options = {}) =>
      runPlan({
        client,
        config,
        manifests,
        now,
        isoStateDir: stateDir,
        inventory: kv,
        ...(options.refresh ? { refresh: options.refresh } : {}),
        ...(options.targets ? { targets: options.targets } : {}),
      }),
    apply: (plan, extra = {}) => applyPlan({ client, plan, config, manifests, stateDir, now, ...extra }),
    requests: () => client.metricsSnapshot().totals.requests,
  };
  worlds.push(world);
  const report = await world.apply((await world.plan()).plan);
  expect(report.convergence.ok).toBe(true);
  return world;
}

const perObject = (plan: Plan) => Object.values(plan.freshness?.kinds ?? {}).reduce((n, k) => n + k.reads, 0);
const perObjectLive = (plan: Plan) => Object.values(plan.freshness?.kinds ?? {}).reduce((n, k) => n + k.live, 0);

/** Out-of-band edits a user could make in Trackunit Manager, each visible in a list entry. */
const LIST_VISIBLE = {
  'Depot name': (s: SandboxHandle, i: number) =>
    pickOf(
      [...s.store.sites.values()].filter((x) => x.externalReference?.startsWith('tug:depot/')),
      i,
      (x) => (x.name = `${x.name} (renamed)`),
    ),
  'Customer name': (s: SandboxHandle, i: number) =>
    pickOf(
      [...s.store.customers.values()].filter((x) => x.externalReference),
      i,
      (x) => (x.name = `${x.name} Holding`),
    ),
  'definition title': (s: SandboxHandle, i: number) =>
    pickOf(
      [...s.store.definitions.values()].filter((x) => x.owner === 'ACCOUNT'),
      i,
      (x) => (x.title = `${x.title ?? ''} (edited)`),
    ),
  'asset rental status': (s: SandboxHandle, i: number) =>
    pickOf(
      [...s.store.assets.values()].filter((x) => x.rentalStatus),
      i,
      (x) => (x.rentalStatus = x.rentalStatus === 'ON_RENT' ? 'AVAILABLE' : 'ON_RENT'),
    ),
  'contract end date': (s: SandboxHandle, i: number) => pickOf([...s.store.contracts.values()], i, (x) => (x.endDate = '2031-01-01T00:00:00.000Z')),
} as const;

function pickOf<T>(items: T[], i: number, edit: (item: T) => unknown): void {
  expect(items.length).toBeGreaterThan(0);
  edit(items[i % items.length]!);
}

describe('inventory of per-object reads', () => {
  it('a warm no-change plan reads the lists and no per-object detail; a cold one reads them all', async () => {
    const w = await convergedWorld();
    w.clock.advance(60_000);
    const before = w.requests();
    const warm = (await w.plan()).plan;
    const warmRequests = w.requests() - before;
    expect(warm.changes).toEqual([]);
    expect(perObject(warm)).toBeGreaterThan(50);
    expect(perObjectLive(warm)).toBeLessThanOrEqual(1); // the rolling re-check: ceil(reads × 1 min / 24 h)
    rmSync(join(w.stateDir, 'kv'), { recursive: true, force: true });
    const coldBefore = w.requests();
    const cold = (await w.plan()).plan;
    expect(cold.changes).toEqual([]);
    expect(perObjectLive(cold)).toBe(perObject(cold));
    // How warm the inventory was is not part of what apply does: the same digest.
    expect(cold.digest).toBe(warm.digest);
    expect(cold.freshness).not.toEqual(warm.freshness);
    expect(w.requests() - coldBefore - (warmRequests - perObjectLive(warm))).toBe(perObject(cold));
  });

  it('finds an out-of-band change to a list-visible field with the very next plan, warm or cold (property over kinds)', async () => {
    const w = await convergedWorld();
    await w.plan(); // warm
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...(Object.keys(LIST_VISIBLE) as Array<keyof typeof LIST_VISIBLE>)), fc.nat(40), fc.boolean(), async (edit, index, cold) => {
        LIST_VISIBLE[edit](w.sandbox, index);
        if (cold) rmSync(join(w.stateDir, 'kv'), { recursive: true, force: true });
        w.clock.advance(60_000);
        const { plan } = await w.plan();
        expect(plan.changes.length, `${edit} #${index} (${cold ? 'cold' : 'warm'}) was not planned`).toBeGreaterThan(0);
        const report = await w.apply(plan);
        expect(report.convergence.ok).toBe(true);
        w.clock.advance(60_000);
        expect((await w.plan()).plan.changes).toEqual([]);
      }),
      { numRuns: 12, seed: 1402 },
    );
  });

  it('finds a change only a per-object read shows (item off-rent date, custom field value, contact) within maxAge of hourly plans', async () => {
    const w = await convergedWorld();
    w.clock.advance(HOUR);
    await w.plan(); // the inventory: every per-object read made live now
    const item = [...w.sandbox.store.contractItems.values()].find((i) => i.assetId !== null)!;
    const value = [...w.sandbox.store.values.values()].find((v) => v.entityType === 'ASSET' && v.value && 'stringValue' in v.value)!;
    const contact = [...w.sandbox.store.contacts.values()][0]!;
    item.offRentDate = '2030-12-31T00:00:00.000Z';
    value.value = { stringValue: 'Edited in Manager' };
    contact.email = 'edited.in.manager@example.com';
    const objects = { item: item.contractId, value: value.entityId, contact: contact.customerId };
    // The inventory really serves them: a plan that re-checks nothing by age does not see the edits ...
    w.clock.advance(60_000);
    expect((await w.plan({ refresh: 'none' })).plan.changes).toEqual([]);
    // ... and hourly plans find each within a day (maxAge 24 h), reading about 1/24 of the details each.
    const foundAt: Record<string, number> = {};
    const touches = (plan: Plan, liveId: string) => plan.changes.some((c) => c.liveId === liveId || JSON.stringify(c.requests).includes(liveId));
    const itemAsset = item.assetId!;
    for (let hour = 1; hour <= 24 && Object.keys(foundAt).length < 3; hour += 1) {
      w.clock.set(T0 + (hour + 1) * HOUR);
      const { plan } = await w.plan();
      expect(perObjectLive(plan)).toBeLessThanOrEqual(Math.ceil(perObject(plan) / 24) + 3);
      const seen = { item: touches(plan, itemAsset), value: touches(plan, objects.value), contact: touches(plan, objects.contact) };
      for (const [name, found] of Object.entries(seen)) if (found && foundAt[name] === undefined) foundAt[name] = hour;
      for (const [name, at] of Object.entries(foundAt)) expect((seen as Record<string, boolean>)[name], `${name} found at hour ${at} but not again at ${hour}`).toBe(true);
    }
    console.log(`[inventory] per-object drift found at hours ${JSON.stringify(foundAt)}`);
    expect(Object.keys(foundAt).sort()).toEqual(['contact', 'item', 'value']);
    for (const at of Object.values(foundAt)) expect(at).toBeLessThanOrEqual(24);
    // Not all in the first plan: the re-check is spread over the day.
    expect(Math.max(...Object.values(foundAt))).toBeGreaterThan(1);
  });

  it('discards a damaged or foreign-account inventory with a warning and reads everything', async () => {
    const w = await convergedWorld();
    await w.plan();
    const dir = join(w.stateDir, 'kv', accountOf(w.client.config).key, 'inventory');
    writeFileSync(join(dir, 'Contract.json'), '{"formatVersion":1,"account":"x", truncated');
    const damaged = await w.plan();
    expect(damaged.warnings?.join('\n')).toMatch(/the inventory was discarded \(it could not be read: .*JSON/);
    expect(damaged.plan.freshness?.discarded).toMatch(/discarded/);
    expect(perObjectLive(damaged.plan)).toBe(perObject(damaged.plan));
    // The plan wrote a good one again; now make it another account's.
    const meta = JSON.parse(String(await import('node:fs').then((fs) => fs.readFileSync(join(dir, 'meta.json'), 'utf8'))));
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ ...meta, account: 'iris.example.com-0123456789ab' }));
    const foreign = await w.plan();
    expect(foreign.warnings?.join('\n')).toMatch(/belongs to another Trackunit account/);
    expect(perObjectLive(foreign.plan)).toBe(perObject(foreign.plan));
    expect(foreign.plan.changes).toEqual([]);
  });

  it('an entry whose result is not what the read returns is read live again (no crash, no hidden drift)', async () => {
    const w = await convergedWorld();
    await w.plan();
    const file = join(w.stateDir, 'kv', accountOf(w.client.config).key, 'inventory', 'Contract.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { entries: Record<string, unknown[]> };
    const key = Object.keys(stored.entries).find((k) => k.includes('/contractItems/'))!;
    stored.entries[key]![3] = { not: 'a list' };
    writeFileSync(file, JSON.stringify(stored));
    w.clock.advance(60_000);
    const { plan } = await w.plan({ refresh: 'none' });
    expect(plan.changes).toEqual([]);
    expect(plan.freshness?.kinds.Contract?.live).toBe(1);
  });

  it('--target narrows the per-object reads as well as the plan', async () => {
    const w = await convergedWorld();
    const full = (await w.plan({ refresh: 'full' })).plan;
    rmSync(join(w.stateDir, 'kv'), { recursive: true, force: true });
    const before = w.requests();
    const targeted = (await w.plan({ targets: ['Customer/CUST-1001'] })).plan;
    const made = w.requests() - before;
    expect(targeted.changes).toEqual([]);
    expect(perObjectLive(targeted)).toBeLessThanOrEqual(2); // the customer's values and contacts
    expect(targeted.freshness?.kinds.Contract?.unread).toBe(full.freshness?.kinds.Contract?.reads);
    expect(made).toBeLessThan(perObject(full));
  });
});

describe('apply with a warm inventory', () => {
  it('re-reads live only what it writes, at exactly the requests its plan predicted, and converges', async () => {
    const w = await convergedWorld();
    await w.plan();
    const assets = [...w.sandbox.store.assets.values()].filter((a) => a.rentalStatus).slice(0, 3);
    for (const a of assets) a.rentalStatus = a.rentalStatus === 'ON_RENT' ? 'AVAILABLE' : 'ON_RENT';
    w.clock.advance(60_000);
    const cold = (await w.plan({ refresh: 'full' })).plan;
    const { plan } = await w.plan();
    expect(plan.changes.map((c) => c.liveId).sort()).toEqual(assets.map((a) => a.id).sort());
    const report = await w.apply(plan);
    expect(report.convergence.ok).toBe(true);
    expect(report.requests).toBe(plan.budget.totalRequests);
    // Two full re-plans would read every per-object detail twice.
    expect(report.requests).toBeLessThan(2 * perObject(cold));
    expect((await w.plan()).plan.changes).toEqual([]);
  });

  it('the example repository on a fresh account (creates, syncs, contract fields): apply makes exactly the requests its plan predicted', async () => {
    const f = await fixture();
    try {
      const { plan } = await f.plan();
      const before = f.client.metricsSnapshot().totals.requests;
      const report = await f.apply({ plan });
      expect(report.convergence.ok).toBe(true);
      expect(f.client.metricsSnapshot().totals.requests - before).toBe(plan.budget.totalRequests);
    } finally {
      await f.close();
    }
  });

  it('a new customer with `contacts: []` (its contacts are read once it exists): the prediction holds', async () => {
    const w = await convergedWorld();
    const manifests = await loadManifestSet(w.config, EXAMPLES);
    const extra = { kind: 'Customer', externalReference: 'CUST-NEW-1', name: 'New One', type: 'CONTRACTOR', contacts: [] };
    const withNew = { ...manifests, documents: [...manifests.documents, { ...manifests.documents.find((d) => d.manifest.kind === 'Customer')!, manifest: extra, identity: 'CUST-NEW-1', subject: 'Customer/CUST-NEW-1' }] } as ManifestSet;
    const { plan } = await runPlan({ client: w.client, config: w.config, manifests: withNew, now: () => w.clock.now(), isoStateDir: w.stateDir, inventory: w.kv });
    expect(plan.changes.map((c) => c.key)).toEqual(['create:Customer/CUST-NEW-1']);
    const before = w.requests();
    const report = await w.apply(plan, { manifests: withNew });
    expect(report.convergence.ok).toBe(true);
    expect(w.requests() - before).toBe(plan.budget.totalRequests);
  });

  it('refuses a plan whose object moved only in a per-object read since the review (stale, exit 4)', async () => {
    const w = await convergedWorld();
    await w.plan();
    const asset = [...w.sandbox.store.assets.values()].find((a) => a.rentalStatus && [...w.sandbox.store.contractItems.values()].some((i) => i.assetId === a.id))!;
    asset.rentalStatus = asset.rentalStatus === 'ON_RENT' ? 'AVAILABLE' : 'ON_RENT';
    const { plan } = await w.plan();
    expect(plan.changes.map((c) => c.liveId)).toEqual([asset.id]);
    // After the review, someone moves the off-rent date of an item on that asset: only its contract's items show it.
    [...w.sandbox.store.contractItems.values()].find((i) => i.assetId === asset.id)!.offRentDate = '2030-06-30T00:00:00.000Z';
    const writes = w.sandbox.requestLog.count((e) => e.write);
    await expect(w.apply(plan)).rejects.toMatchObject({ code: 'stale_plan', exitCode: 4 });
    expect(w.sandbox.requestLog.count((e) => e.write)).toBe(writes);
  });

  it('stays correct when the inventory is deleted mid-run', async () => {
    const w = await convergedWorld();
    await w.plan();
    const assets = [...w.sandbox.store.assets.values()].filter((a) => a.rentalStatus).slice(0, 6);
    for (const a of assets) a.rentalStatus = a.rentalStatus === 'ON_RENT' ? 'AVAILABLE' : 'ON_RENT';
    const { plan } = await w.plan();
    expect(plan.changes.length).toBe(6);
    let deleted = 0;
    const report = await w.apply(plan, {
      concurrency: 1,
      onProgress: () => {
        deleted += 1;
        rmSync(join(w.stateDir, 'kv'), { recursive: true, force: true });
      },
    });
    expect(deleted).toBeGreaterThan(0);
    expect(report.convergence.ok).toBe(true);
    expect(report.outcomes.filter((o) => o.status === 'applied')).toHaveLength(6);
    rmSync(join(w.stateDir, 'kv'), { recursive: true, force: true });
    expect((await w.plan({ refresh: 'full' })).plan.changes).toEqual([]);
  });
});
