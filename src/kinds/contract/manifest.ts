import type { Address, ContractStatus, CustomFieldValues, DocumentBase, RatePeriod } from '../common.js';
import type { AssetRef } from '../asset/manifest.js';

export interface RentalRate {
  unitPrice: number;
  currency: string;
  period: RatePeriod;
}

/** One asset rented out under a contract. */
export interface ContractItem {
  externalReference: string;
  /** The asset, by one identifier: `{serialNumber: …}`, `{externalReference: …}`, `{assetId: …}` or `{pin: …}`. */
  asset: AssetRef;
  onRentDate: string;
  offRentDate?: string;
  rentalRate?: RentalRate;
  deliveryAddress?: Address;
  deliveryDate?: string;
  pickupAddress?: Address;
  pickupDate?: string;
}

/** `kind: Contract` — identity `externalReference` (the ERP contract number). */
export interface ContractManifest extends DocumentBase {
  kind: 'Contract';
  externalReference: string;
  /** A Customer externalReference. */
  customer: string;
  status: ContractStatus;
  startDate?: string;
  endDate?: string;
  /** A Depot key. */
  hiringDepot?: string;
  items?: ContractItem[];
  customFields?: CustomFieldValues;
}
