/**
 * The stale check: the saved plan was reviewed against the live account as it was then. Apply plans
 * again from the same manifests (their digest was checked first, see src/plan/source.ts) and requires
 * the fresh plan to say exactly what the saved one says. Object by object:
 *
 *   - a saved change the fresh plan holds too must have the same live fingerprint (the object did not
 *     move) and the same requests, compared as canonical JSON (what it depends on did not move either:
 *     a deleted depot turns a sync's `siteId` into a create's `$ref`);
 *   - a saved change the fresh plan no longer has is done already (someone made it so) — but only when
 *     the fresh plan has nothing else for that object: a saved update whose object is now a create was
 *     deleted in Trackunit, a saved create that is now an update was created there by hand;
 *   - a fresh change the saved plan does not have means the account moved since the review;
 *   - an error in the fresh plan that the reviewed plan did not have (say, a dangling reference).
 *
 * Any of these makes the plan STALE: the whole apply is refused (exit 4) and nothing is written, naming
 * every object and what moved. Plan again and review. Changes whose live state an interrupted run of
 * this same plan moved (see movedByUs) are ours to finish, so they are not compared.
 */
import jsonPatch from 'fast-json-patch';
import { canonicalJson, type Json } from '../core/canonical.js';
import type { Change, Op, Plan } from '../core/plan.js';
import { StalePlanError, UnsafePlanError } from '../errors.js';
import { printable } from '../render/plan-text.js';

const { compare } = jsonPatch;

/** What moved: the live object, its existence, what the change depends on, or the plan around it. */
export type StaleWhat = 'changed' | 'deleted' | 'created' | 'replanned' | 'requests' | 'new' | 'problem';

export interface StaleObject {
  /** The saved change's key (absent for changes and problems only the fresh plan has). */
  key?: string;
  /** The saved change's op (a fresh-only change: its op; a problem: none). */
  op?: Op;
  kind: string;
  id: string;
  what: StaleWhat;
  /** JSON pointers of what differs (fields of the object, or of the requests), when known. */
  fields: string[];
  /** One line for people: what moved and what a fresh plan would do instead. */
  detail: string;
}

export interface StaleCheck {
  /** Saved change keys the fresh plan no longer has, with nothing else planned for their object. */
  alreadyApplied: Set<string>;
  stale: StaleObject[];
}

/** The fields that differ between two JSON values (whole object when nothing specific differs). */
export function movedFields(saved: Json | undefined, fresh: Json | undefined): string[] {
  const a = (saved ?? {}) as object;
  const b = (fresh ?? {}) as object;
  const paths = [...new Set(compare(a, b).map((op) => op.path))];
  return paths.length > 0 ? paths.sort() : ['(outside the fields this change writes)'];
}

const objectOf = (c: Pick<Change, 'kind' | 'id'>) => `${c.kind}/${c.id}`;
const patchFields = (c: Change) => [...new Set(c.patch.map((p) => p.path))].sort();
const fieldList = (fields: string[]) => (fields.length > 0 ? `: ${fields.join(', ')}` : '');

/**
 * Changes whose live state this plan's own earlier run moved: those it started, those that depend on a
 * change it applied (e.g. an asset update whose values gained a new definition), and those on an object an
 * applied change wrote to (an asset's sync after its externalReference PATCH). Not stale: ours to finish.
 */
function movedByUs(saved: Plan, started: ReadonlySet<string>, applied: ReadonlySet<string>): Set<string> {
  const ours = new Set([...started, ...applied]);
  const touched = new Set(saved.changes.filter((c) => applied.has(c.key) && c.liveId).map((c) => c.liveId as string));
  for (const change of saved.changes) {
    if (change.dependsOn.some((k) => applied.has(k) || started.has(k))) ours.add(change.key);
    if (change.liveId && touched.has(change.liveId)) ours.add(change.key);
  }
  return ours;
}

/** A saved change whose object the fresh plan now treats differently (created, deleted, another op). */
function replanned(saved: Change, now: Change): StaleObject {
  const base = { key: saved.key, op: saved.op, kind: saved.kind, id: saved.id };
  if (now.op === 'create' && saved.op !== 'create') {
    return { ...base, what: 'deleted', fields: [], detail: `deleted in Trackunit since the plan (reviewed: ${saved.op}; a fresh plan would create it)` };
  }
  if (saved.op === 'create') {
    const fields = patchFields(now);
    return { ...base, what: 'created', fields, detail: `created in Trackunit since the plan (reviewed: create; a fresh plan would ${now.op} it${fieldList(fields)})` };
  }
  return { ...base, what: 'replanned', fields: patchFields(now), detail: `moved in Trackunit since the plan (reviewed: ${saved.op}; a fresh plan would ${now.op} it${fieldList(patchFields(now))})` };
}

/** The same change planned again: stale when the live object or the requests moved. */
function compareSame(saved: Change, fresh: Change): StaleObject | undefined {
  const base = { key: saved.key, op: saved.op, kind: saved.kind, id: saved.id };
  if ((fresh.fingerprint ?? null) !== (saved.fingerprint ?? null)) {
    const fields = movedFields(saved.before, fresh.before);
    return { ...base, what: 'changed', fields, detail: `changed in Trackunit since the plan${fieldList(fields)}` };
  }
  if (canonicalJson(saved.requests) !== canonicalJson(fresh.requests)) {
    const fields = [...new Set(compare(saved.requests as unknown as object, fresh.requests as unknown as object).map((op) => `requests${op.path}`))].sort();
    return { ...base, what: 'requests', fields, detail: `what it depends on moved since the plan: the requests differ from the reviewed ones${fieldList(fields)}` };
  }
  return undefined;
}

export function compareWithFresh(saved: Plan, fresh: Plan, started: ReadonlySet<string>, applied: ReadonlySet<string> = new Set()): StaleCheck {
  const savedKeys = new Set(saved.changes.map((c) => c.key));
  const freshByKey = new Map(fresh.changes.map((c) => [c.key, c]));
  const freshOnly = new Map<string, Change[]>();
  for (const c of fresh.changes) if (!savedKeys.has(c.key)) freshOnly.set(objectOf(c), [...(freshOnly.get(objectOf(c)) ?? []), c]);
  const ours = movedByUs(saved, started, applied);
  // Objects an earlier run of this plan wrote to: a fresh change there is that run's unfinished work.
  const oursObjects = new Set(saved.changes.filter((c) => ours.has(c.key)).map(objectOf));
  const reported = new Set<string>();
  const alreadyApplied = new Set<string>();
  const stale: StaleObject[] = [];
  for (const change of saved.changes) {
    if (started.has(change.key) || applied.has(change.key)) continue; // finished from the journal
    const now = freshByKey.get(change.key);
    if (now) {
      const moved = ours.has(change.key) ? undefined : compareSame(change, now);
      if (moved) stale.push(moved);
      continue;
    }
    const other = ours.has(change.key) ? undefined : freshOnly.get(objectOf(change))?.[0];
    if (other) {
      stale.push(replanned(change, other));
      reported.add(objectOf(change));
    } else alreadyApplied.add(change.key);
  }
  for (const [object, changes] of freshOnly) {
    if (reported.has(object) || oursObjects.has(object)) continue;
    for (const c of changes) {
      const fields = patchFields(c);
      stale.push({ op: c.op, kind: c.kind, id: c.id, what: 'new', fields, detail: `not in the reviewed plan: a fresh plan would ${c.op} it${fieldList(fields)}` });
    }
  }
  for (const problem of fresh.problems.filter((p) => p.severity === 'error')) {
    stale.push({ kind: problem.kind, id: problem.id, what: 'problem', fields: [], detail: `a fresh plan has an error the reviewed one did not: ${problem.message}` });
  }
  return { alreadyApplied, stale };
}

/** Lines shown in the error message; the rest are counted (meta has them all, up to META_MAX). */
const SHOWN_MAX = 50;
const META_MAX = 1000;

export function staleError(stale: StaleObject[]): StalePlanError {
  const lines = stale.slice(0, SHOWN_MAX).map((s) => `  ${printable(`${s.kind}/${s.id}`)}${s.op ? ` (${s.op})` : ''}: ${printable(s.detail)}`);
  if (stale.length > SHOWN_MAX) lines.push(`  … and ${stale.length - SHOWN_MAX} more`);
  const count = `${stale.length} difference${stale.length === 1 ? '' : 's'}`;
  return new StalePlanError('stale_plan', `The plan is stale: the account changed since it was made (${count}); nothing was written.\n${lines.join('\n')}`, {
    hint: 'Plan again (`tug plan --out plan.json`), review the new plan, then apply it.',
    meta: {
      count: stale.length,
      stale: stale.slice(0, META_MAX).map((s) => ({ ...(s.key ? { change: s.key } : {}), ...(s.op ? { op: s.op } : {}), kind: s.kind, id: s.id, what: s.what, fields: s.fields, detail: s.detail })),
    },
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
