/**
 * The record of what was last applied (src/core/drift.ts): `Kind/identity` → fingerprint of the manifest
 * the account agreed with after the last apply, in the inventory's namespace of the state store (local or
 * PostgreSQL, shared like the inventory), key `applied`. Apply writes it after its convergence check;
 * `tug drift` reads it to tell live drift from git ahead. Like the inventory, anything wrong with it is
 * discarded with a warning (drift then counts every change as git ahead), and a failed save is a warning.
 */
import { fingerprint } from '../core/canonical.js';
import type { DesiredState } from '../core/state.js';
import type { KvStore } from '../state/store.js';
import { INVENTORY_NAMESPACE } from './inventory-store.js';

const KEY = 'applied';
const FORMAT_VERSION = 1;

interface Stored {
  formatVersion: number;
  account: string;
  objects: Record<string, string>;
}

export interface LoadedRecord {
  applied: Map<string, string>;
  /** Why a stored record was not used. */
  discarded?: string;
}

/** `Kind/identity` → fingerprint of each desired manifest (the same fingerprint the inventory keeps). */
export function manifestPrints(desired: DesiredState): Map<string, string> {
  return new Map(desired.objects.map((o) => [`${o.manifest.kind}/${o.identity}`, fingerprint(o.manifest)]));
}

export async function loadApplied(kv: KvStore, account: string): Promise<LoadedRecord> {
  const discard = (why: string): LoadedRecord => ({
    applied: new Map(),
    discarded: `the record of what was last applied was discarded (${why}); every change counts as git ahead`,
  });
  try {
    const value = (await kv.get(INVENTORY_NAMESPACE, KEY)) as Partial<Stored> | undefined;
    if (value === undefined) return { applied: new Map() };
    if (typeof value !== 'object' || value === null || value.formatVersion !== FORMAT_VERSION) return discard("its format is not this tug's");
    if (value.account !== account) return discard(`it belongs to another Trackunit account (${String(value.account)})`);
    const objects = value.objects;
    if (typeof objects !== 'object' || objects === null || Object.values(objects).some((v) => typeof v !== 'string')) return discard('it is damaged');
    return { applied: new Map(Object.entries(objects)) };
  } catch (error) {
    return discard(`it could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Records `agreed` (see agreedObjects). `replace`: an apply of the whole manifest set, whose record then
 * holds exactly what it agreed with — a manifest removed (and its object pruned) is forgotten, so a new
 * manifest of the same identity is a create, not "deleted in Trackunit". A `--target`ed apply merges.
 */
export async function saveApplied(kv: KvStore, account: string, agreed: ReadonlyMap<string, string>, options: { replace: boolean }): Promise<string | undefined> {
  try {
    const before = options.replace ? new Map<string, string>() : (await loadApplied(kv, account)).applied;
    for (const [key, print] of agreed) before.set(key, print);
    const value: Stored = { formatVersion: FORMAT_VERSION, account, objects: Object.fromEntries([...before].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
    await kv.put(INVENTORY_NAMESPACE, KEY, value);
    return undefined;
  } catch (error) {
    return `the record of what was applied could not be saved (${error instanceof Error ? error.message : String(error)}); tug drift may count live drift as git ahead`;
  }
}
