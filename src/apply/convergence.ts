/**
 * The convergence check: right after an apply, a fresh plan must hold nothing for what was applied. A
 * remaining difference on an applied object is a normalisation bug (the plan would propose the same
 * write forever), so it is reported — kind, identity, fields — and the run fails, never silently.
 * Objects are matched by kind and identity within their kind of write: state (create/update), rental
 * sync, delete — so an asset's update applied while its sync was not started is not a false alarm.
 */
import type { Op, Plan } from '../core/plan.js';
import type { ApplyReport, ChangeOutcome } from './report.js';

const writeClass = (op: Op) => (op === 'create' || op === 'update' ? 'state' : op);
const slot = (op: Op, kind: string, id: string) => `${writeClass(op)}:${kind}/${id}`;

export async function checkConvergence(after: Plan, outcomes: readonly ChangeOutcome[]): Promise<ApplyReport['convergence']> {
  const applied = new Set(outcomes.filter((o) => o.status === 'applied').map((o) => slot(o.op, o.kind, o.id)));
  const remaining = after.changes
    .filter((c) => applied.has(slot(c.op, c.kind, c.id)))
    .map((c) => ({ kind: c.kind, id: c.id, op: c.op, fields: [...new Set(c.patch.map((p) => p.path))].sort() }));
  return { ok: remaining.length === 0, checked: true, remaining };
}
