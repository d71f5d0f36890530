/**
 * The apply engine against sandboxes on loopback: stale plans, the lock, failures and their dependents,
 * commit-then-drop on writes, and resuming after a create that was committed but never journalled done.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan, applyExitCode } from '../../src/apply/index.js';
import { acquireLock, openJournal } from '../../src/state/index.js';
import { sitesApi } from '../../src/trackunit/endpoints/index.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { fixture, type Fixture } from './helpers.js';
import { apiWrites } from '../support/api-writes.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

const writes = (s: SandboxHandle) => s.requestLog.count((e) => e.write);

/** Every identity the example repository creates exists exactly once in the store. */
function expectNoDuplicates(s: SandboxHandle): void {
  const count = (values: Array<string | null | undefined>) => {
    const seen = new Map<string, number>();
    for (const v of values) if (v) seen.set(v, (seen.get(v) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1);
  };
  expect(count([...s.store.sites.values()].map((x) => x.externalReference))).toEqual([]);
  expect(count([...s.store.customers.values()].map((x) => x.externalReference))).toEqual([]);
  expect(count([...s.store.definitions.values()].map((x) => `${x.entityType}/${x.key}`))).toEqual([]);
  expect(count([...s.store.contacts.values()].map((x) => `${x.customerId}/${x.name}`))).toEqual([]);
}

describe('apply engine', () => {
  it('refuses a stale plan with exit 4, naming the object and field, and writes nothing', async () => {
    f = await fixture();
    const { plan } = await f.plan();
    const change = plan.changes.find((c) => c.key.startsWith('update:Asset/'))!;
    f.sandbox.store.assets.get(change.liveId!)!.externalReference = 'CHANGED-BY-HAND';
    const error = await applyPlan({ client: f.client, plan, config: f.config, manifests: f.manifests, stateDir: f.stateDir }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'stale_plan', exitCode: 4 });
    expect((error as Error).message).toContain(`${change.kind}/${change.id} (update): changed in Trackunit since the plan: /externalReference`);
    expect(writes(f.sandbox)).toBe(0);
  });

  it('a second apply fails fast naming the holder; an expired lease is taken over', async () => {
    f = await fixture();
    const held = await acquireLock(f.stateDir, { owner: 'ops@ci-runner-7' });
    const error = await f.apply().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'locked' });
    expect((error as Error).message).toContain('ops@ci-runner-7');
    await held.release();
    await acquireLock(f.stateDir, { owner: 'crashed@old', leaseMs: 1, now: () => Date.now() - 60_000 });
    const report = await f.apply();
    expect(report.outcomes.every((o) => o.status === 'applied')).toBe(true);
  });

  it('a failing change skips its dependents, the rest is applied, exit 5', async () => {
    f = await fixture();
    f.sandbox.setFaults('sites.create:500=1', 1);
    const report = await f.apply();
    const by = (key: string) => report.outcomes.find((o) => o.key === key)!;
    expect(by('create:Depot/aarhus').status).toBe('failed');
    expect(by('create:Customer/CUST-1001').status).toBe('applied');
    const skipped = report.outcomes.filter((o) => o.status === 'skipped');
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((o) => o.reason?.startsWith('depends on'))).toBe(true);
    expect(applyExitCode(report)).toBe(5);
    expect(report.convergence.ok).toBe(true);
  });

  it('commit-then-drop on 30% of writes: converged, no duplicates', async () => {
    f = await fixture();
    f.sandbox.setFaults('writes:commit-drop=0.3', 7);
    const report = await f.apply();
    expect(report.outcomes.filter((o) => o.status !== 'applied')).toEqual([]);
    expect(f.sandbox.requestLog.count((e) => e.fault === 'commit-drop')).toBeGreaterThan(10);
    f.sandbox.setFaults([]);
    expect((await f.plan()).plan.changes).toEqual([]);
    expectNoDuplicates(f.sandbox);
  });

  it('resume after a create committed but never journalled done: looked up, not sent again', async () => {
    f = await fixture();
    const { plan } = await f.plan();
    const depot = plan.changes.find((c) => c.key === 'create:Depot/aarhus')!;
    const journal = openJournal(f.stateDir, plan);
    journal.intent(depot.key, 0, { method: 'POST', path: depot.requests[0]!.path });
    await apiWrites(f.client).sites.create(depot.requests[0]!.body as never); // the server commits; the process "dies"
    journal.close();
    await expect(applyPlan({ client: f.client, plan, config: f.config, manifests: f.manifests, stateDir: f.stateDir })).rejects.toMatchObject({ code: 'journal_unfinished' });
    const report = await applyPlan({ client: f.client, plan, config: f.config, manifests: f.manifests, stateDir: f.stateDir, resume: true });
    expect(report.outcomes.filter((o) => o.status === 'failed')).toEqual([]);
    expect(report.convergence.ok).toBe(true);
    expect(f.sandbox.requestLog.count((e) => e.route === 'sites.create')).toBe(3);
    expectNoDuplicates(f.sandbox);
    expect((await f.plan()).plan.changes).toEqual([]);
  });

  it('an object tug wrote changed in Trackunit during the apply: not converged (exit 1), cause "applied"', async () => {
    f = await fixture();
    const { plan } = await f.plan();
    let edited = false;
    const report = await f.apply({
      plan,
      onProgress: () => {
        // Someone edits a depot tug just created, in Trackunit Manager, while the apply runs.
        const created = [...f!.sandbox.store.sites.values()].find((s) => s.externalReference === 'tug:depot/odense');
        if (created && !edited) created.description = 'Edited in Manager';
        edited ||= created !== undefined;
      },
    });
    expect(edited).toBe(true);
    expect(report.convergence.ok).toBe(false);
    expect(applyExitCode(report)).toBe(1);
    expect(report.convergence.remaining).toEqual([{ kind: 'Depot', id: 'odense', op: 'update', fields: ['/description'], cause: 'applied' }]);
  });

  it('an object outside the plan changed in Trackunit during the apply: not converged, cause "outside"', async () => {
    f = await fixture();
    expect((await f.apply()).convergence.ok).toBe(true);
    const site = [...f.sandbox.store.sites.values()].find((s) => s.externalReference === 'tug:depot/odense')!;
    site.name = 'Odense (renamed by hand)';
    const { plan } = await f.plan();
    expect(plan.changes.map((c) => c.key)).toEqual(['update:Depot/odense']);
    const customer = [...f.sandbox.store.customers.values()].find((c) => c.externalReference === 'CUST-1002')!;
    const report = await f.apply({ plan, onProgress: () => void (customer.email = 'changed@during.apply') });
    expect(report.outcomes.map((o) => [o.key, o.status])).toEqual([['update:Depot/odense', 'applied']]);
    expect(report.convergence).toEqual({ ok: false, checked: true, pending: 0, remaining: [{ kind: 'Customer', id: 'CUST-1002', op: 'update', fields: ['/email'], cause: 'outside' }] });
    expect(applyExitCode(report)).toBe(1);
  });
});
