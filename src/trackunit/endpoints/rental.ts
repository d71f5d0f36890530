/**
 * Rental (ERP) API (../shared/trackunit-api/rental.md) — the one place in the client where its paths and
 * request/response shapes live. [documented]: base /api/rental/v1; `POST /synchronization` for one asset
 * with 200 (matched), 202 (accepted, matched later) and 404 only with `X-Validate-Asset-Exists: true`;
 * `GET /contract-items` with a required contractId, `active`, `start`, `end` (evidence/
 * rental-api.partial.json.txt); rental and contract status values (both may grow).
 * [documented] field names from the 2025 rental model diagram (evidence/new-rental-model.png): Asset
 * {identifier, identifierType: String, externalReference, rentalStatus, owningDepot, contractItems},
 * ContractItem {contract, externalReference, onRentDate, offRentDate, rentalRate}, Contract {customer,
 * externalReference, hiringDepot, contractStatus}, RentalRate {currency, unitPrice} with subtypes Hourly,
 * Daily, Weekly, Monthly, Fixed.
 * [assumed]: that the diagram's nesting is the JSON body's; the identifierType values; `period` as the
 * wire form of the rate subtype and its values; the 200/202 response bodies; upsert by externalReference
 * at every level; the contract-item response shape.
 * [assumed, no public evidence at all] `GET /contracts` and `GET /contracts/{id}`: nothing public shows a
 * contract list (the OpenAPI page's contract-items read needs a contractId and offers no cross-contract
 * list). Everything that depends on them is isolated here (`listContracts`, `getContract`,
 * `findContractByExternalReference`) and `tug doctor` says so (`rentalProbe.unverified`). The schemas
 * state what the client relies on and `tug doctor` checks them.
 */
import type { Json } from '../../core/canonical.js';
import type { PlannedRequest } from '../../core/plan.js';
import type { TrackunitClient } from '../client.js';
import { listAll } from '../paginate.js';
import { s, type Schema } from '../shapes.js';
import type { Address, EndpointProbe } from './common.js';
import { addressSchema } from './common.js';

export const RENTAL_PATH = '/api/rental/v1';
export const SYNCHRONIZATION_PATH = `${RENTAL_PATH}/synchronization`;
export const CONTRACTS_PATH = `${RENTAL_PATH}/contracts`;
export const CONTRACT_ITEMS_PATH = `${RENTAL_PATH}/contract-items`;

/**
 * Matching by asset id, serial number or external reference [documented: ERP guide]; a plain String in
 * the 2025 diagram (evidence/new-rental-model.png); these values [assumed].
 */
export type IdentifierType = 'ASSET_ID' | 'SERIAL_NUMBER' | 'EXTERNAL_REFERENCE' | (string & {});

/** [documented] ERP guide — "New types may be added". */
export type RentalStatus =
  | 'ON_RENT'
  | 'PICK_UP_READY'
  | 'AVAILABLE'
  | 'RETURNED'
  | 'IN_REPAIR'
  | 'TRANSFER'
  | 'OTHER'
  | 'OFF_RENT'
  | 'NOT_ON_CONTRACT'
  | 'RESERVED'
  | (string & {});

/** [documented] ERP guide — "New values may be added". */
export type ContractStatus = 'OPEN' | 'RESERVED' | 'CANCELLED' | 'COMPLETED' | (string & {});

/**
 * The RentalRate subtypes Hourly … Fixed [documented: evidence/new-rental-model.png]; the diagram does not
 * show how a subtype is told apart on the wire: `period` and these values are [assumed].
 */
export type RatePeriod = 'HOURLY' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'FIXED' | (string & {});

/** A DEPOT site (Sites API). */
export interface SiteRef {
  siteId: string;
}

/** currency + unitPrice [documented: evidence/new-rental-model.png]; `period` [assumed], see RatePeriod. */
export interface RentalRate {
  currency: string;
  unitPrice: number;
  period: RatePeriod;
}

/** Created when absent (documented); a new customer needs a name. Types as in the Customer API. */
export interface SyncCustomer {
  externalReference: string;
  name?: string;
  type?: string;
}

/** A new contract needs its customer; a contract stays bound to its first customer. */
export interface SyncContract {
  externalReference: string;
  /** The diagram's name [documented: evidence/new-rental-model.png]. */
  contractStatus?: ContractStatus | null;
  startDate?: string | null;
  endDate?: string | null;
  hiringDepot?: SiteRef | null;
  customer?: SyncCustomer;
}

/** A new item needs its contract. Fields left out are left unchanged; null clears. */
export interface SyncContractItem {
  externalReference: string;
  onRentDate: string;
  offRentDate?: string | null;
  rentalRate?: RentalRate | null;
  deliveryAddress?: Address | null;
  deliveryDate?: string | null;
  pickupAddress?: Address | null;
  pickupDate?: string | null;
  contract?: SyncContract;
}

/** One asset and its rental data. Items absent from the request are not deleted [assumed]. */
export interface SyncRequest {
  identifierType: IdentifierType;
  identifier: string;
  externalReference?: string | null;
  rentalStatus?: RentalStatus | null;
  owningDepot?: SiteRef | null;
  contractItems?: SyncContractItem[];
}

export interface SyncResult {
  /** Whether an asset matched the identifier (200); a 202 keeps the data to match later. */
  matched: boolean;
  assetId?: string;
  status: 200 | 202;
}

export interface SyncOptions {
  /** Send `X-Validate-Asset-Exists: true`: no matching asset → ApiError 404 instead of a 202. */
  validateAssetExists?: boolean;
}

/** [assumed] the whole read shape (no public contract read); field names follow the 2025 diagram. */
export interface Contract {
  id: string;
  externalReference: string;
  contractStatus: ContractStatus | null;
  startDate: string | null;
  endDate: string | null;
  customerId: string;
  hiringDepotId: string | null;
}

export interface ContractItem {
  id: string;
  contractId: string;
  /** Null while the synchronized asset is not matched yet. */
  assetId: string | null;
  externalReference: string;
  onRentDate: string;
  offRentDate: string | null;
  rentalRate: RentalRate | null;
  deliveryAddress: Address | null;
  deliveryDate: string | null;
  pickupAddress: Address | null;
  pickupDate: string | null;
}

export interface ContractFilter {
  customerId?: string;
  externalReference?: string;
  contractStatus?: ContractStatus | ContractStatus[];
  assetId?: string;
}

export interface ContractItemFilter {
  /** Only items active now (true) or not active now (false); ignored when start or end is given [documented]. */
  active?: boolean;
  /** ISO 8601 date-times: items active within [start, end]. */
  start?: string;
  end?: string;
}

export const contractSchema: Schema = s.object(
  {
    id: s.uuid,
    externalReference: s.string,
    contractStatus: s.nullableString,
    startDate: s.nullableDateTime,
    endDate: s.nullableDateTime,
    customerId: s.uuid,
    hiringDepotId: s.nullableUuid,
  },
  ['id', 'externalReference', 'contractStatus', 'customerId'],
);

export const rentalRateSchema: Schema = s.object({ currency: s.string, unitPrice: s.number, period: s.string });

export const contractItemSchema: Schema = s.object(
  {
    id: s.uuid,
    contractId: s.uuid,
    assetId: s.nullableUuid,
    externalReference: s.string,
    onRentDate: s.dateTime,
    offRentDate: s.nullableDateTime,
    rentalRate: s.nullable(rentalRateSchema),
    deliveryAddress: s.nullable(addressSchema),
    deliveryDate: s.nullableDateTime,
    pickupAddress: s.nullable(addressSchema),
    pickupDate: s.nullableDateTime,
  },
  ['id', 'contractId', 'assetId', 'externalReference', 'onRentDate', 'offRentDate'],
);

/** [assumed] `{matched, assetId}`; only the status code is documented, so it decides `matched` on a 202. */
export const syncResponseSchema: Schema = s.object({ matched: s.boolean, assetId: s.uuid }, ['matched']);

/** The Rental API's writes, as data: apply sends them (src/apply/execute-change.ts). */
export const rentalWrites = {
  /**
   * One asset's rental state (status, owning depot, contract items with their contracts and customers).
   * Idempotent although a POST: the documented semantics are an upsert by externalReference at every
   * level, so repeating it after a lost response writes nothing new. 200 → matched; 202 → stored
   * unmatched (the asset's identifier does not match yet). `X-Validate-Asset-Exists` makes an unknown
   * asset a 400 instead of a 202 parked for later matching.
   */
  synchronize: (body: Json): PlannedRequest => ({
    family: 'rental',
    method: 'POST',
    path: SYNCHRONIZATION_PATH,
    body,
    headers: { 'X-Validate-Asset-Exists': 'true' },
    idempotent: true,
  }),
};

export function rentalApi(client: TrackunitClient) {
  const family = 'rental' as const;
  const listContracts = (filter: ContractFilter = {}) =>
    listAll<Contract>(client, {
      family,
      path: CONTRACTS_PATH,
      query: { customerId: filter.customerId, externalReference: filter.externalReference, contractStatus: filter.contractStatus, assetId: filter.assetId },
    });
  return {
    /** Every contract (all pages), optionally filtered. [assumed] endpoint: nothing public shows it. */
    listContracts,
    getContract: async (id: string) => (await client.request<Contract>({ family, method: 'GET', path: `${CONTRACTS_PATH}/${encodeURIComponent(id)}` })).body,
    /** externalReference is the ERP key and unique [documented]: at most one contract matches. */
    findContractByExternalReference: async (externalReference: string): Promise<Contract | undefined> =>
      (await listContracts({ externalReference })).find((c) => c.externalReference === externalReference),
    /** Every item of one contract (all pages). */
    listContractItems: (contractId: string, filter: ContractItemFilter = {}) =>
      listAll<ContractItem>(client, {
        family,
        path: CONTRACT_ITEMS_PATH,
        query: { contractId, active: filter.active, start: filter.start, end: filter.end },
      }),
  };
}

/**
 * `tug doctor`: one harmless read and the shape it must have. The documented read (contract items)
 * needs a contract id, so the probe lists contracts — an endpoint nothing public shows: a 404 here on
 * the real service means the endpoint is missing, not that the entitlement is.
 */
export const rentalProbe: EndpointProbe = {
  api: 'Rental',
  family: 'rental',
  entitlement: 'IrisX with the Rental API',
  read: async (client) => (await client.request({ family: 'rental', method: 'GET', path: CONTRACTS_PATH, query: { size: 5 } })).body,
  schema: s.page(contractSchema),
  unverified: {
    read: `GET ${CONTRACTS_PATH}`,
    neededFor: 'to find live contracts and their ids (contract items are only read per contract id)',
    without: 'tug cannot read live contracts or their items',
  },
};
