/**
 * Values this version of tug does not know, as a newer Trackunit might answer them: a customer type
 * PARTNER, rental status LOST (on an asset whose manifest does not set one, and on an asset no manifest
 * names), a site type WAREHOUSE, a custom field type GEO_POINT and a contract status ON_HOLD. The
 * manifests do not mention any of them, so the plan must neither change them nor crash.
 */
import type { Store } from '../../../src/sandbox/store.js';
import { blankDefinition } from '../../../src/sandbox/store.js';

const STAMP = '2026-10-01T09:00:00.000Z';

function assetBySerial(store: Store, serial: string) {
  const asset = [...store.assets.values()].find((a) => a.serialNumber === serial);
  if (!asset) throw new Error(`setup: no demo asset ${serial}`);
  return asset;
}

export default function setup(store: Store): void {
  const customer = [...store.customers.values()].find((c) => c.externalReference === 'CUST-1002');
  if (!customer) throw new Error('setup: CUST-1002 was not seeded');
  customer.type = 'PARTNER';
  assetBySerial(store, '0300000008').rentalStatus = 'LOST';
  const breaker = assetBySerial(store, '771000010');
  breaker.rentalStatus = 'LOST';

  const siteId = store.newId();
  store.sites.set(siteId, {
    id: siteId, name: 'Fredericia bonded warehouse', type: 'WAREHOUSE', description: null, externalReference: null,
    startDate: null, endDate: null, address: null, area: null, archived: false, createdAt: STAMP, updatedAt: STAMP,
  });
  const definition = blankDefinition({ id: store.newId(), key: 'lastSeenAt', entityType: 'ASSET', type: 'GEO_POINT', owner: 'ACCOUNT', title: 'Last seen at' }, STAMP);
  store.definitions.set(definition.id, definition);

  const walkIn = [...store.customers.values()].find((c) => c.name === 'Walk-in customer');
  if (!walkIn) throw new Error('setup: the demo walk-in customer is missing');
  const contractId = store.newId();
  store.contracts.set(contractId, {
    id: contractId, externalReference: 'HAND-0001', contractStatus: 'ON_HOLD', startDate: '2026-11-20T00:00:00.000Z', endDate: null,
    customerId: walkIn.id, hiringDepotId: null, createdAt: STAMP, updatedAt: STAMP,
  });
  const itemId = store.newId();
  store.contractItems.set(itemId, {
    id: itemId, contractId, assetId: breaker.id, externalReference: 'HAND-0001-1', onRentDate: '2026-11-20T00:00:00.000Z', offRentDate: null,
    rentalRate: { currency: 'DKK', unitPrice: 300, period: 'FORTNIGHTLY' }, deliveryAddress: null, deliveryDate: null, pickupAddress: null, pickupDate: null,
    createdAt: STAMP, updatedAt: STAMP,
  });
}
