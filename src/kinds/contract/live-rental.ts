/**
 * The live side of an asset's rental payload, read from the Assets API read-back (rentalStatus,
 * owningDepotId) and the contract items on the asset, joined with their contracts and customers.
 * Only what the desired payload mentions is compared: a live item the manifests do not list cannot be
 * removed through the Rental API (absent items are left as they are), so it must not make a diff.
 */
import type { Json } from '../../core/canonical.js';
import type { LiveState } from '../../core/state.js';
import type { Asset } from '../../trackunit/endpoints/assets.js';
import type { Contract, ContractItem } from '../../trackunit/endpoints/rental.js';
import { liveContract, liveItem, sortItems, type NormalContract, type RentalPayload } from './rental-payload.js';

export interface LiveRentalIndex {
  contractsById: Map<string, Contract>;
  contractsByRef: Map<string, Contract>;
  /** Customer id → its externalReference. */
  customerRefs: Map<string, string | null>;
  itemsByAsset: Map<string, ContractItem[]>;
  itemsByRef: Map<string, ContractItem>;
}

export function indexLiveRental(live: LiveState): LiveRentalIndex {
  const itemsByAsset = new Map<string, ContractItem[]>();
  for (const item of live.contractItems) {
    if (item.assetId === null) continue;
    itemsByAsset.set(item.assetId, [...(itemsByAsset.get(item.assetId) ?? []), item]);
  }
  return {
    contractsById: new Map(live.contracts.map((c) => [c.id, c])),
    contractsByRef: new Map(live.contracts.map((c) => [c.externalReference, c])),
    customerRefs: new Map(live.customers.map((c) => [c.id, c.externalReference])),
    itemsByAsset,
    itemsByRef: new Map(live.contractItems.map((i) => [i.externalReference, i])),
  };
}

export function liveContractOf(item: ContractItem, index: LiveRentalIndex): NormalContract {
  const contract = index.contractsById.get(item.contractId);
  return liveContract(contract, contract ? (index.customerRefs.get(contract.customerId) ?? null) : null);
}

/** Does the desired rental status (undefined: the manifest leaves it) change the live one? One rule for the plan and its telemetry read. */
export function changesRentalStatus(live: unknown, desired: unknown): boolean {
  return desired !== undefined && (live ?? null) !== desired;
}

/** The live payload restricted to the fields and items `desired` mentions. */
export function livePayload(asset: Asset, desired: RentalPayload, index: LiveRentalIndex): RentalPayload {
  const payload: RentalPayload = { contractItems: [] };
  if (desired.rentalStatus !== undefined) payload.rentalStatus = asset.rentalStatus ?? null;
  if (desired.owningDepot !== undefined) payload.owningDepot = asset.owningDepotId ? { siteId: asset.owningDepotId } : null;
  const wanted = new Set(desired.contractItems.map((i) => i.externalReference));
  const items = (index.itemsByAsset.get(asset.id) ?? []).filter((i) => wanted.has(i.externalReference));
  payload.contractItems = sortItems(items.map((i) => liveItem(i, liveContractOf(i, index))));
  return payload;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * What a sync was planned against, for its fingerprint: the raw asset, the raw items on it and the
 * items it moves onto it, and their raw contracts.
 */
export function liveRentalSnapshot(asset: Asset, desired: RentalPayload, index: LiveRentalIndex): Json {
  const items = new Map((index.itemsByAsset.get(asset.id) ?? []).map((i) => [i.id, i]));
  for (const { externalReference } of desired.contractItems) {
    const item = index.itemsByRef.get(externalReference);
    if (item) items.set(item.id, item);
  }
  const contracts = new Map<string, Contract>();
  for (const item of items.values()) {
    const contract = index.contractsById.get(item.contractId);
    if (contract) contracts.set(contract.id, contract);
  }
  return { asset, items: [...items.values()].sort(byId), contracts: [...contracts.values()].sort(byId) } as unknown as Json;
}
