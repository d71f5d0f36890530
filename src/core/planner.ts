/**
 * What a kind's planner (ResourceKind.plan, src/core/kind.ts) takes and returns: the desired and live
 * state and the options in, its changes, problems and what it left alone out. Pure.
 */
import type { ApiFamily, FamilyLimit } from './api.js';
import type { KindName } from './manifest.js';
import type { Change, PlanProblem, SourceFile, UnmanagedObject } from './plan.js';
import type { SafetyPolicy } from './safety.js';
import type { DesiredState, LiveState } from './state.js';

export interface PlanOptions {
  /** Kinds tug may delete managed objects of (tug.yaml prune.kinds). */
  prune: KindName[];
  /**
   * `Kind/identity` patterns (tug.yaml prune.allowDanglingReferences) whose deletes proceed although live
   * contracts or assets still use them: a warning instead of an error (see referenced-deletes.ts).
   */
  allowDanglingReferences?: string[];
  policy: SafetyPolicy;
  limits: Record<ApiFamily, FamilyLimit>;
  /** `Kind/identity` patterns: plan only these (and nothing else). */
  targets?: string[];
  /** tug.yaml and the manifest files with their hashes: recorded in the plan (see PlanSource). */
  sources?: SourceFile[];
}

export interface PlanInput {
  desired: DesiredState;
  live: LiveState;
  options: PlanOptions;
}

export interface KindPlan {
  changes: Change[];
  problems: PlanProblem[];
  unmanaged: UnmanagedObject[];
  /** Live objects of the kind that tug manages (base of the safety percentages). */
  managed: Partial<Record<KindName, number>>;
  /** `Kind/identity` of desired objects marked `protected: true`. */
  protectedIdentities: string[];
}

export function emptyKindPlan(): KindPlan {
  return { changes: [], problems: [], unmanaged: [], managed: {}, protectedIdentities: [] };
}
