/**
 * The project configuration, `tug.yaml`: where the manifests are, how to reach Trackunit (credentials
 * never live here — only in environment variables), rate limits, state directory, prune scope,
 * protection and safety thresholds. schemas/tug.schema.json is its published JSON Schema.
 */
import type { KindName } from '../core/manifest.js';
import type { ThresholdMap } from '../core/safety.js';
import type { ApiFamily, FamilyLimit } from '../trackunit/config.js';

export type { KindName } from '../core/manifest.js';
export type { Threshold, ThresholdMap } from '../core/safety.js';


export interface StateConfig {
  backend?: 'local' | 'postgres';
  /** postgres: the schema of tug's tables; default `tug`. */
  schema?: string;
}

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
  /** The state backend: `local` (stateDir, the default) or `postgres` (TUG_STATE_DATABASE_URL). */
  state?: StateConfig;
  /** The inventory of per-object reads (src/core/inventory.ts). */
  refresh?: {
    /** Every per-object read is re-read live at least this often (`24h`, `90m`, `2d`); default 24h. */
    maxAge?: string;
  };
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
