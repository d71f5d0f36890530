/**
 * Customer contacts (Customer API operations 6–10, ../shared/trackunit-api/customers.md).
 *
 * [documented] the paths, and that a contact has a name, an e-mail address and a phone number (UI).
 * [assumed] the wire shape `{id, customerId, name, email, phoneNumber, title}` (no timestamps), name
 *   required and non-empty, e-mail format check, the list being a page object (`page`/`size`/`sort`
 *   on name) with a repeatable `ids` filter (suggested by the slug `getcontactsbyids`), 201 / 200 /
 *   204, and `contact_not_found` for a contact that is unknown or belongs to another customer.
 */
import { created, noContent, notFound, ok, type RequestContext } from '../../http.js';
import { multiValue, paginate, parsePageRequest } from '../../pagination.js';
import type { RouteDef } from '../../router.js';
import type { ContactRecord } from '../../store.js';
import { Checker, type Json } from '../../validate.js';
import { isoNow } from '../../clock.js';
import { CUSTOMER_BASE, assignText, checkEmail, checkName, customerRoute, getCustomer } from './common.js';

const CONTACTS = `${CUSTOMER_BASE}/:customerId/contacts`;
const SORTABLE = ['name', 'email', 'title'];

export function contactView(contact: ContactRecord): Record<string, unknown> {
  return {
    id: contact.id,
    customerId: contact.customerId,
    name: contact.name,
    email: contact.email,
    phoneNumber: contact.phoneNumber,
    title: contact.title,
  };
}

function checkContactBody(body: Json, creating: boolean): void {
  const c = new Checker();
  checkName(c, body, creating);
  checkEmail(c, body, 'email');
  c.string(body, 'phoneNumber', { maxLength: 255 });
  c.string(body, 'title', { maxLength: 255 });
  c.throwIfAny();
}

function applyFields(contact: ContactRecord, body: Json): void {
  if (typeof body.name === 'string') contact.name = body.name;
  assignText(contact, body, ['email', 'phoneNumber', 'title']);
}

function getContact(ctx: RequestContext): ContactRecord {
  const customer = getCustomer(ctx);
  const contact = ctx.store.contacts.get(ctx.params.contactId ?? '');
  if (!contact || contact.customerId !== customer.id) {
    throw notFound('contact_not_found', `Contact ${ctx.params.contactId} not found for customer ${customer.id}`);
  }
  return contact;
}

function listContacts(ctx: RequestContext) {
  const customer = getCustomer(ctx);
  const request = parsePageRequest(ctx.query, SORTABLE);
  const ids = new Set(multiValue(ctx.query, 'ids'));
  const items = [...ctx.store.contacts.values()].filter((c) => c.customerId === customer.id && (ids.size === 0 || ids.has(c.id)));
  return ok(paginate(items, request, contactView));
}

function createContact(ctx: RequestContext) {
  const customer = getCustomer(ctx);
  const body = new Checker().requireObjectBody(ctx.body);
  checkContactBody(body, true);
  const now = isoNow(ctx.clock);
  const contact: ContactRecord = {
    id: ctx.store.newId(),
    customerId: customer.id,
    name: '',
    email: null,
    phoneNumber: null,
    title: null,
    createdAt: now,
    updatedAt: now,
  };
  applyFields(contact, body);
  ctx.store.contacts.set(contact.id, contact);
  ctx.store.changed();
  return created(contactView(contact));
}

function updateContact(ctx: RequestContext) {
  const contact = getContact(ctx);
  const body = new Checker().requireObjectBody(ctx.body);
  checkContactBody(body, false);
  applyFields(contact, body);
  contact.updatedAt = isoNow(ctx.clock);
  ctx.store.changed();
  return ok(contactView(contact));
}

function deleteContact(ctx: RequestContext) {
  const contact = getContact(ctx);
  ctx.store.contacts.delete(contact.id);
  ctx.store.changed();
  return noContent();
}

export function contactRoutes(): RouteDef[] {
  return [
    customerRoute({ name: 'customers.listContacts', method: 'GET', path: CONTACTS, write: false, handler: listContacts }),
    customerRoute({ name: 'customers.getContact', method: 'GET', path: `${CONTACTS}/:contactId`, write: false, handler: (ctx) => ok(contactView(getContact(ctx))) }),
    customerRoute({ name: 'customers.createContact', method: 'POST', path: CONTACTS, write: true, handler: createContact }),
    customerRoute({ name: 'customers.updateContact', method: 'PATCH', path: `${CONTACTS}/:contactId`, write: true, handler: updateContact }),
    customerRoute({ name: 'customers.deleteContact', method: 'DELETE', path: `${CONTACTS}/:contactId`, write: true, handler: deleteContact }),
  ];
}
