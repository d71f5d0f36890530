/**
 * The registry of emulated APIs: one module per Trackunit API, each the single place where that API's
 * paths and [assumed] shapes live. Adding an API is one module plus one line here.
 */
import type { Clock } from '../clock.js';
import type { RouteDef } from '../router.js';
import type { Store } from '../store.js';
import { assetRoutes } from './assets.js';
import { customFieldRoutes } from './custom-fields.js';
import { customerRoutes } from './customers.js';
import { isoRoutes } from './iso.js';
import { rentalRoutes } from './rental.js';
import { siteRoutes } from './sites.js';

export interface RouteDeps {
  store: Store;
  clock: Clock;
}

export function apiRoutes(deps: RouteDeps): RouteDef[] {
  return [
    ...siteRoutes(),
    ...customerRoutes(deps),
    ...customFieldRoutes(deps),
    ...assetRoutes(deps),
    ...rentalRoutes(deps),
    ...isoRoutes(deps),
  ];
}
