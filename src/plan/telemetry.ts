/**
 * Telematics for the plan: when a plan changes an asset's rental status (an off-rent, a return), the rental
 * desk wants its hour meter and last position next to the change. Read from the ISO 15143-3 snapshot —
 * cached by the 15-minute rule, so a plan after a snapshot (or another plan) costs no request — and only
 * when some asset's status actually changes. Informational: a failure never fails the plan.
 */
import { createRefs } from '../core/refs.js';
import { desiredOfKind, type AssetTelemetry, type DesiredState, type LiveState } from '../core/state.js';
import { fetchIsoSnapshot } from '../sources/iso15143/index.js';
import type { TrackunitClient } from '../trackunit/client.js';

/** Live asset ids whose rental status the manifests change. */
export function assetsChangingStatus(desired: DesiredState, live: LiveState): Set<string> {
  const refs = createRefs(desired, live);
  const ids = new Set<string>();
  for (const doc of desiredOfKind(desired, 'Asset')) {
    if (doc.manifest.rentalStatus === undefined) continue;
    const resolved = refs.asset(doc.manifest);
    if ('asset' in resolved && resolved.asset.rentalStatus !== doc.manifest.rentalStatus) ids.add(resolved.asset.id);
  }
  return ids;
}

export async function readTelemetry(
  client: TrackunitClient,
  desired: DesiredState,
  live: LiveState,
  options: { stateDir: string; now?: () => number },
): Promise<{ telemetry: Record<string, AssetTelemetry>; warning?: string }> {
  const wanted = assetsChangingStatus(desired, live);
  if (wanted.size === 0) return { telemetry: {} };
  try {
    const snapshot = await fetchIsoSnapshot({ client, stateDir: options.stateDir, ...(options.now ? { now: options.now } : {}) });
    const telemetry: Record<string, AssetTelemetry> = {};
    for (const record of snapshot.records) {
      const id = record.metadata?.machineId;
      if (!id || !wanted.has(id)) continue;
      telemetry[id] = {
        ...(record.operatingHours ? { hours: record.operatingHours.hours, ...(record.operatingHours.datetime ? { hoursAt: record.operatingHours.datetime } : {}) } : {}),
        ...(record.location
          ? { latitude: record.location.latitude, longitude: record.location.longitude, ...(record.location.datetime ? { locationAt: record.location.datetime } : {}) }
          : {}),
      };
    }
    return { telemetry };
  } catch (error) {
    return { telemetry: {}, warning: `hour meters and positions are not shown: the ISO 15143-3 snapshot could not be read (${(error as Error).message})` };
  }
}
