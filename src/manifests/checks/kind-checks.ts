/**
 * What each kind brings to validation, by kind name: its own checks, and the hooks through which the
 * checks across kinds (in this folder) learn what they need of it. The one place that names the kinds'
 * check modules; the registry (src/kinds/registry.ts) can take the table over.
 */
import * as asset from '../../kinds/asset/checks.js';
import * as contract from '../../kinds/contract/checks.js';
import * as customFieldDefinition from '../../kinds/custom-field-definition/checks.js';
import * as customer from '../../kinds/customer/checks.js';
import * as depot from '../../kinds/depot/checks.js';
import type { KindName, Manifest, ManifestOf } from '../../kinds/registry.js';
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

const KIND_CHECKS: { readonly [K in KindName]: KindChecks<ManifestOf<K>> } = {
  CustomFieldDefinition: customFieldDefinition,
  Depot: depot,
  Customer: customer,
  Asset: asset,
  Contract: contract,
};

/** Every kind's own checks, kind by kind in registry order. */
export const KINDS_OWN_CHECKS: readonly Check[] = Object.values<KindChecks>(KIND_CHECKS).flatMap((kind) => kind.checks);

/** The kinds whose checks module has `hook`, in registry order. */
export function kindsWith(hook: Exclude<keyof KindChecks, 'checks'>): KindName[] {
  return (Object.keys(KIND_CHECKS) as KindName[]).filter((kind) => KIND_CHECKS[kind][hook] !== undefined);
}

/** The checks module of a kind. */
export function kindChecks(kind: KindName): KindChecks {
  return KIND_CHECKS[kind];
}
