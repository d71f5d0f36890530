/**
 * Contract manifest checks a schema cannot express.
 *
 * - Item externalReferences are ERP references, unique across all contracts (the Rental API upserts
 *   items by them: two items with one reference would overwrite each other).
 * - Dates in order: a contract ends no earlier than it starts, an item goes off rent no earlier than it
 *   went on rent, and is picked up no earlier than it was delivered. Plain dates are midnight UTC;
 *   date-times are compared as instants, whatever their zones. Equal is fine.
 * - One asset cannot be on rent twice at once: two contract items naming the same asset must not have
 *   overlapping rental periods [onRentDate, offRentDate) — no offRentDate means "until further notice".
 *   Only OPEN and RESERVED contracts hold their assets; CANCELLED and COMPLETED ones are history.
 *   Items match by asset reference key; an Asset manifest that sets an externalReference besides its
 *   identifier makes both names refer to the same asset.
 */

import { instantOf } from '../../manifests/checks/manifest-dates.js';

import type { Diagnostic } from '../../manifests/diagnostics.js';
import { diagnosticAt, locationOf, ofKind, type ManifestDocument } from '../../manifests/document.js';
import type { PathSegment } from '../../manifests/yaml.js';
import { ASSET_REF_KEYS, assetMatchKey, assetRefKey } from '../asset/identity.js';
import type { ContractItem, ContractManifest } from './manifest.js';
import type { Check, IdentityValue, ManifestReference } from '../../manifests/checks/hooks.js';

export function duplicateItemReferences(docs: ManifestDocument[]): Diagnostic[] {
  const first = new Map<string, { doc: ManifestDocument; index: number }>();
  const out: Diagnostic[] = [];
  for (const doc of ofKind(docs, 'Contract')) {
    (doc.manifest.items ?? []).forEach((item, index) => {
      const earlier = first.get(item.externalReference);
      if (!earlier) {
        first.set(item.externalReference, { doc, index });
        return;
      }
      const where = locationOf(earlier.doc, ['items', earlier.index, 'externalReference']);
      const message = `duplicate contract item "${item.externalReference}": also an item of ${earlier.doc.subject} at ${where}`;
      out.push(diagnosticAt(doc, ['items', index, 'externalReference'], message, 'duplicate_identity'));
    });
  }
  return out;
}

type Dated = [field: string, value: string | undefined];

/** `then` must not be before `first`; reported at `then`, the date that usually holds the typo. */
function order(doc: ManifestDocument, base: PathSegment[], [first, a]: Dated, [then, b]: Dated): Diagnostic[] {
  const [from, to] = [instantOf(a), instantOf(b)];
  if (from === undefined || to === undefined || to >= from) return [];
  return [diagnosticAt(doc, [...base, then], `${then} "${b}" is before ${first} "${a}"`, 'date_order')];
}

export function datesInOrder(docs: ManifestDocument[]): Diagnostic[] {
  return ofKind(docs, 'Contract').flatMap((doc) => {
    const { startDate, endDate, items = [] } = doc.manifest;
    return [
      ...order(doc, [], ['startDate', startDate], ['endDate', endDate]),
      ...items.flatMap((item, i) => [
        ...order(doc, ['items', i], ['onRentDate', item.onRentDate], ['offRentDate', item.offRentDate]),
        ...order(doc, ['items', i], ['deliveryDate', item.deliveryDate], ['pickupDate', item.pickupDate]),
      ]),
    ];
  });
}

const HOLDS_ASSETS: ReadonlySet<string> = new Set(['OPEN', 'RESERVED']);

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

/** A contract's externalReference and its items': each told apart from the others'; the items' assets are references. */
export function identityValues(manifest: ContractManifest): IdentityValue[] {
  const out: IdentityValue[] = [{ path: ['externalReference'], value: manifest.externalReference, space: 'Contract externalReference' }];
  (manifest.items ?? []).forEach((item, i) => {
    out.push({ path: ['items', i, 'externalReference'], value: item.externalReference, space: 'contract item externalReference' });
    const asset = item.asset ?? {};
    for (const key of ASSET_REF_KEYS) out.push({ path: ['items', i, 'asset', key], value: asset[key] });
  });
  return out;
}

/** A contract names its customer and, optionally, its hiring depot. */
export function references(manifest: ContractManifest): ManifestReference[] {
  const { customer, hiringDepot } = manifest;
  const out: ManifestReference[] = [{ path: ['customer'], field: 'customer', kind: 'Customer', identity: customer }];
  if (hiringDepot !== undefined) out.push({ path: ['hiringDepot'], field: 'hiringDepot', kind: 'Depot', identity: hiringDepot });
  return out;
}

export const checks: Check[] = [duplicateItemReferences, datesInOrder, overlappingItems];
