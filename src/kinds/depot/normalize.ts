/**
 * The comparable form of a depot, built the same way from a manifest and from a live site: name, type
 * DEPOT, description (null when none), address with all four parts, area (GeoJSON polygon or null) and
 * the binding externalReference. The server-derived `status`, start/end dates and timestamps are never
 * compared.
 *
 * The address is compared only when the manifest gives one: for a depot drawn as a polygon alone,
 * Trackunit derives an address from the polygon, and comparing it against "no address" would plan a
 * change on every run that the server undoes.
 */
import { canonicalize } from '../../core/canonical.js';
import { depotExternalReference } from '../ownership.js';
import type { Site } from '../../trackunit/endpoints/sites.js';
import { normalizeAddress, textOrNull, type JsonObject } from '../plan-helpers.js';
import type { DepotManifest } from './manifest.js';

/** Site fields tug manages (custom field values are compared separately). */
export const SITE_FIELDS = ['name', 'type', 'description', 'address', 'area', 'externalReference'] as const;

export function normalizeDesiredDepot(m: DepotManifest): JsonObject {
  const out: JsonObject = {
    name: m.name,
    type: 'DEPOT',
    description: textOrNull(m.description),
    area: m.area ? canonicalize({ type: m.area.type, coordinates: m.area.coordinates }) : null,
    externalReference: depotExternalReference(m.key),
  };
  if (m.address) out.address = normalizeAddress(m.address);
  return out;
}

/** `withAddress`: whether the address is managed (the manifest gives one; always for deletes). */
export function normalizeLiveDepot(site: Site, withAddress: boolean): JsonObject {
  const out: JsonObject = {
    name: site.name,
    type: site.type,
    description: textOrNull(site.description),
    area: site.area ? canonicalize({ type: site.area.type, coordinates: site.area.coordinates }) : null,
    externalReference: site.externalReference,
  };
  if (withAddress) out.address = normalizeAddress(site.address);
  return out;
}

/** The label of a live site no manifest describes. */
export function siteLabel(site: Site): string {
  return `${site.name} (${site.type})`;
}
