/**
 * The desired rental payload of every asset the manifests give rental data: its Asset manifest's
 * rentalStatus and owningDepot, plus every contract item whose `asset` reference resolves to it (with
 * its contract). The engine groups by asset because the Rental API takes one asset per request.
 */
import type { PlanProblem } from '../../core/plan.js';
import type { Refs } from '../refs.js';
import { desiredOfKind, type DesiredObject, type DesiredState, type LiveState } from '../../core/state.js';
import type { Asset } from '../../trackunit/endpoints/assets.js';
import type { AssetManifest } from '../asset/manifest.js';
import { homeOwner, sharedInProblem, type AssetResolutions } from '../asset/resolve.js';
import { assetRefKey } from '../asset/identity.js';
import { desiredContract, desiredItem, sortItems, type CustomerInfo, type RentalPayload } from './rental-payload.js';

export interface DesiredAssetRental {
  asset: Asset;
  /** The asset's own manifest, if it has one. */
  doc?: DesiredObject<AssetManifest>;
  /** assetRefKey of every item reference naming this asset (the change id when there is no Asset manifest). */
  refKeys: string[];
  /** Item positions (`file:line:col`), in manifest order: the reason when there is no Asset manifest. */
  /** Where each item is written, computed only when needed (positions cost a YAML syntax tree). */
  itemLocations: Array<() => string>;
  payload: RentalPayload;
  /** Depot keys and customer references the payload uses (for dependsOn on their creates). */
  depots: Set<string>;
  customers: Set<string>;
  /** Contract references with items on this asset. */
  contracts: Set<string>;
}

export interface DesiredRental {
  byAssetId: Map<string, DesiredAssetRental>;
  problems: PlanProblem[];
  /** Every contract item reference the manifests mention, on whatever asset. */
  itemRefs: Set<string>;
}

function newEntry(asset: Asset, doc: DesiredObject<AssetManifest> | undefined): DesiredAssetRental {
  const entry: DesiredAssetRental = { asset, refKeys: [], itemLocations: [], payload: { contractItems: [] }, depots: new Set(), customers: new Set(), contracts: new Set() };
  if (doc) entry.doc = doc;
  return entry;
}

/** rentalStatus and owningDepot, only when the Asset manifest sets them (else Trackunit's value stays). */
function addAssetFields(entry: DesiredAssetRental, manifest: AssetManifest, refs: Refs): void {
  if (manifest.rentalStatus !== undefined) entry.payload.rentalStatus = manifest.rentalStatus;
  if (manifest.owningDepot !== undefined) {
    entry.payload.owningDepot = { siteId: refs.depotId(manifest.owningDepot) };
    entry.depots.add(manifest.owningDepot);
  }
}

export function buildDesiredRental(desired: DesiredState, live: LiveState, refs: Refs, assets: AssetResolutions): DesiredRental {
  const byAssetId = new Map<string, DesiredAssetRental>();
  const problems: PlanProblem[] = [];
  const itemRefs = new Set<string>();
  const entryOf = (asset: Asset) => {
    let entry = byAssetId.get(asset.id);
    if (!entry) byAssetId.set(asset.id, (entry = newEntry(asset, assets.byAssetId.get(asset.id)?.doc)));
    return entry;
  };
  for (const { doc, asset } of assets.byAssetId.values()) {
    if (doc.manifest.rentalStatus !== undefined || doc.manifest.owningDepot !== undefined) addAssetFields(entryOf(asset), doc.manifest, refs);
  }
  const home = homeOwner(live.assets);
  for (const doc of desiredOfKind(desired, 'Contract')) {
    const m = doc.manifest;
    const contract = desiredContract(m, refs.depotId);
    (m.items ?? []).forEach((item, i) => {
      itemRefs.add(item.externalReference);
      const resolution = refs.asset(item.asset);
      const problem = 'problem' in resolution ? resolution.problem : sharedInProblem(resolution.asset, home);
      if (problem !== undefined || !('asset' in resolution)) {
        problems.push({ kind: 'Contract', id: doc.identity, message: `item ${item.externalReference}: ${problem}`, location: doc.locate(['items', i, 'asset']), severity: 'error' });
        return;
      }
      const entry = entryOf(resolution.asset);
      entry.payload.contractItems.push(desiredItem(item, contract));
      entry.refKeys.push(assetRefKey(item.asset) ?? `assetId=${resolution.asset.id}`);
      entry.itemLocations.push(() => doc.locate(['items', i]));
      entry.customers.add(m.customer);
      entry.contracts.add(m.externalReference);
      if (m.hiringDepot !== undefined) entry.depots.add(m.hiringDepot);
    });
  }
  for (const entry of byAssetId.values()) entry.payload.contractItems = sortItems(entry.payload.contractItems);
  return { byAssetId, problems, itemRefs };
}

/** Name and type of every Customer manifest, for the customers a sync may have to create. */
export function customerInfos(desired: DesiredState): Map<string, CustomerInfo> {
  const infos = new Map<string, CustomerInfo>();
  for (const { manifest: m } of desiredOfKind(desired, 'Customer')) {
    infos.set(m.externalReference, m.type !== undefined ? { name: m.name, type: m.type } : { name: m.name });
  }
  return infos;
}
