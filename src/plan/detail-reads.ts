/**
 * The per-object reads of one plan (src/plan/read-live.ts chooses them): run with a queue per API family,
 * their results — live, else the inventory's — stored into the live state in the order the kinds chose
 * them, so the live state is the same however the responses interleave. `readAlso` makes more of them
 * live (what a plan's changes were planned from) and stores everything again.
 */
import pLimit from 'p-limit';
import type { Inventory, InventoryEntry, ReadCandidate, ReadChoice } from '../core/inventory.js';
import { PLAN_HISTORY } from '../core/inventory.js';
import type { Json } from '../core/canonical.js';
import type { DetailRead } from '../core/kind.js';
import type { LiveState } from '../core/state.js';
import type { TugKind, TugReadOptions } from '../kinds/env.js';
import type { TrackunitClient } from '../trackunit/client.js';
import type { ApiFamily } from '../trackunit/config.js';
import { metricsDelta, type MetricsSnapshot } from '../trackunit/metrics.js';

export interface DetailReadsInput {
  client: TrackunitClient;
  kinds: Map<string, TugKind>;
  reads: DetailRead[];
  /** Per read: what the inventory keeps of it, undefined for a read about many (always live). */
  candidates: Array<ReadCandidate | undefined>;
  choice: ReadChoice;
  readOptions: TugReadOptions;
  concurrency: number | undefined;
  now: () => number;
  /** A fresh live state holding the lists only. */
  lists: () => LiveState;
  /** The client's metrics before the plan read anything. */
  before: MetricsSnapshot;
  /** Called as reads finish: done of total (per run). */
  onProgress?: (done: number, total: number) => void;
}

/** The kind a read belongs to; a kind that chooses reads must also run and store them. */
function kindOf(kinds: Map<string, TugKind>, read: DetailRead): Required<Pick<TugKind, 'readDetail' | 'storeDetail'>> {
  const kind = kinds.get(read.kind);
  if (!kind?.readDetail || !kind.storeDetail) throw new Error(`internal: kind ${read.kind} chose a ${read.part} read it cannot run`);
  return kind as Required<Pick<TugKind, 'readDetail' | 'storeDetail'>>;
}

export class DetailReads {
  live: LiveState;
  warnings: string[] = [];
  /** Results of live reads, by index into `reads`. */
  private readonly results = new Map<number, unknown>();
  /** Results taken from the inventory, unpacked (see ResourceKind.packDetail), by index into `reads`. */
  private readonly cached = new Map<number, unknown>();
  private readonly readAt = new Map<string, number>();

  constructor(private readonly input: DetailReadsInput) {
    this.live = input.lists();
  }

  /**
   * Unpacks what the inventory holds (an entry the lists cannot complete any more is read live, as
   * changed), runs every read about many and every per-object read chosen live, then stores all.
   */
  async start(): Promise<void> {
    const { candidates, choice, reads, kinds } = this.input;
    reads.forEach((read, i) => {
      const key = candidates[i]?.key;
      const entry = key === undefined ? undefined : choice.cached.get(key);
      if (key === undefined || !entry) return;
      const unpack = kinds.get(read.kind)?.unpackDetail;
      const result = unpack ? unpack(read, entry.result, this.live) : entry.result;
      if (result !== undefined) this.cached.set(i, result);
      else {
        choice.cached.delete(key);
        choice.unread.delete(key);
        choice.live.set(key, 'changed');
      }
    });
    await this.run(reads.flatMap((_, i) => (candidates[i] === undefined || choice.live.has(candidates[i]!.key) ? [i] : [])));
    this.assemble();
  }

  requests(): MetricsSnapshot {
    return metricsDelta(this.input.before, this.input.client.metricsSnapshot());
  }

  async readAlso(liveIds: ReadonlySet<string>): Promise<boolean> {
    const { reads, candidates, choice } = this.input;
    const more = reads.flatMap((r, i) => (candidates[i] !== undefined && !this.results.has(i) && liveIds.has(r.liveId) ? [i] : []));
    if (more.length === 0) return false;
    await this.run(more);
    for (const i of more) {
      this.cached.delete(i);
      const key = candidates[i]!.key;
      choice.cached.delete(key);
      choice.unread.delete(key);
      choice.live.set(key, 'needed');
    }
    this.assemble();
    return true;
  }

  countReads(liveIds: ReadonlySet<string>): Partial<Record<ApiFamily, number>> {
    const counts: Partial<Record<ApiFamily, number>> = {};
    this.input.reads.forEach((r, i) => {
      const family = r.family as ApiFamily;
      if (this.input.candidates[i] !== undefined && liveIds.has(r.liveId)) counts[family] = (counts[family] ?? 0) + 1;
    });
    return counts;
  }

  /**
   * The inventory after this plan: every read made live now, every entry it compared; with `merge` (a
   * `--target`ed plan saw only part of the account) the other entries stay. `plan`: this run's time,
   * added to the plan frequency.
   */
  inventoryAfter(before: Inventory, options: { merge: boolean; plan: number | undefined }): Inventory {
    const entries = options.merge ? new Map(before.entries) : new Map<string, InventoryEntry>();
    this.input.candidates.forEach((c, i) => {
      if (c === undefined) return;
      if (this.results.has(i)) {
        const read = this.input.reads[i]!;
        const pack = this.input.kinds.get(read.kind)?.packDetail;
        const result = this.results.get(i) ?? null;
        entries.set(c.key, { list: c.list, manifest: c.manifest, readAt: this.readAt.get(c.key)!, result: pack ? pack(read, result) : (result as Json) });
      } else {
        const cached = this.input.choice.cached.get(c.key);
        if (cached) entries.set(c.key, cached);
      }
    });
    const plans = options.plan === undefined ? before.plans : [...before.plans, options.plan].slice(-PLAN_HISTORY);
    return { plans, entries };
  }

  /** Runs the reads at `indexes` with a queue per API family; results by index. */
  private async run(indexes: number[]): Promise<void> {
    const { client, kinds, reads, readOptions, concurrency } = this.input;
    const queues = new Map<string, ReturnType<typeof pLimit>>();
    const queue = (family: string) => {
      let limit = queues.get(family);
      if (!limit) queues.set(family, (limit = pLimit(concurrency ?? Math.max(1, (client.config.limits[family as ApiFamily]?.maxInFlight ?? 8) * 2))));
      return limit;
    };
    const at = this.input.now();
    const progress = this.input.onProgress;
    let done = 0;
    const readOne = async (i: number) => {
      const result = await kindOf(kinds, reads[i]!).readDetail(client, reads[i]!, readOptions);
      progress?.((done += 1), indexes.length);
      return result;
    };
    const out = await Promise.all(indexes.map((i) => queue(reads[i]!.family)(() => readOne(i))));
    indexes.forEach((i, n) => {
      this.results.set(i, out[n]);
      const key = this.input.candidates[i]?.key;
      if (key !== undefined) this.readAt.set(key, at);
    });
  }

  /** Stores every read's result (live, else the inventory's; out of the targets' scope and not kept: none). */
  private assemble(): void {
    const { reads, kinds } = this.input;
    const live = this.input.lists();
    const warnings: string[] = [];
    reads.forEach((r, i) => {
      const isLive = this.results.has(i);
      if (!isLive && !this.cached.has(i)) return;
      const warning = kindOf(kinds, r).storeDetail(live, r, isLive ? this.results.get(i) : this.cached.get(i));
      if (warning) warnings.push(warning);
    });
    this.live = live;
    this.warnings = warnings;
  }
}
