/**
 * Apply test fixture: the example repository planned against a fresh demo sandbox on loopback, with a
 * temporary state directory (lock + journal) per test.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan, type ApplyInput } from '../../src/apply/index.js';
import { LocalStateStore } from '../../src/state/local-store.js';
import { accountOf } from '../../src/trackunit/account.js';
import { loadProjectConfig, type ProjectConfig } from '../../src/config/load.js';
import { loadManifestSet, type ManifestSet } from '../../src/manifests/index.js';
import { runPlan } from '../../src/plan/run-plan.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import type { TrackunitClient } from '../../src/trackunit/client.js';
import { start } from '../sandbox/helpers.js';
import { sandboxClient } from '../trackunit/helpers.js';

export const EXAMPLES = join(import.meta.dirname, '../../examples');

export interface Fixture {
  sandbox: SandboxHandle;
  client: TrackunitClient;
  config: ProjectConfig;
  manifests: ManifestSet;
  stateDir: string;
  plan(): ReturnType<typeof runPlan>;
  apply(extra?: Partial<ApplyInput>): ReturnType<typeof applyPlan>;
  close(): Promise<void>;
}

export async function fixture(): Promise<Fixture> {
  const sandbox = await start();
  const client = sandboxClient(sandbox, { retry: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 20 } });
  const stateDir = mkdtempSync(join(tmpdir(), 'tug-apply-'));
  const config = { ...(await loadProjectConfig({ cwd: EXAMPLES })), stateDir, concurrency: 4 };
  const manifests = await loadManifestSet(config, EXAMPLES);
  // With the inventory, as `tug plan` runs: the apply suites test apply exactly as safe with it on.
  const plan = () => runPlan({ client, config, manifests, isoStateDir: stateDir, inventory: new LocalStateStore(stateDir).account(accountOf(client.config)).kv });
  return {
    sandbox,
    client,
    config,
    manifests,
    stateDir,
    plan,
    apply: async (extra = {}) => applyPlan({ client, plan: extra.plan ?? (await plan()).plan, config, manifests, stateDir, ...extra }),
    close: async () => {
      await client.close();
      await sandbox.close();
    },
  };
}

/** Creates per identity in the request log: route name → how often each was sent and answered 2xx or dropped after commit. */
export function writesTo(sandbox: SandboxHandle, route: string): number {
  return sandbox.requestLog.count((e) => e.route === route);
}
