/**
 * Asset matching for the synchronization endpoint, and the pending payloads (202) that are linked
 * later "when assets are updated or added" [documented]. How they are linked is [assumed]: the
 * customers, contracts and items of a pending payload were already upserted when it was received
 * (with no asset), so matching later sets the asset-level fields and links those of its items that
 * are still without an asset; an item another sync has since put on an asset stays there.
 */
import { isoNow, type Clock } from '../../clock.js';
import type { AssetRecord, PendingSyncRecord, Store } from '../../store.js';
import type { IdentifierType, SyncPayload } from './shapes.js';

const normalizeSerial = (serial: string) => serial.trim().toLowerCase();

/** ASSET_ID → id; SERIAL_NUMBER → serialNumber (case-insensitive, trimmed); EXTERNAL_REFERENCE → externalReference. */
export function assetMatches(asset: AssetRecord, type: string, identifier: string): boolean {
  switch (type as IdentifierType) {
    case 'ASSET_ID':
      return asset.id.toLowerCase() === identifier.trim().toLowerCase();
    case 'SERIAL_NUMBER':
      return asset.serialNumber !== null && normalizeSerial(asset.serialNumber) === normalizeSerial(identifier);
    case 'EXTERNAL_REFERENCE':
      return asset.externalReference !== null && asset.externalReference === identifier;
    default:
      return false;
  }
}

/** The asset an identifier names: an owned one when there is one, else a visible (shared-in) one. */
export function matchAsset(store: Store, type: IdentifierType, identifier: string): AssetRecord | undefined {
  let visible: AssetRecord | undefined;
  for (const asset of store.assets.values()) {
    if (!assetMatches(asset, type, identifier)) continue;
    if (asset.owned) return asset;
    visible ??= asset;
  }
  return visible;
}

/** Another asset already carrying this externalReference (references are unique). */
export function assetWithReference(store: Store, reference: string, except: AssetRecord | undefined): AssetRecord | undefined {
  for (const asset of store.assets.values()) {
    if (asset.externalReference === reference && asset.id !== except?.id) return asset;
  }
  return undefined;
}

function pendingKey(type: string, identifier: string): string {
  return `${type}:${type === 'SERIAL_NUMBER' ? normalizeSerial(identifier) : identifier}`;
}

/** Keep an unmatched payload; a newer one for the same identifier replaces the older. */
export function storePending(store: Store, payload: SyncPayload, now: string): void {
  const key = pendingKey(payload.identifierType, payload.identifier);
  for (const [id, pending] of store.pendingSyncs) {
    if (pendingKey(pending.identifierType, pending.identifier) === key) store.pendingSyncs.delete(id);
  }
  const record: PendingSyncRecord = {
    id: store.newId(),
    identifierType: payload.identifierType,
    identifier: payload.identifier,
    payload: structuredClone(payload) as unknown as Record<string, unknown>,
    receivedAt: now,
  };
  store.pendingSyncs.set(record.id, record);
}

/** Asset-level fields of a payload; returns whether anything changed. */
export function applyAssetFields(asset: AssetRecord, payload: SyncPayload, now: string): boolean {
  let changed = false;
  const set = <K extends 'externalReference' | 'rentalStatus' | 'owningDepotId'>(key: K, value: AssetRecord[K] | undefined) => {
    if (value === undefined || asset[key] === value) return;
    asset[key] = value;
    changed = true;
  };
  set('externalReference', payload.externalReference);
  set('rentalStatus', payload.rentalStatus);
  set('owningDepotId', payload.owningDepot === undefined ? undefined : (payload.owningDepot?.siteId ?? null));
  if (changed) asset.updatedAt = now;
  return changed;
}

function linkPending(store: Store, asset: AssetRecord, pending: PendingSyncRecord, now: string): void {
  const payload = { ...(pending.payload as unknown as SyncPayload) };
  // Things may have moved on since the payload was accepted: keep only what is still valid.
  if (typeof payload.externalReference === 'string' && assetWithReference(store, payload.externalReference, asset)) {
    delete payload.externalReference;
  }
  const depotId = payload.owningDepot?.siteId;
  if (depotId !== undefined && store.sites.get(depotId)?.type !== 'DEPOT') delete payload.owningDepot;
  applyAssetFields(asset, payload, now);
  const refs = new Set((payload.contractItems ?? []).map((item) => item.externalReference));
  for (const item of store.contractItems.values()) {
    if (item.assetId === null && refs.has(item.externalReference)) {
      item.assetId = asset.id;
      item.updatedAt = now;
    }
  }
}

/**
 * Link every pending payload the asset now matches (oldest first); returns whether any was linked.
 * Repeats, because linking may set the asset's externalReference, which another payload may name.
 */
export function linkMatchingPendings(store: Store, asset: AssetRecord, now: string): boolean {
  if (!asset.owned) return false;
  let linked = false;
  for (let again = true; again; ) {
    again = false;
    for (const pending of [...store.pendingSyncs.values()]) {
      if (!assetMatches(asset, pending.identifierType, pending.identifier)) continue;
      linkPending(store, asset, pending, now);
      store.pendingSyncs.delete(pending.id);
      linked = again = true;
    }
  }
  return linked;
}

const subscribed = new WeakSet<Store>();

/** Link pending payloads when an owned asset is created or changed so that it matches one. */
export function subscribePendingMatching(store: Store, clock: Clock): void {
  if (subscribed.has(store)) return;
  subscribed.add(store);
  store.events.on('asset-changed', (asset) => {
    if (linkMatchingPendings(store, asset, isoNow(clock))) store.changed();
  });
}
