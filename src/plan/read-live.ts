/**
 * Reading the live account for a plan with as few requests as the APIs allow, for every kind in the
 * registry (src/kinds/registry.ts):
 *
 * 1. each kind's lists — sites, customers, definitions, assets, contracts (and the ISO snapshot when a
 *    manifest uses a `pin:`) — at the client's page size (1000, the documented maximum), all at once,
 *    each fetching its pages after the first in parallel (paginate.ts);
 * 2. the per-object reads that have no list form, which each kind chooses from the manifests and the
 *    lists (ResourceKind.detailReads: only where a manifest can make a difference), all at once: the
 *    client's rate scheduler bounds requests in flight per API family, and a queue per family keeps
 *    only a few times that many pending so 20,000 reads do not sit in memory as 20,000 waiting
 *    requests. Results are stored in the order the kinds chose them, so the live state is the same
 *    however the responses interleave.
 *
 * The result is plain data for buildPlan, the per-plan context (reference resolution, built once and
 * shared with buildPlan), plus the requests this read made per API family.
 *
 * With an inventory (src/core/inventory.ts), step 2 makes live only the per-object reads that are new,
 * changed, due or needed, and takes the others from it; `readAlso` then makes live those a plan's changes
 * depend on (run-plan.ts asks until none comes from the inventory).
 */
import pLimit from 'p-limit';
import { fingerprint } from '../core/canonical.js';
import type { Change } from '../core/plan.js';
import { chooseReads, freshnessOf, PLAN_HISTORY, type Freshness, type Inventory, type InventoryEntry, type ReadCandidate, type ReadChoice, type RefreshMode } from '../core/inventory.js';
import type { DetailRead, KindName, KindRegistry } from '../core/kind.js';
import type { DesiredState, LiveState } from '../core/state.js';
import { targetMatcher } from '../core/targets.js';
import type { TugEnv, TugKind, TugReadOptions } from '../kinds/env.js';
import { emptyLiveState, REGISTRY } from '../kinds/registry.js';
import type { Refs } from '../kinds/refs.js';
import type { TrackunitClient } from '../trackunit/client.js';
import type { ApiFamily } from '../trackunit/config.js';
import type { FamilyMetrics, MetricsSnapshot } from '../trackunit/metrics.js';

export interface ReadLiveOptions {
  /** tug.yaml prune.kinds: with Customer, the managed-by-tug markers of prune candidates are read. */
  prune: KindName[];
  /**
   * Per-object reads queued at once per API family (default: twice the family's maxInFlight). The
   * scheduler still bounds what is in flight; this only bounds what waits for it.
   */
  concurrency?: number;
  /** The state store the ISO 15143-3 cache lives in (read for `pin:` identifiers and telematics). */
  state?: TugEnv['state'];
  /** The ISO cache's clock (the 15-minute rule). */
  now?: () => number;
  /** The kinds to read; default the registry. */
  registry?: KindRegistry<TugEnv>;
  /**
   * The inventory of earlier per-object reads (src/core/inventory.ts). Absent: every per-object read is
   * made live (and the read still returns what an inventory would keep of it).
   */
  inventory?: Inventory;
  /** How the inventory is used; default `auto` (`full` without an inventory). */
  refresh?: RefreshMode;
  /** tug.yaml refresh.maxAge in ms. */
  maxAgeMs?: number;
  /** `--target` patterns: per-object reads of other objects are made only when a change needs them. */
  targets?: string[];
  /** Live ids whose per-object reads are made live whatever the inventory holds (apply: what it writes). */
  mustRead?: ReadonlySet<string>;
  /** Why a stored inventory was discarded (stated in the freshness). */
  discarded?: string;
}

export interface LiveRead {
  live: LiveState;
  /** Built once from the desired state and the lists; buildPlan takes the same one. */
  refs: Refs;
  /** What this read cost, per API family (a delta of the client's metrics). */
  requests: MetricsSnapshot;
  /** Informational reads that failed (e.g. telematics), as sentences; the plan goes on without them. */
  warnings: string[];
  /**
   * Makes live the per-object reads of `liveIds` that came from the inventory or were not made, and
   * re-assembles `live` (and `warnings`); true when anything was read.
   */
  readAlso(liveIds: ReadonlySet<string>): Promise<boolean>;
  /** Per kind: how much was read live and how old the inventory entries compared are. */
  freshness(): Freshness;
  /** The inventory after this read: its live reads in, entries of reads no longer made out (untargeted reads only). */
  inventoryAfter(options: { recordPlan: boolean }): Inventory;
  /** What reading the lists cost, per API family. */
  listRequests: Partial<Record<ApiFamily, number>>;
  /** The per-object reads of `liveIds`, per API family (what apply's checks will read of them). */
  countReads(liveIds: ReadonlySet<string>): Partial<Record<ApiFamily, number>>;
}

/** Metrics of the requests made between two snapshots of the same client. */
export function metricsDelta(before: MetricsSnapshot, after: MetricsSnapshot): MetricsSnapshot {
  const minus = (a: FamilyMetrics, b: FamilyMetrics | undefined): FamilyMetrics =>
    Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - (b?.[k as keyof FamilyMetrics] ?? 0)])) as unknown as FamilyMetrics;
  const families: Record<string, FamilyMetrics> = {};
  for (const [name, m] of Object.entries(after.families)) {
    const d = minus(m, before.families[name]);
    if (Object.values(d).some((v) => v !== 0)) families[name] = d;
  }
  return {
    families,
    totals: minus(after.totals, before.totals),
    tokenRequests: after.tokenRequests - before.tokenRequests,
    tokenRetries: after.tokenRetries - before.tokenRetries,
  };
}

/** The kind a read belongs to; a kind that chooses reads must also run and store them. */
function kindOf(kinds: Map<string, TugKind>, read: DetailRead): Required<Pick<TugKind, 'readDetail' | 'storeDetail'>> {
  const kind = kinds.get(read.kind);
  if (!kind?.readDetail || !kind.storeDetail) throw new Error(`internal: kind ${read.kind} chose a ${read.part} read it cannot run`);
  return kind as Required<Pick<TugKind, 'readDetail' | 'storeDetail'>>;
}

async function readLists(client: TrackunitClient, desired: DesiredState, registry: KindRegistry<TugEnv>, options: TugReadOptions): Promise<Array<Partial<LiveState>>> {
  return Promise.all(registry.kinds.map((kind) => kind.readLists(client, desired, options)));
}

/** Runs every read with a queue per API family; the results in the order of `reads`. */
async function runReads(client: TrackunitClient, kinds: Map<string, TugKind>, reads: DetailRead[], options: TugReadOptions, concurrency: number | undefined): Promise<unknown[]> {
  const queues = new Map<string, ReturnType<typeof pLimit>>();
  const queue = (family: string) => {
    let limit = queues.get(family);
    if (!limit) queues.set(family, (limit = pLimit(concurrency ?? Math.max(1, (client.config.limits[family as ApiFamily]?.maxInFlight ?? 8) * 2))));
    return limit;
  };
  return Promise.all(reads.map((r) => queue(r.family)(() => kindOf(kinds, r).readDetail(client, r, options))));
}

/** The inventory key of a per-object read; undefined for a read about many (the ISO snapshot has its own cache). */
export const inventoryKey = (read: DetailRead): string | undefined => (read.liveId === '' ? undefined : `${read.kind}/${read.part}/${read.liveId}`);

/** What the chooser needs of each per-object read: its key and the fingerprints of its list entry and manifest. */
function candidatesOf(reads: DetailRead[], desired: DesiredState, live: LiveState, registry: KindRegistry<TugEnv>, targets: string[] | undefined): Array<ReadCandidate | undefined> {
  const listed = new Map<string, Map<string, unknown>>();
  for (const kind of registry.kinds) if (kind.listed) listed.set(kind.name, new Map([...kind.listed(live)].map((o) => [o.id, o])));
  const manifests = new Map(desired.objects.map((o) => [`${o.manifest.kind}/${o.identity}`, o.manifest]));
  const listPrints = new Map<string, string>();
  const manifestPrints = new Map<string, string>();
  const patterns = targets && targets.length > 0 ? targets.map(targetMatcher) : undefined;
  return reads.map((read) => {
    const key = inventoryKey(read);
    if (key === undefined) return undefined;
    const object = `${read.kind}/${read.liveId}`;
    let list = listPrints.get(object);
    if (list === undefined) listPrints.set(object, (list = fingerprint(listed.get(read.kind)?.get(read.liveId) ?? null)));
    const named = read.identity === undefined ? undefined : `${read.kind}/${read.identity}`;
    let manifest: string | null = null;
    if (named !== undefined && manifests.has(named)) {
      manifest = manifestPrints.get(named) ?? fingerprint(manifests.get(named));
      manifestPrints.set(named, manifest);
    }
    const outOfScope = patterns !== undefined && !patterns.some((matches) => read.identity !== undefined && matches(read.kind, read.identity));
    return { key, kind: read.kind, liveId: read.liveId, list, manifest, ...(outOfScope ? { outOfScope } : {}) };
  });
}

export async function readLiveState(client: TrackunitClient, desired: DesiredState, options: ReadLiveOptions): Promise<LiveRead> {
  const registry = options.registry ?? REGISTRY;
  const now = options.now ?? Date.now;
  const readOptions: TugReadOptions = {
    prune: options.prune,
    ...(options.state !== undefined ? { state: options.state } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
  const before = client.metricsSnapshot();
  const listParts = await readLists(client, desired, registry, readOptions);
  const listMetrics = metricsDelta(before, client.metricsSnapshot());
  // The ISO 15143-3 snapshot is served from its cache for 15 minutes: apply's checks do not read it again.
  const listRequests = Object.fromEntries(
    Object.entries(listMetrics.families)
      .filter(([f]) => !f.startsWith('iso-'))
      .map(([f, m]) => [f, m.requests]),
  ) as Partial<Record<ApiFamily, number>>;
  const assembleLists = () => Object.assign(emptyLiveState(), ...listParts) as LiveState;
  const lists = assembleLists();
  const refs = registry.context(desired, lists);
  const reads = registry.kinds.flatMap((kind) => kind.detailReads?.(desired, lists, refs, readOptions) ?? []);
  const kinds = new Map(registry.kinds.map((k) => [k.name as string, k]));
  const inventory = options.inventory ?? { plans: [], entries: new Map() };
  const mode: RefreshMode = options.inventory ? (options.refresh ?? 'auto') : 'full';
  const maxAgeMs = options.maxAgeMs ?? 86_400_000;
  const candidates = candidatesOf(reads, desired, lists, registry, options.targets);
  const present = candidates.filter((c): c is ReadCandidate => c !== undefined);
  const started = now();
  const choice: ReadChoice = chooseReads(present, inventory, { mode, maxAgeMs, now: started, ...(options.mustRead ? { mustRead: options.mustRead } : {}) });

  // Results of live reads by index (every read about many, and the per-object reads chosen live).
  const results = new Map<number, unknown>();
  const readAt = new Map<string, number>();
  const runLive = async (indexes: number[]) => {
    const at = now();
    const out = await runReads(client, kinds, indexes.map((i) => reads[i]!), readOptions, options.concurrency);
    indexes.forEach((i, n) => {
      results.set(i, out[n]);
      const key = candidates[i]?.key;
      if (key !== undefined) readAt.set(key, at);
    });
  };
  await runLive(reads.flatMap((_, i) => (candidates[i] === undefined || choice.live.has(candidates[i]!.key) ? [i] : [])));

  const read: LiveRead = {
    live: lists,
    refs,
    requests: listMetrics,
    warnings: [],
    listRequests,
    readAlso: async () => false,
    freshness: () => freshnessOf(present, choice, { mode, maxAgeMs, now: started, ...(options.discarded ? { discarded: options.discarded } : {}) }),
    inventoryAfter: () => inventory,
    countReads: (liveIds) => {
      const counts: Partial<Record<ApiFamily, number>> = {};
      reads.forEach((r, i) => {
        if (candidates[i] !== undefined && liveIds.has(r.liveId)) counts[r.family as ApiFamily] = (counts[r.family as ApiFamily] ?? 0) + 1;
      });
      return counts;
    },
  };
  // Stores every read's result (live, else the inventory's) in the order the kinds chose them.
  const assemble = () => {
    const live = assembleLists();
    const warnings: string[] = [];
    reads.forEach((r, i) => {
      const key = candidates[i]?.key;
      const result = results.has(i) ? results.get(i) : key !== undefined ? choice.cached.get(key)?.result : undefined;
      if (!results.has(i) && (key === undefined || !choice.cached.has(key))) return; // not read: out of the targets' scope
      const warning = kindOf(kinds, r).storeDetail(live, r, result);
      if (warning) warnings.push(warning);
    });
    read.live = live;
    read.warnings = warnings;
    read.requests = metricsDelta(before, client.metricsSnapshot());
  };
  assemble();
  read.readAlso = async (liveIds) => {
    const more = reads.flatMap((r, i) => (candidates[i] !== undefined && !results.has(i) && liveIds.has(r.liveId) ? [i] : []));
    if (more.length === 0) return false;
    await runLive(more);
    for (const i of more) {
      const key = candidates[i]!.key;
      choice.cached.delete(key);
      choice.unread.delete(key);
      choice.live.set(key, 'needed');
    }
    assemble();
    return true;
  };
  read.inventoryAfter = ({ recordPlan }) => {
    const entries = options.targets && options.targets.length > 0 ? new Map(inventory.entries) : new Map<string, InventoryEntry>();
    candidates.forEach((c, i) => {
      if (c === undefined) return;
      if (results.has(i)) entries.set(c.key, { list: c.list, manifest: c.manifest, readAt: readAt.get(c.key)!, result: (results.get(i) ?? null) as never });
      else {
        const cached = choice.cached.get(c.key);
        if (cached) entries.set(c.key, cached);
      }
    });
    const plans = recordPlan ? [...inventory.plans, started].slice(-PLAN_HISTORY) : inventory.plans;
    return { plans, entries };
  };
  return read;
}

/** Live ids whose per-object reads `changes` were planned from: each change's object and what its kind names (detailsOf). */
export function readsOfChanges(changes: readonly Change[], live: LiveState, registry: KindRegistry<TugEnv> = REGISTRY): Set<string> {
  const ids = new Set<string>();
  for (const change of changes) {
    if (change.liveId) ids.add(change.liveId);
    for (const kind of registry.kinds) for (const id of kind.detailsOf?.(change, live) ?? []) ids.add(id);
  }
  return ids;
}
