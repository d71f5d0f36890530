/**
 * The inventory of per-object reads, and which reads a plan makes live. Pure: the I/O layer
 * (src/plan/inventory-store.ts) loads and saves it, src/plan/read-live.ts runs the reads.
 *
 * Lists (sites, customers, definitions, assets, contracts) are read on every plan; they are cheap and
 * every list-visible difference is always found. Per-object details (a contract's items, an entity's
 * custom field values, a customer's contacts and marker) cost one request each, so a plan reads one
 * live only when:
 *
 *   - it is new (no inventory entry), its object's list entry changed, or its manifest changed;
 *   - the plan's changes depend on it (the caller asks again with `mustRead`: the inventory is never the
 *     source of truth for a change — every change is planned from live reads);
 *   - it is due: `maxAge` old, or among the oldest slice of the rolling re-check, sized so that at the
 *     plan frequency seen so far every entry is re-read once per `maxAge` (hourly plans with maxAge 24 h:
 *     1/24 of the entries each, oldest first, so each is re-read when it is 24 h old);
 *   - the refresh mode is `full`.
 *
 * `none` re-reads only what is new, changed or needed by a change: no re-check by age.
 */
import type { Json } from './canonical.js';

export type RefreshMode = 'auto' | 'full' | 'none';
export const REFRESH_MODES: readonly RefreshMode[] = ['auto', 'full', 'none'];

/** What the inventory keeps of one per-object read. */
export interface InventoryEntry {
  /** Fingerprint of the object's list entry when it was read. */
  list: string;
  /** Fingerprint of the manifest it was compared against (null: none names the object). */
  manifest: string | null;
  /** When it was read (ms since the epoch, the run's clock). */
  readAt: number;
  /** What the API returned. */
  result: Json;
}

export interface Inventory {
  /** When recent `tug plan` runs with the rolling re-check happened (ms, oldest first): the plan frequency. */
  plans: number[];
  /** By read key `Kind/part/liveId`. */
  entries: Map<string, InventoryEntry>;
}

/** Plan times kept to estimate the plan frequency. */
export const PLAN_HISTORY = 24;

export const emptyInventory = (): Inventory => ({ plans: [], entries: new Map() });

/** One per-object read a plan wants, as the chooser sees it. */
export interface ReadCandidate {
  key: string;
  kind: string;
  liveId: string;
  /** Fingerprint of the object's list entry now. */
  list: string;
  /** Fingerprint of the manifest that names the object now (null: none). */
  manifest: string | null;
  /**
   * Outside the plan's `--target`s: read only when the plan's changes need it, else taken from the
   * inventory or left unread.
   */
  outOfScope?: boolean;
}

export type ReadReason = 'new' | 'changed' | 'needed' | 'due' | 'full';

export interface ReadChoice {
  /** Read live now, and why. */
  live: Map<string, ReadReason>;
  /** Taken from the inventory. */
  cached: Map<string, InventoryEntry>;
  /** Neither (out of the targets' scope and not in the inventory). */
  unread: Set<string>;
}

export interface ChooseOptions {
  mode: RefreshMode;
  maxAgeMs: number;
  now: number;
  /** Live ids whose reads are read live whatever the inventory holds (the objects changes touch). */
  mustRead?: ReadonlySet<string>;
}

/** FNV-1a: a cheap, stable spread of equally old entries over kinds and API families. */
function spread(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/**
 * The expected time to the next plan: the median gap between the recent plans, this one included
 * (the time since the last one). With no plan recorded, the time since `lastRead` (the newest entry).
 */
export function planInterval(plans: readonly number[], now: number, maxAgeMs: number, lastRead?: number): number {
  const earlier = plans.length > 0 ? plans : lastRead !== undefined ? [lastRead] : [];
  const times = [...earlier.filter((t) => t <= now), now].sort((a, b) => a - b);
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  if (gaps.length === 0) return maxAgeMs;
  const sorted = gaps.sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return Math.min(maxAgeMs, Math.max(0, median));
}

export function chooseReads(candidates: readonly ReadCandidate[], inventory: Inventory, options: ChooseOptions): ReadChoice {
  const choice: ReadChoice = { live: new Map(), cached: new Map(), unread: new Set() };
  const rolling: Array<{ key: string; entry: InventoryEntry }> = [];
  let lastRead: number | undefined;
  for (const e of inventory.entries.values()) if (lastRead === undefined || e.readAt > lastRead) lastRead = e.readAt;
  const interval = options.mode === 'auto' ? planInterval(inventory.plans, options.now, options.maxAgeMs, lastRead) : 0;
  for (const c of candidates) {
    const entry = inventory.entries.get(c.key);
    const needed = options.mustRead?.has(c.liveId) ?? false;
    if (c.outOfScope && !needed) {
      if (entry) choice.cached.set(c.key, entry);
      else choice.unread.add(c.key);
      continue;
    }
    if (options.mode === 'full') choice.live.set(c.key, 'full');
    else if (!entry) choice.live.set(c.key, 'new');
    else if (entry.list !== c.list || entry.manifest !== c.manifest) choice.live.set(c.key, 'changed');
    else if (needed) choice.live.set(c.key, 'needed');
    else if (options.mode === 'auto' && entry.readAt + options.maxAgeMs <= options.now) choice.live.set(c.key, 'due');
    else {
      choice.cached.set(c.key, entry);
      if (options.mode === 'auto') rolling.push({ key: c.key, entry });
    }
  }
  if (options.mode !== 'auto' || rolling.length === 0) return choice;
  // The rolling re-check: the oldest slice, so that every entry is re-read once per maxAge at this frequency.
  const inScope = candidates.filter((c) => !c.outOfScope).length;
  const dueAlready = [...choice.live.values()].filter((reason) => reason === 'due').length;
  const slice = Math.min(rolling.length, Math.max(0, Math.ceil((inScope * interval) / options.maxAgeMs) - dueAlready));
  rolling.sort((a, b) => a.entry.readAt - b.entry.readAt || spread(a.key) - spread(b.key) || (a.key < b.key ? -1 : 1));
  for (const { key } of rolling.slice(0, slice)) {
    choice.cached.delete(key);
    choice.live.set(key, 'due');
  }
  return choice;
}

/** Per kind: how many per-object reads were made live, how many came from the inventory and how old. */
export interface KindFreshness {
  /** Per-object reads the plan compared. */
  reads: number;
  live: number;
  inventory: number;
  /** Out of the `--target`s' scope and not in the inventory: not compared. */
  unread?: number;
  /** The oldest inventory entry the plan compared (ISO time), and its age in seconds. */
  oldestReadAt?: string;
  oldestAgeSeconds?: number;
}

/** What a plan compared, per kind with per-object reads: stated in every plan's header. */
export interface Freshness {
  refresh: RefreshMode;
  maxAgeSeconds: number;
  /** Set when the inventory could not be used (damaged, another account): everything was read live. */
  discarded?: string;
  kinds: Record<string, KindFreshness>;
}

export function freshnessOf(
  candidates: readonly ReadCandidate[],
  choice: ReadChoice,
  options: { mode: RefreshMode; maxAgeMs: number; now: number; discarded?: string },
): Freshness {
  const kinds: Record<string, KindFreshness> = {};
  const oldest = new Map<string, number>();
  for (const c of candidates) {
    const k = (kinds[c.kind] ??= { reads: 0, live: 0, inventory: 0 });
    k.reads += 1;
    const cached = choice.cached.get(c.key);
    if (choice.live.has(c.key)) k.live += 1;
    else if (cached) {
      k.inventory += 1;
      if (cached.readAt < (oldest.get(c.kind) ?? Infinity)) oldest.set(c.kind, cached.readAt);
    } else k.unread = (k.unread ?? 0) + 1;
  }
  for (const [kind, at] of oldest) {
    kinds[kind]!.oldestReadAt = new Date(at).toISOString();
    kinds[kind]!.oldestAgeSeconds = Math.max(0, Math.round((options.now - at) / 1000));
  }
  const sorted = Object.fromEntries(
    Object.keys(kinds)
      .sort()
      .map((k) => [k, kinds[k]!]),
  );
  return { refresh: options.mode, maxAgeSeconds: Math.round(options.maxAgeMs / 1000), ...(options.discarded ? { discarded: options.discarded } : {}), kinds: sorted };
}
