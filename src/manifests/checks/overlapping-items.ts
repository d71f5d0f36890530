/**
 * One asset cannot be on rent twice at once: two contract items naming the same asset must not have
 * overlapping rental periods [onRentDate, offRentDate) — no offRentDate means "until further notice".
 * Only OPEN and RESERVED contracts hold their assets; CANCELLED and COMPLETED ones are history.
 * Items match by asset reference key; an Asset manifest that sets an externalReference besides its
 * identifier makes both names refer to the same asset.
 */
import type { AssetRef } from '../../kinds/asset/manifest.js';
import type { ContractItem, ContractManifest } from '../../kinds/contract/manifest.js';
import { assetRefKey } from '../../kinds/registry.js';
import type { Diagnostic } from '../diagnostics.js';
import { diagnosticAt, locationOf, ofKind, type ManifestDocument } from '../document.js';
import { instantOf } from './manifest-dates.js';

const HOLDS_ASSETS: ReadonlySet<string> = new Set(['OPEN', 'RESERVED']);

/**
 * An asset reference as a key to compare by: assetRefKey, with serial numbers trimmed and upper-cased
 * (Trackunit matches them ignoring case and surrounding spaces).
 */
function assetMatchKey(ref: AssetRef): string | undefined {
  const serial = ref.serialNumber?.trim().toUpperCase();
  return assetRefKey(serial === undefined ? ref : { ...ref, serialNumber: serial });
}

interface Rental {
  doc: ManifestDocument<ContractManifest>;
  index: number;
  item: ContractItem;
  from: number;
  to: number;
}

/** `externalReference=EQ-1` → the key of the Asset manifest that sets it, so both names compare equal. */
function aliases(docs: ManifestDocument[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const { manifest } of ofKind(docs, 'Asset')) {
    const key = assetMatchKey(manifest);
    if (key === undefined || manifest.externalReference === undefined) continue;
    const alias = assetMatchKey({ externalReference: manifest.externalReference })!;
    if (alias !== key && !map.has(alias)) map.set(alias, key);
  }
  return map;
}

function rentalsByAsset(docs: ManifestDocument[]): Map<string, Rental[]> {
  const alias = aliases(docs);
  const byAsset = new Map<string, Rental[]>();
  for (const doc of ofKind(docs, 'Contract')) {
    if (!HOLDS_ASSETS.has(doc.manifest.status)) continue;
    (doc.manifest.items ?? []).forEach((item, index) => {
      const key = assetMatchKey(item.asset);
      const from = instantOf(item.onRentDate);
      const to = item.offRentDate === undefined ? Infinity : instantOf(item.offRentDate);
      // An item without a valid period (reported by the dates check) cannot overlap anything meaningfully.
      if (key === undefined || from === undefined || to === undefined || to < from) return;
      const asset = alias.get(key) ?? key;
      const rentals = byAsset.get(asset) ?? [];
      if (rentals.length === 0) byAsset.set(asset, rentals);
      rentals.push({ doc, index, item, from, to });
    });
  }
  return byAsset;
}

function period(item: ContractItem): string {
  return item.offRentDate === undefined ? `${item.onRentDate} onwards` : `${item.onRentDate} to ${item.offRentDate}`;
}

function overlapMessage(later: Rental, earlier: Rental): string {
  const where = locationOf(earlier.doc, ['items', earlier.index]);
  return (
    `asset ${assetRefKey(later.item.asset)} is on rent twice: item "${later.item.externalReference}" (${period(later.item)}) overlaps ` +
    `item "${earlier.item.externalReference}" of ${earlier.doc.subject} (${period(earlier.item)}, at ${where})`
  );
}

export function overlappingItems(docs: ManifestDocument[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const rentals of rentalsByAsset(docs).values()) {
    rentals.forEach((later, i) => {
      for (const earlier of rentals.slice(0, i)) {
        if (later.from < earlier.to && earlier.from < later.to) {
          out.push(diagnosticAt(later.doc, ['items', later.index, 'asset'], overlapMessage(later, earlier), 'overlapping_rental'));
        }
      }
    });
  }
  return out;
}
