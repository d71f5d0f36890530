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
 */
import pLimit from 'p-limit';
import type { DetailRead, KindName, KindRegistry } from '../core/kind.js';
import type { DesiredState, LiveState } from '../core/state.js';
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
}

export interface LiveRead {
  live: LiveState;
  /** Built once from the desired state and the lists; buildPlan takes the same one. */
  refs: Refs;
  /** What this read cost, per API family (a delta of the client's metrics). */
  requests: MetricsSnapshot;
  /** Informational reads that failed (e.g. telematics), as sentences; the plan goes on without them. */
  warnings: string[];
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

async function readLists(client: TrackunitClient, desired: DesiredState, registry: KindRegistry<TugEnv>, options: TugReadOptions): Promise<LiveState> {
  const parts = await Promise.all(registry.kinds.map((kind) => kind.readLists(client, desired, options)));
  return Object.assign(emptyLiveState(), ...parts) as LiveState;
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

export async function readLiveState(client: TrackunitClient, desired: DesiredState, options: ReadLiveOptions): Promise<LiveRead> {
  const registry = options.registry ?? REGISTRY;
  const readOptions: TugReadOptions = {
    prune: options.prune,
    ...(options.state !== undefined ? { state: options.state } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
  const before = client.metricsSnapshot();
  const live = await readLists(client, desired, registry, readOptions);
  const refs = registry.context(desired, live);
  const reads = registry.kinds.flatMap((kind) => kind.detailReads?.(desired, live, refs, readOptions) ?? []);
  const kinds = new Map(registry.kinds.map((k) => [k.name as string, k]));
  const results = await runReads(client, kinds, reads, readOptions, options.concurrency);
  const warnings: string[] = [];
  reads.forEach((read, i) => {
    const warning = kindOf(kinds, read).storeDetail(live, read, results[i]);
    if (warning) warnings.push(warning);
  });
  return { live, refs, requests: metricsDelta(before, client.metricsSnapshot()), warnings };
}
