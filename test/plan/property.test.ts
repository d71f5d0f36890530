/**
 * Property: for any valid desired state, an account seeded with exactly that state plans NO change and
 * no error, and two plans of the same inputs are byte-identical.
 *
 * Desired states are generated valid by construction (definitions of every common type, depots,
 * customers, Asset manifests over the demo seed's owned assets, contracts whose items never overlap on
 * an asset, dates as plain dates and as date-times in several zones), written out as YAML (flow or
 * block style) and validated like any manifest file. The live side is written straight into the store
 * by seedFromDesired — never by the planners — and planned through one real sandbox on loopback, whose
 * store contents are reset per run. Run ids are deterministic, so a counterexample replays exactly.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProjectConfig, type ProjectConfig } from '../../src/config/load.js';
import type { ManifestSet } from '../../src/manifests/index.js';
import { toDesiredState } from '../../src/plan/desired.js';
import { runPlan } from '../../src/plan/run-plan.js';
import { renderPlanJson } from '../../src/render/plan-json.js';
import { startSandbox, Store, type SandboxHandle } from '../../src/sandbox/index.js';
import type { TrackunitClient } from '../../src/trackunit/client.js';
import { DEMO, build, modelArb, resetStore, toManifestSet, type Model } from '../support/desired-model.js';
import { seedFromDesired } from '../support/seed-from-desired.js';
import { sandboxClient } from '../trackunit/helpers.js';

const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
/** Replay a reported counterexample: PROPERTY_SEED=<seed> PROPERTY_PATH=<path> npx vitest run test/plan/property.test.ts */
const REPLAY = process.env.PROPERTY_SEED
  ? { seed: Number(process.env.PROPERTY_SEED), ...(process.env.PROPERTY_PATH ? { path: process.env.PROPERTY_PATH } : {}) }
  : {};

// ---- the property ------------------------------------------------------------------------------------

let sandbox: SandboxHandle;
let client: TrackunitClient;
let stateDir: string;


beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, store: Store.fromSnapshot(structuredClone(DEMO)) });
  client = sandboxClient(sandbox);
  stateDir = await mkdtemp(join(tmpdir(), 'tug-property-'));
});
afterAll(async () => {
  await client?.close();
  await sandbox?.close();
  await rm(stateDir, { recursive: true, force: true });
});

async function planOf(config: ProjectConfig, manifests: ManifestSet): Promise<string> {
  return renderPlanJson((await runPlan({ client, config, manifests })).plan);
}

/** Manifests of the model, validated, and the sandbox account reset to exactly that state. */
function prepare(model: Model): { manifests: ManifestSet; config: ProjectConfig } {
  const manifests = toManifestSet(build(model), model.block);
  expect(manifests.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`)).toEqual([]);
  resetStore(sandbox.store);
  seedFromDesired(sandbox.store, toDesiredState(manifests.documents), { markCustomers: model.prune.includes('Customer') });
  return { manifests, config: { ...defaultProjectConfig(stateDir), stateDir, prune: { kinds: model.prune, allowDanglingReferences: [] } } };
}

type PlanJson = { changes: Array<{ key: string; patch: unknown }>; problems: Array<{ severity: string; message: string }> };

describe('plan of an account seeded with exactly the desired state', () => {
  it(`is empty, error-free and byte-identical when repeated (${NUM_RUNS} generated desired states)`, async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, async (model) => {
        const { manifests, config } = prepare(model);
        const first = await planOf(config, manifests);
        const plan = JSON.parse(first) as PlanJson;
        expect(plan.changes.map((c) => ({ key: c.key, patch: c.patch }))).toEqual([]);
        expect(plan.problems.filter((p) => p.severity === 'error')).toEqual([]);
        prepare(model); // the same account rebuilt from scratch (same ids): the same bytes
        expect(await planOf(config, manifests)).toBe(first);
      }),
      { numRuns: NUM_RUNS, ...REPLAY },
    );
  }, 120_000);

  it('is not vacuous: one live difference in such an account is planned', async () => {
    const withDepot = modelArb.filter((m) => m.depots.length > 0);
    await fc.assert(
      fc.asyncProperty(withDepot, async (model) => {
        const { manifests, config } = prepare(model);
        const site = [...sandbox.store.sites.values()].find((x) => x.externalReference === 'tug:depot/depot-0')!;
        site.name = `${site.name} (renamed by hand)`;
        const plan = JSON.parse(await planOf(config, manifests)) as PlanJson;
        expect(plan.changes.map((c) => c.key)).toEqual(['update:Depot/depot-0']);
      }),
      { numRuns: 10 },
    );
  });
});
