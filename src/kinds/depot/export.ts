/**
 * Depot → manifests (`tug export`): every DEPOT site (other site types are not depots), keyed as
 * export-names.ts says. A site tug does not manage yet gets `adopt: { siteId }`, so the first plan binds
 * it (`~ adopt Depot/<key>`) instead of creating a second site.
 */
import { compareText } from '../../core/canonical.js';
import type { ExportResult } from '../../core/kind.js';
import type { LiveState } from '../../core/state.js';
import { written, writtenAddress, type ExportNames } from '../export-names.js';
import { siteLabel } from './normalize.js';

export function exportDepots(live: LiveState, names: ExportNames): ExportResult {
  const result: ExportResult = { objects: [], skipped: [] };
  const depots = live.sites
    .filter((s) => s.type === 'DEPOT')
    .map((site) => ({ site, key: names.depotKey(site.id) as string }))
    .sort((a, b) => compareText(a.key, b.key));
  for (const { site, key } of depots) {
    const values = names.values('SITE', live.values[site.id]);
    for (const field of values.skipped)
      result.skipped.push({ kind: 'Depot', liveId: site.id, label: siteLabel(site), part: `customFields.${field}`, reason: 'no manifest can set a value of this field' });
    const manifest = written({
      kind: 'Depot',
      key,
      name: site.name,
      description: site.description,
      address: writtenAddress(site.address),
      area: site.area ? { type: site.area.type, coordinates: site.area.coordinates } : undefined,
      customFields: values.values,
      adopt: names.isBound(site.id) ? undefined : { siteId: site.id },
    });
    result.objects.push({ kind: 'Depot', identity: key, liveId: site.id, manifest, depot: key });
  }
  return result;
}
