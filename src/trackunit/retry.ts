/**
 * Retry classification — the one place that decides what is worth another attempt.
 *
 * Retried: 429 (after the scheduler's pause), 502, 503, 504, connection resets and timeouts, with a
 * capped, jittered exponential backoff up to `maxAttempts`. Never retried: any other 4xx, and 500
 * (a bug or an unexpected state on the server's side, which repeating will not fix).
 * Non-idempotent requests (creates) are retried only when the server certainly did not act on them
 * (429, 503, connection refused); after an ambiguous failure the caller gets OutcomeUnknownError.
 *
 * A host that has never answered and refuses the connection (or whose name does not resolve) is far more
 * often a wrong URL or a server that is not running than a blip: it gets `UNREACHABLE_ATTEMPTS` quick
 * attempts, not the full budget (10 backoffs took 70 s to say "connection refused"). Once the host has
 * answered, a refusal is a restart in progress and gets the full budget, like resets and timeouts.
 */
import type { RetryConfig } from './config.js';

export type Verdict =
  | { action: 'retry'; reason: string }
  | { action: 'fail' }
  | { action: 'unknown-outcome'; reason: string };

/** Network error codes meaning the request never reached the server. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
/** Network error codes after which the request may have been processed. */
const MAYBE_SENT = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED', 'ECONNABORTED']);

/** Network error codes meaning nothing listens at the URL's host and port, or the host does not exist. */
const UNREACHABLE: Record<string, string> = { ECONNREFUSED: 'connection refused', ENOTFOUND: 'host not found' };

/** Attempts at a host that has never answered (see the module comment): about half a second of backoff. */
export const UNREACHABLE_ATTEMPTS = 3;

/** "connection refused" for a code that means nobody is there; undefined for other network errors. */
export function unreachableReason(code: string): string | undefined {
  return Object.hasOwn(UNREACHABLE, code) ? UNREACHABLE[code] : undefined;
}

/** How many attempts a request that failed with `code` gets in all. */
export function attemptsAfterNetworkError(code: string, hostAnsweredBefore: boolean, maxAttempts: number): number {
  return unreachableReason(code) !== undefined && !hostAnsweredBefore ? Math.min(UNREACHABLE_ATTEMPTS, maxAttempts) : maxAttempts;
}

export function networkErrorCode(error: unknown): string {
  const e = error as { code?: string; cause?: { code?: string } };
  return e?.code ?? e?.cause?.code ?? 'network_error';
}

export function classifyNetworkError(code: string, idempotent: boolean): Verdict {
  if (NOT_SENT.has(code)) return { action: 'retry', reason: code };
  if (MAYBE_SENT.has(code)) return idempotent ? { action: 'retry', reason: code } : { action: 'unknown-outcome', reason: code };
  return { action: 'fail' };
}

export function classifyStatus(status: number, idempotent: boolean): Verdict {
  if (status === 429 || status === 503) return { action: 'retry', reason: String(status) };
  if (status === 502 || status === 504) {
    return idempotent ? { action: 'retry', reason: String(status) } : { action: 'unknown-outcome', reason: String(status) };
  }
  return { action: 'fail' };
}

/** Equal-jitter exponential backoff: half the step fixed, half random, capped. */
export function backoffMs(attempt: number, config: RetryConfig, random: () => number = Math.random): number {
  const step = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date; undefined when absent or invalid. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
