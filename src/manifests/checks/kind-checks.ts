/**
 * What each kind brings to validation (ResourceKind.validation, src/kinds/<kind>/checks.ts): its own
 * checks, and the hooks through which the checks across kinds (in this folder) learn what they need of
 * it. The kinds come from the registry (src/kinds/registry.ts).
 */
import { KINDS, KIND_NAMES, type KindName, type Manifest } from '../../kinds/registry.js';
import type { DefinedField } from './custom-field-values.js';
import type { IdentityValue } from './identity-spelling.js';
import type { Check } from './index.js';
import type { ManifestReference } from './references.js';

/** A kind's checks module, `src/kinds/<kind>/checks.ts`. */
export interface KindChecks<M extends Manifest = Manifest> {
  /** Checks about the kind alone (each may filter the documents to its kind). */
  readonly checks: readonly Check[];
  /** The references a manifest makes to other manifests' identities: the references check resolves them. */
  references?(manifest: M): ManifestReference[];
  /**
   * The identities a manifest holds (its own, its parts'), and the references to objects no manifest
   * defines (a contract item's asset): the identity-spelling checks read these and the references.
   */
  identityValues?(manifest: M): IdentityValue[];
  /** The custom field a manifest defines, for the kind whose manifests define them: the values of every kind follow it. */
  customField?(manifest: M): DefinedField;
}

/** Every kind's own checks, kind by kind in registry order. */
export function kindsOwnChecks(): Check[] {
  return KIND_NAMES.flatMap((kind) => kindChecks(kind).checks);
}

/** The kinds whose checks module has `hook`, in registry order. */
export function kindsWith(hook: Exclude<keyof KindChecks, 'checks'>): KindName[] {
  return KIND_NAMES.filter((kind) => kindChecks(kind)[hook] !== undefined);
}

/** The checks module of a kind (ResourceKind.validation). */
export function kindChecks(kind: KindName): KindChecks {
  return KINDS[kind].validation;
}
