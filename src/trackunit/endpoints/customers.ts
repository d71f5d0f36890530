/**
 * Customer API (../shared/trackunit-api/customers.md) — the one place in the client where its paths and
 * request/response shapes live: customers, their contacts and their asset assignments.
 * [documented]: the twelve paths under /customer/v1/customers, IrisX being required, externalReference as
 * the customer's ERP identifier. [assumed]: the /api prefix, every body shape (the OpenAPI file could not
 * be read), the wire values of CustomerType, the list filters (`type`, `externalReference`, `name`), the
 * assignment body `{assetIds?, unassignAssetIds?}` with add/remove semantics (README open question #9).
 * `customerSchema` states what the client relies on and `tug doctor` checks it.
 */
import type { Json } from '../../core/canonical.js';
import type { CreateLookup, PlannedRequest } from '../../core/plan.js';
import type { TrackunitClient } from '../client.js';
import { findExact, listAll } from '../paginate.js';
import { s, type Schema } from '../shapes.js';
import type { Address, EndpointProbe } from './common.js';
import { addressSchema } from './common.js';

export const CUSTOMERS_PATH = '/api/customer/v1/customers';

/** Documented display names; wire values [assumed]. Unknown values from the server are tolerated. */
export type CustomerType = 'CONTRACTOR' | 'DEALER' | 'DISTRIBUTOR' | 'OEM' | 'RENTAL' | 'SERVICE' | 'OTHER' | (string & {});

export interface Customer {
  id: string;
  name: string;
  /** The server fills OTHER when none is given. */
  type: CustomerType;
  externalReference: string | null;
  address: Address | null;
  phoneNumber: string | null;
  email: string | null;
  website: string | null;
  createdAt?: string;
  updatedAt?: string;
}

/** Create (name required) or PATCH body; `null` clears an optional field. */
export interface CustomerInput {
  name?: string;
  type?: CustomerType | null;
  externalReference?: string | null;
  address?: Address | null;
  phoneNumber?: string | null;
  email?: string | null;
  website?: string | null;
}

export interface CustomerContact {
  id: string;
  customerId: string;
  name: string;
  email: string | null;
  phoneNumber: string | null;
  title: string | null;
}

/** Create (name required) or PATCH body of a contact. */
export interface CustomerContactInput {
  name?: string;
  email?: string | null;
  phoneNumber?: string | null;
  title?: string | null;
}

/** One asset assigned to a customer. */
export interface CustomerAsset {
  assetId: string;
  customerId: string;
}

/** Assets to assign (kept if already assigned) and to unassign; at least one list. */
export interface AssetAssignmentChange {
  assetIds?: string[];
  unassignAssetIds?: string[];
}

export interface CustomerFilter {
  type?: CustomerType | CustomerType[];
  /** Exact match. */
  externalReference?: string;
  /** Case-insensitive "contains" [assumed]. */
  name?: string;
}

export const customerSchema: Schema = s.object(
  {
    id: s.uuid,
    name: s.string,
    type: s.string,
    externalReference: s.nullableString,
    address: s.nullable(addressSchema),
    phoneNumber: s.nullableString,
    email: s.nullableString,
    website: s.nullableString,
  },
  ['id', 'name', 'type'],
);

export const customerContactSchema: Schema = s.object(
  { id: s.uuid, customerId: s.uuid, name: s.string, email: s.nullableString, phoneNumber: s.nullableString, title: s.nullableString },
  ['id', 'name'],
);

export const customerAssetSchema: Schema = s.object({ assetId: s.uuid, customerId: s.uuid }, ['assetId']);

/** `{id}` stays as it is: the placeholder for a customer created by the same change (filled at apply). */
const customerPath = (id: string) => `${CUSTOMERS_PATH}/${id === '{id}' ? id : encodeURIComponent(id)}`;
const contactsPath = (customerId: string) => `${customerPath(customerId)}/contacts`;
const contactPath = (customerId: string, contactId: string) => `${contactsPath(customerId)}/${encodeURIComponent(contactId)}`;
const assignmentsPath = (customerId: string) => `${customerPath(customerId)}/assets`;

/** The Customer API's writes, as data: apply sends them (src/apply/execute-change.ts). */
export const customerWrites = {
  /** Not idempotent: apply finds what an ambiguous create made by its externalReference. */
  create: (body: Json): PlannedRequest => ({ family: 'customers', method: 'POST', path: CUSTOMERS_PATH, body, idempotent: false }),
  update: (id: string, patch: Json): PlannedRequest => ({ family: 'customers', method: 'PATCH', path: customerPath(id), body: patch, idempotent: true }),
  /** The sandbox also removes the customer's contacts and assignments [assumed for the real API]. */
  remove: (id: string): PlannedRequest => ({ family: 'customers', method: 'DELETE', path: customerPath(id), idempotent: true }),
  /**
   * Not idempotent, and a contact has no identity: `lookup` says how apply recognises what an ambiguous
   * create made (every field it sets, among contacts that did not exist when the plan was made).
   * `customerId` may be `{id}`: the customer the same change creates.
   */
  createContact: (customerId: string, body: Json, lookup: CreateLookup): PlannedRequest => ({
    family: 'customers',
    method: 'POST',
    path: contactsPath(customerId),
    body,
    idempotent: false,
    lookup,
  }),
  updateContact: (customerId: string, contactId: string, patch: Json): PlannedRequest => ({
    family: 'customers',
    method: 'PATCH',
    path: contactPath(customerId, contactId),
    body: patch,
    idempotent: true,
  }),
  removeContact: (customerId: string, contactId: string): PlannedRequest => ({ family: 'customers', method: 'DELETE', path: contactPath(customerId, contactId), idempotent: true }),
};

export function customersApi(client: TrackunitClient) {
  const listContactsAt = (path: string) => listAll<CustomerContact>(client, { family: 'customers', path });
  const listAssignedAssets = (customerId: string) =>
    listAll<CustomerAsset>(client, { family: 'customers', path: assignmentsPath(customerId) });
  return {
    /** Every customer (all pages), optionally filtered. */
    list: (filter: CustomerFilter = {}) =>
      listAll<Customer>(client, {
        family: 'customers',
        path: CUSTOMERS_PATH,
        query: { type: filter.type, externalReference: filter.externalReference, name: filter.name },
      }),
    get: async (id: string) => (await client.request<Customer>({ family: 'customers', method: 'GET', path: customerPath(id) })).body,
    /** One GET with the externalReference filter, the match checked here too (see findExact). */
    findByExternalReference: async (ref: string): Promise<Customer | undefined> =>
      (await findExact<Customer>(client, { family: 'customers', path: CUSTOMERS_PATH }, 'externalReference', ref))[0],

    listContacts: (customerId: string) => listContactsAt(contactsPath(customerId)),
    /** The contacts of the collection a contact create was posted to (its resolved path). */
    listContactsAt,
    getContact: async (customerId: string, contactId: string) =>
      (await client.request<CustomerContact>({ family: 'customers', method: 'GET', path: contactPath(customerId, contactId) })).body,

    listAssignedAssets,
  };
}

export type CustomersApi = ReturnType<typeof customersApi>;

/** `tug doctor`: one harmless read and the shape it must have. */
export const customersProbe: EndpointProbe = {
  api: 'Customer',
  family: 'customers',
  entitlement: 'IrisX',
  read: async (client) => (await client.request({ family: 'customers', method: 'GET', path: CUSTOMERS_PATH, query: { size: 5 } })).body,
  schema: s.page(customerSchema),
};
