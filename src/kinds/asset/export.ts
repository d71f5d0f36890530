/**
 * Asset → manifests (`tug export`): every asset the account owns that has a managed field set —
 * externalReference, rental status, owning depot, custom field values — named as export-names.ts says.
 * Assets shared in from another account cannot take ERP data, and assets with nothing set have nothing
 * to write; both are reported.
 */
import { compareText } from '../../core/canonical.js';
import type { ExportResult } from '../../core/kind.js';
import type { LiveState } from '../../core/state.js';
import { RENTAL_STATUSES } from '../common.js';
import { written, type ExportNames } from '../export-names.js';
import { assetRefKey } from './identity.js';
import { homeOwner, sharedInProblem } from './resolve.js';

const STATUSES: ReadonlySet<string> = new Set(RENTAL_STATUSES);

export function exportAssets(live: LiveState, names: ExportNames): ExportResult {
  const result: ExportResult = { objects: [], skipped: [] };
  const home = homeOwner(live.assets);
  const assets = live.assets.map((asset) => ({ asset, ref: names.assetRef(asset.id)! })).map((a) => ({ ...a, identity: assetRefKey(a.ref) as string }));
  assets.sort((a, b) => compareText(a.identity, b.identity));
  for (const { asset, ref, identity } of assets) {
    const label = `${asset.name} (${identity})`;
    const skip = (reason: string, part?: string) => result.skipped.push({ kind: 'Asset', liveId: asset.id, label, reason, ...(part ? { part } : {}) });
    const shared = sharedInProblem(asset, home);
    if (shared !== undefined) {
      skip('it is shared in from another account; only assets the account owns can take ERP data');
      continue;
    }
    const values = names.values('ASSET', live.values[asset.id]);
    for (const field of values.skipped) skip('no manifest can set a value of this field', `customFields.${field}`);
    const status = asset.rentalStatus ?? undefined;
    if (status !== undefined && !STATUSES.has(status)) skip(`rental status ${status} is not one a manifest can set`, 'rentalStatus');
    const depot = names.depotKey(asset.owningDepotId);
    if (asset.owningDepotId && depot === undefined) skip(`its owning site ${asset.owningDepotId} is not a DEPOT site of this account`, 'owningDepot');
    const fields = written({
      externalReference: asset.externalReference,
      rentalStatus: status !== undefined && STATUSES.has(status) ? status : undefined,
      owningDepot: depot,
      customFields: values.values,
    });
    if (Object.keys(fields).length === 0) {
      skip('none of the fields tug manages is set (externalReference, rentalStatus, owningDepot, custom field values)');
      continue;
    }
    const manifest = { kind: 'Asset', ...(ref as { [field: string]: string }), ...fields };
    result.objects.push({ kind: 'Asset', identity, liveId: asset.id, manifest, ...(depot !== undefined ? { depot } : {}) });
  }
  return result;
}
