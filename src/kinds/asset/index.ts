/**
 * Asset: an existing asset (tug never creates or deletes one), named by assetId, serialNumber, `pin:`
 * (resolved through the ISO 15143-3 snapshot, read with the lists only when a manifest uses a PIN) or
 * externalReference. Reads the asset list, and custom field values of the assets whose manifest sets
 * `customFields`.
 */
import { desiredOfKind } from '../../core/state.js';
import { assetsApi, type Asset } from '../../trackunit/endpoints/assets.js';
import type { KindDefinition } from '../env.js';
import * as validation from './checks.js';
import { hasFieldsFor, readValues, setsFields, valuesInventory, storeValues, valuesRead } from '../live-reads.js';
import { assetRefKey } from './identity.js';
import type { AssetManifest } from './manifest.js';
import { resolvePins, type PinResolution, type PinsResult } from './pins.js';
import { planAssets } from './plan.js';
import { exportAssets } from './export.js';

declare module '../../core/manifest.js' {
  interface KindManifests {
    Asset: AssetManifest;
  }
}
declare module '../../core/state.js' {
  interface LiveParts {
    assets: Asset[];
    /** PIN → resolution, for every `pin:` identifier in the manifests. */
    pins: Record<string, PinResolution>;
    /** The ISO snapshot the PINs were resolved from (absent when no manifest uses one). */
    pinSource?: PinsResult['snapshot'];
  }
}

export const assetKind: KindDefinition<'Asset'> = {
  name: 'Asset',
  schemaFile: 'asset.schema.json',
  identityField: 'assetId | serialNumber | pin | externalReference',
  entityType: 'ASSET',
  identity: assetRefKey,
  validation,
  emptyLive: () => ({ assets: [], pins: {} }),
  readLists: async (client, desired, options) => {
    const [assets, pins] = await Promise.all([assetsApi(client).list(), resolvePins(client, desired, options)]);
    return { assets, pins: pins.pins, ...(pins.snapshot ? { pinSource: pins.snapshot } : {}) };
  },
  detailReads: (desired, live, refs, options) => {
    if (options.exportAll) return hasFieldsFor(live, 'ASSET') ? live.assets.map((a) => valuesRead('Asset', 'ASSET', a.id)) : [];
    const ids = new Map<string, string>();
    for (const doc of desiredOfKind(desired, 'Asset')) {
      if (!setsFields(doc.manifest.customFields)) continue;
      const resolved = refs.asset(doc.manifest);
      if ('asset' in resolved && !ids.has(resolved.asset.id)) ids.set(resolved.asset.id, doc.identity);
    }
    return live.assets.filter((a) => ids.has(a.id)).map((a) => valuesRead('Asset', 'ASSET', a.id, ids.get(a.id)));
  },
  readDetail: readValues,
  storeDetail: (live, read, result) => void storeValues(live, read, result),
  ...valuesInventory,
  listed: (live) => live.assets,
  liveIdentities: (live) =>
    live.assets.flatMap((a) => [`assetId=${a.id}`, a.serialNumber && `serialNumber=${a.serialNumber}`, a.externalReference && `externalReference=${a.externalReference}`]),
  plan: planAssets,
  exportLive: exportAssets,
};
