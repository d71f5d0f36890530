/**
 * Rental API wire shapes: enums, the synchronization body (as validated), and the projections of
 * contracts and contract items. The [documented]/[assumed] list is in ../rental.ts.
 */
import type { Address, ContractItemRecord, ContractRecord, RentalRate } from '../../store.js';

export const RENTAL_BASE = '/api/rental/v1';

/**
 * [assumed] wire values of the documented matching keys (asset id, serial number, external reference).
 * The 2025 diagram (evidence/new-rental-model.png) types identifierType as a plain String, where the old
 * one had an AssetIdentifierType enum: the values themselves are still not shown anywhere.
 */
export const IDENTIFIER_TYPES = ['ASSET_ID', 'SERIAL_NUMBER', 'EXTERNAL_REFERENCE'] as const;
export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];

/** [documented] ERP guide — "New types may be added". */
export const RENTAL_STATUSES = [
  'ON_RENT',
  'PICK_UP_READY',
  'AVAILABLE',
  'RETURNED',
  'IN_REPAIR',
  'TRANSFER',
  'OTHER',
  'OFF_RENT',
  'NOT_ON_CONTRACT',
  'RESERVED',
] as const;

/** [documented] ERP guide — "New values may be added". */
export const CONTRACT_STATUSES = ['OPEN', 'RESERVED', 'CANCELLED', 'COMPLETED'] as const;

/**
 * [assumed] wire values of the documented diagram labels Hourly … Fixed. The 2025 diagram
 * (evidence/new-rental-model.png) draws them as subtypes of RentalRate {currency, unitPrice}; how a
 * subtype shows on the wire is not drawn — `period` is our guess.
 */
export const RATE_PERIODS = ['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'FIXED'] as const;

/** Customer types as in customers.md (wire values [assumed]); default OTHER. */
export { CUSTOMER_TYPES } from '../customers/common.js';

export const READ_SCOPES = ['asset.view', 'account.view', 'account.asset.manage'];
export const WRITE_SCOPES = ['account.asset.manage'];

export interface SiteRef {
  siteId: string;
}

export interface CustomerPayload {
  externalReference: string;
  name?: string;
  type?: string;
}

export interface ContractPayload {
  externalReference: string;
  /** [documented] name, evidence/new-rental-model.png (Contract.contractStatus). */
  contractStatus?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  hiringDepot?: SiteRef | null;
  customer?: CustomerPayload;
}

export interface ItemPayload {
  externalReference: string;
  onRentDate: string;
  offRentDate?: string | null;
  rentalRate?: RentalRate | null;
  deliveryAddress?: unknown;
  deliveryDate?: string | null;
  pickupAddress?: unknown;
  pickupDate?: string | null;
  contract?: ContractPayload;
}

/** A synchronization body that passed checkSyncBody(). */
export interface SyncPayload {
  identifierType: IdentifierType;
  identifier: string;
  externalReference?: string | null;
  rentalStatus?: string | null;
  owningDepot?: SiteRef | null;
  contractItems?: ItemPayload[];
}

export function contractView(contract: ContractRecord): Record<string, unknown> {
  return {
    id: contract.id,
    externalReference: contract.externalReference,
    contractStatus: contract.contractStatus,
    startDate: contract.startDate,
    endDate: contract.endDate,
    customerId: contract.customerId,
    hiringDepotId: contract.hiringDepotId,
  };
}

export function contractItemView(item: ContractItemRecord): Record<string, unknown> {
  const address = (a: Address | null) => (a ? { ...a } : null);
  return {
    id: item.id,
    contractId: item.contractId,
    assetId: item.assetId,
    externalReference: item.externalReference,
    onRentDate: item.onRentDate,
    offRentDate: item.offRentDate,
    rentalRate: item.rentalRate ? { ...item.rentalRate } : null,
    deliveryAddress: address(item.deliveryAddress),
    deliveryDate: item.deliveryDate,
    pickupAddress: address(item.pickupAddress),
    pickupDate: item.pickupDate,
  };
}
