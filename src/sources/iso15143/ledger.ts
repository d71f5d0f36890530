/**
 * What the ISO 15143-3 source needs from wherever its state lives (a state directory, or the shared
 * PostgreSQL store): per full request URL, the usable response and every request time, so the
 * one-request-per-15-minutes rule and the 50-request troubleshooting pool (30-day refill) hold across
 * runs — and, with a shared store, across machines.
 *
 * `claim` is the one decision point, and it is atomic: deciding to send a request and recording that
 * request happen together (the postgres ledger does both in one transaction holding the URL's row), so
 * two runners can never both spend the same URL's window. The decision itself is request-windows.ts.
 */
import type { Account } from '../../trackunit/account.js';
import type { CachePolicy, CachedResponse, Decision, UrlBudget } from './request-windows.js';

export type { UrlBudget } from './request-windows.js';

/** A response as the HTTP layer gives it back (and as the cache returns it). */
export interface StoredResponse {
  status: 200 | 404;
  text: string;
  contentType: string;
}

/** A request the ledger recorded as sent; `finish` or `cancel` it. */
export interface RequestTicket {
  readonly url: string;
  /** ISO 8601 time it was recorded. */
  readonly at: string;
  /** Counted against the URL's troubleshooting pool. */
  readonly pool: boolean;
}

export type Claim = { action: 'serve'; response: StoredResponse; cached: CachedResponse } | { action: 'request'; ticket: RequestTicket } | Extract<Decision, { action: 'refuse' }>;

export interface IsoLedger {
  /** Serve the cached response, or record a request and let the caller send it, or refuse (with when). */
  claim(url: string, now: number, policy: CachePolicy): Promise<Claim>;
  /** The request's outcome; a usable response (200, or 404 for a single element) is kept. */
  finish(ticket: RequestTicket, status: number, now: number, response?: StoredResponse): Promise<void>;
  /** The request never left (no token, connection refused): it used nothing, forget it. */
  cancel(ticket: RequestTicket): Promise<void>;
  /** The server refused the URL (429) until `retryAt`: no run asks earlier. */
  refusedUntil(url: string, retryAt: number): Promise<void>;
  /** Every URL's budget at `now`. */
  budget(now: number): Promise<UrlBudget[]>;
}

/** Where a run finds the ledger of an account: the state store (StateStore satisfies this). */
export interface IsoStateSource {
  account(account: Account): { iso(warn?: (message: string) => void): Promise<IsoLedger> };
}
