/**
 * The rental payload of one asset — rental status, owning depot and the contract items on it with their
 * contracts — in ONE normalised form for both sides, so that live == desired compares equal:
 *
 * - dates: `new Date(x).toISOString()` (a plain `YYYY-MM-DD` is midnight UTC); unparsable text is kept
 *   as is (it then differs, visibly, instead of throwing);
 * - addresses: all four parts, `null` for absent or empty parts; an address without any part is `null`
 *   (the sandbox stores `{}` as four nulls, a manifest that omits it means none);
 * - a field the manifest omits on an item or contract is `null` (the manifest is the whole truth about
 *   the items it lists; the sync request sends that `null`, which clears);
 * - a contract's customer is compared by externalReference only: the customer's name and type are the
 *   Customer planner's business (level 1), and comparing them here would turn one customer rename into a
 *   sync of every asset the customer rents;
 * - items sorted by externalReference; a depot as `{siteId}` (a live id, or an IdRef to a depot created
 *   in the same apply).
 */
import type { Json } from '../../core/canonical.js';
import type { IdRef } from '../../core/plan.js';
import type { Address } from '../common.js';
import type { Contract, ContractItem } from '../../trackunit/endpoints/rental.js';
import type { Address as LiveAddress } from '../../trackunit/endpoints/common.js';
import type { ContractItem as ManifestItem, ContractManifest, RentalRate } from './manifest.js';

export type SiteRefJson = { siteId: string | IdRef };
export type NormalAddress = { streetAddress: string | null; zipCode: string | null; city: string | null; country: string | null };
export type NormalRate = { currency: string; unitPrice: number; period: string };

export type NormalContract = {
  externalReference: string;
  contractStatus: string | null;
  startDate: string | null;
  endDate: string | null;
  hiringDepot: SiteRefJson | null;
  customer: { externalReference: string | null };
};

export type NormalItem = {
  externalReference: string;
  onRentDate: string | null;
  offRentDate: string | null;
  rentalRate: NormalRate | null;
  deliveryAddress: NormalAddress | null;
  deliveryDate: string | null;
  pickupAddress: NormalAddress | null;
  pickupDate: string | null;
  contract: NormalContract;
};

/** The comparable payload; `rentalStatus` / `owningDepot` are present only when an Asset manifest sets them. */
export type RentalPayload = {
  rentalStatus?: string | null;
  owningDepot?: SiteRefJson | null;
  contractItems: NormalItem[];
};

/** Customer name and type for the request body (a customer new to Trackunit needs a name). */
export type CustomerInfo = { name: string; type?: string };

/** Canonical instant; plain dates are midnight UTC (`Date` parses `YYYY-MM-DD` as UTC). */
export function canonicalDate(value: string | null | undefined): string | null {
  if (value === undefined || value === null || value === '') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

const ADDRESS_PARTS = ['streetAddress', 'zipCode', 'city', 'country'] as const;

export function normalAddress(address: Address | LiveAddress | null | undefined): NormalAddress | null {
  if (!address) return null;
  const out = {} as NormalAddress;
  for (const part of ADDRESS_PARTS) {
    const value = address[part];
    out[part] = typeof value === 'string' && value !== '' ? value : null;
  }
  return ADDRESS_PARTS.some((part) => out[part] !== null) ? out : null;
}

function normalRate(rate: RentalRate | { currency: string; unitPrice: number; period: string } | null | undefined): NormalRate | null {
  return rate ? { currency: rate.currency, unitPrice: rate.unitPrice, period: rate.period } : null;
}

const siteRef = (siteId: string | IdRef | null | undefined): SiteRefJson | null => (siteId ? { siteId } : null);

export function desiredContract(manifest: ContractManifest, depotId: (key: string) => string | IdRef): NormalContract {
  return {
    externalReference: manifest.externalReference,
    contractStatus: manifest.status,
    startDate: canonicalDate(manifest.startDate),
    endDate: canonicalDate(manifest.endDate),
    hiringDepot: manifest.hiringDepot === undefined ? null : siteRef(depotId(manifest.hiringDepot)),
    customer: { externalReference: manifest.customer },
  };
}

/** The fields of an item, as a manifest or the Rental API gives them: both sides normalise through one function. */
interface ItemFields {
  externalReference: string;
  onRentDate?: string | null;
  offRentDate?: string | null;
  rentalRate?: Parameters<typeof normalRate>[0];
  deliveryAddress?: Parameters<typeof normalAddress>[0];
  deliveryDate?: string | null;
  pickupAddress?: Parameters<typeof normalAddress>[0];
  pickupDate?: string | null;
}

function normalItem(item: ItemFields, contract: NormalContract): NormalItem {
  return {
    externalReference: item.externalReference,
    onRentDate: canonicalDate(item.onRentDate),
    offRentDate: canonicalDate(item.offRentDate),
    rentalRate: normalRate(item.rentalRate),
    deliveryAddress: normalAddress(item.deliveryAddress),
    deliveryDate: canonicalDate(item.deliveryDate),
    pickupAddress: normalAddress(item.pickupAddress),
    pickupDate: canonicalDate(item.pickupDate),
    contract,
  };
}

export function desiredItem(item: ManifestItem, contract: NormalContract): NormalItem {
  return normalItem(item, contract);
}

/** A live contract; `customerRef` is the externalReference of its customer (null: unknown or none). */
export function liveContract(contract: Contract | undefined, customerRef: string | null): NormalContract {
  return {
    externalReference: contract?.externalReference ?? '',
    contractStatus: contract?.contractStatus ?? null,
    startDate: canonicalDate(contract?.startDate),
    endDate: canonicalDate(contract?.endDate),
    hiringDepot: siteRef(contract?.hiringDepotId),
    customer: { externalReference: customerRef },
  };
}

export function liveItem(item: ContractItem, contract: NormalContract): NormalItem {
  return normalItem(item, contract);
}

export function sortItems(items: NormalItem[]): NormalItem[] {
  return [...items].sort((a, b) => (a.externalReference < b.externalReference ? -1 : a.externalReference > b.externalReference ? 1 : 0));
}

/**
 * The exact `POST /api/rental/v1/synchronization` body: the asset by id (never ambiguous, and
 * independent of an externalReference this plan may be changing), the payload as compared, and each
 * customer's name and type so that a customer new to Trackunit can be created by the upsert.
 */
export function syncBody(assetId: string, payload: RentalPayload, customers: Map<string, CustomerInfo>): Json {
  const body: Record<string, unknown> = { identifierType: 'ASSET_ID', identifier: assetId };
  if (payload.rentalStatus !== undefined) body.rentalStatus = payload.rentalStatus;
  if (payload.owningDepot !== undefined) body.owningDepot = payload.owningDepot;
  body.contractItems = payload.contractItems.map((item) => {
    const ref = item.contract.customer.externalReference ?? '';
    const info = customers.get(ref);
    const customer = { externalReference: ref, ...(info ? { name: info.name } : {}), ...(info?.type !== undefined ? { type: info.type } : {}) };
    return { ...item, contract: { ...item.contract, customer } };
  });
  return body as Json;
}
