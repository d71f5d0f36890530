/** Customer manifests need no check of their own beyond their schema; the checks across kinds read their identity. */

import type { CustomerManifest } from './manifest.js';
import type { Check, IdentityValue } from '../../manifests/checks/hooks.js';

export const checks: Check[] = [];

export function identityValues(manifest: CustomerManifest): IdentityValue[] {
  return [{ path: ['externalReference'], value: manifest.externalReference, space: 'Customer externalReference' }];
}
