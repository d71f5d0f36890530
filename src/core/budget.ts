/**
 * The request budget of a plan: API calls per family and the predicted apply duration from the
 * configured rate limits. Batches (phase + level) run one after the other; within one, the families
 * proceed in parallel, each at its own rate.
 */
import type { ApiFamily, FamilyLimit } from './api.js';
import { executionBatches } from './order.js';
import type { Budget, Change } from './plan.js';

export { API_FAMILIES, type ApiFamily, type FamilyLimit } from './api.js';
/** Seconds `perFamily` requests take at the rate limits, the families in parallel (`burst`: the bucket starts full). */
function phaseSeconds(perFamily: Partial<Record<ApiFamily, number>>, limits: Record<ApiFamily, FamilyLimit>, burst: boolean): number {
  let slowest = 0;
  for (const [family, count] of Object.entries(perFamily) as Array<[ApiFamily, number]>) {
    const limit = limits[family];
    const credit = burst ? Math.max(1, limit.burst ?? limit.ratePerSecond) : 0;
    slowest = Math.max(slowest, Math.max(0, count - credit) / limit.ratePerSecond);
  }
  return slowest;
}

/** What apply's two checks read: the stale check before the first write, the convergence check after the last. */
export interface ApplyReads {
  stale: Partial<Record<ApiFamily, number>>;
  /** The stale check's reads, and those of the objects the changes create (they exist by then). */
  convergence: Partial<Record<ApiFamily, number>>;
  /** Per-object reads each check compares (live or from the inventory): what its planning costs. */
  compared: number;
}

/**
 * Each check also plans: loading the inventory, fingerprinting, planning every object, and the round trips
 * of its phases. Measured on the reference machine (bench/plan.ts, applies of 10 asset changes on 1,000 and
 * 10,000 assets: 0.5 s and 0.6 s per check beyond the rate limits): 0.5 s plus 3 µs per per-object read
 * compared. A slower machine takes longer; the rate limits are the part that does not depend on it.
 */
export const CHECK_SECONDS = 0.5;
export const CHECK_SECONDS_PER_READ = 3e-6;

/** The stale check's reads drain the buckets, so the writes after them get no burst. */
export function computeBudget(changes: Change[], limits: Record<ApiFamily, FamilyLimit>, reads?: ApplyReads): Budget {
  const requests: Partial<Record<ApiFamily, number>> = {};
  const planning = reads ? 2 * (CHECK_SECONDS + CHECK_SECONDS_PER_READ * reads.compared) : 0;
  let predictedSeconds = reads ? phaseSeconds(reads.stale, limits, true) + phaseSeconds(reads.convergence, limits, false) + planning : 0;
  const drained = reads !== undefined && Object.keys(reads.stale).length > 0;
  for (const batch of executionBatches(changes)) {
    const perFamily: Partial<Record<ApiFamily, number>> = {};
    for (const change of batch) {
      for (const request of change.requests) {
        perFamily[request.family] = (perFamily[request.family] ?? 0) + 1;
        requests[request.family] = (requests[request.family] ?? 0) + 1;
      }
    }
    predictedSeconds += phaseSeconds(perFamily, limits, !drained);
  }
  const both: Partial<Record<ApiFamily, number>> = {};
  for (const phase of reads ? [reads.stale, reads.convergence] : []) {
    for (const [family, count] of Object.entries(phase) as Array<[ApiFamily, number]>) {
      requests[family] = (requests[family] ?? 0) + count;
      both[family] = (both[family] ?? 0) + count;
    }
  }
  const totalRequests = Object.values(requests).reduce((a, b) => a + (b ?? 0), 0);
  return { requests, totalRequests, ...(reads ? { reads: both } : {}), predictedSeconds: Math.round(predictedSeconds * 10) / 10 };
}

/** "about 17 minutes", "about 40 seconds", "under a second". */
export function describeDuration(seconds: number): string {
  if (seconds < 1) return 'under a second';
  if (seconds < 90) return `about ${Math.round(seconds)} seconds`;
  if (seconds < 90 * 60) return `about ${Math.round(seconds / 60)} minutes`;
  return `about ${(seconds / 3600).toFixed(1)} hours`;
}
