/**
 * Read side of the Rental API: `GET /v1/contract-items` [documented parameters] and
 * `GET /v1/contracts`, `GET /v1/contracts/{contractId}` [assumed]. See ../rental.ts for the list of
 * [assumed] choices.
 */
import { constraintViolation, HttpError, notFound, ok, type Reply, type RequestContext, type Violation } from '../../http.js';
import { multiValue, paginate, parsePageRequest, type PageRequest } from '../../pagination.js';
import type { ContractItemRecord, ContractRecord, Store } from '../../store.js';
import { isDateTime } from '../../validate.js';
import { contractItemView, contractView } from './shapes.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ITEM_SORTABLE = ['externalReference', 'assetId', 'onRentDate', 'offRentDate', 'deliveryDate', 'pickupDate', 'createdAt', 'updatedAt'];
const CONTRACT_SORTABLE = ['externalReference', 'contractStatus', 'startDate', 'endDate', 'customerId', 'createdAt', 'updatedAt'];

const rejected = (field: string, value: string | null, reason: string): Violation => ({
  field,
  message: `value '${value ?? ''}' was rejected: ${reason}`,
});

/** Paging violations join the endpoint's own, so the client sees every problem in one 400. */
function pageRequest(ctx: RequestContext, sortable: string[], violations: Violation[]): PageRequest | undefined {
  try {
    return parsePageRequest(ctx.query, sortable);
  } catch (error) {
    if (!(error instanceof HttpError) || !error.violations) throw error;
    violations.push(...error.violations);
    return undefined;
  }
}

export function getContract(ctx: RequestContext, contractId: string): ContractRecord {
  const contract = ctx.store.contracts.get(contractId);
  if (!contract) throw notFound('contract_not_found', `Contract ${contractId} not found`);
  return contract;
}

function instant(ctx: RequestContext, name: string, violations: Violation[]): number | undefined {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!isDateTime(raw)) {
    violations.push(rejected(name, raw, 'must be an ISO 8601 date-time'));
    return undefined;
  }
  return Date.parse(raw);
}

/** `[onRentDate, offRentDate)`, open-ended when offRentDate is null. */
function isActiveAt(item: ContractItemRecord, at: number): boolean {
  return Date.parse(item.onRentDate) <= at && (item.offRentDate === null || at < Date.parse(item.offRentDate));
}

/** The item's rental interval overlaps `[start or −∞, end or +∞]`. */
function overlaps(item: ContractItemRecord, start: number | undefined, end: number | undefined): boolean {
  if (end !== undefined && Date.parse(item.onRentDate) > end) return false;
  if (start !== undefined && item.offRentDate !== null && Date.parse(item.offRentDate) <= start) return false;
  return true;
}

/**
 * Items by contract, indexed once and dropped on the next store change, so reading 20,000 contracts'
 * items does not scan every item 20,000 times. (A size check catches direct store edits in tests.)
 */
const itemIndex = new WeakMap<Store, { size: number; byContract: Map<string, ContractItemRecord[]> }>();

function itemsOfContract(store: Store, contractId: string): ContractItemRecord[] {
  let index = itemIndex.get(store);
  if (!index || index.size !== store.contractItems.size) {
    const byContract = new Map<string, ContractItemRecord[]>();
    for (const item of store.contractItems.values()) {
      const list = byContract.get(item.contractId);
      if (list) list.push(item);
      else byContract.set(item.contractId, [item]);
    }
    index = { size: store.contractItems.size, byContract };
    itemIndex.set(store, index);
    store.events.once('changed', () => itemIndex.delete(store));
  }
  return index.byContract.get(contractId) ?? [];
}

export function listContractItems(ctx: RequestContext): Reply {
  const violations: Violation[] = [];
  const contractId = ctx.query.get('contractId');
  if (contractId === null || contractId.trim() === '') violations.push(rejected('contractId', contractId, 'must not be null'));
  else if (!UUID.test(contractId)) violations.push(rejected('contractId', contractId, 'must be a UUID'));
  const activeRaw = ctx.query.get('active');
  if (activeRaw !== null && activeRaw !== '' && activeRaw !== 'true' && activeRaw !== 'false') {
    violations.push(rejected('active', activeRaw, 'must be true or false'));
  }
  const start = instant(ctx, 'start', violations);
  const end = instant(ctx, 'end', violations);
  if (start !== undefined && end !== undefined && end < start) violations.push(rejected('end', ctx.query.get('end'), 'must not be before start'));
  const request = pageRequest(ctx, ITEM_SORTABLE, violations);
  if (violations.length > 0 || !request || !contractId) throw constraintViolation(violations);
  const contract = getContract(ctx, contractId);
  const now = ctx.clock.now();
  const byDates = start !== undefined || end !== undefined;
  const items = itemsOfContract(ctx.store, contract.id)
    .filter((item) => {
      if (byDates) return overlaps(item, start, end);
      if (activeRaw === 'true') return isActiveAt(item, now);
      if (activeRaw === 'false') return !isActiveAt(item, now);
      return true;
    });
  return ok(paginate(items, request, contractItemView));
}

export function listContracts(ctx: RequestContext): Reply {
  const violations: Violation[] = [];
  const request = pageRequest(ctx, CONTRACT_SORTABLE, violations);
  if (violations.length > 0 || !request) throw constraintViolation(violations);
  const customerId = ctx.query.get('customerId');
  const reference = ctx.query.get('externalReference');
  const statuses = multiValue(ctx.query, 'contractStatus');
  const assetId = ctx.query.get('assetId');
  const onAsset = new Set<string>();
  if (assetId) for (const item of ctx.store.contractItems.values()) if (item.assetId === assetId) onAsset.add(item.contractId);
  const contracts = [...ctx.store.contracts.values()]
    .filter((c) => !customerId || c.customerId === customerId)
    .filter((c) => !reference || c.externalReference === reference)
    .filter((c) => statuses.length === 0 || (c.contractStatus !== null && statuses.includes(c.contractStatus)))
    .filter((c) => !assetId || onAsset.has(c.id));
  return ok(paginate(contracts, request, contractView));
}
