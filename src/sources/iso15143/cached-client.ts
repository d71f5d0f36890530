/**
 * A TrackunitClient stand-in for `isoApi()` that puts the ledger (cache and per-URL budget, ledger.ts) in front of
 * every ISO request, so the endpoint module (paths, paging, parsing) is used unchanged:
 *
 * - a fresh cached response is returned without any request (and without a token);
 * - otherwise the request is noted in the index first, then sent with ONE attempt: the client's own
 *   ISO retries would repeat the URL within 15 minutes, i.e. spend the troubleshooting pool;
 * - a 429 of the per-second limit (short Retry-After: the scheduler has paused the family) is sent
 *   again — it did not count against the URL [assumed]; a 429 with a long Retry-After (the 15-minute
 *   rule, pool used up) fails with the absolute time the URL may be asked again;
 * - any other failure fails the run with the time the URL may be asked again; the pool is only ever
 *   spent when the policy allows it, and then at most once per URL and run.
 */
import { TugError } from '../../errors.js';
import type { ApiResponse, RequestSpec, TrackunitClient } from '../../trackunit/client.js';
import { parseIsoDocument } from '../../trackunit/endpoints/iso.js';
import { ApiError, AuthError, safePath } from '../../trackunit/errors.js';
import type { Claim, IsoLedger, RequestTicket } from './ledger.js';
import { ISO_URL_WINDOW_MS, type CachePolicy, type Decision } from './request-windows.js';

/** What one run did, for the summary line and tests. */
export interface IsoRunStats {
  /** HTTP requests sent to the export (429s included). */
  requests: number;
  /** Requests sent within 15 minutes of the URL's last normal one (troubleshooting pool). */
  poolRequests: number;
  /** 429s of the per-second limit, sent again after the scheduler's pause. */
  throttled: number;
  /** Responses served from the cache. */
  fromCache: number;
  /** Fetch time (epoch ms) of the oldest cached response served. */
  oldestCachedAt?: number;
}

export interface CachedClientOptions {
  now: () => number;
  policy: CachePolicy;
}

/** Consecutive per-second 429s tolerated for one URL before giving up. */
const MAX_THROTTLES = 8;
/**
 * A URL another run (another runner, with a shared state store) is fetching right now: its answer will be
 * in the cache in a moment, so wait for it rather than refuse — for at most this long (real time), and
 * only while that request is younger than this by the run's clock (an older one belongs to a run that died).
 */
const IN_FLIGHT_WAIT_MS = 60_000;
const IN_FLIGHT_POLL_MS = 250;

export const formatTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function minutesFrom(now: number, at: number): string {
  const minutes = Math.max(0, Math.ceil((at - now) / 60_000));
  return minutes <= 1 ? 'in about a minute' : `in ${minutes} minutes`;
}

/** The URL exactly as the client sends it (origin, path, query) — the key of the per-URL rule. */
export function requestUrl(irisUrl: string, spec: Pick<RequestSpec, 'path' | 'query'>): string {
  const url = new URL(spec.path, irisUrl);
  for (const [key, value] of Object.entries(spec.query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
  }
  return url.href;
}

/** Network errors raised before the request left (retry.ts's "not sent" set). */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * The request certainly did not use the URL's allowance: no token (AuthError), the connection never
 * opened, or the gateway refused the token (401/403 — [assumed] checked before the rate limit).
 */
function notSent(error: unknown): boolean {
  if (error instanceof AuthError) return true;
  if (!(error instanceof ApiError)) return false;
  return error.status === 401 || error.status === 403 || (error.status === 0 && NOT_SENT.has(error.apiCode ?? ''));
}

/** A Retry-After longer than the client waits (it failed at once instead); undefined otherwise. */
function longRetryAfterMs(error: ApiError, maxWaitMs: number): number | undefined {
  return error.retryAfterMs !== undefined && error.retryAfterMs > maxWaitMs ? error.retryAfterMs : undefined;
}

function refusal(url: string, decision: Extract<Decision, { action: 'refuse' }>, now: number): TugError {
  const path = safePath(new URL(url));
  const when = `${formatTime(decision.retryAt)} (${minutesFrom(now, decision.retryAt)})`;
  const last = decision.lastRequest;
  const lastText = last ? ` was requested at ${formatTime(Date.parse(last.at))} ${last.status === 0 ? 'without a response' : `(HTTP ${last.status})`} and` : '';
  const staleHint = decision.stale ? ` A copy fetched at ${decision.stale.fetchedAt} is cached: a longer --max-age serves it.` : '';
  const meta = { url: path, retryAt: formatTime(decision.retryAt), reason: decision.reason };
  if (decision.reason === 'cooling-down') {
    return new TugError(
      'iso_url_cooling_down',
      `GET ${path}${lastText} has no usable cached response; Trackunit allows one request per URL every 15 minutes, so it may be asked again at ${when}`,
      {
        hint: `Run again after ${formatTime(decision.retryAt)}, or pass --use-troubleshooting-pool to spend one of this URL's 50 troubleshooting requests (each comes back after 30 days).${staleHint}`,
        meta,
      },
    );
  }
  const why = decision.reason === 'pool-exhausted' ? 'its 50 troubleshooting requests are used up' : 'Trackunit refused it (429)';
  return new TugError('iso_rate_limited', `GET ${path}: ${why}; it may be asked again at ${when}`, {
    hint: `Run again after ${formatTime(decision.retryAt)}.${staleHint}`,
    meta,
  });
}

function failed(error: unknown, url: string, ticket: RequestTicket, now: number): TugError {
  const retryAt = Date.parse(ticket.at) + ISO_URL_WINDOW_MS;
  const path = safePath(new URL(url));
  const message = error instanceof Error ? error.message : String(error);
  const hint = `Trackunit allows one request per URL every 15 minutes: tug asks for ${path} again from ${formatTime(retryAt)} (${minutesFrom(now, retryAt)}); responses that arrived are cached, so a later run only asks for what is missing. --use-troubleshooting-pool asks now, from the URL's 50-request pool.`;
  const meta = { ...(error instanceof TugError ? error.meta : {}), url: path, retryAt: formatTime(retryAt) };
  const code = error instanceof TugError && error.code === 'iso_unreadable' ? 'iso_unreadable' : 'iso_request_failed';
  return new TugError(code, message, { hint, meta, cause: error });
}

export interface CachedIsoClient {
  /** Pass to `isoApi()`. */
  client: TrackunitClient;
  stats: IsoRunStats;
  /** Resolves once every request started has been recorded (call before exiting after a failure). */
  settle(): Promise<void>;
}

/** One run's ISO requests through the cache: decide, serve from the cache or send, and record it. */
class CachedRequests {
  readonly stats: IsoRunStats = { requests: 0, poolRequests: 0, throttled: 0, fromCache: 0 };
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly real: TrackunitClient,
    private readonly ledger: IsoLedger,
    private readonly options: CachedClientOptions,
  ) {}

  private now(): number {
    return this.options.now();
  }

  async request(spec: RequestSpec): Promise<ApiResponse<unknown>> {
    const url = requestUrl(this.real.config.irisUrl, spec);
    const waitUntil = Date.now() + IN_FLIGHT_WAIT_MS;
    for (let throttles = 0; ;) {
      const claim = await this.ledger.claim(url, this.now(), this.options.policy);
      if (claim.action === 'serve') return this.fromCache(url, spec, claim);
      if (claim.action === 'refuse') {
        if (this.inFlightElsewhere(claim) && Date.now() < waitUntil) {
          await new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_POLL_MS));
          continue;
        }
        throw refusal(url, claim, this.now());
      }
      const outcome = await this.send(spec, claim.ticket);
      if (outcome !== 'throttled') return outcome;
      this.stats.throttled += 1;
      throttles += 1;
      if (throttles >= MAX_THROTTLES) {
        throw new TugError('iso_rate_limited', `GET ${safePath(new URL(url))} was refused (429) ${throttles} times in a row by the per-second limit`, {
          hint: 'Lower the iso-fleet / iso-single rate; Trackunit allows 50 fleet pages and 500 single elements per second per customer.',
        });
      }
    }
  }

  /** Refused only because a request for the URL, sent moments ago, has not been answered yet. */
  private inFlightElsewhere(claim: Extract<Claim, { action: 'refuse' }>): boolean {
    const last = claim.lastRequest;
    return claim.reason === 'cooling-down' && last?.status === 0 && this.now() - Date.parse(last.at) < IN_FLIGHT_WAIT_MS;
  }

  private fromCache(url: string, spec: RequestSpec, claim: Extract<Claim, { action: 'serve' }>): ApiResponse<unknown> {
    const { response: stored, cached } = claim;
    this.stats.fromCache += 1;
    const fetchedAt = Date.parse(cached.fetchedAt);
    this.stats.oldestCachedAt = Math.min(this.stats.oldestCachedAt ?? fetchedAt, fetchedAt);
    if (stored.status === 404) {
      throw new ApiError({
        method: 'GET',
        path: safePath(new URL(url)),
        status: 404,
        attempts: 0,
        family: spec.family,
        message: `not found (cached answer of ${cached.fetchedAt})`,
      });
    }
    return { status: 200, headers: { 'content-type': stored.contentType }, body: undefined, text: stored.text };
  }

  private async send(spec: RequestSpec, ticket: RequestTicket): Promise<ApiResponse<unknown> | 'throttled'> {
    const { url, pool } = ticket;
    let response: ApiResponse<unknown>;
    try {
      response = await this.real.request({ ...spec, maxAttempts: 1 });
    } catch (error) {
      if (notSent(error)) {
        await this.ledger.cancel(ticket);
        throw error;
      }
      // A 429 was refused, so it used neither the normal allowance nor the pool.
      this.count(pool && !(error instanceof ApiError && error.status === 429));
      return this.handleFailure(ticket, error);
    }
    this.count(pool);
    try {
      parseIsoDocument(response.text, `GET ${safePath(new URL(url))}`); // only a readable body is kept
    } catch (error) {
      await this.ledger.finish(ticket, response.status, this.now());
      throw failed(error, url, ticket, this.now());
    }
    await this.ledger.finish(ticket, response.status, this.now(), { status: 200, text: response.text, contentType: response.headers['content-type'] ?? '' });
    return response;
  }

  private count(pool: boolean): void {
    this.stats.requests += 1;
    if (pool) this.stats.poolRequests += 1;
  }

  private async handleFailure(ticket: RequestTicket, error: unknown): Promise<'throttled'> {
    const { url } = ticket;
    const status = error instanceof ApiError ? error.status : 0;
    if (status === 404) {
      await this.ledger.finish(ticket, 404, this.now(), { status: 404, text: '', contentType: '' });
      throw error;
    }
    await this.ledger.finish(ticket, status, this.now());
    if (status !== 429) throw failed(error, url, ticket, this.now());
    const retryAfter = longRetryAfterMs(error as ApiError, this.real.config.retry.maxRetryAfterMs);
    if (retryAfter === undefined) return 'throttled';
    const retryAt = this.now() + retryAfter;
    await this.ledger.refusedUntil(url, retryAt);
    throw refusal(url, { action: 'refuse', reason: 'server-refused', retryAt, lastRequest: { at: ticket.at, status: 429 } }, this.now());
  }

  /** `promise`, remembered until it settles (settle() waits for every one). */
  tracked<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    void promise.then(
      () => this.pending.delete(promise),
      () => this.pending.delete(promise),
    );
    return promise;
  }

  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

export function cachedIsoClient(real: TrackunitClient, ledger: IsoLedger, options: CachedClientOptions): CachedIsoClient {
  const requests = new CachedRequests(real, ledger, options);
  const client = Object.create(real) as TrackunitClient;
  Object.defineProperty(client, 'request', { value: <T>(spec: RequestSpec) => requests.tracked(requests.request(spec)) as Promise<ApiResponse<T>> });
  return { client, stats: requests.stats, settle: () => requests.settle() };
}
