/**
 * Which live objects tug manages. The marker always names the object's own identity, and lives where
 * the identity is unique per account, so it cannot be copied onto a foreign object by accident: a copy
 * on another object names an identity that object does not have, and does not count.
 *
 * - Depot: the site's externalReference is `tug:depot/<key>` (externalReference is unique per account,
 *   so two sites cannot carry the same one). Renaming a depot keeps its key: an update, never a
 *   delete-and-create. Sites without the prefix (made by hand) are unmanaged unless a manifest adopts them.
 * - Customer: a hidden custom field `tugManaged` (CUSTOMER, not visible or editable in Manager) holding
 *   `tug/v1 Customer/<externalReference>`; only when Customer prune is on, it is written when tug creates
 *   or adopts the customer and read for the account's customers (to adopt, and to find prune candidates).
 * - CustomFieldDefinition, Asset, Contract: never deleted (definitions hold data; the Assets and Rental
 *   APIs cannot delete assets or contracts). Live ones no manifest describes are reported, not changed.
 */
import type { Site } from '../trackunit/endpoints/sites.js';

export const DEPOT_REFERENCE_PREFIX = 'tug:depot/';
export const CUSTOMER_MARKER_KEY = 'tugManaged';

export function depotExternalReference(key: string): string {
  return `${DEPOT_REFERENCE_PREFIX}${key}`;
}

/** The Depot key a live site is bound to, if tug manages it. */
export function depotKeyOf(site: Site): string | undefined {
  const ref = site.externalReference;
  if (site.type !== 'DEPOT' || !ref?.startsWith(DEPOT_REFERENCE_PREFIX)) return undefined;
  return ref.slice(DEPOT_REFERENCE_PREFIX.length);
}

export function customerMarker(externalReference: string): string {
  return `tug/v1 Customer/${externalReference}`;
}

/** A customer is managed when its marker names its own externalReference. */
export function isManagedCustomer(externalReference: string | null, marker: string | null | undefined): boolean {
  return externalReference !== null && marker === customerMarker(externalReference);
}

/** The hidden definition holding customer markers (created by tug when Customer prune is enabled). */
export const CUSTOMER_MARKER_DEFINITION = {
  key: CUSTOMER_MARKER_KEY,
  entityType: 'CUSTOMER',
  type: 'STRING',
  title: 'Managed by tug',
  description: 'Written by trackunit-gitops; do not edit.',
  uiVisible: false,
  uiEditable: false,
} as const;
