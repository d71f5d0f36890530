/**
 * `tug drift`: a full, read-only comparison of the account with the manifests, every difference
 * classified (src/core/drift.ts). It plans with `refresh: full` — every per-object read live, nothing
 * taken from the inventory — and never writes to Trackunit; the inventory it refreshes and reads is only
 * the state store's cache, and the record of what was last applied is only read.
 */
import type { ProjectConfig } from '../config/load.js';
import { classifyChanges, driftCounts, type DriftClass, type DriftItem } from '../core/drift.js';
import type { Plan, PlanProblem } from '../core/plan.js';
import { REGISTRY, sourcesOfChange } from '../kinds/registry.js';
import type { ManifestSet } from '../manifests/index.js';
import { loadApplied, manifestPrints } from '../plan/applied-store.js';
import { toDesiredState } from '../plan/desired.js';
import { runPlan } from '../plan/run-plan.js';
import type { IsoStateSource } from '../sources/iso15143/ledger.js';
import type { KvStore } from '../state/store.js';
import { accountOf } from '../trackunit/account.js';
import type { TrackunitClient } from '../trackunit/client.js';

export interface DriftInput {
  client: TrackunitClient;
  config: ProjectConfig;
  manifests: ManifestSet;
  state?: IsoStateSource;
  /** The account's key/value area: the inventory and the record of what was last applied. */
  inventory?: KvStore;
  now?: () => number;
}

export interface DriftReport {
  /** Every difference, classes in order, then as the plan lists them. */
  items: DriftItem[];
  counts: Record<DriftClass, Record<string, number>>;
  /** Errors of the plan that are not drift (a manifest tug cannot plan): the comparison is incomplete. */
  errors: PlanProblem[];
  /** Whether a record of what was last applied existed (without one, nothing can be class 1 or 3). */
  applied: { objects: number; discarded?: string };
  plan: Pick<Plan, 'fingerprint' | 'summary'>;
  requests: number;
  durationMs: number;
  warnings: string[];
}

export async function runDrift(input: DriftInput): Promise<DriftReport> {
  const result = await runPlan({
    client: input.client,
    config: input.config,
    manifests: input.manifests,
    refresh: 'full',
    keepLive: true,
    ...(input.inventory ? { inventory: input.inventory } : {}),
    ...(input.state ? { state: input.state } : {}),
    ...(input.now ? { now: input.now } : {}),
  });
  const { plan } = result;
  const record = input.inventory ? await loadApplied(input.inventory, accountOf(input.client.config).key) : { applied: new Map<string, string>() };
  const current = manifestPrints(toDesiredState(input.manifests.documents));
  const items = classifyChanges(plan.changes, current, record.applied, sourcesOfChange);
  const prune = input.config.prune.kinds;
  for (const kind of REGISTRY.kinds) items.push(...(kind.driftOf?.(plan, result.live!, { prune }) ?? []));
  const classified = new Set(items.filter((i) => i.class === 5).map((i) => i.message));
  const errors = plan.problems.filter((p) => p.severity === 'error' && !classified.has(p.message));
  items.sort((a, b) => a.class - b.class);
  return {
    items,
    counts: driftCounts(items),
    errors,
    applied: { objects: record.applied.size, ...(record.discarded ? { discarded: record.discarded } : {}) },
    plan: { fingerprint: plan.fingerprint, summary: plan.summary },
    requests: result.liveRequests.totals.requests,
    durationMs: result.durationMs,
    warnings: [...(result.warnings ?? []), ...(record.discarded ? [record.discarded] : [])],
  };
}

/** Parses `--fail-on` (class numbers or names, comma-separated) into classes. */
export function parseFailOn(values: string[] | undefined): DriftClass[] | undefined {
  if (!values || values.length === 0) return undefined;
  const names: Record<string, DriftClass> = { 'live-changed': 1, 'git-ahead': 2, deleted: 3, unmanaged: 4, irreversible: 5 };
  const out = new Set<DriftClass>();
  for (const raw of values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '')) {
    const cls = /^[1-5]$/.test(raw) ? (Number(raw) as DriftClass) : names[raw];
    if (cls === undefined) return undefined;
    out.add(cls);
  }
  return [...out].sort();
}
