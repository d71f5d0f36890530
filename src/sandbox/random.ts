/**
 * Deterministic pseudo-randomness for the sandbox: the same seed gives the same fleet, the same ids
 * and the same fault pattern, so tests and benchmarks are reproducible.
 */
import { createHash } from 'node:crypto';

/** mulberry32: small, fast, good enough for test data (not for cryptography). */
export function createRng(seed: string | number): () => number {
  let state = typeof seed === 'number' ? seed >>> 0 : hashToInt(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hashToInt(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** A UUID-shaped (version 4 layout) id derived from a namespace and a counter. */
export function deterministicUuid(namespace: string, counter: number): string {
  const hex = createHash('sha256').update(`${namespace}:${counter}`).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Random opaque token (auth): not deterministic, tokens are secrets even in the sandbox. */
export { randomBytes } from 'node:crypto';

export function pick<T>(rng: () => number, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}
