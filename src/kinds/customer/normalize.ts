/**
 * The comparable forms of a customer and of its contacts, built the same way from a manifest and from
 * the live objects: optional text null when absent or empty, the address with all four parts, `type`
 * OTHER by default (what the server fills in), contacts sorted by name.
 *
 * A live `type` this version does not know (the server may add values, e.g. PARTNER) is tolerated: a
 * manifest without `type` leaves it as it is; only a manifest naming a type makes it a difference.
 */
import type { Customer, CustomerContact as LiveContact } from '../../trackunit/endpoints/customers.js';
import { CUSTOMER_TYPES } from '../common.js';
import { normalizeAddress, textOrNull, type JsonObject } from '../plan-helpers.js';
import type { CustomerManifest, CustomerContact } from './manifest.js';

/** Customer fields tug manages (contacts and custom field values are compared separately). */
export const CUSTOMER_FIELDS = ['externalReference', 'name', 'type', 'address', 'phoneNumber', 'email', 'website'] as const;

const KNOWN_TYPES: ReadonlySet<string> = new Set(CUSTOMER_TYPES);

function desiredType(manifestType: string | undefined, liveType: string | undefined): string {
  if (manifestType !== undefined) return manifestType;
  return liveType !== undefined && !KNOWN_TYPES.has(liveType) ? liveType : 'OTHER';
}

export function normalizeDesiredCustomer(m: CustomerManifest, live?: Customer): JsonObject {
  return {
    externalReference: m.externalReference,
    name: m.name,
    type: desiredType(m.type, live?.type),
    address: normalizeAddress(m.address),
    phoneNumber: textOrNull(m.phoneNumber),
    email: textOrNull(m.email),
    website: textOrNull(m.website),
  };
}

export function normalizeLiveCustomer(c: Customer): JsonObject {
  return {
    externalReference: c.externalReference,
    name: c.name,
    type: c.type ?? 'OTHER',
    address: normalizeAddress(c.address),
    phoneNumber: textOrNull(c.phoneNumber),
    email: textOrNull(c.email),
    website: textOrNull(c.website),
  };
}

export function normalizeContact(c: CustomerContact | LiveContact): JsonObject {
  return { name: c.name, email: textOrNull(c.email), phoneNumber: textOrNull(c.phoneNumber), title: textOrNull(c.title) };
}

/** Contacts in a stable order: by name, then by their other fields. */
export function sortContacts(list: JsonObject[]): JsonObject[] {
  const key = (c: JsonObject) => JSON.stringify([c.name, c.email, c.phoneNumber, c.title]);
  return [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function customerLabel(c: Customer): string {
  return c.externalReference ? `${c.name} (${c.externalReference})` : `${c.name} (no externalReference)`;
}
