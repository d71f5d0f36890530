/**
 * `tug export`: the live account as manifests. Reads everything cold (the lists, then the per-object
 * reads of every live object: `exportAll`), asks each kind to write its objects (ResourceKind.exportLive),
 * and keeps only what validates: every object is checked as `tug validate` would check the exported files,
 * and one with an error (a name too long for the schema, a reference to an object that was left out) is
 * left out and reported with the validation message — until nothing has an error. So an export always
 * validates clean, and whatever it could not write is in the report, never dropped silently.
 */
import type { ExportedObject, ExportSkip, KindName } from '../core/kind.js';
import type { DesiredState } from '../core/state.js';
import { REGISTRY } from '../kinds/registry.js';
import { parseYaml } from '../manifests/yaml.js';
import { validateDocuments } from '../manifests/validate.js';
import type { ParsedDocument } from '../manifests/yaml.js';
import { readLiveState } from '../plan/read-live.js';
import type { TrackunitClient } from '../trackunit/client.js';
import type { MetricsSnapshot } from '../trackunit/metrics.js';
import { metricsDelta } from '../trackunit/metrics.js';
import { renderObject } from './files.js';

export interface ExportInput {
  client: TrackunitClient;
  /** The kinds to export (default: all). References to kinds not exported are kept: they name live objects. */
  kinds?: readonly KindName[];
  /** tug.yaml prune.kinds (how customers' markers are read). */
  prune: KindName[];
  now?: () => number;
  /** Per-object reads done so far, of all (for progress). */
  onProgress?: (done: number, total: number) => void;
}

export interface ExportOutput {
  objects: ExportedObject[];
  skipped: ExportSkip[];
  requests: MetricsSnapshot;
  durationMs: number;
  /** Per-object reads made. */
  reads: number;
}

const EMPTY: DesiredState = { objects: [] };

export async function runExport(input: ExportInput): Promise<ExportOutput> {
  const now = input.now ?? Date.now;
  const started = now();
  const before = input.client.metricsSnapshot();
  const read = await readLiveState(input.client, EMPTY, {
    prune: input.prune,
    exportAll: true,
    now,
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
  });
  const live = read.live;
  const names = REGISTRY.exportNames(live);
  const chosen = new Set(input.kinds ?? REGISTRY.kinds.map((k) => k.name));
  // Every kind is written and checked together, so an object of a chosen kind is judged with what it
  // refers to (a depot, a definition); only the chosen kinds are returned.
  const objects: ExportedObject[] = [];
  const skipped: ExportSkip[] = [];
  for (const kind of REGISTRY.kinds) {
    const result = kind.exportLive?.(live, names);
    if (!result) continue;
    objects.push(...result.objects);
    skipped.push(...result.skipped);
  }
  const kept = keepValid(objects, skipped).filter((o) => chosen.has(o.kind));
  const reported = skipped.filter((s) => chosen.has(s.kind));
  const reads = Object.values(read.freshness().kinds).reduce((n, k) => n + k.reads, 0);
  return { objects: kept, skipped: reported, requests: metricsDelta(before, input.client.metricsSnapshot()), durationMs: now() - started, reads };
}

/**
 * The objects that validate, checked together (references, duplicates) until none has an error; the
 * others go to `skipped` with the first error's message.
 */
function keepValid(objects: ExportedObject[], skipped: ExportSkip[]): ExportedObject[] {
  const parsed: Array<ParsedDocument | undefined> = objects.map((o, i) => {
    const result = parseYaml(renderObject(o), `#${i}`);
    if (result.documents.length === 1) return result.documents[0];
    // Never expected (the writer's own YAML); if it happens, the object is reported, not written wrong.
    skipped.push({ kind: o.kind, liveId: o.liveId, label: o.identity, reason: `its YAML does not read back: ${result.diagnostics[0]?.message ?? 'not one document'}` });
    return undefined;
  });
  let alive = objects.flatMap((_, i) => (parsed[i] ? [i] : []));
  for (;;) {
    const { diagnostics } = validateDocuments(alive.map((i) => parsed[i]!));
    const failed = new Map<number, string>();
    for (const d of diagnostics) {
      if (d.severity !== 'error') continue;
      const index = Number(d.file.slice(1));
      if (!failed.has(index)) failed.set(index, d.message);
    }
    if (failed.size === 0) return alive.map((i) => objects[i]!);
    for (const [index, message] of failed) {
      const o = objects[index]!;
      skipped.push({ kind: o.kind, liveId: o.liveId, label: o.identity, reason: `it would not validate: ${message}` });
    }
    alive = alive.filter((i) => !failed.has(i));
  }
}
