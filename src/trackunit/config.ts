/**
 * Configuration of the Trackunit client: base URLs, the auth flow and its credentials (environment
 * variables only), rate limits per API family, retries and timeouts — with safe defaults.
 */
import { ConfigError } from '../errors.js';

import type { ApiFamily, FamilyLimit } from '../core/api.js';

/** API families and their limits are the plan's model of the API (src/core/api.ts). */
export { API_FAMILIES, type ApiFamily, type FamilyLimit } from '../core/api.js';

export const DEFAULT_IRIS_URL = 'https://iris.trackunit.com';
export const DEFAULT_AUTH_URL = 'https://auth.trackunit.com';

/** Environment variables holding credentials; nothing else ever supplies a secret. */
export const CREDENTIAL_ENV = {
  clientId: 'TRACKUNIT_CLIENT_ID',
  clientSecret: 'TRACKUNIT_CLIENT_SECRET',
  username: 'TRACKUNIT_USERNAME',
  password: 'TRACKUNIT_PASSWORD',
  scopes: 'TRACKUNIT_SCOPES',
} as const;

export type AuthConfig =
  | { flow: 'v2'; clientId: string; clientSecret: string; scopes: string[] }
  | { flow: 'v1'; clientId: string; clientSecret: string; username: string; password: string; offlineAccess: boolean };

export interface RetryConfig {
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** First backoff step; doubles per attempt with full jitter. */
  baseDelayMs: number;
  /** Cap of one backoff step. */
  maxDelayMs: number;
  /** The longest Retry-After we wait for; a longer one fails the request at once (e.g. the ISO 15-minute rule). */
  maxRetryAfterMs: number;
}

export interface TimeoutConfig {
  connectMs: number;
  /** Time to the response headers. */
  headersMs: number;
  /** Time between body chunks. */
  bodyMs: number;
}

export interface ClientConfig {
  irisUrl: string;
  authUrl: string;
  auth: AuthConfig;
  limits: Record<ApiFamily, FamilyLimit>;
  retry: RetryConfig;
  timeouts: TimeoutConfig;
  /** Page size for list endpoints (max 1000, documented). */
  pageSize: number;
}

/**
 * [assumed] No limits are published for the REST APIs; 10 req/s per family with 8 in flight is a
 * polite default a user can raise in tug.yaml. The ISO limits are documented: 50 req/s to fleet pages,
 * 500 req/s to the single-element endpoint.
 */
export const DEFAULT_LIMITS: Record<ApiFamily, FamilyLimit> = {
  sites: { ratePerSecond: 10, burst: 10, maxInFlight: 8 },
  customers: { ratePerSecond: 10, burst: 10, maxInFlight: 8 },
  'custom-fields': { ratePerSecond: 10, burst: 10, maxInFlight: 8 },
  assets: { ratePerSecond: 10, burst: 10, maxInFlight: 8 },
  rental: { ratePerSecond: 10, burst: 10, maxInFlight: 8 },
  // Burst + rate ≤ the documented per-second limit, so no one-second window ever exceeds it.
  'iso-fleet': { ratePerSecond: 48, burst: 2, maxInFlight: 16 },
  'iso-single': { ratePerSecond: 490, burst: 10, maxInFlight: 32 },
};

/**
 * 10 attempts: with 10 % 429s and 5 % 503s, a 1,000-change apply (~3,000 writes) loses a write about once
 * in 60,000 runs (0.15^10 per write); with 6 attempts it was about once in 20.
 */
export const DEFAULT_RETRY: RetryConfig = { maxAttempts: 10, baseDelayMs: 200, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 };
export const DEFAULT_TIMEOUTS: TimeoutConfig = { connectMs: 10_000, headersMs: 30_000, bodyMs: 60_000 };

/** Read credentials from the environment: v1 when a username is set, v2 otherwise (scopes: TRACKUNIT_SCOPES, else `defaultScopes` from tug.yaml, else all tug needs). */
export function authFromEnv(env: NodeJS.ProcessEnv, defaultScopes?: string[]): AuthConfig {
  const get = (name: string) => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const clientId = get(CREDENTIAL_ENV.clientId);
  const clientSecret = get(CREDENTIAL_ENV.clientSecret);
  const missing: string[] = [];
  if (!clientId) missing.push(CREDENTIAL_ENV.clientId);
  if (!clientSecret) missing.push(CREDENTIAL_ENV.clientSecret);
  const username = get(CREDENTIAL_ENV.username);
  const password = get(CREDENTIAL_ENV.password);
  if (username || password) {
    if (!username) missing.push(CREDENTIAL_ENV.username);
    if (!password) missing.push(CREDENTIAL_ENV.password);
  }
  if (missing.length > 0) {
    throw new ConfigError('missing_credentials', `missing environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, {
      hint: `Set ${CREDENTIAL_ENV.clientId} and ${CREDENTIAL_ENV.clientSecret} (API key, v2) — plus ${CREDENTIAL_ENV.username} and ${CREDENTIAL_ENV.password} for an API user (v1).`,
    });
  }
  if (username && password) {
    return { flow: 'v1', clientId: clientId!, clientSecret: clientSecret!, username, password, offlineAccess: true };
  }
  const scopes = (get(CREDENTIAL_ENV.scopes) ?? defaultScopes?.join(' ') ?? 'asset.view account.view account.asset.manage account.site.manage account.customer.manage account.custom-fields.manage')
    .split(/[\s,]+/)
    .filter(Boolean);
  return { flow: 'v2', clientId: clientId!, clientSecret: clientSecret!, scopes };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** TLS is required except for loopback (the sandbox). */
export function checkBaseUrl(name: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('invalid_url', `${name} "${raw}" is not a URL`);
  }
  const loopback = LOOPBACK.has(url.hostname) || url.hostname.startsWith('127.');
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return url;
  throw new ConfigError('insecure_url', `${name} "${raw}" must use https (plain http is allowed only for loopback addresses)`, {
    hint: 'Credentials and tokens must never cross the network unencrypted.',
  });
}

/** What a caller gives: everything but the credentials has a default. */
export interface ClientConfigInput {
  irisUrl?: string;
  authUrl?: string;
  auth: AuthConfig;
  limits?: Partial<Record<ApiFamily, FamilyLimit>>;
  retry?: Partial<RetryConfig>;
  timeouts?: Partial<TimeoutConfig>;
  pageSize?: number;
}

export function clientConfig(partial: ClientConfigInput): ClientConfig {
  const irisUrl = checkBaseUrl('iris URL', partial.irisUrl ?? DEFAULT_IRIS_URL).origin;
  const authUrl = checkBaseUrl('auth URL', partial.authUrl ?? DEFAULT_AUTH_URL).origin;
  const limits = { ...DEFAULT_LIMITS };
  for (const [family, limit] of Object.entries(partial.limits ?? {}) as Array<[ApiFamily, FamilyLimit]>) {
    if (!(limit.ratePerSecond > 0)) throw new ConfigError('invalid_rate_limit', `rate limit for ${family} must be > 0 requests per second`);
    limits[family] = { ...DEFAULT_LIMITS[family], ...limit };
  }
  const pageSize = partial.pageSize ?? 1000;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
    throw new ConfigError('invalid_page_size', `page size must be between 1 and 1000 (documented maximum), got ${pageSize}`);
  }
  return {
    irisUrl,
    authUrl,
    auth: partial.auth,
    limits,
    retry: { ...DEFAULT_RETRY, ...partial.retry },
    timeouts: { ...DEFAULT_TIMEOUTS, ...partial.timeouts },
    pageSize,
  };
}
