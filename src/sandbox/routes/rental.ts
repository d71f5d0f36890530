/**
 * Rental (ERP) API emulation (../shared/trackunit-api/rental.md). Parts: rental/shapes.ts (enums, body
 * and wire shapes), rental/validate.ts (body checks), rental/sync.ts (upsert), rental/matching.ts (asset
 * matching and pending payloads), rental/contracts.ts (reads).
 *
 * [documented] base /api/rental, IrisX required, `POST /v1/synchronization` with 200 (matched), 202
 *   (accepted, stored, matched later when assets are updated or added), 400, 403, 404 only with
 *   `X-Validate-Asset-Exists: true`; one asset per request; only owned assets take ERP data; customers
 *   referenced and not yet in Iris are created; externalReference is the ERP key and unique (assets,
 *   contracts); rental status, contract status and customer type value sets; `GET /v1/contract-items`
 *   with page/size/sort, required uuid `contractId`, `active` (ignored when start or end is given),
 *   `start`, `end`.
 * [documented] the 2025 rental model diagram (evidence/new-rental-model.png): Asset {identifier,
 *   identifierType: String, externalReference, rentalStatus, owningDepot, contractItems[]} → ContractItem
 *   {contract, externalReference, onRentDate, offRentDate, rentalRate} → Contract {customer,
 *   externalReference, hiringDepot, contractStatus} → Customer; RentalRate {currency, unitPrice} with
 *   subtypes Hourly, Daily, Weekly, Monthly, Fixed. The body below follows those names; that the
 *   diagram's nesting is the JSON nesting is still [assumed].
 * [assumed]
 *   - the whole synchronization body (rental.md): identifierType ASSET_ID | SERIAL_NUMBER |
 *     EXTERNAL_REFERENCE + identifier; externalReference, rentalStatus, owningDepot {siteId};
 *     contractItems[] {externalReference, onRentDate, offRentDate, rentalRate {currency, unitPrice,
 *     period HOURLY|DAILY|WEEKLY|MONTHLY|FIXED}, delivery/pickup address and date, contract
 *     {externalReference, contractStatus, startDate, endDate, hiringDepot {siteId}, customer
 *     {externalReference, name, type}}}; `period` as the encoding of the rate subtype and its wire
 *     values; the identifierType values; the customer type wire values (customers.md). A contract
 *     `status` (this emulator's name before the 2025 diagram) is an unknown field: ignored.
 *   - responses `{matched: true, assetId}` (200) and `{matched: false}` (202); X-Validate-Asset-Exists
 *     is true only for the (case-insensitive) value `true`.
 *   - validation (400 constraint_violation, dotted paths like `contractItems[0].contract.customer.name`):
 *     enums, date-times, offRentDate ≥ onRentDate, endDate ≥ startDate (also against the stored value),
 *     depots must be existing DEPOT sites, currency = 3 upper-case letters, unitPrice ≥ 0, an item
 *     reference at most once per payload, a new item needs a contract, a new contract a customer, a new
 *     customer a name (given anywhere in the payload), a contract already bound to another customer
 *     (in the store or earlier in the payload) is rejected on `….contract.customer.externalReference`.
 *   - the asset's externalReference must stay unique → 400 `external_reference_already_exists`;
 *     visible-but-not-owned asset → 403; no match with the header → 404 `asset_not_found`, nothing stored.
 *   - matching: ASSET_ID → id; SERIAL_NUMBER → serialNumber trimmed, case-insensitive; EXTERNAL_REFERENCE
 *     → externalReference exactly; an owned asset wins over a shared-in one with the same key.
 *   - upsert by externalReference at every level (items and customers unique too); absent fields are
 *     left unchanged, explicit null clears (rentalStatus, owningDepot, offRentDate, dates, hiringDepot);
 *     items absent from the payload are NOT deleted; a synced item moves to the matched asset (and to
 *     the sent contract). On 202 customers, contracts and items are upserted all the same, the items
 *     with assetId null; the payload is kept as a PendingSyncRecord, replacing an older one for the same
 *     identifierType + identifier. When an owned asset is created or changed so that it matches (store
 *     event `asset-changed`), its asset-level fields are set and the payload's items still without an
 *     asset are linked to it (see rental/matching.ts); a 200 sync whose externalReference makes the asset
 *     match an older pending payload links that one first, then its own fields win. Syncing does not
 *     touch the Customer API's asset assignments.
 *   - `GET /v1/contract-items`: unknown contract → 404 `contract_not_found`; malformed contractId,
 *     active not true/false, bad start/end, end before start → 400; active = now ∈ [onRentDate,
 *     offRentDate); start/end select items whose [onRentDate, offRentDate or +∞) overlaps
 *     [start or −∞, end or +∞]; item shape {id, contractId, assetId, externalReference, onRentDate,
 *     offRentDate, rentalRate, deliveryAddress, deliveryDate, pickupAddress, pickupDate}.
 *   - `GET /v1/contracts` and `GET /v1/contracts/{contractId}`: NO public Trackunit material shows
 *     either (not the OpenAPI page, not the guides); they exist here because contract items can only be
 *     read per contract id. Filters customerId, externalReference, contractStatus repeatable, assetId;
 *     404 `contract_not_found`; shape {id, externalReference, contractStatus (the diagram's name),
 *     startDate, endDate, customerId, hiringDepotId}.
 *   - v2 scopes: writes `account.asset.manage`; reads any of asset.view, account.view, account.asset.manage.
 */
import { ok } from '../http.js';
import type { RouteDef } from '../router.js';
import type { RouteDeps } from './index.js';
import { getContract, listContractItems, listContracts } from './rental/contracts.js';
import { subscribePendingMatching } from './rental/matching.js';
import { contractView, READ_SCOPES, RENTAL_BASE, WRITE_SCOPES } from './rental/shapes.js';
import { synchronize } from './rental/sync.js';

export { RENTAL_BASE } from './rental/shapes.js';

export function rentalRoutes(deps: RouteDeps): RouteDef[] {
  subscribePendingMatching(deps.store, deps.clock);
  const route = (def: Omit<RouteDef, 'family' | 'scopes' | 'irisx'>): RouteDef => ({
    family: 'rental',
    irisx: true,
    scopes: def.write ? WRITE_SCOPES : READ_SCOPES,
    ...def,
  });
  return [
    route({ name: 'rental.synchronize', method: 'POST', path: `${RENTAL_BASE}/synchronization`, write: true, handler: synchronize }),
    route({ name: 'rental.contractItems', method: 'GET', path: `${RENTAL_BASE}/contract-items`, write: false, handler: listContractItems }),
    route({ name: 'rental.contracts', method: 'GET', path: `${RENTAL_BASE}/contracts`, write: false, handler: listContracts }),
    route({
      name: 'rental.contract',
      method: 'GET',
      path: `${RENTAL_BASE}/contracts/:contractId`,
      write: false,
      handler: (ctx) => ok(contractView(getContract(ctx, ctx.params.contractId ?? ''))),
    }),
  ];
}
