/**
 * The postal address object shared by sites, customers and rental contract items
 * [assumed shape: `{streetAddress, zipCode, city, country}`; the Sites docs name these four parts].
 */
import type { Address } from '../store.js';
import { isObject, type Checker, type Json } from '../validate.js';

export const ADDRESS_FIELDS = ['streetAddress', 'zipCode', 'city', 'country'] as const;

export function checkAddress(c: Checker, body: Json, key: string): void {
  const address = c.object(body, key);
  if (!address) return;
  const nested = c.nested(key);
  for (const field of ADDRESS_FIELDS) nested.string(address, field, { maxLength: 255 });
}

/** Stored form: all four parts present (null when not given); null when the input is not an object. */
export function normalizeAddress(input: unknown): Address | null {
  if (!isObject(input)) return null;
  const out: Address = {};
  for (const field of ADDRESS_FIELDS) {
    const value = input[field];
    out[field] = typeof value === 'string' && value !== '' ? value : null;
  }
  return out;
}
