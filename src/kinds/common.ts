/**
 * Shapes shared by several manifest kinds. Field names are camelCase like the Trackunit APIs; dates are
 * ISO 8601 strings. The JSON Schemas in schemas/ are the published contract; a test keeps these types and
 * the schemas in step (test/manifests/schema-types.test.ts).
 */

/** Postal address of a depot, customer, or a delivery/pickup place. */
export interface Address {
  streetAddress?: string;
  zipCode?: string;
  city?: string;
  country?: string;
}

/** GeoJSON polygon (longitude, latitude[, altitude]); the first and last position of a ring are equal. */
export interface Polygon {
  type: 'Polygon';
  coordinates: number[][][];
}

/** Monetary custom field value. */
export interface MonetaryValue {
  amount: number;
  currency: string;
}

/**
 * Custom field values by definition key. The value's YAML type follows the definition: string (STRING,
 * EMAIL, PHONE_NUMBER, WEB_ADDRESS, single DROPDOWN, DATE as YYYY-MM-DD), number, boolean, list of
 * strings (multi-select DROPDOWN), `{amount, currency}` (MONETARY), anything (JSON); null clears.
 */
export type CustomFieldValues = Record<string, unknown>;

/** Fields every document may carry. */
export interface DocumentBase {
  apiVersion?: 'tug/v1';
  /** tug never deletes a protected object, whatever the prune settings. */
  protected?: boolean;
}

/** Documented wire values; the manifests accept exactly these (a typo is an error, not a new value). */
export const CUSTOMER_TYPES = ['CONTRACTOR', 'DEALER', 'DISTRIBUTOR', 'OEM', 'RENTAL', 'SERVICE', 'OTHER'] as const;
export const RENTAL_STATUSES = ['ON_RENT', 'PICK_UP_READY', 'AVAILABLE', 'RETURNED', 'IN_REPAIR', 'TRANSFER', 'OTHER', 'OFF_RENT', 'NOT_ON_CONTRACT', 'RESERVED'] as const;
export const CONTRACT_STATUSES = ['OPEN', 'RESERVED', 'CANCELLED', 'COMPLETED'] as const;
export const RATE_PERIODS = ['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'FIXED'] as const;
export const FIELD_TYPES = ['BOOLEAN', 'DATE', 'DROPDOWN', 'EMAIL', 'NUMBER', 'PHONE_NUMBER', 'STRING', 'WEB_ADDRESS', 'JSON', 'MONETARY'] as const;
export const ENTITY_TYPES = ['ACCOUNT', 'ASSET', 'GROUP', 'SITE', 'CUSTOMER', 'RENTAL_CONTRACT'] as const;
export const SCOPE_TYPES = ['ACCOUNT', 'ACCOUNT_WRITE_GLOBAL_READ', 'GLOBAL'] as const;

export type CustomerType = (typeof CUSTOMER_TYPES)[number];
export type RentalStatus = (typeof RENTAL_STATUSES)[number];
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];
export type RatePeriod = (typeof RATE_PERIODS)[number];
export type FieldType = (typeof FIELD_TYPES)[number];
export type EntityType = (typeof ENTITY_TYPES)[number];
export type ScopeType = (typeof SCOPE_TYPES)[number];
