/**
 * What an update of a definition does to the values already stored under it — the documented Trackunit
 * change rules: `type` (and `entityType`) never change; a removed dropdown option needs a replacement
 * among the remaining options and values holding it take the replacement; multi→single select clears
 * values with more than one option; numbers outside a new range become empty; strings longer than a new
 * maximum length are truncated. Values that change keep their previous value in `lastIncompatibleValue`.
 */
import type { PlanProblem } from '../../core/plan.js';
import type { DesiredObject } from '../../core/state.js';
import type { JsonObject } from '../plan-helpers.js';
import type { CustomFieldDefinitionManifest } from './manifest.js';

export interface Consequences {
  notes: string[];
  problems: PlanProblem[];
  /** Removed option → replacement, for the PATCH's write-only `valueReplacements`. */
  valueReplacements: Record<string, string>;
}

type Doc = DesiredObject<CustomFieldDefinitionManifest>;

const problem = (doc: Doc, path: Array<string | number>, message: string): PlanProblem => ({
  kind: 'CustomFieldDefinition',
  id: doc.identity,
  message,
  location: doc.locate(path),
  severity: 'error',
});

/** Changes the API refuses outright: they need a new field (a new key). */
export function immutableProblems(doc: Doc, before: JsonObject, after: JsonObject): PlanProblem[] {
  const out: PlanProblem[] = [];
  for (const field of ['type', 'entityType'] as const) {
    if (before[field] === after[field]) continue;
    out.push(problem(doc, [field], `${field} cannot change from ${String(before[field])} to ${String(after[field])}: it needs a new field (a new key)`));
  }
  if (out.length === 0 && after.type === 'MONETARY' && before.currency !== after.currency) {
    const message = `currency cannot change from ${String(before.currency)} to ${String(after.currency)}: it needs a new field (a new key)`;
    out.push(problem(doc, ['currency'], message));
  }
  return out;
}

function optionConsequences(doc: Doc, before: JsonObject, after: JsonObject, out: Consequences): void {
  const remaining = (after.allValues as string[] | null) ?? [];
  const removed = ((before.allValues as string[] | null) ?? []).filter((o) => !remaining.includes(o));
  const given = doc.manifest.replacements ?? {};
  for (const option of removed) {
    const to = given[option];
    if (to === undefined) {
      out.problems.push(problem(doc, ['options'], `option "${option}" is removed without a replacement: add replacements: {"${option}": <a remaining option>}`));
    } else if (!remaining.includes(to)) {
      out.problems.push(problem(doc, ['replacements', option], `the replacement for "${option}" must be a remaining option, not "${to}"`));
    } else {
      out.valueReplacements[option] = to;
      out.notes.push(`values holding "${option}" become "${to}"`);
    }
  }
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** A new bound is stricter than the old one (an unset old bound is the loosest). */
function tighter(before: unknown, after: unknown, stricter: (a: number, b: number) => boolean): boolean {
  const [b, a] = [num(before), num(after)];
  return a !== null && (b === null || stricter(a, b));
}

/** Notes and problems for a planned update from `before` to `after` (same type). */
export function updateConsequences(doc: Doc, before: JsonObject, after: JsonObject): Consequences {
  const out: Consequences = { notes: [], problems: [], valueReplacements: {} };
  if (after.type === 'DROPDOWN') {
    optionConsequences(doc, before, after, out);
    if (before.multiSelect === true && after.multiSelect === false) {
      out.notes.push('values with more than one option are cleared (kept in lastIncompatibleValue)');
    }
  }
  const lowerMax = tighter(before.maximum, after.maximum, (a, b) => a < b);
  const raisedMin = tighter(before.minimum, after.minimum, (a, b) => a > b);
  if (lowerMax || raisedMin) out.notes.push('values outside the new range become empty (kept in lastIncompatibleValue)');
  if (after.type === 'NUMBER' && before.isInteger === false && after.isInteger === true) {
    out.notes.push('values that are not whole numbers become empty (kept in lastIncompatibleValue)');
  }
  if (tighter(before.maximumLength, after.maximumLength, (a, b) => a < b)) out.notes.push('longer values are truncated');
  if (after.type === 'STRING' && before.pattern !== after.pattern && after.pattern !== null) {
    out.notes.push('existing values are kept even where they do not match the new pattern');
  }
  return out;
}
