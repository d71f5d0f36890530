/**
 * Checks a schema cannot express, run over all schema-valid documents together. Each check is a pure
 * function from documents to diagnostics. A check about one kind lives in its folder
 * (src/kinds/<kind>/checks.ts, listed by KIND_CHECKS); a check across kinds lives here and reads what
 * it needs of each kind from that kind's hooks, never from its name.
 */
import type { KindName } from '../../kinds/registry.js';
import * as asset from '../../kinds/asset/checks.js';
import * as contract from '../../kinds/contract/checks.js';
import * as customFieldDefinition from '../../kinds/custom-field-definition/checks.js';
import * as customer from '../../kinds/customer/checks.js';
import * as depot from '../../kinds/depot/checks.js';
import type { Diagnostic } from '../diagnostics.js';
import type { ManifestDocument } from '../document.js';
import { customFieldValues } from './custom-field-values.js';
import { duplicateIdentities } from './duplicates.js';
import { invisibleIdentityCharacters, lookalikeIdentities } from './identity-spelling.js';
import { unresolvedReferences } from './references.js';

/** What the checks know beyond the valid documents. */
export interface CheckContext {
  /**
   * `Kind/identity` of documents that failed their schema: already reported, so a reference to one
   * is not reported again as "not defined" (no follow-on errors).
   */
  invalid: Set<string>;
}

export type Check = (docs: ManifestDocument[], context: CheckContext) => Diagnostic[];

/** What a kind brings to validation: its own checks (they may filter the documents to the kind). */
export interface KindChecks {
  readonly checks: readonly Check[];
}

/** Each kind's checks module, in registry order: the one place that names them. */
const KIND_CHECKS: { readonly [K in KindName]: KindChecks } = {
  CustomFieldDefinition: customFieldDefinition,
  Depot: depot,
  Customer: customer,
  Asset: asset,
  Contract: contract,
};

/** The checks across kinds first, then each kind's own, kind by kind. */
export const CHECKS: Check[] = [
  duplicateIdentities,
  invisibleIdentityCharacters,
  lookalikeIdentities,
  unresolvedReferences,
  customFieldValues,
  ...Object.values(KIND_CHECKS).flatMap((kind) => kind.checks),
];

export function runChecks(docs: ManifestDocument[], context: CheckContext = { invalid: new Set() }): Diagnostic[] {
  return CHECKS.flatMap((check) => check(docs, context));
}
