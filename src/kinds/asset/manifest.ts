import type { CustomFieldValues, DocumentBase, RentalStatus } from '../common.js';

/** How a manifest names an existing Trackunit asset: exactly one of these. */
export interface AssetRef {
  assetId?: string;
  serialNumber?: string;
  /** OEM ISO identifier (PIN/VIN), resolved through the ISO 15143-3 snapshot. */
  pin?: string;
  externalReference?: string;
}

/**
 * `kind: Asset` — an existing asset (assets are onboarded in Trackunit, not created by tug), identified
 * by one of `assetId`, `serialNumber` or `pin`, or else by its current `externalReference`. tug sets its
 * `externalReference`, `rentalStatus`, `owningDepot` and custom field values.
 */
export interface AssetManifest extends DocumentBase {
  kind: 'Asset';
  assetId?: string;
  serialNumber?: string;
  pin?: string;
  externalReference?: string;
  rentalStatus?: RentalStatus;
  /** A Depot key. */
  owningDepot?: string;
  customFields?: CustomFieldValues;
}
