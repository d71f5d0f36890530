/**
 * Checks a schema cannot express, run over all schema-valid documents together. Each check is a pure
 * function from documents to diagnostics. A check about one kind lives in its folder
 * (src/kinds/<kind>/checks.ts, listed in kind-checks.ts); a check across kinds lives here and reads
 * what it needs of each kind from that kind's hooks, never from its name.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { ManifestDocument } from '../document.js';
import { customFieldValues } from './custom-field-values.js';
import { duplicateIdentities } from './duplicates.js';
import { invisibleIdentityCharacters, lookalikeIdentities } from './identity-spelling.js';
import { kindsOwnChecks } from './kind-checks.js';
import { unresolvedReferences } from './references.js';
import type { Check, CheckContext } from './hooks.js';

export type { Check, CheckContext } from './hooks.js';


/** The checks across kinds first, then each kind's own, kind by kind. */
export const CHECKS: Check[] = [
  duplicateIdentities,
  invisibleIdentityCharacters,
  lookalikeIdentities,
  unresolvedReferences,
  customFieldValues,
  ...kindsOwnChecks(),
];

export function runChecks(docs: ManifestDocument[], context: CheckContext = { invalid: new Set() }): Diagnostic[] {
  return CHECKS.flatMap((check) => check(docs, context));
}
