/**
 * The round trip of adoption (issue 15), as a property: for a random live account, `tug export` →
 * the exported files validate with 0 errors → a plan of them (with Depot and, half the time, Customer
 * prune on) has no change but adoptions and no error → apply → the next plan is empty.
 *
 * The account is a random model from the shared generator (every kind: definitions of every common type,
 * dropdown multi-values, monetary values, unicode and YAML-hostile text, polygons; contracts with items),
 * seeded straight into the sandbox store, then made into an account nobody manages yet: depot bindings
 * stripped (some sites keep another externalReference, one is renamed to its neighbour's name so derived
 * keys collide), customer markers removed, and objects manifests cannot express added — a customer
 * without an externalReference, one with an empty name, a depot with a 255-character name, a non-DEPOT
 * site, an item whose asset Trackunit has not matched. Those must be in the report, never dropped silently.
 *
 * Runs: EXPORT_PROPERTY_RUNS (default 40). Replay: EXPORT_PROPERTY_SEED=<seed> EXPORT_PROPERTY_PATH=<path>.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/index.js';
import { defaultProjectConfig, type ProjectConfig } from '../../src/config/load.js';
import { layoutFiles, writeExport } from '../../src/export/files.js';
import { runExport } from '../../src/export/run-export.js';
import type { KindName } from '../../src/core/kind.js';
import { CUSTOMER_MARKER_KEY } from '../../src/kinds/ownership.js';
import { loadManifestSet } from '../../src/manifests/index.js';
import { toDesiredState } from '../../src/plan/desired.js';
import { runPlan } from '../../src/plan/run-plan.js';
import { startSandbox, Store, type SandboxHandle } from '../../src/sandbox/index.js';
import { LocalStateStore } from '../../src/state/local-store.js';
import { accountOf } from '../../src/trackunit/account.js';
import type { TrackunitClient } from '../../src/trackunit/client.js';
import { DEMO, build, modelArb, resetStore, toManifestSet, type Model } from '../support/desired-model.js';
import { seedFromDesired } from '../support/seed-from-desired.js';
import { sandboxClient } from '../trackunit/helpers.js';

const NUM_RUNS = Number(process.env.EXPORT_PROPERTY_RUNS ?? 40);
const REPLAY = process.env.EXPORT_PROPERTY_SEED
  ? { seed: Number(process.env.EXPORT_PROPERTY_SEED), ...(process.env.EXPORT_PROPERTY_PATH ? { path: process.env.EXPORT_PROPERTY_PATH } : {}) }
  : {};

let sandbox: SandboxHandle;
let client: TrackunitClient;
let baseDir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, store: Store.fromSnapshot(structuredClone(DEMO)) });
  client = sandboxClient(sandbox);
  baseDir = await mkdtemp(join(tmpdir(), 'tug-export-property-'));
});
afterAll(async () => {
  await client?.close();
  await sandbox?.close();
  await rm(baseDir, { recursive: true, force: true });
});

const STAMP = '2026-01-01T00:00:00.000Z';

/** The seeded account as nobody manages it yet, plus objects no manifest can express (their live ids). */
function unmanage(store: Store, twist: { keepReference: boolean; sameName: boolean }): { inexpressible: string[] } {
  const depots = [...store.sites.values()].filter((s) => s.type === 'DEPOT');
  depots.forEach((site, i) => (site.externalReference = twist.keepReference && i % 2 === 0 ? `ERP-DEPOT-${i}` : null));
  if (twist.sameName && depots.length > 1) depots[1]!.name = depots[0]!.name;
  for (const [id, value] of store.values) {
    const def = store.definitions.get(value.definitionId);
    if (def?.key === CUSTOMER_MARKER_KEY) store.values.delete(id);
  }
  const site = (name: string, type: 'DEPOT' | 'CONSTRUCTION_SITE') => {
    const id = store.newId();
    store.sites.set(id, {
      id,
      name,
      type,
      description: null,
      externalReference: null,
      startDate: null,
      endDate: null,
      address: { streetAddress: 'Havnegade 1', zipCode: '7100', city: 'Vejle', country: 'DK' },
      area: null,
      archived: false,
      createdAt: STAMP,
      updatedAt: STAMP,
    });
    return id;
  };
  site(`Ø${'x'.repeat(253)}ø`, 'DEPOT'); // 255 characters: expressible
  site('Harbour job', 'CONSTRUCTION_SITE'); // not a depot: not exported, not reported
  const customer = (name: string, externalReference: string | null) => {
    const id = store.newId();
    store.customers.set(id, { id, name, type: 'OTHER', externalReference, address: null, phoneNumber: null, email: null, website: null, createdAt: STAMP, updatedAt: STAMP });
    return id;
  };
  const walkIn = customer('Walk-in', null);
  const unnamed = customer('', 'CUST-EMPTY-NAME');
  return { inexpressible: [walkIn, unnamed] };
}

interface Run {
  model: Model;
  prune: KindName[];
  keepReference: boolean;
  sameName: boolean;
}

const runArb = fc
  .record({ model: modelArb, customerPrune: fc.boolean(), keepReference: fc.boolean(), sameName: fc.boolean() })
  .map((r): Run => ({ model: r.model, prune: r.customerPrune ? ['Depot', 'Customer'] : ['Depot'], keepReference: r.keepReference, sameName: r.sameName }));

async function roundTrip(run: Run, n: number): Promise<void> {
  resetStore(sandbox.store);
  const seeded = toManifestSet(build(run.model), run.model.block);
  seedFromDesired(sandbox.store, toDesiredState(seeded.documents), { markCustomers: run.prune.includes('Customer') });
  const { inexpressible } = unmanage(sandbox.store, run);
  const dir = join(baseDir, `run-${n}`);
  const config: ProjectConfig = { ...defaultProjectConfig(dir), stateDir: join(dir, 'state'), prune: { kinds: run.prune, allowDanglingReferences: [] } };

  const exported = await runExport({ client, prune: run.prune });
  for (const id of inexpressible)
    expect(
      exported.skipped.map((s) => s.liveId),
      'reported',
    ).toContain(id);
  expect(exported.objects.map((o) => o.liveId)).not.toEqual(expect.arrayContaining(inexpressible));
  // Nothing dropped silently: every value, contact and matched item of an exported object is in its manifest.
  const exportedIds = new Set(exported.objects.map((o) => o.liveId));
  const store0 = sandbox.store;
  const liveValues = [...store0.values.values()].filter((v) => {
    const [member, inner] = Object.entries(v.value ?? {})[0] ?? [];
    const empty = inner === null || inner === undefined || (member === 'stringArrayValue' && Array.isArray(inner) && inner.length === 0);
    return exportedIds.has(v.entityId) && store0.definitions.get(v.definitionId)?.key !== CUSTOMER_MARKER_KEY && !empty;
  }).length;
  const count = (field: string) =>
    exported.objects.reduce(
      (n, o) => n + (Array.isArray(o.manifest[field]) ? (o.manifest[field] as unknown[]).length : Object.keys((o.manifest[field] as object | undefined) ?? {}).length),
      0,
    );
  expect(count('customFields')).toBe(liveValues);
  expect(count('contacts')).toBe([...store0.contacts.values()].filter((c) => exportedIds.has(c.customerId)).length);
  expect(count('items')).toBe([...store0.contractItems.values()].filter((i) => exportedIds.has(i.contractId) && i.assetId !== null).length);
  const header = { irisUrl: 'http://sandbox', account: 'property', at: STAMP };
  await writeExport(join(dir, 'manifests'), layoutFiles(exported.objects, n % 2 === 0 ? 'kind' : 'depot'), header, { force: false });

  const manifests = await loadManifestSet(config, dir);
  expect(manifests.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line} ${d.message}`)).toEqual([]);
  expect(manifests.documents.length).toBe(exported.objects.length);

  const store = new LocalStateStore(config.stateDir);
  const inventory = store.account(accountOf(client.config)).kv;
  const first = (await runPlan({ client, config, manifests, inventory })).plan;
  expect(first.problems.filter((p) => p.severity === 'error')).toEqual([]);
  expect(first.changes.filter((c) => c.op !== 'adopt').map((c) => `${c.key} ${JSON.stringify(c.patch)}`)).toEqual([]);
  const unbound = [...sandbox.store.sites.values()].filter((s) => s.type === 'DEPOT' && !s.externalReference?.startsWith('tug:depot/')).length;
  expect(first.changes.filter((c) => c.kind === 'Depot').length).toBe(unbound);
  for (const change of first.changes)
    expect(change.patch.map((p) => p.path).every((path) => path === '/externalReference' || path.startsWith('/customFields/tugManaged'))).toBe(true);

  const report = await applyPlan({ client, plan: first, config, manifests, state: store });
  expect(report.outcomes.filter((o) => o.status !== 'applied')).toEqual([]);
  expect(report.convergence.ok).toBe(true);
  const after = (await runPlan({ client, config, manifests, inventory })).plan;
  expect(after.changes.map((c) => c.key)).toEqual([]);
  // Adopted depots no longer carry adopt: a second export of the adopted account has no adopt field.
  const again = await runExport({ client, prune: run.prune });
  expect(again.objects.filter((o) => o.manifest.adopt !== undefined)).toEqual([]);
  await store.close();
}

describe('tug export of a random account', () => {
  it(`round-trips: validates clean, plans only adoptions, applies, then plans empty (${NUM_RUNS} accounts)`, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(runArb, async (run) => roundTrip(run, (n += 1))),
      { numRuns: NUM_RUNS, ...REPLAY },
    );
  }, 300_000);
});
