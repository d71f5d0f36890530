/**
 * The API the plan budgets against: its families (each with its own rate limit, token bucket and
 * metrics, enforced by the client) and their limits. A leaf: it imports nothing.
 */
/** API families: each has its own rate limit, token bucket and metrics (the client enforces them). */
export const API_FAMILIES = ['sites', 'customers', 'custom-fields', 'assets', 'rental', 'iso-fleet', 'iso-single'] as const;
export type ApiFamily = (typeof API_FAMILIES)[number];

export interface FamilyLimit {
  /** Sustained requests per second. */
  ratePerSecond: number;
  /** Requests allowed at once after a quiet period; defaults to ratePerSecond. */
  burst?: number;
  /** Requests in flight at once. */
  maxInFlight?: number;
}
