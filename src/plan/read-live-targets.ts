/**
 * Which per-object reads a plan needs, decided from the manifests and the listed live objects. The
 * Trackunit APIs list sites, customers, definitions, assets and contracts, but have no list form for
 * contract items (one contract at a time), custom field values (one entity at a time) or contacts (one
 * customer at a time) — so those are read only where a manifest can make a difference:
 *
 * - contract items: live contracts whose externalReference a Contract manifest names (an unmanaged
 *   contract is only reported, never compared, so its items are not needed);
 * - custom field values: live objects whose manifest sets `customFields` (only the keys a manifest
 *   mentions are compared, so other objects' values never matter);
 * - contacts: live customers whose manifest lists `contacts` (even an empty list: it removes them);
 * - the `tugManaged` marker, only when Customer is pruned and the marker definition exists (without it
 *   no customer can carry a marker): for live customers with an externalReference that no manifest
 *   names (prune candidates), and — as part of their values — for every customer a manifest names,
 *   because the customer planner then wants the marker on each of them and must see whether it is
 *   there already (not reading it would plan the same set-values on every run: a perpetual diff).
 *
 * Pure: the same inputs always select the same reads, in live-list order.
 */
import type { KindName } from '../config/project.js';
import { CUSTOMER_MARKER_KEY, depotKeyOf } from '../core/ownership.js';
import { createRefs } from '../core/refs.js';
import { desiredOfKind, type DesiredState, type LiveState } from '../core/state.js';
import type { EntityType } from '../trackunit/endpoints/custom-fields.js';

export interface ValuesRead {
  entityId: string;
  entityType: EntityType;
}

export interface PerObjectReads {
  /** Contract ids whose items to read. */
  contractItems: string[];
  /** Entities whose custom field values to read. */
  values: ValuesRead[];
  /** Customer ids whose contacts to read. */
  contacts: string[];
  /** Customer ids whose `tugManaged` marker to read (prune candidates). */
  markers: string[];
}

const setsFields = (customFields: Record<string, unknown> | undefined) => customFields !== undefined && Object.keys(customFields).length > 0;

/** The live object ids (in live order) whose manifests satisfy `wanted`, keyed by `keyOf`. */
function pick<T extends { id: string }>(live: T[], keyOf: (item: T) => string | null | undefined, wanted: Set<string>): string[] {
  const seen = new Set<string>();
  const ids: string[] = [];
  for (const item of live) {
    const key = keyOf(item);
    if (key == null || !wanted.has(key) || seen.has(key)) continue;
    // The first live object per identity, as createRefs matches it.
    seen.add(key);
    ids.push(item.id);
  }
  return ids;
}

/** Customer is pruned and the marker definition exists: customers' markers matter (ownership.ts). */
function marking(live: LiveState, prune: KindName[]): boolean {
  return prune.includes('Customer') && live.definitions.some((d) => d.key === CUSTOMER_MARKER_KEY && d.entityType === 'CUSTOMER');
}

function valueReads(desired: DesiredState, live: LiveState, prune: KindName[]): ValuesRead[] {
  const depots = new Set(desiredOfKind(desired, 'Depot').filter((d) => setsFields(d.manifest.customFields)).map((d) => d.identity));
  const withMarker = marking(live, prune);
  const customers = new Set(desiredOfKind(desired, 'Customer').filter((d) => withMarker || setsFields(d.manifest.customFields)).map((d) => d.identity));
  const contracts = new Set(desiredOfKind(desired, 'Contract').filter((d) => setsFields(d.manifest.customFields)).map((d) => d.identity));
  const refs = createRefs(desired, live);
  const assetIds = new Set<string>();
  for (const doc of desiredOfKind(desired, 'Asset')) {
    if (!setsFields(doc.manifest.customFields)) continue;
    const resolved = refs.asset(doc.manifest);
    if ('asset' in resolved) assetIds.add(resolved.asset.id);
  }
  const reads = (entityType: EntityType) => (entityId: string) => ({ entityId, entityType });
  return [
    ...pick(live.sites, depotKeyOf, depots).map(reads('SITE')),
    ...pick(live.customers, (c) => c.externalReference, customers).map(reads('CUSTOMER')),
    ...live.assets.filter((a) => assetIds.has(a.id)).map((a) => a.id).map(reads('ASSET')),
    ...pick(live.contracts, (c) => c.externalReference, contracts).map(reads('RENTAL_CONTRACT')),
  ];
}

function markerReads(desired: DesiredState, live: LiveState, prune: KindName[]): string[] {
  if (!marking(live, prune)) return [];
  const named = new Set(desiredOfKind(desired, 'Customer').map((d) => d.identity));
  // A customer without an externalReference can never carry a valid marker (ownership.ts): no read.
  return live.customers.filter((c) => c.externalReference !== null && c.externalReference !== '' && !named.has(c.externalReference)).map((c) => c.id);
}

/** `live` holds the five lists (and the resolved PINs); the per-object parts are ignored. */
export function perObjectReads(desired: DesiredState, live: LiveState, prune: KindName[]): PerObjectReads {
  const contractRefs = new Set(desiredOfKind(desired, 'Contract').map((d) => d.identity));
  const withContacts = new Set(desiredOfKind(desired, 'Customer').filter((d) => d.manifest.contacts !== undefined).map((d) => d.identity));
  return {
    contractItems: pick(live.contracts, (c) => c.externalReference, contractRefs),
    values: valueReads(desired, live, prune),
    contacts: pick(live.customers, (c) => c.externalReference, withContacts),
    markers: markerReads(desired, live, prune),
  };
}
