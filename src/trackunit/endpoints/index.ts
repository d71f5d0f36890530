/**
 * The typed endpoint modules, one per Trackunit API, and the probes `tug doctor` runs against them.
 */
import { assetsProbe } from './assets.js';
import type { EndpointProbe } from './common.js';
import { customFieldsProbe } from './custom-fields.js';
import { customersProbe } from './customers.js';
import { isoProbe } from './iso.js';
import { rentalProbe } from './rental.js';
import { sitesProbe } from './sites.js';

export const ENDPOINT_PROBES: EndpointProbe[] = [sitesProbe, customersProbe, customFieldsProbe, assetsProbe, rentalProbe, isoProbe];

export { sitesApi } from './sites.js';
export { customersApi } from './customers.js';
export { customFieldsApi } from './custom-fields.js';
export { assetsApi } from './assets.js';
export { rentalApi } from './rental.js';
export { isoApi } from './iso.js';
