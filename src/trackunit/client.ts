/**
 * TrackunitClient: the only code in tug that speaks HTTP to Trackunit. Every request goes through the
 * same steps — rate scheduler slot → access token → transport → classify → (retry | result | error) —
 * and is counted in the run's metrics. Endpoint modules (endpoints/<api>.ts) build on `request()`.
 */
import type { ApiFamily, ClientConfig } from './config.js';
import { ApiError, OutcomeUnknownError, safePath, type OutcomeLookup, type Violation } from './errors.js';
import { UndiciTransport, type HttpResponse, type Transport } from './http.js';
import { RunMetrics, type FamilyMetrics, type MetricsSnapshot } from './metrics.js';
import { RateScheduler, realClock, type SchedulerClock } from './rate-scheduler.js';
import { attemptsAfterNetworkError, backoffMs, classifyNetworkError, classifyStatus, networkErrorCode, parseRetryAfter, unreachableReason, type Verdict } from './retry.js';
import { TOKEN_MAX_ATTEMPTS, TokenProvider } from './auth.js';

export type QueryValue = string | number | boolean | undefined | null | Array<string | number>;

export interface RequestSpec {
  family: ApiFamily;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path on the Iris base URL, e.g. `/api/site/v1/sites`. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Default: everything but POST. A non-idempotent request is never retried after an ambiguous failure. */
  idempotent?: boolean;
  /** For creates: how to re-read the object if the outcome is unknown. */
  lookup?: OutcomeLookup;
  /** `Accept` header; default application/json. */
  accept?: string;
  /** Overrides the configured attempts (the ISO export: every repeat of a URL spends its scarce pool). */
  maxAttempts?: number;
}

export interface ApiResponse<T> {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the response is JSON, otherwise undefined (see `text`). */
  body: T;
  text: string;
}

export interface ClientDeps {
  transport?: Transport;
  clock?: SchedulerClock;
  /** Randomness for backoff jitter (tests pass a fixed one). */
  random?: () => number;
}

function buildUrl(base: string, path: string, query: Record<string, QueryValue> | undefined): URL {
  const url = new URL(path, base);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
  }
  return url;
}

function parseJson(response: HttpResponse): unknown {
  if (!(response.headers['content-type'] ?? '').includes('json') || response.text === '') return undefined;
  try {
    return JSON.parse(response.text);
  } catch {
    return undefined;
  }
}

/** The network error's own words, and for an unreachable host the URL it could not reach. */
function networkMessage(error: unknown, code: string, url: URL): string {
  const reason = unreachableReason(code);
  return reason ? `${reason} at ${url.origin}` : ((error as Error)?.message ?? 'network error');
}

function unreachableHint(code: string, hostAnswered: boolean): { hint?: string } {
  if (unreachableReason(code) === undefined || hostAnswered) return {};
  return {
    hint: 'Nothing answers at the Iris URL. Check --iris-url, TRACKUNIT_IRIS_URL or trackunit.irisUrl in tug.yaml (for a local sandbox: is `tug sandbox` running on that port?).',
  };
}

type FailInit = { apiCode?: string; message: string; violations?: Violation[]; cause?: unknown; retryAfterMs?: number; hint?: string };

/** One call of TrackunitClient.request, shared by its attempts. */
interface Call {
  spec: RequestSpec;
  url: URL;
  idempotent: boolean;
  body: string | undefined;
  metrics: FamilyMetrics;
  maxAttempts: number;
  fail(status: number, attempts: number, init: FailInit): ApiError;
}

/** One attempt: the token it used, and the response or the network error. */
type Sent = { token: string; response: HttpResponse; networkError?: undefined } | { token: string; response?: undefined; networkError: unknown };

export class TrackunitClient {
  readonly metrics = new RunMetrics();
  readonly scheduler: RateScheduler;
  private readonly tokens: TokenProvider;
  private readonly transport: Transport;
  private readonly clock: SchedulerClock;
  private readonly random: () => number;
  /** Iris has answered at least once (any status): from then on a refused connection is a restart, retried in full. */
  private hostAnswered = false;

  constructor(
    readonly config: ClientConfig,
    deps: ClientDeps = {},
  ) {
    this.transport = deps.transport ?? new UndiciTransport(config.timeouts);
    this.clock = deps.clock ?? realClock;
    this.random = deps.random ?? Math.random;
    this.scheduler = new RateScheduler(config.limits, this.clock, this.metrics);
    const tokenAttempts = Math.max(1, Math.min(TOKEN_MAX_ATTEMPTS, config.retry.maxAttempts));
    this.tokens = new TokenProvider(config.auth, config.authUrl, this.transport, this.clock, this.metrics, tokenAttempts);
  }

  /** Fetch a token now (doctor's credential check); returns nothing secret. */
  async authenticate(): Promise<void> {
    await this.tokens.token();
  }

  metricsSnapshot(): MetricsSnapshot {
    return this.metrics.snapshot();
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  /**
   * One API call with the client's policies: the family's rate limit, a token (renewed once after a 401),
   * metrics, and retries — of idempotent requests after network errors and retryable statuses, of any
   * request after a 429 (nothing was written); a non-idempotent one whose outcome is unknown throws
   * OutcomeUnknownError with its look-up instead of being sent again.
   */
  async request<T = unknown>(spec: RequestSpec): Promise<ApiResponse<T>> {
    const call = this.callOf(spec);
    let renewedAfter401 = false;
    for (let attempt = 1; ; attempt += 1) {
      const sent = await this.send(call);
      let verdict: Verdict;
      if (sent.response === undefined) {
        verdict = this.judgeNetworkError(call, attempt, sent.networkError);
      } else {
        this.hostAnswered = true;
        if (sent.response.status < 400) {
          this.scheduler.onSuccess(spec.family);
          return { status: sent.response.status, headers: sent.response.headers, body: parseJson(sent.response) as T, text: sent.response.text };
        }
        if (sent.response.status === 401 && !renewedAfter401) {
          // The token may have expired early or been revoked: renew once, retry once.
          renewedAfter401 = true;
          this.tokens.invalidate(sent.token);
          call.metrics.retries += 1;
          attempt -= 1;
          continue;
        }
        verdict = this.judgeStatus(call, attempt, sent.response);
      }
      if (verdict.action === 'unknown-outcome') {
        call.metrics.errors += 1;
        const { method, family } = spec;
        const init = {
          method,
          path: safePath(call.url),
          status: sent.response?.status ?? 0,
          attempts: attempt,
          family,
          apiCode: verdict.reason,
          message: `ambiguous failure (${verdict.reason})`,
        };
        throw new OutcomeUnknownError(init, spec.lookup);
      }
      call.metrics.retries += 1;
      // 429s wait in the scheduler (the family is paused); everything else backs off here.
      if (sent.response?.status !== 429) await this.clock.sleep(backoffMs(attempt, this.config.retry, this.random));
    }
  }

  /** What every attempt of one call shares. */
  private callOf(spec: RequestSpec): Call {
    const url = buildUrl(this.config.irisUrl, spec.path, spec.query);
    return {
      spec,
      url,
      idempotent: spec.idempotent ?? spec.method !== 'POST',
      body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
      metrics: this.metrics.family(spec.family),
      maxAttempts: spec.maxAttempts ?? this.config.retry.maxAttempts,
      fail: (status, attempts, init) => new ApiError({ method: spec.method, path: safePath(url), status, attempts, family: spec.family, ...init }),
    };
  }

  /** One attempt on the wire, inside the family's rate limit: the response, or the network error. */
  private async send(call: Call): Promise<Sent> {
    const { spec, body, metrics } = call;
    const slot = await this.scheduler.acquire(spec.family);
    let token = '';
    try {
      token = await this.tokens.token();
      metrics.requests += 1;
      metrics.bytesOut += body ? Buffer.byteLength(body) : 0;
      const headers = {
        authorization: `Bearer ${token}`,
        accept: spec.accept ?? 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...spec.headers,
      };
      const response = await this.transport.send({ method: spec.method, url: call.url, headers, body });
      metrics.bytesIn += response.bytesIn;
      return { token, response };
    } catch (error) {
      if (!token) throw error; // the token itself failed: an AuthError, already descriptive
      return { token, networkError: error };
    } finally {
      slot.release();
    }
  }

  /** After a network error: retry, or throw once retries are spent or it cannot be retried. */
  private judgeNetworkError(call: Call, attempt: number, networkError: unknown): Verdict {
    const code = networkErrorCode(networkError);
    const verdict = classifyNetworkError(code, call.idempotent);
    if (verdict.action === 'fail' || (verdict.action === 'retry' && attempt >= attemptsAfterNetworkError(code, this.hostAnswered, call.maxAttempts))) {
      call.metrics.errors += 1;
      throw call.fail(0, attempt, { apiCode: code, message: networkMessage(networkError, code, call.url), cause: networkError, ...unreachableHint(code, this.hostAnswered) });
    }
    return verdict;
  }

  /** After an error status (not a first 401): retry (a 429 pauses the family), or throw. */
  private judgeStatus(call: Call, attempt: number, response: HttpResponse): Verdict {
    const errorBody = (parseJson(response) ?? {}) as { code?: string; message?: string; violations?: Violation[] };
    const details = { apiCode: errorBody.code, message: errorBody.message ?? `HTTP ${response.status}`, violations: errorBody.violations };
    const verdict = classifyStatus(response.status, call.idempotent);
    const retryAfter = response.status === 429 ? parseRetryAfter(response.headers['retry-after'], this.clock.now()) : undefined;
    if (response.status === 429) {
      call.metrics.rateLimited += 1;
      const { maxRetryAfterMs } = this.config.retry;
      if (retryAfter !== undefined && retryAfter > maxRetryAfterMs) {
        call.metrics.errors += 1;
        const message = `${details.message} (Retry-After ${Math.round(retryAfter / 1000)} s is longer than the ${maxRetryAfterMs / 1000} s we wait)`;
        throw call.fail(429, attempt, { ...details, retryAfterMs: retryAfter, message });
      }
      this.scheduler.onRateLimited(call.spec.family, retryAfter, maxRetryAfterMs);
    }
    if (verdict.action === 'fail' || (verdict.action === 'retry' && attempt >= call.maxAttempts)) {
      call.metrics.errors += 1;
      throw call.fail(response.status, attempt, { ...details, ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }) });
    }
    return verdict;
  }
}
