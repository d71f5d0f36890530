/**
 * Customer: matched by externalReference (the ERP customer number). Reads the customer list and, per
 * customer, only what a manifest can make a difference to:
 *
 * - custom field values of customers whose manifest sets `customFields`;
 * - contacts of customers whose manifest lists `contacts` (even an empty list: it removes them);
 * - the `tugManaged` marker (ownership.ts), only when Customer is pruned and the marker definition
 *   exists (without it no customer can carry one): for live customers with an externalReference no
 *   manifest names (prune candidates), and — as part of their values — for every customer a manifest
 *   names, because the planner then wants the marker on each and must see whether it is there already
 *   (not reading it would plan the same set-values on every run: a perpetual diff).
 */
import type { LiveState, DesiredState } from '../../core/state.js';
import { desiredOfKind } from '../../core/state.js';
import type { EntityField } from '../../trackunit/endpoints/custom-fields.js';
import { customersApi, type Customer, type CustomerContact } from '../../trackunit/endpoints/customers.js';
import type { DetailRead, KindName } from '../../core/kind.js';
import type { TrackunitClient } from '../../trackunit/client.js';
import type { KindDefinition } from '../env.js';
import * as validation from './checks.js';
import { hasFieldsFor, pick, readValues, valuesInventory, setsFields, storeValues, valuesRead } from '../live-reads.js';
import { CUSTOMER_MARKER_KEY } from '../ownership.js';
import type { CustomerManifest } from './manifest.js';
import { normalizeContact } from './normalize.js';
import { canonicalJson } from '../../core/canonical.js';
import { planCustomers } from './plan.js';
import { exportCustomers } from './export.js';

declare module '../../core/manifest.js' {
  interface KindManifests {
    Customer: CustomerManifest;
  }
}
declare module '../../core/state.js' {
  interface LiveParts {
    customers: Customer[];
    /** Contacts per customer id — read only for customers whose manifests list contacts. */
    contacts: Record<string, CustomerContact[]>;
    /** Hidden managed-by-tug marker per customer id (read only when Customer prune is on). */
    customerMarkers: Record<string, string | null>;
  }
}

function markerOf(fields: EntityField[]): string | null {
  const value = fields.find((f) => f.definition.key === CUSTOMER_MARKER_KEY)?.value?.value;
  return value && 'stringValue' in value && typeof value.stringValue === 'string' ? value.stringValue : null;
}

/** Customer is pruned and the marker definition exists: customers' markers matter (ownership.ts). */
function marking(live: LiveState, prune: KindName[]): boolean {
  return prune.includes('Customer') && live.definitions.some((d) => d.key === CUSTOMER_MARKER_KEY && d.entityType === 'CUSTOMER');
}

function customerReads(desired: DesiredState, live: LiveState, prune: KindName[], exportAll: boolean): DetailRead[] {
  if (exportAll) {
    const values = hasFieldsFor(live, 'CUSTOMER');
    return live.customers.flatMap((c): DetailRead[] => [
      ...(values ? [valuesRead('Customer', 'CUSTOMER', c.id)] : []),
      { kind: 'Customer', part: 'contacts', liveId: c.id, family: 'customers' },
    ]);
  }
  const docs = desiredOfKind(desired, 'Customer');
  const withMarker = marking(live, prune);
  const byReference = (c: Customer) => c.externalReference;
  const values = pick(live.customers, byReference, new Set(docs.filter((d) => withMarker || setsFields(d.manifest.customFields)).map((d) => d.identity)));
  const contacts = pick(live.customers, byReference, new Set(docs.filter((d) => d.manifest.contacts !== undefined).map((d) => d.identity)));
  const named = new Set(docs.map((d) => d.identity));
  // A customer without an externalReference can never carry a valid marker (ownership.ts): no read.
  const candidates = withMarker ? live.customers.filter((c) => c.externalReference !== null && c.externalReference !== '' && !named.has(c.externalReference)) : [];
  return [
    ...values.map((p) => valuesRead('Customer', 'CUSTOMER', p.id, p.identity)),
    ...contacts.map((p): DetailRead => ({ kind: 'Customer', part: 'contacts', liveId: p.id, family: 'customers', identity: p.identity })),
    // The marker is read as the customer's values, but kept only as the marker.
    ...candidates.map((c): DetailRead => ({ ...valuesRead('Customer', 'CUSTOMER', c.id, c.externalReference as string), part: 'marker' })),
  ];
}

function readCustomerDetail(client: TrackunitClient, read: DetailRead, plan?: object): Promise<unknown> {
  return read.part === 'contacts' ? customersApi(client).listContacts(read.liveId) : readValues(client, read, plan);
}

function storeCustomerDetail(live: LiveState, read: DetailRead, result: unknown): void {
  if (read.part === 'contacts') live.contacts[read.liveId] = (result as CustomerContact[] | undefined) ?? [];
  else if (read.part === 'marker') live.customerMarkers[read.liveId] = markerOf((result as EntityField[] | undefined) ?? []);
  else {
    const fields = storeValues(live, read, result);
    // Values read for a customer carry its marker too: free to keep, and the planner may use it.
    if (fields.some((f) => f.definition.key === CUSTOMER_MARKER_KEY)) live.customerMarkers[read.liveId] = markerOf(fields);
  }
}

export const customerKind: KindDefinition<'Customer'> = {
  name: 'Customer',
  schemaFile: 'customer.schema.json',
  identityField: 'externalReference',
  entityType: 'CUSTOMER',
  identity: (manifest) => manifest.externalReference,
  validation,
  emptyLive: () => ({ customers: [], contacts: {}, customerMarkers: {} }),
  readLists: async (client) => ({ customers: await customersApi(client).list() }),
  detailReads: (desired, live, _refs, options) => customerReads(desired, live, options.prune, options.exportAll === true),
  readDetail: readCustomerDetail,
  storeDetail: storeCustomerDetail,
  ...valuesInventory,
  listed: (live) => live.customers,
  // A new customer whose manifest lists contacts, even none, has them read by the convergence check (the
  // same key as the generic count of a create's contact requests: one read either way).
  createdReads: (change) =>
    change.op === 'create' && change.kind === 'Customer' && Array.isArray((change.after as { contacts?: unknown } | undefined)?.contacts) ? [`customers:${change.key}`] : [],
  liveIdentities: (live) => live.customers.map((c) => c.externalReference),
  plan: planCustomers,
  exportLive: exportCustomers,
  driftOf: (plan, live, { prune }) => {
    if (!prune.includes('Customer')) return [];
    const named = new Set(live.customers.filter((c) => c.externalReference).map((c) => c.id));
    return plan.unmanaged
      .filter((u) => u.kind === 'Customer' && named.has(u.liveId))
      .map((u) => ({ class: 4 as const, kind: 'Customer', id: u.label, liveId: u.liveId, message: 'a customer tug does not manage; adopt it with a manifest (`tug export` writes one) to bring it under git' }));
  },
  createdLookup: (reference) => ({ kind: 'customer', field: 'externalReference', value: reference }),
  findByIdentity: async (client, reference) => (await customersApi(client).findByExternalReference(reference))?.id,
  findByContent: async (client, path, match, excluded) => {
    const wanted = canonicalJson(match);
    return (await customersApi(client).listContactsAt(path)).find((c) => !excluded.has(c.id) && canonicalJson(normalizeContact(c)) === wanted)?.id;
  },
};
