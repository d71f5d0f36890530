/**
 * Per-run metrics of the client, returned to callers so plan, apply and snapshot can print them:
 * requests, retries, 429s and errors per API family, bytes in and out, time spent waiting on the rate
 * scheduler, and token requests.
 */
export interface FamilyMetrics {
  requests: number;
  retries: number;
  rateLimited: number;
  errors: number;
  bytesIn: number;
  bytesOut: number;
  waitMs: number;
}

export interface MetricsSnapshot {
  families: Record<string, FamilyMetrics>;
  totals: FamilyMetrics;
  tokenRequests: number;
  /** Token requests that repeated a failed one (transient failures of the authorization server). */
  tokenRetries: number;
}

const empty = (): FamilyMetrics => ({ requests: 0, retries: 0, rateLimited: 0, errors: 0, bytesIn: 0, bytesOut: 0, waitMs: 0 });

export class RunMetrics {
  private readonly families = new Map<string, FamilyMetrics>();
  tokenRequests = 0;
  tokenRetries = 0;

  family(name: string): FamilyMetrics {
    let m = this.families.get(name);
    if (!m) {
      m = empty();
      this.families.set(name, m);
    }
    return m;
  }

  addWait(family: string, ms: number): void {
    this.family(family).waitMs += ms;
  }

  snapshot(): MetricsSnapshot {
    const families: Record<string, FamilyMetrics> = {};
    const totals = empty();
    for (const [name, m] of [...this.families.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      families[name] = { ...m };
      for (const key of Object.keys(totals) as Array<keyof FamilyMetrics>) totals[key] += m[key];
    }
    return { families, totals, tokenRequests: this.tokenRequests, tokenRetries: this.tokenRetries };
  }
}

/** Metrics of the requests made between two snapshots of the same client. */
export function metricsDelta(before: MetricsSnapshot, after: MetricsSnapshot): MetricsSnapshot {
  const minus = (a: FamilyMetrics, b: FamilyMetrics | undefined): FamilyMetrics =>
    Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - (b?.[k as keyof FamilyMetrics] ?? 0)])) as unknown as FamilyMetrics;
  const families: Record<string, FamilyMetrics> = {};
  for (const [name, m] of Object.entries(after.families)) {
    const d = minus(m, before.families[name]);
    if (Object.values(d).some((v) => v !== 0)) families[name] = d;
  }
  return {
    families,
    totals: minus(after.totals, before.totals),
    tokenRequests: after.tokenRequests - before.tokenRequests,
    tokenRetries: after.tokenRetries - before.tokenRetries,
  };
}
