/**
 * The request budget of a plan: API calls per family and the predicted apply duration from the
 * configured rate limits. Batches (phase + level) run one after the other; within one, the families
 * proceed in parallel, each at its own rate.
 */
import type { ApiFamily, FamilyLimit } from './api.js';
import { executionBatches } from './order.js';
import type { Budget, Change } from './plan.js';

export { API_FAMILIES, type ApiFamily, type FamilyLimit } from './api.js';
export function computeBudget(changes: Change[], limits: Record<ApiFamily, FamilyLimit>): Budget {
  const requests: Partial<Record<ApiFamily, number>> = {};
  let predictedSeconds = 0;
  for (const batch of executionBatches(changes)) {
    const perFamily: Partial<Record<ApiFamily, number>> = {};
    for (const change of batch) {
      for (const request of change.requests) {
        perFamily[request.family] = (perFamily[request.family] ?? 0) + 1;
        requests[request.family] = (requests[request.family] ?? 0) + 1;
      }
    }
    let slowest = 0;
    for (const [family, count] of Object.entries(perFamily) as Array<[ApiFamily, number]>) {
      const limit = limits[family];
      const burst = Math.max(1, limit.burst ?? limit.ratePerSecond);
      slowest = Math.max(slowest, Math.max(0, count - burst) / limit.ratePerSecond);
    }
    predictedSeconds += slowest;
  }
  const totalRequests = Object.values(requests).reduce((a, b) => a + (b ?? 0), 0);
  return { requests, totalRequests, predictedSeconds: Math.round(predictedSeconds * 10) / 10 };
}

/** "about 17 minutes", "about 40 seconds", "under a second". */
export function describeDuration(seconds: number): string {
  if (seconds < 1) return 'under a second';
  if (seconds < 90) return `about ${Math.round(seconds)} seconds`;
  if (seconds < 90 * 60) return `about ${Math.round(seconds / 60)} minutes`;
  return `about ${(seconds / 3600).toFixed(1)} hours`;
}
