/**
 * Rate limiting of the sandbox.
 *
 * REST APIs: no numbers are published (DH:api-docs/rate-limit.md), so each family gets a configurable
 * token bucket, unlimited by default [assumed], answering 429 with the error object and a Retry-After
 * header in seconds ([assumed]: Retry-After is not documented for Trackunit).
 *
 * ISO 15143-3 export [documented]: one request per URL per 15 minutes; a troubleshooting pool of 50
 * extra requests per URL, each available again 30 days after use; 50 req/s to fleet snapshot pages and
 * 500 req/s to the single-element endpoint per customer. The key is the full URL including the query
 * string [assumed: the docs do not say whether the query is part of "the URL"].
 */
import type { Clock } from './clock.js';
import type { Family } from './router.js';

export interface BucketLimit {
  /** Sustained requests per second. */
  ratePerSecond: number;
  /** Requests that may arrive at once (bucket size); defaults to ratePerSecond. */
  burst?: number;
}

export type RateLimits = Partial<Record<Family, BucketLimit>>;

/** Result of asking a limiter: allowed, or refused with the seconds to wait. */
export type Admission = { allowed: true; pooled?: boolean } | { allowed: false; retryAfterSeconds: number; reason: string };

class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly limit: Required<BucketLimit>,
    private readonly clock: Clock,
  ) {
    this.tokens = limit.burst;
    this.updatedAt = clock.now();
  }

  take(): Admission {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.limit.burst, this.tokens + elapsed * this.limit.ratePerSecond);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { allowed: true };
    }
    const waitSeconds = (1 - this.tokens) / this.limit.ratePerSecond;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds)), reason: 'rate limit exceeded' };
  }
}

export class RestRateLimiter {
  private buckets = new Map<Family, TokenBucket>();

  constructor(
    private readonly clock: Clock,
    limits: RateLimits = {},
  ) {
    this.configure(limits);
  }

  configure(limits: RateLimits): void {
    this.buckets = new Map();
    for (const [family, limit] of Object.entries(limits) as Array<[Family, BucketLimit | undefined]>) {
      if (!limit || !(limit.ratePerSecond > 0)) continue;
      this.buckets.set(family, new TokenBucket({ ratePerSecond: limit.ratePerSecond, burst: limit.burst ?? limit.ratePerSecond }, this.clock));
    }
  }

  admit(family: Family): Admission {
    return this.buckets.get(family)?.take() ?? { allowed: true };
  }
}

export interface IsoLimits {
  perUrlWindowMs: number;
  poolSize: number;
  poolWindowMs: number;
  fleetPerSecond: number;
  singlePerSecond: number;
}

export const DOCUMENTED_ISO_LIMITS: IsoLimits = {
  perUrlWindowMs: 15 * 60 * 1000,
  poolSize: 50,
  poolWindowMs: 30 * 24 * 3600 * 1000,
  fleetPerSecond: 50,
  singlePerSecond: 500,
};

interface UrlBudget {
  lastNormalAt: number;
  poolUses: number[];
}

/** The ISO export's documented rules, exactly; observable counters for tests. */
export class IsoRateLimiter {
  private readonly urls = new Map<string, UrlBudget>();
  private readonly windows = { fleet: [] as number[], single: [] as number[] };
  /** Every troubleshooting-pool request ever granted (tests assert normal runs leave it at 0). */
  poolUsesTotal = 0;

  constructor(
    private readonly clock: Clock,
    readonly limits: IsoLimits = DOCUMENTED_ISO_LIMITS,
  ) {}

  admit(kind: 'fleet' | 'single', urlKey: string): Admission {
    const now = this.clock.now();
    const perSecond = this.perSecond(kind, now);
    if (!perSecond.allowed) return perSecond;

    const budget = this.urls.get(urlKey) ?? { lastNormalAt: Number.NEGATIVE_INFINITY, poolUses: [] };
    this.urls.set(urlKey, budget);
    if (now - budget.lastNormalAt >= this.limits.perUrlWindowMs) {
      budget.lastNormalAt = now;
      this.windows[kind].push(now);
      return { allowed: true };
    }
    budget.poolUses = budget.poolUses.filter((t) => now - t < this.limits.poolWindowMs);
    if (budget.poolUses.length < this.limits.poolSize) {
      budget.poolUses.push(now);
      this.poolUsesTotal += 1;
      this.windows[kind].push(now);
      return { allowed: true, pooled: true };
    }
    const waitMs = budget.lastNormalAt + this.limits.perUrlWindowMs - now;
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
      reason: 'only one request per URL every 15 minutes is allowed and the troubleshooting pool for this URL is used up',
    };
  }

  /** Pool requests used for one URL within the last 30 days. */
  poolUsesFor(urlKey: string): number {
    const now = this.clock.now();
    return (this.urls.get(urlKey)?.poolUses ?? []).filter((t) => now - t < this.limits.poolWindowMs).length;
  }

  private perSecond(kind: 'fleet' | 'single', now: number): Admission {
    const limit = kind === 'fleet' ? this.limits.fleetPerSecond : this.limits.singlePerSecond;
    const window = this.windows[kind].filter((t) => now - t < 1000);
    this.windows[kind] = window;
    if (window.length >= limit) {
      return { allowed: false, retryAfterSeconds: 1, reason: `more than ${limit} requests per second to this endpoint` };
    }
    return { allowed: true };
  }
}
