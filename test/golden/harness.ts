/**
 * The golden-scenario runner: one scenario folder → a fresh demo sandbox on a fake clock, the live state
 * seeded from `live/` (independently of the planners) and edited by `setup.ts`, the manifests planned
 * through runPlan exactly as `tug plan` does, and the plan rendered as JSON and markdown.
 *
 * Everything that reaches the plan is deterministic: sandbox ids follow the seed and creation order,
 * timestamps come from the fake clock (shared with the client, so token expiry agrees), and file names
 * in `reason` / `location` are relative to the scenario folder.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadProjectConfig, type ProjectConfig } from '../../src/config/load.js';
import type { Plan } from '../../src/core/plan.js';
import { loadManifestSet, type ManifestSet } from '../../src/manifests/index.js';
import { toDesiredState } from '../../src/plan/desired.js';
import { runPlan } from '../../src/plan/run-plan.js';
import { renderPlanJson } from '../../src/render/plan-json.js';
import { renderPlanMarkdown } from '../../src/render/plan-markdown.js';
import { FakeClock, type SandboxHandle, type Store } from '../../src/sandbox/index.js';
import type { SchedulerClock } from '../../src/trackunit/rate-scheduler.js';
import { start } from '../sandbox/helpers.js';
import { seedFromDesired } from '../support/seed-from-desired.js';
import { sandboxClient } from '../trackunit/helpers.js';

/** "Now" of every scenario: the Friday before the demo's December reservations. */
export const GOLDEN_NOW = '2026-11-27T12:00:00.000Z';

/** A SchedulerClock on the sandbox's FakeClock: the client's sleeps move the shared virtual time. */
export function schedulerClockOn(clock: FakeClock): SchedulerClock {
  return {
    now: () => clock.now(),
    sleep: async (ms) => {
      clock.advance(ms);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

export interface ScenarioResult {
  plan: Plan;
  json: string;
  markdown: string;
  /** renderPlanJson of a second plan of the same inputs (must equal `json`). */
  second: string;
}

function describeDiagnostics(set: ManifestSet): string[] {
  return set.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.severity} ${d.message}`);
}

/** live/*.yaml → the sandbox store, with customer markers when tug.yaml prunes Customer. */
async function seedLive(dir: string, config: ProjectConfig, store: Store): Promise<string[]> {
  if (!existsSync(join(dir, 'live'))) return [];
  const live = await loadManifestSet(config, dir, ['live']);
  seedFromDesired(store, toDesiredState(live.documents), { markCustomers: config.prune.kinds.includes('Customer') });
  return describeDiagnostics(live);
}

/** setup.ts: live edits manifests cannot express (hand-made objects, unknown enum values). */
async function runSetup(dir: string, store: Store): Promise<void> {
  const file = join(dir, 'setup.ts');
  if (!existsSync(file)) return;
  const module = (await import(pathToFileURL(file).href)) as { default: (store: Store) => void };
  module.default(store);
  store.changed();
}

async function planOnce(sandbox: SandboxHandle, clock: FakeClock, config: ProjectConfig, manifests: ManifestSet): Promise<Plan> {
  // tug.yaml's rate limits (else the defaults), as `tug plan` would use them: they shape the budget.
  const client = sandboxClient(sandbox, { limits: config.rateLimits }, { clock: schedulerClockOn(clock) });
  try {
    return (await runPlan({ client, config, manifests, now: () => clock.now() })).plan;
  } finally {
    await client.close();
  }
}

/**
 * Plan one scenario folder against a fresh sandbox; the plan is made twice to prove it deterministic.
 * Throws when manifests/ or live/ have any diagnostic: a scenario plans valid manifests only.
 */
export async function runScenario(dir: string): Promise<ScenarioResult> {
  const clock = new FakeClock(GOLDEN_NOW);
  const sandbox = await start({ clock });
  const stateDir = await mkdtemp(join(tmpdir(), 'tug-golden-'));
  try {
    const config = { ...(await loadProjectConfig({ cwd: dir, required: true })), stateDir };
    const diagnostics = await seedLive(dir, config, sandbox.store);
    await runSetup(dir, sandbox.store);
    const manifests = await loadManifestSet(config, dir);
    diagnostics.push(...describeDiagnostics(manifests));
    if (diagnostics.length > 0) throw new Error(`the scenario's manifests must validate cleanly:\n  ${diagnostics.join('\n  ')}`);
    const plan = await planOnce(sandbox, clock, config, manifests);
    const second = renderPlanJson(await planOnce(sandbox, clock, config, manifests));
    return { plan, json: renderPlanJson(plan), markdown: renderPlanMarkdown(plan), second };
  } finally {
    await sandbox.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}
