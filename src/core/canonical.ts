/**
 * Canonical JSON (object keys sorted, no whitespace, undefined dropped) and fingerprints over it:
 * the same data always gives the same bytes and the same hash, whatever order it was built in.
 */
import { createHash } from 'node:crypto';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Sort object keys recursively and drop undefined members; arrays keep their order. */
export function canonicalize(value: unknown): Json {
  if (value === null || typeof value !== 'object') {
    if (value === undefined) return null;
    if (typeof value === 'number' && !Number.isFinite(value)) return null;
    return value as Json;
  }
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonicalize(v)));
  const out: { [key: string]: Json } = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) out[key] = canonicalize(member);
  }
  return out;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value));
}

/** `sha256:` + the first 16 hex digits of the SHA-256 of the canonical JSON. */
export function fingerprint(value: unknown): string {
  return digest(value).slice(0, 'sha256:'.length + 16);
}

/** `sha256:` + the full SHA-256 (64 hex digits) of the canonical JSON: for integrity, not only identity. */
export function digest(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;
}

/**
 * Text order for everything a plan sorts: by UTF-16 code unit, the same on every machine. (localeCompare
 * depends on the locale: in Danish "Aa" sorts after "Z", which would change plan bytes and fingerprints.)
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
