/**
 * buildPlan: desired state + live state + policy → Plan. Pure: no network, no filesystem, no clock.
 * The registry's kinds find the changes (the plan command composes the registry: src/kinds/registry.ts);
 * this function orders them, applies --target, runs the registry's guards over the result (e.g. deletes
 * live rental data still uses), checks the safety policy, computes the request budget and fingerprints
 * the result, so identical inputs give a byte-identical plan.
 */
import { computeBudget, type ApplyReads } from './budget.js';
import { canonicalize, digest } from './canonical.js';
import { orderChanges } from './order.js';
import { PLAN_FORMAT_VERSION, type Change, type Op, type Plan, type PlanProblem, type PlanSource, type UnmanagedObject } from './plan.js';
import { sealOf, type UnsealedPlan } from './plan-digest.js';
import type { KindEnv, KindName, KindRegistry } from './kind.js';
import type { ApiFamily, FamilyLimit } from './api.js';
import type { Freshness } from './inventory.js';
import type { KindPlan, PlanInput } from './planner.js';
import { checkSafety } from './safety.js';
import { targetMatcher } from './targets.js';
import { desiredOfKind } from './state.js';
import { compareText } from './canonical.js';

/** Keep the targeted changes and, transitively, the changes they depend on. */
function applyTargets(changes: Change[], targets: string[] | undefined): Change[] {
  if (!targets || targets.length === 0) return changes;
  const patterns = targets.map(targetMatcher);
  const byKey = new Map(changes.map((c) => [c.key, c]));
  const keep = new Set<string>();
  const visit = (change: Change) => {
    if (keep.has(change.key)) return;
    keep.add(change.key);
    for (const dep of change.dependsOn) {
      const target = byKey.get(dep);
      if (target) visit(target);
    }
  };
  for (const change of changes) if (patterns.some((matches) => matches(change.kind, change.id))) visit(change);
  return changes.filter((c) => keep.has(c.key));
}

function summarize(kinds: readonly KindName[], changes: Change[]): Plan['summary'] {
  const summary = Object.fromEntries(kinds.map((k) => [k, {}])) as Plan['summary'];
  for (const c of changes) summary[c.kind][c.op as Op] = (summary[c.kind][c.op as Op] ?? 0) + 1;
  return summary;
}

function merge(parts: KindPlan[]): KindPlan {
  const managed: Partial<Record<KindName, number>> = {};
  for (const part of parts) for (const [k, n] of Object.entries(part.managed) as Array<[KindName, number]>) managed[k] = (managed[k] ?? 0) + n;
  return {
    changes: parts.flatMap((p) => p.changes),
    problems: parts.flatMap((p) => p.problems),
    unmanaged: parts.flatMap((p) => p.unmanaged),
    managed,
    protectedIdentities: parts.flatMap((p) => p.protectedIdentities),
  };
}

const byProblem = (a: PlanProblem, b: PlanProblem) => compareText(a.kind, b.kind) || compareText(a.id, b.id) || compareText(a.message, b.message);
const byUnmanaged = (a: UnmanagedObject, b: UnmanagedObject) => compareText(a.kind, b.kind) || compareText(a.label, b.label) || compareText(a.liveId, b.liveId);

/**
 * `context`: the registry's per-plan context when the caller has built it already (the plan's reads use
 * the same one); otherwise it is built here.
 */
export function buildPlan<E extends KindEnv>(input: PlanInput, registry: KindRegistry<E>, context?: E['ctx']): Plan {
  const ctx = context ?? registry.context(input.desired, input.live);
  const names = registry.kinds.map((k) => k.name);
  const parts = merge(registry.kinds.map((kind) => kind.plan(input, ctx)));
  // Planners may name a change that turned out not to be needed (e.g. a definition update): drop those.
  const keys = new Set(parts.changes.map((c) => c.key));
  for (const change of parts.changes) change.dependsOn = change.dependsOn.filter((k) => keys.has(k));
  // After --target: e.g. a sync the targeted plan leaves out moves no reference off a delete.
  let changes = orderChanges(applyTargets(parts.changes, input.options.targets));
  const guardProblems: PlanProblem[] = [];
  for (const guard of registry.guards) {
    const guarded = guard(changes, input);
    changes = guarded.changes;
    guardProblems.push(...guarded.problems);
  }
  const desiredCounts = Object.fromEntries(names.map((k) => [k, desiredOfKind(input.desired, k).length]));
  const breaches = checkSafety(input.options.policy, {
    changes,
    managedCounts: parts.managed,
    desiredCounts,
    protectedIdentities: new Set(parts.protectedIdentities),
  });
  const body = {
    formatVersion: PLAN_FORMAT_VERSION,
    source: planSource(input),
    changes,
    unmanaged: [...parts.unmanaged].sort(byUnmanaged),
    problems: [...parts.problems, ...guardProblems].sort(byProblem),
    safety: { ok: breaches.length === 0, breaches },
    budget: computeBudget(changes, input.options.limits),
    summary: summarize(names, changes),
  };
  // Round-trip through canonical JSON: the plan object is exactly what its file will hold.
  // The file opens with what a reader (and apply) checks first: format version, digest, fingerprint.
  const canonical = canonicalize(body) as unknown as UnsealedPlan;
  const { formatVersion, ...rest } = canonical;
  return { formatVersion, ...sealOf(canonical), ...rest };
}

/**
 * The plan completed with what only its reads know: apply's own reads in the budget (per check: the
 * lists and the per-object reads of what the plan changes) and the freshness of what it compared. Sealed again.
 */
export function withReads(plan: Plan, limits: Record<ApiFamily, FamilyLimit>, reads: ApplyReads, freshness: Freshness): Plan {
  const { formatVersion, digest: _d, fingerprint: _f, ...rest } = plan;
  const body = canonicalize({ ...rest, formatVersion, budget: computeBudget(plan.changes, limits, reads), freshness }) as unknown as UnsealedPlan;
  const { formatVersion: version, ...members } = body;
  return { formatVersion: version, ...sealOf(body), ...members };
}

/** The files the plan was made from (sorted by path) and its targets. */
function planSource(input: PlanInput): PlanSource {
  const files = [...(input.options.sources ?? [])].sort((a, b) => compareText(a.path, b.path));
  return { digest: digest(files), files, targets: [...(input.options.targets ?? [])] };
}
