/**
 * Drift, classified (`tug drift`). A full plan says what differs; drift says which way it moved:
 *
 *   1 live-changed   a managed field changed in Trackunit: the manifests are what tug last applied, the
 *                    account is not (apply reverts it)
 *   2 git-ahead      manifests changed and not applied yet: new, edited or removed manifests, adoptions
 *   3 deleted        an object tug last applied was deleted in Trackunit (apply would create it again)
 *   4 unmanaged      an object in a prune scope that tug does not manage (tug.yaml prune.kinds): outside
 *                    git, and a prune candidate the day it is adopted without a manifest
 *   5 irreversible   changed in Trackunit in a way tug cannot revert (an item the Rental API cannot remove,
 *                    a contract moved to another customer)
 *
 * Telling 1 from 2 takes a record of what was last applied: after every apply, the fingerprint of each
 * manifest the account then agreed with (`agreedObjects`, kept beside the inventory). A change all of
 * whose manifests are unchanged since is live drift; any other is git ahead — including every change of
 * an object tug never applied. Pure.
 */
import type { Change, Op, Plan } from './plan.js';

export type DriftClass = 1 | 2 | 3 | 4 | 5;

export const DRIFT_CLASSES: Record<DriftClass, { name: string; title: string }> = {
  1: { name: 'live-changed', title: 'changed in Trackunit (live drifted from git)' },
  2: { name: 'git-ahead', title: 'manifests not applied yet (git ahead of live)' },
  3: { name: 'deleted', title: 'deleted in Trackunit' },
  4: { name: 'unmanaged', title: 'not managed by tug, inside a prune scope' },
  5: { name: 'irreversible', title: 'changed in Trackunit in a way tug cannot revert' },
};

export interface DriftItem {
  class: DriftClass;
  kind: string;
  id: string;
  liveId?: string;
  /** The plan's change (classes 1–3). */
  op?: Op;
  /** JSON pointers of the fields that differ (classes 1–2). */
  fields?: string[];
  message: string;
}

/** `Kind/identity` → fingerprint of its manifest. */
export type ManifestPrints = ReadonlyMap<string, string>;

/**
 * The manifests the account agrees with after an apply: every desired object (`current`) that the
 * convergence plan neither changes nor reports an error for. `sourcesOf` names the manifests a change
 * was planned from.
 */
export function agreedObjects(plan: Pick<Plan, 'changes' | 'problems'>, current: ManifestPrints, sourcesOf: (change: Change) => string[]): Map<string, string> {
  const open = new Set<string>();
  for (const change of plan.changes) for (const source of sourcesOf(change)) open.add(source);
  for (const problem of plan.problems) if (problem.severity === 'error') open.add(`${problem.kind}/${problem.id}`);
  return new Map([...current].filter(([key]) => !open.has(key)));
}

/** Classes 1–3 of a full plan's changes. */
export function classifyChanges(changes: readonly Change[], current: ManifestPrints, applied: ManifestPrints, sourcesOf: (change: Change) => string[]): DriftItem[] {
  return changes.map((change) => {
    const base = { kind: change.kind, id: change.id, op: change.op, ...(change.liveId ? { liveId: change.liveId } : {}) };
    const fields = [...new Set(change.patch.map((p) => p.path))].sort();
    const key = `${change.kind}/${change.id}`;
    if (change.op === 'create' && applied.has(key)) {
      return { ...base, class: 3, message: `tug applied it and it is gone from Trackunit; apply would create it again` };
    }
    if (change.op === 'update' || change.op === 'sync') {
      const sources = sourcesOf(change).filter((s) => current.has(s));
      const unchanged = sources.length > 0 && sources.every((s) => applied.get(s) === current.get(s));
      if (unchanged) return { ...base, class: 1, fields, message: `changed in Trackunit since tug last applied ${sources.join(', ')}` };
    }
    const why =
      change.op === 'delete'
        ? 'no manifest describes it any more; apply would delete it'
        : change.op === 'adopt'
          ? 'a manifest adopts it; apply would bring it under tug'
          : change.op === 'create'
            ? 'a manifest describes it and it does not exist yet'
            : 'the manifests changed since tug last applied them (or tug never applied them)';
    return { ...base, class: 2, ...(fields.length > 0 && change.op !== 'create' ? { fields } : {}), message: why };
  });
}

/** Counts per class and kind. */
export function driftCounts(items: readonly DriftItem[]): Record<DriftClass, Record<string, number>> {
  const counts = { 1: {}, 2: {}, 3: {}, 4: {}, 5: {} } as Record<DriftClass, Record<string, number>>;
  for (const item of items) counts[item.class][item.kind] = (counts[item.class][item.kind] ?? 0) + 1;
  return counts;
}
