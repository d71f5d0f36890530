/**
 * How a `--target` pattern matches: `Kind/identity`, where `*` stands for any run of characters
 * (`Customer/*`, `*\/aarhus`). The one definition buildPlan narrows a plan with and the CLI checks
 * targets with (src/plan/targets.ts). Pure.
 */

const wildcard = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** Does `pattern` (with `*` wildcards) match `Kind/identity`? */
export function targetMatcher(pattern: string): (kind: string, id: string) => boolean {
  const regex = wildcard(pattern);
  return (kind, id) => regex.test(`${kind}/${id}`);
}

/** Does the kind part of a pattern (`Dep*`) match `kind`? */
export function kindMatcher(kindPattern: string): (kind: string) => boolean {
  const regex = wildcard(kindPattern);
  return (kind) => regex.test(kind);
}
