/**
 * `pin:` identifiers (OEM PIN/VIN) name assets the Trackunit APIs cannot look up by PIN: only the ISO
 * 15143-3 snapshot carries both the PIN and the Trackunit asset id. So a plan that uses any `pin:`
 * reads the snapshot — through the cached source, which serves a copy younger than 15 minutes and
 * never spends the export's scarce per-URL pool — and resolves each PIN once. A plan without a
 * `pin:` makes no ISO request at all.
 */
import { desiredOfKind, type DesiredState } from '../../core/state.js';
import { createIsoLookup, fetchIsoSnapshot, type IsoRecord, type IsoResolution, type IsoRunStats } from '../../sources/iso15143/index.js';
import type { TrackunitClient } from '../../trackunit/client.js';
import type { IsoStateSource } from '../../sources/iso15143/ledger.js';

/** What the ISO 15143-3 snapshot says about a PIN. */
export type PinResolution = { match: 'unique'; assetId?: string; serialNumber?: string } | { match: 'ambiguous'; candidates: string[] } | { match: 'none' };

export interface ResolvePinsOptions {
  /** The state store the ISO cache lives in (needed only when a manifest uses a PIN). */
  state?: IsoStateSource;
  /** The cache's clock (the 15-minute rule). */
  now?: () => number;
}

export interface PinsResult {
  pins: Record<string, PinResolution>;
  /** Absent when no manifest uses `pin:` (nothing was read). */
  snapshot?: { pages: number; records: number; stats: IsoRunStats };
}

/** Every distinct PIN the manifests use: Asset identities and contract items' assets, sorted. */
export function pinsIn(desired: DesiredState): string[] {
  const pins = new Set<string>();
  for (const doc of desiredOfKind(desired, 'Asset')) if (doc.manifest.pin !== undefined) pins.add(doc.manifest.pin);
  for (const doc of desiredOfKind(desired, 'Contract')) for (const item of doc.manifest.items ?? []) if (item.asset.pin !== undefined) pins.add(item.asset.pin);
  return [...pins].sort();
}

/** How a candidate is named in a problem: the asset id a manifest could use instead, else what is known. */
function candidateLabel(record: IsoRecord): string {
  return record.metadata?.machineId ?? record.equipmentId ?? record.serialNumber ?? record.pin ?? 'unknown asset';
}

export function toPinResolution(resolution: IsoResolution | undefined): PinResolution {
  if (resolution === undefined) return { match: 'none' };
  if (resolution.match === 'ambiguous') return { match: 'ambiguous', candidates: resolution.candidates.map(candidateLabel).sort() };
  return {
    match: 'unique',
    ...(resolution.assetId === undefined ? {} : { assetId: resolution.assetId }),
    ...(resolution.serialNumber === undefined ? {} : { serialNumber: resolution.serialNumber }),
  };
}

export async function resolvePins(client: TrackunitClient, desired: DesiredState, options: ResolvePinsOptions): Promise<PinsResult> {
  const wanted = pinsIn(desired);
  if (wanted.length === 0) return { pins: {} };
  if (options.state === undefined) throw new Error('internal: PINs are resolved without a state store for the ISO 15143-3 cache');
  const snapshot = await fetchIsoSnapshot({ client, state: options.state, ...(options.now ? { now: options.now } : {}) });
  const lookup = createIsoLookup(snapshot.records);
  const pins: Record<string, PinResolution> = {};
  for (const pin of wanted) pins[pin] = toPinResolution(lookup.resolve(pin));
  return { pins, snapshot: { pages: snapshot.pages, records: snapshot.records.length, stats: snapshot.stats } };
}
