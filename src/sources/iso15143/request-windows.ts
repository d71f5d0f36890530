/**
 * The ISO export's per-URL rules as a pure decision (../shared/trackunit-api/iso-export.md, "Rate
 * limiting"): given what the cache index remembers about one URL, may tug serve the cached response,
 * send a request (normal or from the troubleshooting pool), or must it refuse?
 *
 * [documented] one request per URL per 15 minutes; 50 extra "troubleshooting" requests per URL, each
 *   back 30 days after use. [assumed] a request refused with 429 does not count against either; a
 *   request without any response (network error) does (it may have reached the server).
 * tug's rule on top: the pool is spent only when the caller allows it (`--use-troubleshooting-pool`).
 */

export const ISO_URL_WINDOW_MS = 15 * 60 * 1000;
export const ISO_POOL_SIZE = 50;
export const ISO_POOL_WINDOW_MS = 30 * 24 * 3600 * 1000;

/** One request tug sent for a URL. `status` 0: no response (network error, or the run stopped). */
export interface RequestRecord {
  at: string;
  status: number;
  /** Sent within 15 minutes of the URL's last normal request: the server counted it against the pool. */
  pool?: true;
}

/** The usable response kept for a URL: a 200 body in a file, or a 404 (single element not found). */
export interface CachedResponse {
  status: 200 | 404;
  fetchedAt: string;
  /** File name inside the cache directory (200 only). */
  file?: string;
  sha256?: string;
  contentType?: string;
  bytes: number;
}

/** What the index remembers about one full URL (path and query string). */
export interface UrlEntry {
  requests: RequestRecord[];
  response?: CachedResponse;
  /** The server refused the URL (429) until this time. */
  notBefore?: string;
}

export interface CachePolicy {
  /** Serve a cached response younger than this; raised to 15 minutes unless the pool is allowed. */
  maxAgeMs: number;
  /** `--use-troubleshooting-pool`: a URL requested less than 15 minutes ago may be requested again. */
  allowPool: boolean;
}

export type RefusalReason = 'cooling-down' | 'pool-exhausted' | 'server-refused';

export type Decision =
  | { action: 'serve'; response: CachedResponse; ageMs: number }
  | { action: 'request'; pool: boolean }
  | {
      action: 'refuse';
      reason: RefusalReason;
      /** When tug may ask for the URL again (epoch ms). */
      retryAt: number;
      lastRequest?: RequestRecord;
      /** A cached response older than the allowed age, if any (the user may accept it with --max-age). */
      stale?: CachedResponse;
    };

const time = (iso: string | undefined): number => (iso === undefined ? Number.NaN : Date.parse(iso));

/** The age limit actually applied: never under the 15-minute rule unless the pool may be spent. */
export function effectiveMaxAge(policy: CachePolicy): number {
  return policy.allowPool ? Math.max(0, policy.maxAgeMs) : Math.max(policy.maxAgeMs, ISO_URL_WINDOW_MS);
}

/** Requests the server counted (not refused with 429). */
const counted = (entry: UrlEntry | undefined) => (entry?.requests ?? []).filter((r) => r.status !== 429 && !Number.isNaN(time(r.at)));

/** Time of the last request that used the URL's normal 15-minute allowance. */
export function lastNormalRequest(entry: UrlEntry | undefined): number | undefined {
  const normal = counted(entry).filter((r) => !r.pool).map((r) => time(r.at));
  return normal.length === 0 ? undefined : Math.max(...normal);
}

/** Pool requests of the URL still unavailable at `now` (each comes back 30 days after use). */
export function poolUsesWithin(entry: UrlEntry | undefined, now: number): number {
  return counted(entry).filter((r) => r.pool && now - time(r.at) < ISO_POOL_WINDOW_MS).length;
}

export function decide(entry: UrlEntry | undefined, now: number, policy: CachePolicy): Decision {
  const response = entry?.response;
  const age = response ? now - time(response.fetchedAt) : Number.NaN;
  if (response && !Number.isNaN(age) && age < effectiveMaxAge(policy)) return { action: 'serve', response, ageMs: Math.max(0, age) };

  const stale = response ? { stale: response } : {};
  const lastRequest = counted(entry).at(-1);
  const notBefore = time(entry?.notBefore);
  if (notBefore > now) return { action: 'refuse', reason: 'server-refused', retryAt: notBefore, ...(lastRequest ? { lastRequest } : {}), ...stale };

  const lastNormal = lastNormalRequest(entry);
  if (lastNormal === undefined || now - lastNormal >= ISO_URL_WINDOW_MS) return { action: 'request', pool: false };
  const retryAt = lastNormal + ISO_URL_WINDOW_MS;
  const refuse = (reason: RefusalReason): Decision => ({ action: 'refuse', reason, retryAt, ...(lastRequest ? { lastRequest } : {}), ...stale });
  if (!policy.allowPool) return refuse('cooling-down');
  if (poolUsesWithin(entry, now) >= ISO_POOL_SIZE) return refuse('pool-exhausted');
  return { action: 'request', pool: true };
}

/** One URL's budget, for `tug state show`. */
export interface UrlBudget {
  url: string;
  /** Last request the server counted (ISO 8601), if any. */
  lastRequestAt?: string;
  /** When a normal (non-pool) request may be sent again (ISO 8601); absent: now. */
  nextFreeAt?: string;
  /** Troubleshooting requests left now (of 50). */
  poolLeft: number;
  /** When the cached response was fetched, if one is kept. */
  cachedAt?: string;
}

/** What `tug state show` says about one URL: when it may be asked normally again, and the pool left. */
export function budgetOf(url: string, entry: UrlEntry, now: number): UrlBudget {
  const last = counted(entry).at(-1);
  const lastNormal = lastNormalRequest(entry);
  const free = Math.max(lastNormal === undefined ? -Infinity : lastNormal + ISO_URL_WINDOW_MS, time(entry.notBefore) || -Infinity);
  return {
    url,
    ...(last ? { lastRequestAt: last.at } : {}),
    ...(free > now ? { nextFreeAt: new Date(free).toISOString() } : {}),
    poolLeft: Math.max(0, ISO_POOL_SIZE - poolUsesWithin(entry, now)),
    ...(entry.response ? { cachedAt: entry.response.fetchedAt } : {}),
  };
}

/** Forget what no longer matters: requests older than the 30-day pool window (keeping the last one). */
export function pruneEntry(entry: UrlEntry, now: number): void {
  const keep = entry.requests.filter((r, i) => i === entry.requests.length - 1 || now - time(r.at) < ISO_POOL_WINDOW_MS);
  entry.requests = keep;
  if (entry.notBefore !== undefined && time(entry.notBefore) <= now) delete entry.notBefore;
}
