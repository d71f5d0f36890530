/** Customer manifests need no check of their own beyond their schema; the checks across kinds read their identity. */
import type { Check } from '../../manifests/checks/index.js';
import type { IdentityValue } from '../../manifests/checks/identity-spelling.js';
import type { CustomerManifest } from './manifest.js';

export const checks: Check[] = [];

export function identityValues(manifest: CustomerManifest): IdentityValue[] {
  return [{ path: ['externalReference'], value: manifest.externalReference, space: 'Customer externalReference' }];
}
