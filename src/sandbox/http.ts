/**
 * The sandbox's HTTP vocabulary: what a route handler receives, what it returns, and the one error type
 * that becomes Trackunit's documented error object `{status, code, message, violations?}`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from './clock.js';
import type { Store } from './store.js';
import type { Principal } from './auth/tokens.js';

/** One entry of a constraint-violation error (documented shape). */
export interface Violation {
  field: string;
  message: string;
}

/** Thrown by handlers; rendered as the documented Trackunit error object. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly violations?: Violation[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    const body: Record<string, unknown> = { status: this.status, code: this.code, message: this.message };
    if (this.violations) body.violations = this.violations;
    return body;
  }
}

export const notFound = (code: string, message: string) => new HttpError(404, code, message);
export const forbidden = (message = 'User not allowed to make this request') => new HttpError(403, 'forbidden', message);
export const badRequest = (code: string, message: string) => new HttpError(400, code, message);

export function constraintViolation(violations: Violation[]): HttpError {
  return new HttpError(400, 'constraint_violation', 'Constraint violation', violations);
}

/** A response: JSON body by default; `text` for XML or other content types; no body for 204. */
export interface Reply {
  status: number;
  body?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const created = (body: unknown): Reply => ({ status: 201, body });
export const noContent = (): Reply => ({ status: 204 });

/** Everything a route handler may use. Handlers never touch the raw request or socket. */
export interface RequestContext {
  method: string;
  /** Path without query string. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (`undefined` when empty) — or the raw form fields for form-encoded bodies. */
  body: unknown;
  rawBody: string;
  /** The authenticated caller; undefined only on public routes (the token endpoints). */
  principal: Principal | undefined;
  store: Store;
  clock: Clock;
  /** `http://host:port` as the client addressed us, for absolute links (ISO export). */
  origin: string;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;
