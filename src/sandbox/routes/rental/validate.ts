/**
 * Validation of the synchronization body: every violation at once, with dotted field paths such as
 * `contractItems[0].contract.customer.externalReference`. Also the by-externalReference lookups the
 * upsert shares with it (ERP references are unique per account: documented for assets and contracts,
 * [assumed] for contract items and customers).
 */
import type { ContractItemRecord, ContractRecord, CustomerRecord, Store } from '../../store.js';
import { Checker, isDateTime, isObject, type Json } from '../../validate.js';
import { checkAddress } from '../address.js';
import {
  CONTRACT_STATUSES,
  CUSTOMER_TYPES,
  IDENTIFIER_TYPES,
  RATE_PERIODS,
  RENTAL_STATUSES,
  type SyncPayload,
} from './shapes.js';

const MAX_TEXT = 255;

export function findCustomer(store: Store, externalReference: string): CustomerRecord | undefined {
  for (const customer of store.customers.values()) if (customer.externalReference === externalReference) return customer;
  return undefined;
}

export function findContract(store: Store, externalReference: string): ContractRecord | undefined {
  for (const contract of store.contracts.values()) if (contract.externalReference === externalReference) return contract;
  return undefined;
}

export function findContractItem(store: Store, externalReference: string): ContractItemRecord | undefined {
  for (const item of store.contractItems.values()) if (item.externalReference === externalReference) return item;
  return undefined;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** What the payload as a whole says, so one occurrence may rely on another (a name given once is enough). */
interface PayloadFacts {
  /** Customer references that carry a name somewhere in the payload. */
  namedCustomers: Set<string>;
  /** Contract references that carry a customer somewhere in the payload. */
  contractsWithCustomer: Set<string>;
  /** Contract reference → customer reference of its first occurrence (binding conflicts inside one payload). */
  customerOfContract: Map<string, string>;
  seenItems: Set<string>;
}

function scan(items: unknown[]): PayloadFacts {
  const facts: PayloadFacts = { namedCustomers: new Set(), contractsWithCustomer: new Set(), customerOfContract: new Map(), seenItems: new Set() };
  for (const item of items) {
    const contract = isObject(item) && isObject(item.contract) ? item.contract : undefined;
    const customer = contract && isObject(contract.customer) ? contract.customer : undefined;
    const contractRef = text(contract?.externalReference);
    const customerRef = text(customer?.externalReference);
    if (contractRef && customer) facts.contractsWithCustomer.add(contractRef);
    if (customerRef && text(customer?.name)) facts.namedCustomers.add(customerRef);
  }
  return facts;
}

/** `{siteId}` naming an existing site of type DEPOT; null clears [assumed]. */
function checkDepot(c: Checker, store: Store, body: Json, key: string): void {
  const ref = c.object(body, key);
  if (!ref) return;
  const nested = c.nested(key);
  nested.string(ref, 'siteId', { required: true });
  const siteId = text(ref.siteId);
  if (siteId && store.sites.get(siteId)?.type !== 'DEPOT') {
    nested.reject('siteId', siteId, 'must be the id of an existing site of type DEPOT');
  }
}

function checkOrder(c: Checker, laterKey: string, earlier: unknown, later: unknown, earlierKey: string): void {
  if (isDateTime(earlier) && isDateTime(later) && Date.parse(later) < Date.parse(earlier)) {
    c.reject(laterKey, later, `must not be before ${earlierKey}`);
  }
}

function checkCustomer(c: Checker, store: Store, customer: Json, facts: PayloadFacts): void {
  c.string(customer, 'externalReference', { required: true, maxLength: MAX_TEXT });
  const ref = text(customer.externalReference);
  const isNew = ref !== undefined && !findCustomer(store, ref) && !facts.namedCustomers.has(ref);
  c.string(customer, 'name', { required: isNew, nonEmpty: true, maxLength: MAX_TEXT });
  c.enumValue(customer, 'type', CUSTOMER_TYPES);
}

function checkContract(c: Checker, store: Store, contract: Json, facts: PayloadFacts): void {
  c.string(contract, 'externalReference', { required: true, maxLength: MAX_TEXT });
  c.enumValue(contract, 'contractStatus', CONTRACT_STATUSES);
  c.dateTime(contract, 'startDate');
  c.dateTime(contract, 'endDate');
  const ref = text(contract.externalReference);
  const existing = ref ? findContract(store, ref) : undefined;
  const start = contract.startDate !== undefined ? contract.startDate : existing?.startDate;
  const end = contract.endDate !== undefined ? contract.endDate : existing?.endDate;
  checkOrder(c, 'endDate', start, end, 'startDate');
  checkDepot(c, store, contract, 'hiringDepot');
  const needsCustomer = ref !== undefined && !existing && !facts.contractsWithCustomer.has(ref);
  const customer = c.object(contract, 'customer', { required: needsCustomer });
  if (!customer) return;
  checkCustomer(c.nested('customer'), store, customer, facts);
  const customerRef = text(customer.externalReference);
  if (!ref || !customerRef) return;
  const bound = existing ? store.customers.get(existing.customerId) : undefined;
  const expected = bound ? bound.externalReference : facts.customerOfContract.get(ref);
  if (expected !== undefined && expected !== customerRef) {
    c.nested('customer').reject('externalReference', customerRef, `contract '${ref}' is already bound to customer '${expected ?? bound?.name ?? ''}'`);
  } else if (!facts.customerOfContract.has(ref)) {
    facts.customerOfContract.set(ref, customerRef);
  }
}

function checkRate(c: Checker, item: Json): void {
  const rate = c.object(item, 'rentalRate');
  if (!rate) return;
  const rc = c.nested('rentalRate');
  rc.string(rate, 'currency', { required: true });
  if (text(rate.currency) && !/^[A-Z]{3}$/.test(rate.currency as string)) {
    rc.reject('currency', rate.currency, 'must be an ISO 4217 currency code (3 upper-case letters)');
  }
  rc.number(rate, 'unitPrice', { required: true, min: 0 });
  rc.enumValue(rate, 'period', RATE_PERIODS, { required: true });
}

function checkItem(c: Checker, store: Store, item: Json, facts: PayloadFacts): void {
  c.string(item, 'externalReference', { required: true, maxLength: MAX_TEXT });
  const ref = text(item.externalReference);
  if (ref && facts.seenItems.has(ref)) c.reject('externalReference', ref, 'duplicate contract item externalReference in this payload');
  if (ref) facts.seenItems.add(ref);
  c.dateTime(item, 'onRentDate', { required: true });
  c.dateTime(item, 'offRentDate');
  checkOrder(c, 'offRentDate', item.onRentDate, item.offRentDate, 'onRentDate');
  checkRate(c, item);
  checkAddress(c, item, 'deliveryAddress');
  checkAddress(c, item, 'pickupAddress');
  c.dateTime(item, 'deliveryDate');
  c.dateTime(item, 'pickupDate');
  // A new item needs its contract; an existing one keeps its contract when none is sent [assumed].
  const contract = c.object(item, 'contract', { required: ref !== undefined && !findContractItem(store, ref) });
  if (contract) checkContract(c.nested('contract'), store, contract, facts);
}

/** Validate a synchronization body; throws one 400 constraint_violation listing every problem. */
export function checkSyncBody(store: Store, body: Json): SyncPayload {
  const c = new Checker();
  c.enumValue(body, 'identifierType', IDENTIFIER_TYPES, { required: true });
  c.string(body, 'identifier', { required: true, maxLength: MAX_TEXT });
  c.string(body, 'externalReference', { nonEmpty: true, maxLength: MAX_TEXT });
  c.enumValue(body, 'rentalStatus', RENTAL_STATUSES);
  checkDepot(c, store, body, 'owningDepot');
  const items = c.array(body, 'contractItems');
  if (items) {
    const facts = scan(items);
    items.forEach((item, i) => {
      const field = `contractItems[${i}]`;
      if (isObject(item)) checkItem(c.nested(field), store, item, facts);
      else c.reject(field, item, 'must be an object');
    });
  }
  c.throwIfAny();
  return body as unknown as SyncPayload;
}
