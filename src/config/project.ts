/**
 * The project configuration, `tug.yaml`: where the manifests are, how to reach Trackunit (credentials
 * never live here — only in environment variables), rate limits, state directory, prune scope,
 * protection and safety thresholds. schemas/tug.schema.json is its published JSON Schema.
 */
import type { ApiFamily, FamilyLimit } from '../trackunit/config.js';

export const KIND_NAMES = ['CustomFieldDefinition', 'Depot', 'Customer', 'Asset', 'Contract'] as const;
export type KindName = (typeof KIND_NAMES)[number];

/** A safety threshold: a change set larger than either limit is a breach (exit 3). */
export interface Threshold {
  /** Share of the kind's managed live objects, 0–100. */
  percent?: number;
  /** Absolute number of objects. */
  count?: number;
}

/**
 * Thresholds per kind. Field by field, a kind's entry wins over `default`, which wins over the built-in
 * limits (deletes only: DEFAULT_MAX_DELETES in src/core/safety.ts), so writing one field never drops another.
 */
export type ThresholdMap = Partial<Record<KindName | 'default', Threshold>>;

export interface ProjectConfigFile {
  apiVersion?: 'tug/v1';
  /**
   * Globs relative to tug.yaml, confined to its directory (no absolute path, no `..`; a symbolic link to
   * outside is an error); default `manifests/**\/*.yaml` and `manifests/**\/*.yml`.
   */
  manifests?: string[];
  trackunit?: {
    /** Iris API base URL, or `sandbox` for an embedded sandbox. Default https://iris.trackunit.com. */
    irisUrl?: string;
    authUrl?: string;
    /** Which token flow the credentials in the environment are for; default: v1 when TRACKUNIT_USERNAME is set, else v2. */
    auth?: 'v1' | 'v2';
    /** v2 scopes to request. */
    scopes?: string[];
  };
  rateLimits?: Partial<Record<ApiFamily, FamilyLimit>>;
  /** Changes applied at once within a dependency level. */
  concurrency?: number;
  /** Lock, journal and caches; relative to tug.yaml; default `state`. */
  stateDir?: string;
  prune?: {
    /** Kinds whose managed objects tug may delete when their manifest disappears. Default: none. */
    kinds?: KindName[];
    /**
     * `Depot/…` and `Customer/…` patterns (`*` wildcard) deleted even while live contracts or assets still
     * use them, leaving those references dangling: the plan warns instead of refusing. Default: none.
     */
    allowDanglingReferences?: string[];
  };
  /** `Kind/identity` patterns (`*` wildcard) that are never deleted. */
  protect?: string[];
  safety?: {
    /** Under the built-in 5 per kind and 30 % (from 10 managed objects on). */
    maxDeletes?: ThresholdMap;
    /** No built-in limit. */
    maxUpdates?: ThresholdMap;
    /** Refuse a plan that would delete every managed object of a kind (default true). */
    guardEmptyDesiredState?: boolean;
  };
}
