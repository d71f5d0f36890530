/**
 * `POST /api/rental/v1/synchronization`: validate, match the asset, upsert customers → contracts →
 * contract items by externalReference, then set the asset's rental fields (200) or keep the payload
 * pending (202). Semantics and their [documented]/[assumed] status: see ../rental.ts.
 */
import { isoNow } from '../../clock.js';
import { badRequest, forbidden, notFound, ok, type Reply, type RequestContext } from '../../http.js';
import type { ContractItemRecord, ContractRecord, CustomerRecord, RentalRate, Store } from '../../store.js';
import { Checker } from '../../validate.js';
import { normalizeAddress } from '../address.js';
import { applyAssetFields, assetWithReference, linkMatchingPendings, matchAsset, storePending } from './matching.js';
import type { ContractPayload, CustomerPayload, ItemPayload, SyncPayload } from './shapes.js';
import { checkSyncBody, findContract, findContractItem, findCustomer } from './validate.js';

/** Set the defined fields of `patch` that differ; returns whether anything changed. */
function update<T extends object>(record: T, patch: Partial<T>): boolean {
  let changed = false;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const current = (record as Record<string, unknown>)[key];
    if (JSON.stringify(current) === JSON.stringify(value)) continue;
    (record as Record<string, unknown>)[key] = value;
    changed = true;
  }
  return changed;
}

/** Occurrences of the same reference merged in payload order: later defined values win. */
function mergeByReference<T extends { externalReference: string }>(list: T[]): Map<string, T> {
  const merged = new Map<string, T>();
  for (const entry of list) {
    const earlier = merged.get(entry.externalReference);
    const defined = Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined));
    merged.set(entry.externalReference, { ...(earlier ?? {}), ...defined } as T);
  }
  return merged;
}

function upsertCustomer(store: Store, now: string, p: CustomerPayload): CustomerRecord {
  const existing = findCustomer(store, p.externalReference);
  if (existing) {
    if (update(existing, { name: p.name, type: p.type })) existing.updatedAt = now;
    return existing;
  }
  const customer: CustomerRecord = {
    id: store.newId(),
    name: p.name ?? p.externalReference,
    type: p.type ?? 'OTHER',
    externalReference: p.externalReference,
    address: null,
    phoneNumber: null,
    email: null,
    website: null,
    createdAt: now,
    updatedAt: now,
  };
  store.customers.set(customer.id, customer);
  return customer;
}

function upsertContract(store: Store, now: string, p: ContractPayload, customers: Map<string, CustomerRecord>): ContractRecord {
  const patch: Partial<ContractRecord> = {
    contractStatus: p.contractStatus,
    startDate: p.startDate,
    endDate: p.endDate,
    hiringDepotId: p.hiringDepot === undefined ? undefined : (p.hiringDepot?.siteId ?? null),
    customerId: p.customer ? customers.get(p.customer.externalReference)?.id : undefined,
  };
  const existing = findContract(store, p.externalReference);
  if (existing) {
    if (update(existing, patch)) existing.updatedAt = now;
    return existing;
  }
  const contract: ContractRecord = {
    id: store.newId(),
    externalReference: p.externalReference,
    contractStatus: null,
    startDate: null,
    endDate: null,
    customerId: '', // validation guarantees a customer for a new contract
    hiringDepotId: null,
    createdAt: now,
    updatedAt: now,
  };
  update(contract, patch);
  store.contracts.set(contract.id, contract);
  return contract;
}

const rate = (r: RentalRate | null | undefined): RentalRate | null | undefined =>
  r ? { currency: r.currency, unitPrice: r.unitPrice, period: r.period } : r;

function upsertItem(store: Store, now: string, p: ItemPayload, contracts: Map<string, ContractRecord>, assetId: string | null): void {
  const patch: Partial<ContractItemRecord> = {
    contractId: p.contract ? contracts.get(p.contract.externalReference)?.id : undefined,
    assetId,
    onRentDate: p.onRentDate,
    offRentDate: p.offRentDate,
    rentalRate: rate(p.rentalRate),
    deliveryAddress: p.deliveryAddress === undefined ? undefined : normalizeAddress(p.deliveryAddress),
    deliveryDate: p.deliveryDate,
    pickupAddress: p.pickupAddress === undefined ? undefined : normalizeAddress(p.pickupAddress),
    pickupDate: p.pickupDate,
  };
  const existing = findContractItem(store, p.externalReference);
  if (existing) {
    if (update(existing, patch)) existing.updatedAt = now;
    return;
  }
  const item: ContractItemRecord = {
    id: store.newId(),
    contractId: '', // validation guarantees a contract for a new item
    assetId: null,
    externalReference: p.externalReference,
    onRentDate: p.onRentDate,
    offRentDate: null,
    rentalRate: null,
    deliveryAddress: null,
    deliveryDate: null,
    pickupAddress: null,
    pickupDate: null,
    createdAt: now,
    updatedAt: now,
  };
  update(item, patch);
  store.contractItems.set(item.id, item);
}

/** Upsert customers, contracts and items of a validated payload; items go on `assetId` (null: pending). */
export function applyRentalData(store: Store, now: string, payload: SyncPayload, assetId: string | null): void {
  const items = payload.contractItems ?? [];
  const contractList = items.flatMap((i) => (i.contract ? [i.contract] : []));
  const contractPayloads = mergeByReference(contractList);
  const customerPayloads = mergeByReference(contractList.flatMap((c) => (c.customer ? [c.customer] : [])));
  const customers = new Map<string, CustomerRecord>();
  for (const p of customerPayloads.values()) customers.set(p.externalReference, upsertCustomer(store, now, p));
  const contracts = new Map<string, ContractRecord>();
  for (const p of contractPayloads.values()) contracts.set(p.externalReference, upsertContract(store, now, p, customers));
  for (const p of items) upsertItem(store, now, p, contracts, assetId);
}

function headerFlag(ctx: RequestContext, name: string): boolean {
  const raw = ctx.headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return (value ?? '').trim().toLowerCase() === 'true';
}

export function synchronize(ctx: RequestContext): Reply {
  const payload = checkSyncBody(ctx.store, new Checker().requireObjectBody(ctx.body));
  const asset = matchAsset(ctx.store, payload.identifierType, payload.identifier);
  if (asset && !asset.owned) throw forbidden('Only assets owned by the account can be updated with ERP data');
  if (!asset && headerFlag(ctx, 'x-validate-asset-exists')) {
    throw notFound('asset_not_found', `No asset matches ${payload.identifierType} '${payload.identifier}'`);
  }
  const reference = payload.externalReference;
  if (typeof reference === 'string' && assetWithReference(ctx.store, reference, asset)) {
    throw badRequest('external_reference_already_exists', `Another asset already has externalReference '${reference}'`);
  }
  const now = isoNow(ctx.clock);
  applyRentalData(ctx.store, now, payload, asset?.id ?? null);
  if (!asset) {
    storePending(ctx.store, payload, now);
    ctx.store.changed();
    return { status: 202, body: { matched: false } };
  }
  // Older pending payloads this asset matches (perhaps through the externalReference just sent) are
  // linked first, so that this payload's asset-level fields win.
  const referenceBefore = asset.externalReference;
  if (reference !== undefined) asset.externalReference = reference;
  linkMatchingPendings(ctx.store, asset, now);
  applyAssetFields(asset, payload, now);
  if (asset.externalReference === referenceBefore) {
    ctx.store.changed();
  } else {
    asset.updatedAt = now;
    ctx.store.assetChanged(asset);
  }
  return ok({ matched: true, assetId: asset.id });
}
