/**
 * The safety policy, in the core: thresholds per kind for deletes and updates (share of the kind's
 * managed live objects, and absolute), protected objects, and the empty-desired-state guard. A breach
 * never hides the plan: the plan is rendered in full and the command exits 3.
 */
import type { KindName, Threshold, ThresholdMap } from '../config/project.js';
import type { Change, SafetyBreach } from './plan.js';

export interface SafetyPolicy {
  maxDeletes: ThresholdMap;
  maxUpdates: ThresholdMap;
  guardEmptyDesiredState: boolean;
  /** `Kind/identity` patterns with `*` wildcards. */
  protect: string[];
}

/** Deletes beyond 30 % of a kind's managed objects breach by default (when it has at least 10). */
export const DEFAULT_MAX_DELETES: Threshold = { percent: 30 };
/** Percentages only apply from this many managed objects on (a 1-of-2 delete is not alarming). */
export const MIN_OBJECTS_FOR_PERCENT = 10;

export interface SafetyInput {
  changes: Change[];
  /** Managed live objects per kind (the base of percentages). */
  managedCounts: Partial<Record<KindName, number>>;
  /** Desired objects per kind. */
  desiredCounts: Partial<Record<KindName, number>>;
  /** Identities (`Kind/identity`) marked protected in the account's ledger or manifests. */
  protectedIdentities: Set<string>;
}

function patternToRegex(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
}

export function isProtected(policy: SafetyPolicy, subject: string, ledgerProtected: Set<string>): boolean {
  return ledgerProtected.has(subject) || policy.protect.some((p) => patternToRegex(p).test(subject));
}

function exceeds(threshold: Threshold | undefined, count: number, base: number): string | undefined {
  if (!threshold || count === 0) return undefined;
  if (threshold.count !== undefined && count > threshold.count) return `${count} > ${threshold.count}`;
  if (threshold.percent !== undefined && base >= MIN_OBJECTS_FOR_PERCENT && (count / base) * 100 > threshold.percent) {
    return `${count} of ${base} (${Math.round((count / base) * 100)} %) > ${threshold.percent} %`;
  }
  return undefined;
}

export function checkSafety(policy: SafetyPolicy, input: SafetyInput): SafetyBreach[] {
  const breaches: SafetyBreach[] = [];
  const kinds = [...new Set(input.changes.map((c) => c.kind))].sort();
  for (const kind of kinds) {
    const deletes = input.changes.filter((c) => c.kind === kind && c.op === 'delete');
    // Objects updated, not changes: an asset with an update and a sync counts once.
    const updateChanges = input.changes.filter((c) => c.kind === kind && (c.op === 'update' || c.op === 'sync'));
    const updates = [...new Map(updateChanges.map((c) => [c.id, c])).values()];
    const base = input.managedCounts[kind] ?? 0;
    const del = exceeds(policy.maxDeletes[kind] ?? policy.maxDeletes.default ?? DEFAULT_MAX_DELETES, deletes.length, base);
    if (del) breaches.push({ rule: 'max-deletes', kind, message: `too many ${kind} deletes: ${del}`, changes: deletes.map((c) => c.key) });
    const upd = exceeds(policy.maxUpdates[kind] ?? policy.maxUpdates.default, updates.length, base);
    if (upd) breaches.push({ rule: 'max-updates', kind, message: `too many ${kind} updates: ${upd}`, changes: updateChanges.map((c) => c.key) });
    const guarded = deletes.filter((c) => isProtected(policy, `${kind}/${c.id}`, input.protectedIdentities));
    for (const c of guarded) breaches.push({ rule: 'protected', kind, message: `${kind}/${c.id} is protected and cannot be deleted`, changes: [c.key] });
    if (policy.guardEmptyDesiredState && deletes.length > 0 && (input.desiredCounts[kind] ?? 0) === 0 && deletes.length >= base) {
      breaches.push({
        rule: 'empty-desired-state',
        kind,
        message: `the manifests define no ${kind} at all, so every managed ${kind} (${deletes.length}) would be deleted — a missing manifests glob?`,
        changes: deletes.map((c) => c.key),
      });
    }
  }
  return breaches;
}
