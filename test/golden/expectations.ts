/**
 * `expect.json`: a few semantic facts per scenario, checked besides the byte-exact golden files, so that
 * regenerating the goldens (UPDATE_GOLDEN=1) cannot silently bless a wrong plan.
 *
 *   {
 *     "changes":   { "create:Depot/aarhus": true, "delete:Depot/odense": false },  // key present / absent
 *     "problems":  ["type cannot change"],        // each is a substring of some problem's message
 *     "noProblems": true,                         // no problem at all (errors or warnings)
 *     "notes":     ["become \"Compact\""],        // each is a substring of some change's note
 *     "unmanaged": ["Vejle harbour"],             // each is a substring of some unmanaged label
 *     "breaches":  ["protected"],                 // safety breach rules, in any order
 *     "changeCount": 3,                           // exactly this many changes
 *     "exit": 2                                   // planExitCode(plan, true)
 *   }
 */
import { planExitCode } from '../../src/cli/commands/plan.js';
import type { Plan } from '../../src/core/plan.js';

export interface Expectations {
  changes?: Record<string, boolean>;
  problems?: string[];
  noProblems?: boolean;
  notes?: string[];
  unmanaged?: string[];
  breaches?: string[];
  changeCount?: number;
  exit: number;
}

/** Every way `plan` falls short of `expected`, as readable lines (empty: all good). */
export function checkExpectations(plan: Plan, expected: Expectations): string[] {
  const failures: string[] = [];
  const keys = new Set(plan.changes.map((c) => c.key));
  for (const [key, present] of Object.entries(expected.changes ?? {})) {
    if (keys.has(key) !== present) failures.push(`change ${key} should be ${present ? 'present' : 'absent'}`);
  }
  const messages = plan.problems.map((p) => p.message);
  for (const text of expected.problems ?? []) {
    if (!messages.some((m) => m.includes(text))) failures.push(`no problem mentions ${JSON.stringify(text)} (problems: ${JSON.stringify(messages)})`);
  }
  if (expected.noProblems && messages.length > 0) failures.push(`expected no problems, got ${JSON.stringify(messages)}`);
  const notes = plan.changes.flatMap((c) => c.notes);
  for (const text of expected.notes ?? []) {
    if (!notes.some((n) => n.includes(text))) failures.push(`no change note mentions ${JSON.stringify(text)} (notes: ${JSON.stringify(notes)})`);
  }
  const labels = plan.unmanaged.map((u) => u.label);
  for (const text of expected.unmanaged ?? []) {
    if (!labels.some((l) => l.includes(text))) failures.push(`no unmanaged object is labelled ${JSON.stringify(text)} (unmanaged: ${JSON.stringify(labels)})`);
  }
  if (expected.breaches) {
    const rules = [...new Set(plan.safety.breaches.map((b) => b.rule))].sort();
    const want = [...new Set(expected.breaches)].sort();
    if (JSON.stringify(rules) !== JSON.stringify(want)) failures.push(`breaches ${JSON.stringify(rules)}, expected ${JSON.stringify(want)}`);
  }
  if (expected.changeCount !== undefined && plan.changes.length !== expected.changeCount) {
    failures.push(`${plan.changes.length} changes, expected ${expected.changeCount} (${[...keys].join(', ')})`);
  }
  const exit = planExitCode(plan, true);
  if (exit !== expected.exit) failures.push(`exit code ${exit}, expected ${expected.exit}`);
  return failures;
}
