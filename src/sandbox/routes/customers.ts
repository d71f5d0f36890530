/**
 * Customer API emulation (../shared/trackunit-api/customers.md). This module and ./customers/*.ts are
 * the single place where the sandbox's Customer, CustomerContact and CustomerAsset wire shapes live.
 *
 * [documented] the twelve operation paths under /customer/v1/customers, the concepts (customer,
 *   contact, customer asset), IrisX being required, customer types (as display names), the UI default
 *   type "Other", externalReference as the customer's ERP identifier.
 * [assumed] the /api prefix, every request and response body, the wire enum values
 *   (CONTRACTOR, DEALER, DISTRIBUTOR, OEM, RENTAL, SERVICE, OTHER; default OTHER, also when PATCHed to
 *   null), the list filters (repeatable `type` and `ids`, exact `externalReference`, case-insensitive
 *   `name` contains) and sort attributes, 201 on create, 200 on update, 204 on delete, the v2 scopes
 *   (reads: account.view or account.customer.manage; writes: account.customer.manage), error codes
 *   `customer_not_found` / `contact_not_found`, `externalReference` unique per account (400
 *   `external_reference_already_exists` with a violation on the field; the docs allow 409 or 400),
 *   an empty-string optional field meaning null, and that deleting a customer removes its contacts and
 *   asset assignments and custom field values (contracts are left to the Rental API).
 * Contacts and asset assignments: see ./customers/contacts.ts and ./customers/assignments.ts.
 */
import { HttpError, created, noContent, ok, type RequestContext } from '../http.js';
import { multiValue, paginate, parsePageRequest } from '../pagination.js';
import type { RouteDef } from '../router.js';
import type { CustomerRecord, Store } from '../store.js';
import { Checker, type Json } from '../validate.js';
import { isoNow } from '../clock.js';
import type { RouteDeps } from './index.js';
import { checkAddress, normalizeAddress } from './address.js';
import { CUSTOMER_BASE, CUSTOMER_TYPES, assignText, checkEmail, checkName, customerRoute, getCustomer } from './customers/common.js';
import { contactRoutes } from './customers/contacts.js';
import { assignmentRoutes } from './customers/assignments.js';

export { CUSTOMER_BASE, CUSTOMER_TYPES } from './customers/common.js';
const DEFAULT_TYPE = 'OTHER';
const SORTABLE = ['name', 'type', 'externalReference', 'createdAt', 'updatedAt'];

export function customerView(customer: CustomerRecord): Record<string, unknown> {
  return {
    id: customer.id,
    name: customer.name,
    type: customer.type,
    externalReference: customer.externalReference,
    address: customer.address,
    phoneNumber: customer.phoneNumber,
    email: customer.email,
    website: customer.website,
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
  };
}

function checkCustomerBody(store: Store, body: Json, existing: CustomerRecord | undefined): void {
  const c = new Checker();
  checkName(c, body, existing === undefined);
  c.enumValue(body, 'type', CUSTOMER_TYPES);
  c.string(body, 'externalReference', { maxLength: 255 });
  checkAddress(c, body, 'address');
  c.string(body, 'phoneNumber', { maxLength: 255 });
  checkEmail(c, body, 'email');
  c.string(body, 'website', { maxLength: 255 });
  c.throwIfAny();
  const ref = body.externalReference;
  if (typeof ref === 'string' && ref !== '') {
    for (const customer of store.customers.values()) {
      if (customer.externalReference === ref && customer.id !== existing?.id) {
        throw new HttpError(400, 'external_reference_already_exists', `A customer with externalReference '${ref}' already exists`, [
          { field: 'externalReference', message: `value '${ref}' was rejected: a customer with this externalReference already exists` },
        ]);
      }
    }
  }
}

function applyFields(customer: CustomerRecord, body: Json): void {
  if (typeof body.name === 'string') customer.name = body.name;
  if (body.type !== undefined) customer.type = typeof body.type === 'string' ? body.type : DEFAULT_TYPE;
  assignText(customer, body, ['externalReference', 'phoneNumber', 'email', 'website']);
  if (body.address !== undefined) customer.address = normalizeAddress(body.address);
}

function listCustomers(ctx: RequestContext) {
  const request = parsePageRequest(ctx.query, SORTABLE);
  const types = multiValue(ctx.query, 'type');
  const ids = new Set(multiValue(ctx.query, 'ids'));
  const ref = ctx.query.get('externalReference');
  const name = ctx.query.get('name')?.toLowerCase();
  const items = [...ctx.store.customers.values()]
    .filter((c) => types.length === 0 || types.includes(c.type))
    .filter((c) => ids.size === 0 || ids.has(c.id))
    .filter((c) => ref === null || c.externalReference === ref)
    .filter((c) => !name || c.name.toLowerCase().includes(name));
  return ok(paginate(items, request, customerView));
}

function createCustomer(ctx: RequestContext) {
  const body = new Checker().requireObjectBody(ctx.body);
  checkCustomerBody(ctx.store, body, undefined);
  const now = isoNow(ctx.clock);
  const customer: CustomerRecord = {
    id: ctx.store.newId(),
    name: '',
    type: DEFAULT_TYPE,
    externalReference: null,
    address: null,
    phoneNumber: null,
    email: null,
    website: null,
    createdAt: now,
    updatedAt: now,
  };
  applyFields(customer, body);
  ctx.store.customers.set(customer.id, customer);
  ctx.store.changed();
  return created(customerView(customer));
}

function updateCustomer(ctx: RequestContext) {
  const customer = getCustomer(ctx);
  const body = new Checker().requireObjectBody(ctx.body);
  checkCustomerBody(ctx.store, body, customer);
  applyFields(customer, body);
  customer.updatedAt = isoNow(ctx.clock);
  ctx.store.changed();
  return ok(customerView(customer));
}

function deleteCustomer(ctx: RequestContext) {
  const customer = getCustomer(ctx);
  const { store } = ctx;
  store.customers.delete(customer.id);
  for (const [id, contact] of store.contacts) if (contact.customerId === customer.id) store.contacts.delete(id);
  for (const [id, value] of store.values) if (value.entityId === customer.id) store.values.delete(id);
  store.customerAssets = store.customerAssets.filter((a) => a.customerId !== customer.id);
  store.changed();
  return noContent();
}

export function customerRoutes(_deps: RouteDeps): RouteDef[] {
  return [
    customerRoute({ name: 'customers.list', method: 'GET', path: CUSTOMER_BASE, write: false, handler: listCustomers }),
    customerRoute({ name: 'customers.get', method: 'GET', path: `${CUSTOMER_BASE}/:customerId`, write: false, handler: (ctx) => ok(customerView(getCustomer(ctx))) }),
    customerRoute({ name: 'customers.create', method: 'POST', path: CUSTOMER_BASE, write: true, handler: createCustomer }),
    customerRoute({ name: 'customers.update', method: 'PATCH', path: `${CUSTOMER_BASE}/:customerId`, write: true, handler: updateCustomer }),
    customerRoute({ name: 'customers.delete', method: 'DELETE', path: `${CUSTOMER_BASE}/:customerId`, write: true, handler: deleteCustomer }),
    ...contactRoutes(),
    ...assignmentRoutes(),
  ];
}
