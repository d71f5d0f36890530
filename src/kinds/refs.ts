/**
 * Resolving references between objects: a Depot key to its site id (or to the site this plan creates),
 * an asset reference (assetId, serialNumber, pin, externalReference) to the live asset, a Customer
 * reference to the live customer. Built once per plan from both states.
 */
import { matchSerial } from './asset/identity.js';
import type { AssetRef } from './asset/manifest.js';
import { resolveAssetManifests, type AssetResolution, type AssetResolutions } from './asset/resolve.js';
import type { Asset } from '../trackunit/endpoints/assets.js';
import type { Customer } from '../trackunit/endpoints/customers.js';
import type { Site } from '../trackunit/endpoints/sites.js';
import { depotKeyOf } from './ownership.js';
import type { IdRef } from '../core/plan.js';
import { desiredOfKind, type DesiredState, type LiveState } from '../core/state.js';

export type { AssetResolution } from './asset/resolve.js';

export interface Refs {
  /** The live site of a Depot key: bound by its marker, or adopted by the key's manifest (`adopt.siteId`). */
  site(key: string): Site | undefined;
  /** The Depot key a live site belongs to: its marker's, or that of the manifest adopting it. */
  depotKey(site: Site): string | undefined;
  /** Sites a manifest adopts (not bound yet): site id → Depot key. */
  adoptedSites(): ReadonlyMap<string, string>;
  /** The site id of a Depot key: live id, or a reference to the site created earlier in the same apply. */
  depotId(key: string): string | IdRef;
  customer(externalReference: string): Customer | undefined;
  /** The live asset an asset reference names. */
  asset(ref: AssetRef): AssetResolution;
  /** Every Asset manifest resolved to its live asset, once per plan (the Asset and Contract planners and the telematics read share it). */
  assetManifests(): AssetResolutions;
}


/**
 * Binds to their keys the sites Depot manifests adopt (`adopt.siteId`): an existing DEPOT site without
 * tug's marker, once, for a key no site is bound to yet. Anything else is left unbound here; the Depot
 * planner says why (src/kinds/depot/plan.ts).
 */
function adoptSites(desired: DesiredState, live: LiveState, sites: Map<string, Site>): Map<string, string> {
  const adopted = new Map<string, string>();
  const byId = new Map(live.sites.map((s) => [s.id, s]));
  for (const doc of desiredOfKind(desired, 'Depot')) {
    const site = byId.get(doc.manifest.adopt?.siteId ?? '');
    if (!site || sites.has(doc.identity) || site.type !== 'DEPOT' || depotKeyOf(site) !== undefined || adopted.has(site.id)) continue;
    adopted.set(site.id, doc.identity);
    sites.set(doc.identity, site);
  }
  return adopted;
}

export function createRefs(desired: DesiredState, live: LiveState): Refs {
  const sites = new Map<string, Site>();
  for (const site of live.sites) {
    const key = depotKeyOf(site);
    if (key !== undefined && !sites.has(key)) sites.set(key, site);
  }
  const adopted = adoptSites(desired, live, sites);
  const customers = new Map(live.customers.filter((c) => c.externalReference).map((c) => [c.externalReference as string, c]));
  const byId = new Map(live.assets.map((a) => [a.id, a]));
  const bySerial = new Map<string, Asset[]>();
  for (const asset of live.assets) {
    if (!asset.serialNumber) continue;
    const key = matchSerial(asset.serialNumber);
    bySerial.set(key, [...(bySerial.get(key) ?? []), asset]);
  }
  const byReference = new Map(live.assets.filter((a) => a.externalReference).map((a) => [a.externalReference as string, a]));

  const resolveDirect = (ref: AssetRef): AssetResolution | undefined => {
    if (ref.assetId !== undefined) {
      const asset = byId.get(ref.assetId);
      return asset ? { asset } : { problem: `no asset with id ${ref.assetId}` };
    }
    if (ref.serialNumber !== undefined) {
      const found = bySerial.get(matchSerial(ref.serialNumber)) ?? [];
      if (found.length === 1) return { asset: found[0]! };
      return { problem: found.length === 0 ? `no asset with serial number ${ref.serialNumber}` : `${found.length} assets have serial number ${ref.serialNumber}` };
    }
    if (ref.pin !== undefined) {
      const pin = live.pins[ref.pin];
      if (!pin || pin.match === 'none') return { problem: `PIN ${ref.pin} is not in the ISO 15143-3 fleet snapshot` };
      if (pin.match === 'ambiguous') return { problem: `PIN ${ref.pin} matches several assets in the ISO 15143-3 snapshot: ${pin.candidates.join(', ')}` };
      if (pin.assetId && byId.has(pin.assetId)) return { asset: byId.get(pin.assetId)! };
      if (pin.serialNumber) return resolveDirect({ serialNumber: pin.serialNumber });
      return { problem: `PIN ${ref.pin} resolved to no asset visible through the Assets API` };
    }
    return undefined;
  };

  // An Asset manifest may set the externalReference items use: resolve through its own identity.
  const manifestReferences = new Map<string, AssetRef>();
  for (const doc of desiredOfKind(desired, 'Asset')) {
    const m = doc.manifest;
    if (m.externalReference !== undefined && (m.assetId ?? m.serialNumber ?? m.pin) !== undefined) manifestReferences.set(m.externalReference, m);
  }

  let resolved: AssetResolutions | undefined;
  const refs: Refs = {
    site: (key) => sites.get(key),
    depotKey: (site) => depotKeyOf(site) ?? adopted.get(site.id),
    adoptedSites: () => adopted,
    depotId: (key) => sites.get(key)?.id ?? { $ref: `Depot/${key}` },
    customer: (ref) => customers.get(ref),
    asset: (ref) => {
      const direct = resolveDirect(ref);
      if (direct) return direct;
      const reference = ref.externalReference ?? '';
      const viaManifest = manifestReferences.get(reference);
      if (viaManifest) return resolveDirect(viaManifest) ?? { problem: `cannot resolve asset ${reference}` };
      const asset = byReference.get(reference);
      return asset ? { asset } : { problem: `no asset with externalReference ${reference}` };
    },
    assetManifests: () => (resolved ??= resolveAssetManifests(desired, live, refs.asset)),
  };
  return refs;
}
