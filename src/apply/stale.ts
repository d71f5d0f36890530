/**
 * The stale check: the saved plan was reviewed against the live account as it was then. Apply plans
 * again from the same manifests and compares, change by change:
 *   - a saved change whose key the fresh plan no longer has is done already (someone, or an earlier run,
 *     made it so): skipped, "already applied";
 *   - a change whose live fingerprint moved is STALE: the reviewed diff no longer describes what would be
 *     written. Documented behaviour (the simplest safe one): the whole apply is refused (exit 4) and
 *     nothing is written, naming every stale object and the fields that moved. Plan again and review.
 * Changes whose live state an interrupted run of this same plan moved (see movedByUs) are ours to finish,
 * so they are not compared.
 */
import jsonPatch from 'fast-json-patch';
import type { Json } from '../core/canonical.js';
import type { Change, Plan } from '../core/plan.js';
import { StalePlanError, UnsafePlanError } from '../errors.js';

const { compare } = jsonPatch;

export interface StaleObject {
  key: string;
  kind: string;
  id: string;
  /** JSON pointers of the fields whose live value moved since the plan. */
  fields: string[];
}

export interface StaleCheck {
  /** Saved change keys the fresh plan no longer has: already applied. */
  alreadyApplied: Set<string>;
  stale: StaleObject[];
}

/** The fields that differ between the saved and the fresh `before` (whole object when unknown). */
export function movedFields(saved: Json | undefined, fresh: Json | undefined): string[] {
  const a = (saved ?? {}) as object;
  const b = (fresh ?? {}) as object;
  const paths = [...new Set(compare(a, b).map((op) => op.path))];
  return paths.length > 0 ? paths.sort() : ['(live object changed outside the managed fields)'];
}

/**
 * Changes whose live state this plan's own earlier run moved: those it started, those that depend on a
 * change it applied (e.g. an asset update whose values gained a new definition), and those on an object an
 * applied change wrote to (an asset's sync after its externalReference PATCH). Not stale: ours to finish.
 */
function movedByUs(saved: Plan, started: ReadonlySet<string>, applied: ReadonlySet<string>): Set<string> {
  const ours = new Set(started);
  const touched = new Set(saved.changes.filter((c) => applied.has(c.key) && c.liveId).map((c) => c.liveId as string));
  for (const change of saved.changes) {
    if (change.dependsOn.some((k) => applied.has(k) || started.has(k))) ours.add(change.key);
    if (change.liveId && touched.has(change.liveId)) ours.add(change.key);
  }
  return ours;
}

export function compareWithFresh(saved: Plan, fresh: Plan, started: ReadonlySet<string>, applied: ReadonlySet<string> = new Set()): StaleCheck {
  const freshByKey = new Map(fresh.changes.map((c) => [c.key, c]));
  const ours = movedByUs(saved, started, applied);
  const alreadyApplied = new Set<string>();
  const stale: StaleObject[] = [];
  for (const change of saved.changes) {
    if (started.has(change.key)) continue; // begun by the earlier run: finished from the journal
    const now = freshByKey.get(change.key);
    if (!now) alreadyApplied.add(change.key);
    else if (!ours.has(change.key) && (now.fingerprint ?? null) !== (change.fingerprint ?? null)) stale.push(staleObject(change, now));
  }
  return { alreadyApplied, stale };
}

function staleObject(saved: Change, fresh: Change): StaleObject {
  return { key: saved.key, kind: saved.kind, id: saved.id, fields: movedFields(saved.before, fresh.before) };
}

export function staleError(stale: StaleObject[]): StalePlanError {
  const lines = stale.map((s) => `  ${s.kind}/${s.id}: ${s.fields.join(', ')}`);
  return new StalePlanError('stale_plan', `The plan is stale: ${stale.length} object${stale.length === 1 ? '' : 's'} changed in Trackunit since it was made; nothing was written.\n${lines.join('\n')}`, {
    hint: 'Plan again (`tug plan --out plan.json`), review the new plan, then apply it.',
    meta: { stale: stale.map((s) => ({ change: s.key, kind: s.kind, id: s.id, fields: s.fields })) },
  });
}

/** The saved plan, and the fresh one made just before writing, must both pass the safety policy. */
export function assertSafe(plan: Plan, which: 'saved' | 'fresh'): void {
  if (plan.safety.ok) return;
  const reasons = plan.safety.breaches.map((b) => b.message).join('; ');
  throw new UnsafePlanError('unsafe_plan', `The ${which} plan breaches the safety policy: ${reasons}`, {
    hint: 'Review the plan; change the manifests or the safety settings in tug.yaml, then plan again.',
    meta: { breaches: plan.safety.breaches.length },
  });
}
