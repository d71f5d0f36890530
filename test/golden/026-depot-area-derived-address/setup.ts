/**
 * Trackunit fills in the address of a site drawn as a polygon alone (from the area's centre). The
 * manifest does not manage that address, so the server's value must not become a change.
 */
import type { Store } from '../../../src/sandbox/store.js';

export default function setup(store: Store): void {
  const site = [...store.sites.values()].find((s) => s.externalReference === 'tug:depot/copenhagen');
  if (!site) throw new Error('setup: Depot/copenhagen was not seeded');
  site.address = { streetAddress: 'Kløvermarksvej 70', zipCode: '2300', city: 'København S', country: 'Denmark' };
}
