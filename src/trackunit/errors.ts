/**
 * Errors of the Trackunit client. They carry what a user needs to act — method, path, HTTP status,
 * Trackunit's error code, message, constraint violations, attempts — and never the token, client
 * secret or password (the request's headers and body are never copied into an error).
 */
import { TugError, type JsonObject } from '../errors.js';

export interface Violation {
  field: string;
  message: string;
}

export interface ApiErrorInit {
  method: string;
  /** Path with a redacted query string (see safePath). */
  path: string;
  /** HTTP status; 0 when no response arrived (network error, timeout). */
  status: number;
  /** Trackunit's `code` from the error object, or a network error code. */
  apiCode?: string;
  message: string;
  violations?: Violation[];
  attempts: number;
  family: string;
  /** For a 429: the server's Retry-After, in milliseconds, when it sent one. */
  retryAfterMs?: number;
  cause?: unknown;
  /** What to do about it, when the caller knows better than the status does. */
  hint?: string;
}

function describe(init: ApiErrorInit): string {
  const where = `${init.method} ${init.path}`;
  const status = init.status === 0 ? 'no response' : `${init.status}`;
  const code = init.apiCode ? ` ${init.apiCode}` : '';
  const tries = init.attempts > 1 ? ` after ${init.attempts} attempts` : '';
  const violations = init.violations?.length ? `: ${init.violations.map((v) => `${v.field}: ${v.message}`).join('; ')}` : '';
  return `${where} failed (${status}${code})${tries}: ${init.message}${violations}`;
}

function hintFor(status: number): string | undefined {
  if (status === 401) return 'The credentials were refused. Check TRACKUNIT_CLIENT_ID / TRACKUNIT_CLIENT_SECRET (and user/password for v1).';
  if (status === 403) return 'The account or API key lacks the entitlement or scope for this call (Customer and Rental APIs need IrisX). `tug doctor` lists what is missing.';
  if (status === 429) return 'Trackunit is rate limiting this integration; lower the rate for this API family in tug.yaml.';
  if (status === 0) return 'No answer from the server. Check the base URL and the network, or raise the timeouts.';
  return undefined;
}

export class ApiError extends TugError {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly apiCode: string | undefined;
  readonly violations: Violation[];
  readonly attempts: number;
  readonly family: string;
  readonly retryAfterMs: number | undefined;

  constructor(init: ApiErrorInit, code = 'api_error') {
    const meta: JsonObject = { method: init.method, path: init.path, status: init.status, attempts: init.attempts, family: init.family };
    if (init.apiCode) meta.apiCode = init.apiCode;
    if (init.violations?.length) meta.violations = init.violations.map((v) => ({ field: v.field, message: v.message }));
    super(code, describe(init), { hint: init.hint ?? hintFor(init.status), meta, cause: init.cause });
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.apiCode = init.apiCode;
    this.violations = init.violations ?? [];
    this.attempts = init.attempts;
    this.family = init.family;
    this.retryAfterMs = init.retryAfterMs;
    if (init.retryAfterMs !== undefined) this.meta.retryAfterMs = init.retryAfterMs;
  }
}

/** What a caller needs to find out whether an ambiguous create happened: re-read by this reference. */
export interface OutcomeLookup {
  /** The object kind, e.g. `customer`. */
  kind: string;
  /** The field that identifies it, e.g. `externalReference`. */
  field: string;
  value: string;
}

/**
 * A non-idempotent request (a create) may or may not have been committed: the connection broke or a
 * gateway failed after the request was sent. It was NOT retried; re-read by `lookup` before retrying.
 */
export class OutcomeUnknownError extends ApiError {
  readonly lookup: OutcomeLookup | undefined;

  constructor(init: ApiErrorInit, lookup: OutcomeLookup | undefined) {
    super({ ...init, message: `${init.message}; the request may or may not have been applied` }, 'outcome_unknown');
    this.lookup = lookup;
    if (lookup) this.meta.lookup = { kind: lookup.kind, field: lookup.field, value: lookup.value };
  }
}

/** The authorization server refused to issue a token (OAuth error), or could not be reached. */
export class AuthError extends TugError {
  constructor(message: string, meta: JsonObject, hint?: string) {
    super('auth_failed', message, { meta, hint: hint ?? 'Check the TRACKUNIT_* credential variables and the auth base URL.' });
  }
}

const SECRET_PARAM = /token|secret|password|key|auth|credential/i;

/** The path plus its query string with values of secret-looking parameters redacted. */
export function safePath(url: URL): string {
  if (!url.search) return url.pathname;
  const params = new URLSearchParams(url.search);
  for (const key of [...params.keys()]) if (SECRET_PARAM.test(key)) params.set(key, 'REDACTED');
  return `${url.pathname}?${params.toString()}`;
}
