/**
 * runPlan: the I/O around the pure buildPlan (STYLE.md habit 1) — validated manifests → DesiredState,
 * the live account → LiveState (with `pin:` identifiers resolved through the ISO snapshot, read at the
 * same time as the lists), then buildPlan with tug.yaml's prune, safety and protection settings.
 * Read-only: a plan never writes to Trackunit.
 */
import type { ProjectConfig } from '../config/load.js';
import { buildPlan, withReads } from '../core/build-plan.js';
import type { RefreshMode } from '../core/inventory.js';
import type { Change, Plan } from '../core/plan.js';
import type { DesiredState, LiveState } from '../core/state.js';
import type { Refs } from '../kinds/refs.js';
import type { KvStore } from '../state/store.js';
import { accountOf } from '../trackunit/account.js';
import type { ApiFamily } from '../trackunit/config.js';
import { loadInventory, saveInventory } from './inventory-store.js';
import { ManifestError } from '../errors.js';
import type { PinsResult } from '../kinds/asset/pins.js';
import { REGISTRY } from '../kinds/registry.js';
import type { ManifestSet } from '../manifests/index.js';
import { LocalStateStore } from '../state/local-store.js';
import type { TrackunitClient } from '../trackunit/client.js';
import type { MetricsSnapshot } from '../trackunit/metrics.js';
import { toDesiredState } from './desired.js';
import { metricsDelta, readLiveState, readsOfChanges, type LiveRead } from './read-live.js';
import type { ApplyReads } from '../core/budget.js';
import { sourceFiles } from './source.js';
import { targetCandidates, unmatchedTargets, type UnmatchedTarget } from './targets.js';
import type { IsoStateSource } from '../sources/iso15143/ledger.js';

export interface RunPlanInput {
  client: TrackunitClient;
  config: ProjectConfig;
  manifests: ManifestSet;
  /** `Kind/identity` patterns (`--target`): plan only these and what they depend on. */
  targets?: string[];
  /** The run's clock: duration, and the ISO cache's 15-minute rule. Default Date.now. */
  now?: () => number;
  /** Per-object reads queued per API family (see readLiveState); default from the client's limits. */
  readConcurrency?: number;
  /** The state store the ISO snapshot cache lives in; default the local state directory `isoStateDir`. */
  state?: IsoStateSource;
  /** With no `state`: the directory of a local one; default the project's state directory. */
  isoStateDir?: string;
  /**
   * The account's key/value area holding the inventory of per-object reads (src/core/inventory.ts), read
   * before and written after the plan. Absent: every per-object read is made live and nothing is kept.
   */
  inventory?: KvStore;
  /** `auto` (default): re-read what is new, changed, needed or due; `full`: everything; `none`: no re-check by age. */
  refresh?: RefreshMode;
  /** Changes whose per-object reads are made live whatever the inventory holds (apply: the saved plan's). */
  mustRead?: readonly Change[];
  /** Return the live state the plan compared (`tug drift` classifies what the plan leaves out with it). */
  keepLive?: boolean;
}

export interface RunPlanResult {
  plan: Plan;
  /** Requests this plan made, per API family (token requests counted separately). */
  liveRequests: MetricsSnapshot;
  durationMs: number;
  /** The ISO snapshot read for `pin:` identifiers; absent when no manifest uses one. */
  iso?: PinsResult['snapshot'];
  /** Things the user should know that do not change the plan (e.g. telematics unavailable, a discarded inventory). */
  warnings?: string[];
  /**
   * `targets` that name no manifest, no live object and no change (absent when all name something).
   * The caller decides: `tug plan` refuses them; apply's re-plan, whose targeted deletes are gone, does not.
   */
  unmatchedTargets?: UnmatchedTarget[];
  /** The live state compared (with `keepLive`). */
  live?: LiveState;
}

/** A plan of a manifest set with errors would plan the wrong thing: refuse, and point at validate. */
function refuseInvalid(manifests: ManifestSet): void {
  const errors = manifests.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors === 0) return;
  throw new ManifestError('invalid_manifests', `the manifests have ${errors} error${errors === 1 ? '' : 's'}; no plan was made`, {
    hint: 'Run `tug validate` to see each one with its file:line:col, fix them, then plan again.',
    meta: { errors },
  });
}

export async function runPlan(input: RunPlanInput): Promise<RunPlanResult> {
  const { client, config } = input;
  const now = input.now ?? Date.now;
  const started = now();
  refuseInvalid(input.manifests);
  const desired = toDesiredState(input.manifests.documents);
  const before = client.metricsSnapshot();
  const account = accountOf(client.config).key;
  const loaded = input.inventory ? await loadInventory(input.inventory, account, INVENTORY_KINDS) : undefined;
  const targets = input.targets && input.targets.length > 0 ? input.targets : undefined;
  const read = await readLiveState(client, desired, {
    prune: config.prune.kinds,
    state: input.state ?? new LocalStateStore(input.isoStateDir ?? config.stateDir),
    now,
    ...(input.readConcurrency ? { concurrency: input.readConcurrency } : {}),
    ...(loaded ? { inventory: loaded.inventory, refresh: input.refresh ?? 'auto', maxAgeMs: config.refresh.maxAgeMs } : {}),
    ...(loaded?.discarded ? { discarded: loaded.discarded } : {}),
    ...(targets ? { targets } : {}),
  });
  const { plan: planned, touched } = await planFromLiveReads(read, () => planOf(input, desired, read.live, read.refs, targets), input.mustRead);
  const plan = withReads(planned, client.config.limits, applyReads(read, planned.changes, touched), read.freshness());
  const warnings = [...(loaded?.discarded ? [loaded.discarded] : []), ...read.warnings];
  if (input.inventory) {
    const saved = await saveInventory(input.inventory, account, INVENTORY_KINDS, read.inventoryAfter({ recordPlan: (input.refresh ?? 'auto') === 'auto' && !targets && !input.mustRead }));
    if (saved) warnings.push(saved);
  }
  const { live } = read;
  const unmatched = input.targets?.length ? unmatchedTargets(input.targets, [...targetCandidates(desired, live), ...plan.changes]) : [];
  return {
    plan,
    ...(unmatched.length > 0 ? { unmatchedTargets: unmatched } : {}),
    liveRequests: metricsDelta(before, client.metricsSnapshot()),
    durationMs: now() - started,
    ...(live.pinSource ? { iso: live.pinSource } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(input.keepLive ? { live } : {}),
  };
}

/**
 * The inventory is never the truth of a change: reads live what the plan's changes (and `mustRead`, apply's
 * saved plan) were planned from, and plans again, until none of it came from the inventory. Each round
 * makes at least one more read live, so this ends. `touched`: the live ids whose reads the changes need.
 */
async function planFromLiveReads(read: LiveRead, build: () => Plan, mustRead: readonly Change[] = []): Promise<{ plan: Plan; touched: Set<string> }> {
  const needed = (changes: readonly Change[]) => readsOfChanges([...mustRead, ...changes], read.live);
  // The saved plan's objects first: one plan less on the way.
  if (mustRead.length > 0) while (await read.readAlso(needed([]))) continue;
  let plan = build();
  while (await read.readAlso(needed(plan.changes))) plan = build();
  return { plan, touched: needed(plan.changes) };
}

/**
 * What apply's checks will read (src/core/budget.ts): the lists and the per-object reads of what the plan
 * changes, each time; in the convergence check also those of the objects the plan creates — one per API
 * family a create writes to after its first request (values, contacts), and what the kinds name
 * (createdReads: a sync's new contracts).
 */
function applyReads(read: LiveRead, changes: readonly Change[], touched: ReadonlySet<string>): ApplyReads {
  const add = (into: Partial<Record<ApiFamily, number>>, family: string, n = 1) => (into[family as ApiFamily] = (into[family as ApiFamily] ?? 0) + n);
  const stale: Partial<Record<ApiFamily, number>> = { ...read.listRequests };
  for (const [family, n] of Object.entries(read.countReads(touched))) add(stale, family, n ?? 0);
  const created = new Set<string>();
  for (const change of changes) {
    if (change.op === 'create') for (const r of change.requests.slice(1)) created.add(`${r.family}:${change.key}`);
    for (const kind of REGISTRY.kinds) for (const key of kind.createdReads?.(change, read.live) ?? []) created.add(key);
  }
  const convergence = { ...stale };
  for (const key of created) add(convergence, key.slice(0, key.indexOf(':')));
  const compared = Object.values(read.freshness().kinds).reduce((n, k) => n + k.reads, 0);
  return { stale, convergence, compared };
}

/** The kinds whose per-object reads the inventory keeps. */
export const INVENTORY_KINDS = REGISTRY.kinds.filter((k) => k.detailReads).map((k) => k.name as string);

function planOf(input: RunPlanInput, desired: DesiredState, live: LiveState, refs: Refs, targets: string[] | undefined): Plan {
  const { client, config } = input;
  return buildPlan(
    {
      desired,
      live,
      options: {
        prune: config.prune.kinds,
        allowDanglingReferences: config.prune.allowDanglingReferences,
        policy: { ...config.safety, protect: config.protect },
        limits: client.config.limits,
        sources: sourceFiles(config, input.manifests),
        ...(targets ? { targets } : {}),
      },
    },
    REGISTRY,
    refs,
  );
}
