/** Customer manifests need no check beyond their schema and the checks across kinds. */
import type { Check } from '../../manifests/checks/index.js';

export const checks: Check[] = [];
