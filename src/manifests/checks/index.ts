/**
 * Checks a schema cannot express, run over all schema-valid documents together. Each check is a pure
 * function from documents to diagnostics; adding one is a file here plus one line in CHECKS.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { ManifestDocument } from '../document.js';
import { sharedAssetReferences } from './assets.js';
import { customFieldDefinitionRules } from './custom-field-definitions.js';
import { customFieldValues } from './custom-field-values.js';
import { datesInOrder } from './dates.js';
import { duplicateIdentities } from './duplicates.js';
import { duplicateItemReferences } from './identities.js';
import { invisibleIdentityCharacters, lookalikeIdentities } from './identity-spelling.js';
import { overlappingItems } from './overlapping-items.js';
import { polygonRings } from './polygons.js';
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

export const CHECKS: Check[] = [
  duplicateIdentities,
  duplicateItemReferences,
  invisibleIdentityCharacters,
  lookalikeIdentities,
  sharedAssetReferences,
  unresolvedReferences,
  customFieldDefinitionRules,
  customFieldValues,
  datesInOrder,
  overlappingItems,
  polygonRings,
];

export function runChecks(docs: ManifestDocument[], context: CheckContext = { invalid: new Set() }): Diagnostic[] {
  return CHECKS.flatMap((check) => check(docs, context));
}
