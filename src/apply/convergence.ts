/**
 * The convergence check: right after an apply, a fresh plan (same manifests, same targets) must be
 * empty — except for the reviewed changes this run did not apply (failed, skipped behind a failure,
 * stopped early), which are reported as such and not as a convergence failure.
 *
 * Everything else a fresh plan still holds is NOT converged, and says which of two things it is:
 *   - `applied`: tug wrote the object and a fresh plan still wants a change there — the object changed
 *     in Trackunit during the apply, or a normalisation bug in tug (the plan would propose the same write
 *     forever);
 *   - `outside`: a change on an object this run did not write — the account changed in Trackunit during
 *     the apply (the stale check proved the fresh plan equal to the reviewed one just before writing).
 * Objects are matched by kind and identity within their kind of write: state (create/update/adopt), rental
 * sync, delete — so an asset's update applied while its sync failed is not a false alarm.
 */
import type { Op, Plan } from '../core/plan.js';
import type { ApplyReport, ChangeOutcome, RemainingDifference } from './report.js';

const writeClass = (op: Op) => (op === 'create' || op === 'update' || op === 'adopt' ? 'state' : op);
const slot = (op: Op, kind: string, id: string) => `${writeClass(op)}:${kind}/${id}`;

/** Skips that mean "nothing to do": the object already matched. */
export const isAlreadyApplied = (o: ChangeOutcome) => o.status === 'skipped' && (o.reason ?? '').startsWith('already applied');

export function checkConvergence(after: Plan, outcomes: readonly ChangeOutcome[]): ApplyReport['convergence'] {
  const applied = new Set(outcomes.filter((o) => o.status === 'applied').map((o) => slot(o.op, o.kind, o.id)));
  const notApplied = new Set(outcomes.filter((o) => o.status !== 'applied' && !isAlreadyApplied(o)).map((o) => slot(o.op, o.kind, o.id)));
  const remaining: RemainingDifference[] = [];
  let pending = 0;
  for (const c of after.changes) {
    const s = slot(c.op, c.kind, c.id);
    const fields = [...new Set(c.patch.map((p) => p.path))].sort();
    if (applied.has(s)) remaining.push({ kind: c.kind, id: c.id, op: c.op, fields, cause: 'applied' });
    else if (notApplied.has(s)) pending += 1;
    else remaining.push({ kind: c.kind, id: c.id, op: c.op, fields, cause: 'outside' });
  }
  return { ok: remaining.length === 0, checked: true, remaining, pending };
}
