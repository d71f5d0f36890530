/**
 * The safety policy, in the core: thresholds per kind for deletes and updates (share of the kind's
 * managed live objects, and absolute; deletes have built-in limits under tug.yaml's), protected
 * objects, and the empty-desired-state guard. A breach never hides the plan: the plan is rendered in
 * full and the command exits 3.
 */
import type { KindName } from './manifest.js';
import type { Change, SafetyBreach } from './plan.js';

/** A safety threshold: a change set larger than either limit is a breach (exit 3). */
export interface Threshold {
  /** Share of the kind's managed live objects, 0–100. */
  percent?: number;
  /** Absolute number of objects. */
  count?: number;
}

/**
 * Thresholds per kind. Field by field, a kind's entry wins over `default`, which wins over the built-in
 * limits (deletes only: DEFAULT_MAX_DELETES in src/core/safety.ts), so writing one field never drops another.
 */
export type ThresholdMap = Partial<Record<KindName | 'default', Threshold>>;

export interface SafetyPolicy {
  maxDeletes: ThresholdMap;
  maxUpdates: ThresholdMap;
  guardEmptyDesiredState: boolean;
  /** `Kind/identity` patterns with `*` wildcards. */
  protect: string[];
}

/**
 * Built-in delete limits, per kind, under whatever tug.yaml says. The percentage alone left small
 * accounts bare (it only applies from MIN_OBJECTS_FOR_PERCENT objects on, so 8 of 9 depots went with
 * exit 0); the count is an absolute floor of caution for every size. 5 is a routine prune's worth — a
 * closed depot, a few customers merged in the ERP — and well short of a manifest file gone missing,
 * which is where mass deletes come from. A planned bigger clean-up says so in tug.yaml, in review.
 */
export const DEFAULT_MAX_DELETES: Threshold = { percent: 30, count: 5 };
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

/** The first of `patterns` (`Kind/identity`, `*` wildcards) that `subject` matches. */
export function matchingPattern(patterns: string[], subject: string): string | undefined {
  return patterns.find((p) => patternToRegex(p).test(subject));
}

export function isProtected(policy: SafetyPolicy, subject: string, ledgerProtected: Set<string>): boolean {
  return ledgerProtected.has(subject) || matchingPattern(policy.protect, subject) !== undefined;
}

/** A kind's threshold, and which of its fields are tug's own (not written in tug.yaml). */
export interface ResolvedThreshold {
  threshold: Threshold;
  builtIn: Array<keyof Threshold>;
}

/**
 * Field by field: the kind's entry over `default` over the built-in. A user who writes only
 * `default: { percent: 10 }` tightens the percentage and keeps the built-in count; replacing whole
 * entries would have let one field silently drop the other. Layers can only add limits, never lift
 * one: a field is loosened by writing a looser value (`percent: 100`, a large `count`).
 */
export function resolveThreshold(map: ThresholdMap, kind: KindName, builtIn: Threshold = {}): ResolvedThreshold {
  const threshold: Threshold = { ...builtIn, ...map.default, ...map[kind] };
  const fields = Object.keys(builtIn) as Array<keyof Threshold>;
  return { threshold, builtIn: fields.filter((f) => map.default?.[f] === undefined && map[kind]?.[f] === undefined) };
}

const BUILT_IN_NOTE = (setting: string) => ` (tug's default; set safety.${setting} in tug.yaml to change it)`;

function exceeds({ threshold, builtIn }: ResolvedThreshold, count: number, base: number, setting: string): string | undefined {
  if (count === 0) return undefined;
  const note = (field: keyof Threshold) => (builtIn.includes(field) ? BUILT_IN_NOTE(setting) : '');
  if (threshold.count !== undefined && count > threshold.count) return `${count} > ${threshold.count}${note('count')}`;
  if (threshold.percent !== undefined && base >= MIN_OBJECTS_FOR_PERCENT && (count / base) * 100 > threshold.percent) {
    return `${count} of ${base} (${Math.round((count / base) * 100)} %) > ${threshold.percent} %${note('percent')}`;
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
    const del = exceeds(resolveThreshold(policy.maxDeletes, kind, DEFAULT_MAX_DELETES), deletes.length, base, 'maxDeletes');
    if (del) breaches.push({ rule: 'max-deletes', kind, message: `too many ${kind} deletes: ${del}`, changes: deletes.map((c) => c.key) });
    const upd = exceeds(resolveThreshold(policy.maxUpdates, kind), updates.length, base, 'maxUpdates');
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
