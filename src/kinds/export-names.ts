/**
 * How `tug export` names live objects across kinds, built once from the live state (the registry's
 * exportNames): the Depot key of each DEPOT site, the identifier each asset is written with, the
 * reference of each customer, and which custom field values a manifest can carry.
 *
 * Depot keys (README, "Adopting an existing account"):
 *   1. a site tug manages keeps the key of its binding (`tug:depot/<key>`);
 *   2. every other DEPOT site gets a key derived from its name — letters folded to ASCII (`Å` → `a`,
 *      `ø` → `o`, `æ` → `ae`, `ß` → `ss`), lower case, every run of other characters one `-`, no `-` at
 *      either end, at most 90 characters, `depot` when nothing is left;
 *   3. a derived key already taken gets `-2`, `-3`, … (the first free one), sites taken in the order of
 *      their derived key and then their id — so the same account always gets the same keys.
 *
 * Assets are written by serial number when it is unique in the account (ignoring case, as tug matches
 * serials) and has no surrounding spaces or invisible characters; else by assetId.
 */
import type { Json } from '../core/canonical.js';
import type { LiveState } from '../core/state.js';
import type { Definition, EntityField } from '../trackunit/endpoints/custom-fields.js';
import type { EntityType } from './common.js';
import { matchSerial } from './asset/identity.js';
import type { AssetRef } from './asset/manifest.js';
import { STANDARD_FIELDS } from './custom-field-definition/standard-fields.js';
import { normalizeLiveValue, type FieldTypeInfo } from './custom-field-values.js';
import { CUSTOMER_MARKER_KEY, depotKeyOf } from './ownership.js';
import type { AddressLike } from './plan-helpers.js';

const KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const MAX_DERIVED = 90;
const FOLDED: Record<string, string> = { æ: 'ae', ø: 'o', ß: 'ss', đ: 'd', ð: 'd', ł: 'l', þ: 'th', œ: 'oe', ı: 'i', ŧ: 't', ħ: 'h' };

/** A Depot key from a site name (rule 2 above). */
export function keyFromName(name: string | null | undefined): string {
  const folded = (name ?? '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\x00-\x7f]/g, (ch) => FOLDED[ch] ?? '-');
  const key = folded
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_DERIVED)
    .replace(/-+$/, '');
  return key === '' ? 'depot' : key;
}

/** Text an identity can be written as: no surrounding spaces, nothing invisible or controlling. */
const cleanIdentity = (text: string) => text === text.trim() && text !== '' && !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(text);

export interface ExportedValues {
  /** Key → the manifest's plain value, keys sorted; undefined when none is set. */
  values?: { [key: string]: Json };
  /** Keys holding a value no manifest can set (a definition owned by Trackunit or an app, …). */
  skipped: string[];
}

export interface ExportNames {
  /** The Depot key of a DEPOT site (undefined: not a DEPOT site of this account). */
  depotKey(siteId: string | null | undefined): string | undefined;
  /** Whether the site carries tug's binding already (else its manifest adopts it). */
  isBound(siteId: string): boolean;
  /** The identifier an asset is written with, and as `Asset/…` identity. */
  assetRef(assetId: string): AssetRef | undefined;
  /** A customer's externalReference (null: none, undefined: no such customer). */
  customerRef(customerId: string): string | null | undefined;
  /** Whether a definition is written as a CustomFieldDefinition manifest. */
  exportsDefinition(definition: Definition): boolean;
  /** An object's custom field values as a manifest's `customFields`. */
  values(entityType: EntityType, fields: EntityField[] | undefined): ExportedValues;
}

function depotKeys(live: LiveState): { keys: Map<string, string>; bound: Set<string> } {
  const keys = new Map<string, string>();
  const bound = new Set<string>();
  const taken = new Set<string>();
  const depots = live.sites.filter((s) => s.type === 'DEPOT');
  for (const site of depots) {
    const key = depotKeyOf(site);
    if (key === undefined || taken.has(key)) continue;
    keys.set(site.id, key);
    bound.add(site.id);
    taken.add(key);
  }
  const unbound = depots
    .filter((s) => !keys.has(s.id))
    .map((site) => ({ site, base: keyFromName(site.name) }))
    .sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : a.site.id < b.site.id ? -1 : a.site.id > b.site.id ? 1 : 0));
  for (const { site, base } of unbound) {
    let key = base;
    for (let n = 2; taken.has(key); n += 1) key = `${base}-${n}`;
    keys.set(site.id, key);
    taken.add(key);
  }
  return { keys, bound };
}

function assetRefs(live: LiveState): Map<string, AssetRef> {
  const serials = new Map<string, number>();
  for (const a of live.assets) if (a.serialNumber) serials.set(matchSerial(a.serialNumber), (serials.get(matchSerial(a.serialNumber)) ?? 0) + 1);
  const refs = new Map<string, AssetRef>();
  for (const a of live.assets) {
    const serial = a.serialNumber;
    const bySerial = serial && cleanIdentity(serial) && serials.get(matchSerial(serial)) === 1;
    refs.set(a.id, bySerial ? { serialNumber: serial } : { assetId: a.id });
  }
  return refs;
}

export function exportNames(live: LiveState): ExportNames {
  const { keys, bound } = depotKeys(live);
  const assets = assetRefs(live);
  const customers = new Map(live.customers.map((c) => [c.id, c.externalReference || null]));
  const exportsDefinition = (d: Definition) => d.owner === 'ACCOUNT' && d.key !== null && d.key !== CUSTOMER_MARKER_KEY && KEY.test(d.key);
  const standard = new Map(STANDARD_FIELDS.map((f) => [f.key, f]));
  const typeOf = (d: Definition, entityType: EntityType): FieldTypeInfo | undefined => {
    if (d.key === null || d.entityType !== entityType) return undefined;
    if (exportsDefinition(d)) return { type: d.type, multiSelect: d.type === 'DROPDOWN' && d.multiSelect === true, ...(d.currency ? { currency: d.currency } : {}) };
    const field = d.owner === 'TRACKUNIT' ? standard.get(d.key) : undefined;
    return field && field.entityType === entityType ? { type: field.type, multiSelect: field.list === true } : undefined;
  };
  return {
    depotKey: (siteId) => (siteId ? keys.get(siteId) : undefined),
    isBound: (siteId) => bound.has(siteId),
    assetRef: (assetId) => assets.get(assetId),
    customerRef: (customerId) => customers.get(customerId),
    exportsDefinition,
    values: (entityType, fields) => {
      const values: { [key: string]: Json } = {};
      const skipped: string[] = [];
      for (const field of fields ?? []) {
        const key = field.definition.key;
        if (key === null || key === CUSTOMER_MARKER_KEY) continue;
        const info = typeOf(field.definition, entityType);
        const value = info ? normalizeLiveValue(field.value?.value ?? null, info) : null;
        if (!info && field.value?.value != null) skipped.push(key);
        if (info && value !== null) values[key] = value;
      }
      const sorted = Object.keys(values).sort();
      return { ...(sorted.length > 0 ? { values: Object.fromEntries(sorted.map((k) => [k, values[k]!])) } : {}), skipped: skipped.sort() };
    },
  };
}

type Fields = { [field: string]: Json | undefined };

/** A manifest's fields without the unset ones (undefined, null, ''), in the order given. */
export function written(fields: Fields): { [field: string]: Json } {
  const out: { [field: string]: Json } = {};
  for (const [field, value] of Object.entries(fields)) if (value !== undefined && value !== null && value !== '') out[field] = value;
  return out;
}

/**
 * An address as a manifest writes it: its non-empty parts; `{}` for an address without any (the APIs
 * store one, and a manifest without `address` would compare as none); undefined for no address at all.
 */
export function writtenAddress(address: AddressLike | null | undefined): { [part: string]: Json } | undefined {
  if (!address) return undefined;
  return written({ streetAddress: address.streetAddress, zipCode: address.zipCode, city: address.city, country: address.country });
}

/** A date-time as a manifest writes it: `YYYY-MM-DD` for midnight UTC, else as Trackunit gives it. */
export function writtenDate(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return value;
  const iso = new Date(time).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : value;
}
