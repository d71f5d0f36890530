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
import { fingerprint } from '../core/canonical.js';
import type { Change } from '../core/plan.js';
import { chooseReads, emptyInventory, freshnessOf, type Freshness, type Inventory, type ReadCandidate, type RefreshMode } from '../core/inventory.js';
import { DEFAULT_MAX_AGE_MS } from '../config/load.js';
import { DetailReads } from './detail-reads.js';
import type { DetailRead, KindName, KindRegistry } from '../core/kind.js';
import type { DesiredState, LiveState } from '../core/state.js';
import { targetMatcher } from '../core/targets.js';
import type { TugEnv, TugReadOptions } from '../kinds/env.js';
import { emptyLiveState, REGISTRY } from '../kinds/registry.js';
import type { Refs } from '../kinds/refs.js';
import type { TrackunitClient } from '../trackunit/client.js';
import type { ApiFamily } from '../trackunit/config.js';
import { metricsDelta, type MetricsSnapshot } from '../trackunit/metrics.js';

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
  /** Why a stored inventory was discarded (stated in the freshness). */
  discarded?: string;
  /** `tug export`: read the details of every live object the kinds can export (ReadOptions.exportAll). */
  exportAll?: boolean;
  /** Called as per-object reads finish: how many are done of how many (for a progress line). */
  onProgress?: (done: number, total: number) => void;
}

/** The live account as a plan compares it, and the per-object reads behind it (see DetailReads). */
export class LiveRead {
  /** What reading the lists cost, per API family (the ISO 15143-3 snapshot aside: it is served from its cache). */
  readonly listRequests: Partial<Record<ApiFamily, number>>;

  constructor(
    private readonly session: DetailReads,
    /** Built once from the desired state and the lists; buildPlan takes the same one. */
    readonly refs: Refs,
    listMetrics: MetricsSnapshot,
    private readonly hooks: { freshness(): Freshness; inventoryAfter(recordPlan: boolean): Inventory },
  ) {
    this.listRequests = Object.fromEntries(
      Object.entries(listMetrics.families)
        .filter(([family]) => !family.startsWith('iso-'))
        .map(([family, m]) => [family, m.requests]),
    ) as Partial<Record<ApiFamily, number>>;
  }

  get live(): LiveState {
    return this.session.live;
  }

  /** Informational reads that failed (e.g. telematics), as sentences; the plan goes on without them. */
  get warnings(): string[] {
    return this.session.warnings;
  }

  /** What this read cost so far, per API family (a delta of the client's metrics). */
  get requests(): MetricsSnapshot {
    return this.session.requests();
  }

  /** Makes live the per-object reads of `liveIds` that came from the inventory or were not made; true when any was. */
  readAlso(liveIds: ReadonlySet<string>): Promise<boolean> {
    return this.session.readAlso(liveIds);
  }

  /** Per kind: how much was read live and how old the inventory entries compared are. */
  freshness(): Freshness {
    return this.hooks.freshness();
  }

  /** The inventory after this read (`recordPlan`: count this run in the plan frequency). */
  inventoryAfter(options: { recordPlan: boolean }): Inventory {
    return this.hooks.inventoryAfter(options.recordPlan);
  }

  /** The per-object reads of `liveIds`, per API family (what apply's checks will read of them). */
  countReads(liveIds: ReadonlySet<string>): Partial<Record<ApiFamily, number>> {
    return this.session.countReads(liveIds);
  }
}

export { metricsDelta } from '../trackunit/metrics.js';

async function readLists(client: TrackunitClient, desired: DesiredState, registry: KindRegistry<TugEnv>, options: TugReadOptions): Promise<Array<Partial<LiveState>>> {
  return Promise.all(registry.kinds.map((kind) => kind.readLists(client, desired, options)));
}

/** The inventory key of a per-object read; undefined for a read about many (the ISO snapshot has its own cache). */
const inventoryKey = (read: DetailRead): string | undefined => (read.liveId === '' ? undefined : `${read.kind}/${read.part}/${read.liveId}`);

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
  const readOptions: TugReadOptions = {
    prune: options.prune,
    ...(options.state !== undefined ? { state: options.state } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.exportAll ? { exportAll: true } : {}),
  };
  const before = client.metricsSnapshot();
  const listParts = await readLists(client, desired, registry, readOptions);
  const listMetrics = metricsDelta(before, client.metricsSnapshot());
  const lists = () => Object.assign(emptyLiveState(), ...listParts) as LiveState;
  const live = lists();
  const refs = registry.context(desired, live);
  const reads = registry.kinds.flatMap((kind) => kind.detailReads?.(desired, live, refs, readOptions) ?? []);
  const inventory = options.inventory ?? emptyInventory();
  const mode: RefreshMode = options.inventory ? (options.refresh ?? 'auto') : 'full';
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const candidates = candidatesOf(reads, desired, live, registry, options.targets);
  const now = options.now ?? Date.now;
  const started = now();
  const present = candidates.filter((c): c is ReadCandidate => c !== undefined);
  const choice = chooseReads(present, inventory, { mode, maxAgeMs, now: started });
  const session = new DetailReads({
    client,
    kinds: new Map(registry.kinds.map((k) => [k.name as string, k])),
    reads,
    candidates,
    choice,
    readOptions,
    concurrency: options.concurrency,
    now,
    lists,
    before,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  await session.start();
  return new LiveRead(session, refs, listMetrics, {
    freshness: () => freshnessOf(present, choice, { mode, maxAgeMs, now: started, ...(options.discarded ? { discarded: options.discarded } : {}) }),
    inventoryAfter: (recordPlan) => session.inventoryAfter(inventory, { merge: (options.targets ?? []).length > 0, plan: recordPlan ? started : undefined }),
  });
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
