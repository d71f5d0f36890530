/**
 * `--target` patterns checked, so a typo is an error instead of a quietly empty plan ("No changes"):
 * their form and kind before anything is read (`targetProblem`), and after the manifests and the live
 * account are read, whether each names anything at all (`unmatchedTargets`). Matching itself is
 * src/core/targets.ts, the same one buildPlan narrows the plan with. Pure.
 */
import type { DesiredState, LiveState } from '../core/state.js';
import { KIND_NAMES, REGISTRY } from '../kinds/registry.js';
import { kindMatcher, targetMatcher } from '../core/targets.js';
import { closest } from '../manifests/suggest.js';

/** An object a target can name: `kind` and its identity as plans show it (`Depot/aarhus`). */
export interface TargetCandidate {
  kind: string;
  id: string;
}

const KNOWN = `the kinds are ${KIND_NAMES.join(', ')}`;

/** What is wrong with the form or the kind of `pattern`; undefined when it can name something. */
export function targetProblem(pattern: string): string | undefined {
  const slash = pattern.indexOf('/');
  if (slash <= 0 || slash === pattern.length - 1) {
    const kind = closest(slash < 0 ? pattern : pattern.slice(0, slash), KIND_NAMES);
    const hint = kind ? ` (did you mean "${kind}/${slash < 0 ? '*' : pattern.slice(slash + 1) || '*'}"?)` : '';
    return `--target "${pattern}" is not Kind/identity, e.g. Depot/aarhus or Customer/*${hint}; ${KNOWN}`;
  }
  const kindPattern = pattern.slice(0, slash);
  if (KIND_NAMES.some(kindMatcher(kindPattern))) return undefined;
  const kind = kindPattern.includes('*') ? undefined : closest(kindPattern, KIND_NAMES);
  return `--target "${pattern}": no kind is called "${kindPattern}"${kind ? ` (did you mean "${kind}"?)` : ''}; ${KNOWN}`;
}

/** Everything a target may name: every manifest, and every live object by its identity per kind. */
export function targetCandidates(desired: DesiredState, live: LiveState): TargetCandidate[] {
  const out: TargetCandidate[] = desired.objects.map((o) => ({ kind: o.manifest.kind, id: o.identity }));
  for (const kind of REGISTRY.kinds) {
    for (const id of kind.liveIdentities(live)) if (id != null && id !== '') out.push({ kind: kind.name, id });
  }
  return out;
}

/** A pattern that named nothing, and the sentence that says so. */
export interface UnmatchedTarget {
  target: string;
  message: string;
}

/**
 * The patterns that name none of `candidates` (manifests, live objects, and the plan's own changes),
 * each with a message — and the closest identity of its kind when it looks like a typo.
 */
export function unmatchedTargets(patterns: string[], candidates: TargetCandidate[]): UnmatchedTarget[] {
  const out: UnmatchedTarget[] = [];
  for (const pattern of patterns) {
    const matches = targetMatcher(pattern);
    if (candidates.some((c) => matches(c.kind, c.id))) continue;
    const slash = pattern.indexOf('/');
    const kind = pattern.slice(0, slash);
    const id = pattern.slice(slash + 1);
    const sameKind = [...new Set(candidates.filter((c) => c.kind === kind).map((c) => c.id))].sort();
    const near = pattern.includes('*') ? undefined : closest(id, sameKind);
    out.push({ target: pattern, message: `--target "${pattern}" matches no manifest and no live object${near ? ` (did you mean "${kind}/${near}"?)` : ''}` });
  }
  return out;
}
