/**
 * Telematics for the plan: when a plan changes an asset's rental status (an off-rent, a return), the rental
 * desk wants its hour meter and last position next to the change. Read from the ISO 15143-3 snapshot —
 * cached by the 15-minute rule, so a plan after a snapshot (or another plan) costs no request — and only
 * when some asset's status actually changes (by the planner's own rule, changesRentalStatus).
 * Informational: a failure never fails the plan, it becomes a warning.
 */
import type { DetailRead } from '../../core/kind.js';
import type { TugReadOptions } from '../env.js';
import type { LiveState } from '../../core/state.js';
import type { TrackunitClient } from '../../trackunit/client.js';
import { fetchIsoSnapshot } from '../../sources/iso15143/index.js';
import type { Refs } from '../refs.js';
import { changesRentalStatus } from './live-rental.js';

/** Latest telematics of an asset from the ISO 15143-3 snapshot (what the rental desk needs at off-rent). */
export interface AssetTelemetry {
  hours?: number;
  hoursAt?: string;
  latitude?: number;
  longitude?: number;
  locationAt?: string;
}

/** Live asset ids whose rental status the manifests change. */
function assetsChangingStatus(refs: Refs): Set<string> {
  const ids = new Set<string>();
  for (const { doc, asset } of refs.assetManifests().byAssetId.values()) {
    if (changesRentalStatus(asset.rentalStatus, doc.manifest.rentalStatus)) ids.add(asset.id);
  }
  return ids;
}

/** The snapshot read for the assets whose status changes; none when no status changes. */
export function telemetryReads(refs: Refs): DetailRead[] {
  const ids = [...assetsChangingStatus(refs)];
  return ids.length === 0 ? [] : [{ kind: 'Contract', part: 'telemetry', liveId: '', family: 'iso-fleet', ids }];
}

/** The cached snapshot, or the error that kept it from being read (informational: it becomes a warning). */
export async function readTelemetry(client: TrackunitClient, options: TugReadOptions): Promise<unknown> {
  try {
    return await fetchIsoSnapshot({ client, state: stateOf(options), ...(options.now ? { now: options.now } : {}) });
  } catch (error) {
    return error as Error;
  }
}

/** Hour meter and last position of each asset the read is for; a warning when the snapshot could not be read. */
export function storeTelemetry(live: LiveState, read: DetailRead, result: unknown): string | undefined {
  if (result instanceof Error) return `hour meters and positions are not shown: the ISO 15143-3 snapshot could not be read (${result.message})`;
  const wanted = new Set(read.ids);
  for (const record of (result as Awaited<ReturnType<typeof fetchIsoSnapshot>>).records) {
    const id = record.metadata?.machineId;
    if (!id || !wanted.has(id)) continue;
    live.telemetry[id] = {
      ...(record.operatingHours ? { hours: record.operatingHours.hours, ...(record.operatingHours.datetime ? { hoursAt: record.operatingHours.datetime } : {}) } : {}),
      ...(record.location
        ? { latitude: record.location.latitude, longitude: record.location.longitude, ...(record.location.datetime ? { locationAt: record.location.datetime } : {}) }
        : {}),
    };
  }
  return undefined;
}

/** Where the ISO cache lives; the plan command always says. */
function stateOf(options: TugReadOptions): TugReadOptions['state'] & object {
  if (options.state === undefined) throw new Error('internal: the plan read the ISO 15143-3 snapshot without a state store');
  return options.state;
}
