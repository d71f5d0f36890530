/**
 * Acceptance (issue 6), the convergence property: for a random desired state AND a random starting
 * account, plan → apply → plan again is empty, without errors, every change applied, the apply's own
 * convergence check passing.
 *
 * Both sides come from the shared generator in test/support/desired-model.ts. The starting account is a second random model, seeded
 * into the demo account by seedFromDesired, and then made reachable — a state apply can bring to the
 * desired one, since the documented refusals are plan errors, not apply bugs:
 *   - a definition key means the same type, entity type and currency on both sides, and the live options
 *     are a prefix of the desired ones (removing an option needs `replacements`);
 *   - a contract both sides name is bound to the desired customer (the Rental API cannot move it).
 * Everything else varies freely: depots and customers created, updated, deleted (prune) or left alone;
 * marked or unmarked customers; contacts added, changed, removed; values set, changed, cleared; items
 * created, changed, moved to another asset, or left behind (reported as warnings: the Rental API cannot
 * remove them); contracts on the live side that no manifest names. While applying, some routes are
 * slowed (1–25 ms, so concurrent changes reach the API in any order); in half the runs 10 % of writes
 * are committed and their response dropped, and in half 5 % are dropped before anything is written
 * (creates are then looked up, and sent again only when not found). No identity may exist twice, and
 * each customer whose manifest lists contacts holds exactly those contacts (the same multiset).
 *
 * One sandbox for the file, its store reset to the demo seed per run; a fresh state directory (lock,
 * journal) per run. Runs: APPLY_PROPERTY_RUNS (default 100). Replay a counterexample:
 *   APPLY_PROPERTY_SEED=<seed> APPLY_PROPERTY_PATH=<path> npx vitest run test/apply/property.test.ts
 */
import { LocalStateStore } from '../../src/state/local-store.js';
import { accountOf } from '../../src/trackunit/account.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyExitCode, applyPlan } from '../../src/apply/index.js';
import { defaultProjectConfig, type ProjectConfig } from '../../src/config/load.js';
import type { ManifestSet } from '../../src/manifests/index.js';
import { normalizeContact, sortContacts } from '../../src/kinds/customer/normalize.js';
import { toDesiredState } from '../../src/plan/desired.js';
import { runPlan } from '../../src/plan/run-plan.js';
import { startSandbox, Store, type SandboxHandle } from '../../src/sandbox/index.js';
import type { TrackunitClient } from '../../src/trackunit/client.js';
import { DEMO, build, modelArb, resetStore, toManifestSet, type Doc, type Model } from '../support/desired-model.js';
import { seedFromDesired } from '../support/seed-from-desired.js';
import { sandboxClient } from '../trackunit/helpers.js';

const NUM_RUNS = Number(process.env.APPLY_PROPERTY_RUNS ?? 100);
const REPLAY = process.env.APPLY_PROPERTY_SEED
  ? { seed: Number(process.env.APPLY_PROPERTY_SEED), ...(process.env.APPLY_PROPERTY_PATH ? { path: process.env.APPLY_PROPERTY_PATH } : {}) }
  : {};

// ---- the starting account: a second model, made reachable --------------------------------------------

/** Live definition i shares desired definition i's key (same type) when `same[i]`; then entity type, currency and a prefix of the options follow. */
function reachableModel(desired: Model, live: Model, same: boolean[]): Model {
  const defs = live.defs.map((l, i) => {
    const d = desired.defs[i];
    if (!d || (!same[i] && d.type !== l.type)) return l;
    const options = d.options.slice(0, Math.min(d.options.length, l.options.length));
    return { ...l, type: d.type, entityType: d.entityType, currency: d.currency, options };
  });
  return { ...live, defs };
}

/** Live contracts the manifests also name are bound to the desired customer (a sync creates it when missing). */
function rebind(liveDocs: Doc[], desiredDocs: Doc[]): Doc[] {
  const customerOf = new Map(desiredDocs.filter((d) => d.kind === 'Contract').map((d) => [d.externalReference, d.customer]));
  return liveDocs.map((d) => (d.kind === 'Contract' && customerOf.has(d.externalReference) ? { ...d, customer: customerOf.get(d.externalReference) } : d));
}

/** Routes that get extra latency in a run, so concurrent changes finish in varying order. */
const SLOW_ROUTES = ['custom-fields.definitions.create', 'custom-fields.definitions.update', 'custom-fields.values.set', 'sites', 'customers', 'assets', 'rental'];
const latencyArb = fc.uniqueArray(fc.record({ match: fc.constantFrom(...SLOW_ROUTES), latencyMs: fc.integer({ min: 1, max: 25 }) }), { selector: (r) => r.match, maxLength: 3 });
const scenarioArb = fc.record({
  desired: modelArb, live: modelArb, sameKeys: fc.array(fc.boolean(), { maxLength: 6 }), marked: fc.boolean(), latency: latencyArb, commitDrop: fc.constantFrom(0, 0.1), drop: fc.constantFrom(0, 0.05),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

// ---- the property ------------------------------------------------------------------------------------

let sandbox: SandboxHandle;
let client: TrackunitClient;
let baseDir: string;


beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, store: Store.fromSnapshot(structuredClone(DEMO)) });
  client = sandboxClient(sandbox);
  baseDir = await mkdtemp(join(tmpdir(), 'tug-apply-property-'));
});
afterAll(async () => {
  await client?.close();
  await sandbox?.close();
  await rm(baseDir, { recursive: true, force: true });
});

/** Desired manifests validated; the account reset and seeded with the reachable live model. */
function prepare(s: Scenario): ManifestSet {
  const desiredDocs = build(s.desired);
  const manifests = toManifestSet(desiredDocs, s.desired.block);
  expect(manifests.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`)).toEqual([]);
  const live = toManifestSet(rebind(build(reachableModel(s.desired, s.live, s.sameKeys)), desiredDocs), s.live.block);
  // A rebound contract may name a customer the live model has no manifest for: the seeding sync creates it.
  expect(live.diagnostics.filter((d) => !/^customer ".*" is not defined/.test(d.message)).map((d) => d.message)).toEqual([]);
  resetStore(sandbox.store);
  seedFromDesired(sandbox.store, toDesiredState(live.documents), { markCustomers: s.marked });
  return manifests;
}

/** Identities that exist more than once in the account (a create sent twice). */
function duplicated(store: Store): string[] {
  const refs = [
    ...[...store.sites.values()].map((x) => `site ${x.externalReference ?? x.id}`),
    ...[...store.customers.values()].map((x) => `customer ${x.externalReference ?? x.id}`),
    ...[...store.definitions.values()].map((x) => `definition ${x.key}`),
  ];
  return refs.filter((r, i) => refs.indexOf(r) !== i);
}

/**
 * Contacts have no identity of their own, and one customer may hold two identical ones: each customer
 * whose manifest lists contacts must hold exactly that multiset (a create sent twice is one too many).
 */
function contactsDiffering(store: Store, desiredDocs: Doc[]): string[] {
  const canon = (list: Array<Parameters<typeof normalizeContact>[0]>) => sortContacts(list.map(normalizeContact)).map((c) => JSON.stringify(c));
  return desiredDocs
    .filter((d) => d.kind === 'Customer' && Array.isArray(d.contacts))
    .flatMap((d) => {
      const customer = [...store.customers.values()].find((c) => c.externalReference === d.externalReference);
      const live = customer ? [...store.contacts.values()].filter((c) => c.customerId === customer.id) : [];
      const want = canon(d.contacts as Array<Parameters<typeof normalizeContact>[0]>);
      const have = canon(live);
      return JSON.stringify(want) === JSON.stringify(have) ? [] : [`${String(d.externalReference)}: want ${want.join(' ')}; have ${have.join(' ')}`];
    });
}

/** What a run of 100 or more is expected to have exercised at least once. */
const COVERAGE = ['create', 'update', 'delete'].flatMap((op) => ['Depot', 'Customer'].map((kind) => `${op} ${kind}`)).concat(
  ['create CustomFieldDefinition', 'update CustomFieldDefinition', 'update Asset', 'sync Asset', 'create Contract'],
);

const errorsOf = (problems: Array<{ severity: string; kind: string; id: string; message: string }>) =>
  problems.filter((p) => p.severity === 'error').map((p) => `${p.kind}/${p.id}: ${p.message}`);

describe('apply from a random account to a random desired state', () => {
  it(`then plan is empty (${NUM_RUNS} generated pairs)`, async () => {
    const applied = new Map<string, number>();
    const warnings = new Map<string, number>();
    let runs = 0;
    let runsWithChanges = 0;
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const manifests = prepare(s);
        const stateDir = await mkdtemp(join(baseDir, 'run-'));
        // The random starting account's contracts and assets often use the depots and customers the
        // desired state prunes: deleting those is a plan error unless allowed, and here it is allowed
        // (the refusal itself is tested in test/core, test/golden and test/plan).
        const config: ProjectConfig = {
          ...defaultProjectConfig(stateDir), stateDir, concurrency: 4, prune: { kinds: s.desired.prune, allowDanglingReferences: ['Depot/*', 'Customer/*'] },
          safety: { maxDeletes: {}, maxUpdates: {}, guardEmptyDesiredState: false },
        };
        const plan = () => runPlan({ client, config, manifests, isoStateDir: baseDir, inventory: new LocalStateStore(stateDir).account(accountOf(client.config)).kv });
        const { plan: first } = await plan();
        expect(errorsOf(first.problems)).toEqual([]);
        sandbox.setFaults([...s.latency, { match: 'writes', commitDrop: s.commitDrop, drop: s.drop }]);
        const report = await applyPlan({ client, plan: first, config, manifests, stateDir, isoStateDir: baseDir }).finally(() => sandbox.setFaults([]));
        expect(report.outcomes.filter((o) => o.status !== 'applied')).toEqual([]);
        expect(report.convergence).toEqual({ ok: true, checked: true, remaining: [], pending: 0 });
        expect(applyExitCode(report)).toBe(0);
        const { plan: after } = await plan();
        expect(after.changes.map((c) => ({ key: c.key, patch: c.patch }))).toEqual([]);
        expect(errorsOf(after.problems)).toEqual([]);
        expect(duplicated(sandbox.store)).toEqual([]);
        expect(contactsDiffering(sandbox.store, build(s.desired))).toEqual([]);
        runs += 1;
        if (first.changes.length > 0) runsWithChanges += 1;
        for (const c of first.changes) applied.set(`${c.op} ${c.kind}`, (applied.get(`${c.op} ${c.kind}`) ?? 0) + 1);
        for (const p of after.problems) {
          const gist = p.message.replace(/item \S+/, 'item …').slice(0, 60);
          warnings.set(gist, (warnings.get(gist) ?? 0) + 1);
        }
      }),
      { numRuns: NUM_RUNS, ...REPLAY },
    );
    const table = [...applied].sort().map(([k, n]) => `${k} ${n}`).join(', ');
    console.log(`[apply property] ${runs} runs in ${Math.round(performance.now() - started)} ms, ${runsWithChanges} with changes; applied: ${table}`);
    console.log(`[apply property] problems left after apply (warnings): ${JSON.stringify(Object.fromEntries(warnings))}`);
    console.log(`[apply property] faults injected while applying: ${JSON.stringify(sandbox.faults.injected)}`);
    if (NUM_RUNS >= 100 && process.env.APPLY_PROPERTY_SEED === undefined) expect(COVERAGE.filter((k) => !applied.has(k))).toEqual([]);
  }, 300_000);
});

describe('counterexamples kept as tests', () => {
  /**
   * Regression (found probing contacts): two contacts with one name in a customer ("Ops desk" for the day
   * and the night shift) were matched by name only, so every plan after apply PATCHed both titles and the
   * convergence check failed. Identical contacts are now paired first, then the rest by name.
   */
  it('two contacts that differ only in title converge', async () => {
    resetStore(sandbox.store);
    const desk = { name: 'Ops desk', email: 'ops@example.dk', phoneNumber: '+4570102030' };
    const manifests = toManifestSet([{ kind: 'Customer', externalReference: 'CUST-9', name: 'Nine', contacts: [{ ...desk, title: 'Day' }, { ...desk, title: 'Night' }] }], false);
    const stateDir = await mkdtemp(join(baseDir, 'contacts-'));
    const config = { ...defaultProjectConfig(stateDir), stateDir };
    const { plan } = await runPlan({ client, config, manifests, isoStateDir: baseDir });
    const report = await applyPlan({ client, plan, config, manifests, stateDir, isoStateDir: baseDir });
    expect([...sandbox.store.contacts.values()].map((x) => x.title).sort()).toEqual(['Day', 'Night']);
    expect(report.convergence.remaining).toEqual([]);
    expect((await runPlan({ client, config, manifests, isoStateDir: baseDir })).plan.changes).toEqual([]);
  });
});
