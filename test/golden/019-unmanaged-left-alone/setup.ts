/**
 * Objects made by hand in Trackunit, which no manifest describes and tug does not manage: a depot site
 * without tug's binding, a customer without the marker, and a customer whose marker was copied from
 * another customer (it names CUST-1001, not its own externalReference, so it does not count).
 */
import { CUSTOMER_MARKER_KEY, customerMarker } from '../../../src/kinds/ownership.js';
import type { Store } from '../../../src/sandbox/store.js';

const STAMP = '2026-10-01T09:00:00.000Z';

function addCustomer(store: Store, externalReference: string, name: string): string {
  const id = store.newId();
  store.customers.set(id, { id, name, type: 'CONTRACTOR', externalReference, address: null, phoneNumber: null, email: null, website: null, createdAt: STAMP, updatedAt: STAMP });
  return id;
}

export default function setup(store: Store): void {
  const siteId = store.newId();
  store.sites.set(siteId, {
    id: siteId, name: 'Horsens yard', type: 'DEPOT', description: 'Made by hand in Manager', externalReference: 'ERP-SITE-7',
    startDate: null, endDate: null, address: { streetAddress: 'Vejlevej 100', zipCode: '8700', city: 'Horsens', country: 'DK' },
    area: null, archived: false, createdAt: STAMP, updatedAt: STAMP,
  });
  addCustomer(store, 'CUST-9001', 'Horsens Maskinstation ApS');
  const copied = addCustomer(store, 'CUST-9002', 'Kopi Entreprise ApS');
  const marker = [...store.definitions.values()].find((d) => d.key === CUSTOMER_MARKER_KEY);
  if (!marker) throw new Error('setup: the customer marker definition is missing (live/ is seeded with markers when Customer is pruned)');
  const valueId = store.newId();
  store.values.set(valueId, {
    id: valueId, definitionId: marker.id, entityId: copied, entityType: 'CUSTOMER', value: { stringValue: customerMarker('CUST-1001') },
    lastIncompatibleValue: null, createdAt: STAMP, updatedAt: STAMP,
  });
}
