/**
 * The Plan, as data. Everything `tug plan` decides and `tug apply` executes is here, serialisable as
 * is: the same Plan feeds the terminal, markdown and JSON renderers, the plan file and its fingerprint.
 */
import type { Operation } from 'fast-json-patch';
import type { ApiFamily } from './api.js';
import type { KindName } from './manifest.js';
import type { Json } from './canonical.js';
import type { Freshness } from './inventory.js';

/**
 * Version of the plan file format; apply refuses any other. 2: the plan carries its own digest, the
 * digest of the files it was made from (`source`), its `--target` patterns and create look-ups.
 * 3: every request says whether it is idempotent (apply reads that instead of guessing from the path).
 */
export const PLAN_FORMAT_VERSION = 3;

/**
 * `adopt`: an existing object tug did not manage yet, bound to its manifest by writing tug's marker (a
 * Depot's binding externalReference, a Customer's `tugManaged` value), plus whatever else differs: an
 * update in what it sends, shown apart because it brings an object under tug's management (and prune's).
 */
export type Op = 'create' | 'update' | 'delete' | 'sync' | 'adopt';

/**
 * A reference to an object that may not exist yet when the plan is made (a depot created earlier in the
 * same apply): apply replaces `{"$ref": "Depot/aarhus"}` by that object's Trackunit id.
 */
export interface IdRef {
  $ref: string;
}

/**
 * How apply recognises what a create of an object without an identity of its own made (a customer
 * contact), should the response be lost: a live object whose normalised fields all equal `match` and
 * whose id is not in `exclude` (the ones that existed when the plan was made).
 */
export interface CreateLookup {
  match: { [field: string]: Json };
  exclude: string[];
}

/**
 * One API call a change will make, built by the endpoint modules' request builders
 * (src/trackunit/endpoints/*: `siteWrites`, `customerWrites`, …). Bodies are final except for IdRef placeholders.
 */
export interface PlannedRequest {
  family: ApiFamily;
  method: 'POST' | 'PATCH' | 'DELETE';
  /** Path; may contain one `{id}` placeholder for the change's own live id (filled for creates at apply). */
  path: string;
  body?: Json;
  headers?: Record<string, string>;
  /**
   * Sending it twice leaves the same state (PATCH, DELETE, set-values, rental synchronization): the client
   * may retry it after an ambiguous failure. False for a create: apply looks up what it made first.
   */
  idempotent: boolean;
  /** Creates of objects found by content rather than by an identity (see CreateLookup). */
  lookup?: CreateLookup;
}

/** One change: what, why, from what to what, and the calls that make it so. */
export interface Change {
  /** `op:Kind/identity`, unique within a plan. */
  key: string;
  op: Op;
  kind: KindName;
  /** The identity from the manifest (Depot key, Customer externalReference, …). */
  id: string;
  /** The Trackunit id of the live object (absent for creates). */
  liveId?: string;
  /** Normalised live state the change was planned against (absent for creates). */
  before?: Json;
  /** Normalised desired state (absent for deletes). */
  after?: Json;
  /** RFC 6902 patch from before to after (only changed fields). */
  patch: Operation[];
  requests: PlannedRequest[];
  /** Fingerprint of the raw live object(s) the change was planned against; apply refuses if it moved. */
  fingerprint?: string;
  /** `file:line` of the manifest that caused the change (deletes: none). */
  reason?: string;
  /** Dependency level (see src/kinds/registry.ts); creates/updates run top-down, deletes bottom-up. */
  level: number;
  /** Keys of changes that must succeed first. */
  dependsOn: string[];
  /** What else happens, e.g. "3 values holding "Diesel" become "HVO100"". */
  notes: string[];
}

/** A live object no manifest describes and tug does not manage: reported, never changed. */
export interface UnmanagedObject {
  kind: KindName;
  liveId: string;
  label: string;
}

/** A problem found while planning (e.g. a custom field type change), with its manifest position. */
export interface PlanProblem {
  kind: KindName;
  id: string;
  message: string;
  /** `file:line:col` */
  location?: string;
  severity: 'error' | 'warning';
}

export interface SafetyBreach {
  rule: 'max-deletes' | 'max-updates' | 'protected' | 'empty-desired-state';
  kind: KindName;
  message: string;
  /** Change keys involved. */
  changes: string[];
}

export interface Budget {
  /** API requests apply will make, per API family: its writes and its own reads. */
  requests: Partial<Record<ApiFamily, number>>;
  totalRequests: number;
  /**
   * Of those, the reads of apply's two checks (the stale check before writing, convergence after): the
   * lists, and the per-object reads of what the plan changes. Absent when the plan was made without them.
   */
  reads?: Partial<Record<ApiFamily, number>>;
  /** Predicted apply duration at the configured rate limits (reads included), in seconds. */
  predictedSeconds: number;
}

/** One file a plan was made from, relative to the tug.yaml directory (`/` separators). */
export interface SourceFile {
  path: string;
  /** SHA-256 of the file's bytes, hex. */
  sha256: string;
}

/**
 * What a plan was made from, so apply can tell "the manifests changed since the plan" (name the files)
 * from "the live account changed" and from a tug bug. `files` holds tug.yaml and every manifest file.
 */
export interface PlanSource {
  /** `sha256:` + hex over `files`. */
  digest: string;
  files: SourceFile[];
  /** `--target` patterns the plan was narrowed to (apply re-plans with the same ones). */
  targets: string[];
}

export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  /**
   * `sha256:` + the full SHA-256 of the canonical JSON of every other member: apply refuses a plan file
   * whose content does not match it (`plan_tampered`).
   */
  digest: string;
  /** Short form of the digest (its first 16 hex digits): names the plan's journal. */
  fingerprint: string;
  source: PlanSource;
  changes: Change[];
  unmanaged: UnmanagedObject[];
  problems: PlanProblem[];
  safety: { ok: boolean; breaches: SafetyBreach[] };
  budget: Budget;
  summary: Record<KindName, Partial<Record<Op, number>>>;
  /** What the plan compared: per kind, per-object reads made live or taken from the inventory, and how old. */
  freshness?: Freshness;
}

export function changeKey(op: Op, kind: KindName, id: string): string {
  return `${op}:${kind}/${id}`;
}
