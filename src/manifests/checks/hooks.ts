/**
 * The types a kind's validation module (src/kinds/<kind>/checks.ts, ResourceKind.validation) is written
 * against: a check, and the hooks through which the checks across kinds learn what they need of a kind.
 * A leaf: it imports no check and no kind, so the kinds and the checks both depend on it, not on each other.
 */
import type { KindName, Manifest } from '../../core/manifest.js';
import type { EntityType } from '../../kinds/common.js';
import type { Diagnostic } from '../diagnostics.js';
import type { ManifestDocument } from '../document.js';
import type { PathSegment } from '../yaml.js';
import type { FieldRules } from './custom-field-rules.js';

/** What the checks know beyond the valid documents. */
export interface CheckContext {
  /**
   * `Kind/identity` of documents that failed their schema: already reported, so a reference to one
   * is not reported again as "not defined" (no follow-on errors).
   */
  invalid: Set<string>;
}

export type Check = (docs: ManifestDocument[], context: CheckContext) => Diagnostic[];

/**
 * An identity, or a reference to one, that a manifest holds (a kind's `identityValues` hook lists them;
 * the references its `references` hook lists are read besides).
 */
export interface IdentityValue {
  path: PathSegment[];
  /** Anything but a string (absent, or not vetted by a schema) is passed over. */
  value: string | undefined;
  /** The identities this one must be told apart from, `Customer externalReference`; absent for a reference. */
  space?: string;
  /**
   * How tug itself matches the value, when not exactly: two lookalikes it matches as one would write
   * one object, an error saying `names the same <object> as …: <because>`.
   */
  matchedAs?: { key(value: string): string; object: string; because: string };
}

/** A reference from one manifest to the identity of another (a kind's `references` hook lists them). */
export interface ManifestReference {
  /** Where the reference stands in the manifest. */
  path: PathSegment[];
  /** The field as a message names it: `hiringDepot`. */
  field: string;
  /** The kind whose manifest must define `identity`. */
  kind: KindName;
  identity: string;
}

/** A custom field a manifest defines: the rules its values follow, and the entity type (at `entityType`) it is for. */
export interface DefinedField extends FieldRules {
  entityType: EntityType;
}

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
