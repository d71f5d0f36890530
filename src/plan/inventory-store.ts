/**
 * The inventory (src/core/inventory.ts) in the state store's key/value area, namespace `inventory`: one
 * value per kind with per-object reads (`Contract`, …) and `meta` (the recent plan times). Local or
 * PostgreSQL alike, so every runner sharing the state store shares it.
 *
 * The inventory only saves requests; it is never the truth of a change. So anything wrong with it — it
 * does not parse, its shape or format version is not this tug's, it names another account (copied
 * between state directories) — discards it whole with a warning, and the plan reads everything live.
 * Failing to save it is a warning too: the plan is still right, the next one only reads more.
 */
import type { Json } from '../core/canonical.js';
import { emptyInventory, PLAN_HISTORY, type Inventory, type InventoryEntry } from '../core/inventory.js';
import type { KvStore } from '../state/store.js';

export const INVENTORY_NAMESPACE = 'inventory';
const FORMAT_VERSION = 1;
const META = 'meta';

/** An entry as stored: `[list, manifest, readAt, result]`, compact for 34,000 of them. */
type StoredEntry = [string, string | null, number, Json];

interface StoredKind {
  formatVersion: number;
  account: string;
  entries: Record<string, StoredEntry>;
}

interface StoredMeta {
  formatVersion: number;
  account: string;
  plans: number[];
}

export interface LoadedInventory {
  inventory: Inventory;
  /** Why a stored inventory was not used (it is then empty); the plan says so. */
  discarded?: string;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function entryOf(value: unknown): InventoryEntry | undefined {
  if (!Array.isArray(value) || value.length !== 4) return undefined;
  const [list, manifest, readAt, result] = value as unknown[];
  if (typeof list !== 'string' || (manifest !== null && typeof manifest !== 'string') || typeof readAt !== 'number' || !Number.isFinite(readAt)) return undefined;
  return { list, manifest: manifest as string | null, readAt, result: (result ?? null) as Json };
}

/** Checks one stored value; the reason it cannot be used, or undefined. */
function problemOf(name: string, value: unknown, account: string): string | undefined {
  if (!isRecord(value)) return `${name} is not an object`;
  if (value.formatVersion !== FORMAT_VERSION) return `${name} has format version ${String(value.formatVersion)}, this tug reads ${FORMAT_VERSION}`;
  if (value.account !== account) return `${name} belongs to another Trackunit account (${String(value.account)})`;
  return undefined;
}

/** Loads the inventory of `account` (its key, see src/trackunit/account.ts); `kinds` are the kinds with per-object reads. */
export async function loadInventory(kv: KvStore, account: string, kinds: readonly string[]): Promise<LoadedInventory> {
  const inventory = emptyInventory();
  const discard = (why: string): LoadedInventory => ({ inventory: emptyInventory(), discarded: `the inventory was discarded (${why}); every per-object read was made live` });
  try {
    const meta = await kv.get(INVENTORY_NAMESPACE, META);
    if (meta === undefined) return { inventory };
    const metaProblem = problemOf(META, meta, account);
    if (metaProblem) return discard(metaProblem);
    const plans = (meta as unknown as StoredMeta).plans;
    if (!Array.isArray(plans) || plans.some((t) => typeof t !== 'number')) return discard('meta.plans is not a list of times');
    inventory.plans = plans.slice(-PLAN_HISTORY);
    for (const kind of kinds) {
      const stored = await kv.get(INVENTORY_NAMESPACE, kind);
      if (stored === undefined) continue;
      const problem = problemOf(kind, stored, account);
      if (problem) return discard(problem);
      const entries = (stored as unknown as StoredKind).entries;
      if (!isRecord(entries)) return discard(`${kind}.entries is not an object`);
      for (const [key, value] of Object.entries(entries)) {
        const entry = entryOf(value);
        if (!entry || !key.startsWith(`${kind}/`)) return discard(`${kind} entry ${JSON.stringify(key).slice(0, 80)} is damaged`);
        inventory.entries.set(key, entry);
      }
    }
    return { inventory };
  } catch (error) {
    return discard(`it could not be read: ${messageOf(error)}`);
  }
}

/** Saves the inventory (every kind in `kinds`, then meta); a warning sentence when it could not. */
export async function saveInventory(kv: KvStore, account: string, kinds: readonly string[], inventory: Inventory): Promise<string | undefined> {
  try {
    // One kind at a time: only one kind's stored form is in memory at once.
    for (const kind of kinds) {
      const entries: Record<string, StoredEntry> = {};
      for (const [key, e] of inventory.entries) if (key.startsWith(`${kind}/`)) entries[key] = [e.list, e.manifest, e.readAt, e.result];
      const value: StoredKind = { formatVersion: FORMAT_VERSION, account, entries };
      await kv.put(INVENTORY_NAMESPACE, kind, value);
    }
    const meta: StoredMeta = { formatVersion: FORMAT_VERSION, account, plans: inventory.plans.slice(-PLAN_HISTORY) };
    await kv.put(INVENTORY_NAMESPACE, META, meta);
    return undefined;
  } catch (error) {
    return `the inventory could not be saved (${messageOf(error)}); the next plan reads more live`;
  }
}

/** What `tug state show` says of an account's inventory. */
export interface InventorySummary {
  /** Entries per kind and the oldest read among them. */
  kinds: Record<string, { entries: number; oldestReadAt?: string }>;
  /** Plans counted for the plan frequency, and the newest of them. */
  plans: number;
  lastPlanAt?: string;
  /** Why it would be discarded. */
  discarded?: string;
}

export async function inventorySummary(kv: KvStore, account: string, kinds: readonly string[]): Promise<InventorySummary> {
  const { inventory, discarded } = await loadInventory(kv, account, kinds);
  const summary: InventorySummary['kinds'] = {};
  for (const [key, entry] of inventory.entries) {
    const kind = key.slice(0, key.indexOf('/'));
    const k = (summary[kind] ??= { entries: 0 });
    k.entries += 1;
    if (k.oldestReadAt === undefined || entry.readAt < Date.parse(k.oldestReadAt)) k.oldestReadAt = new Date(entry.readAt).toISOString();
  }
  const last = inventory.plans.at(-1);
  return { kinds: summary, plans: inventory.plans.length, ...(last !== undefined ? { lastPlanAt: new Date(last).toISOString() } : {}), ...(discarded ? { discarded } : {}) };
}

