/**
 * The two sides a plan compares, as plain data. The I/O layer (src/plan/) fills them: DesiredState from
 * validated manifests, LiveState from the Trackunit API. Nothing here reads files or the network.
 */
import type { KindName } from '../config/project.js';
import type { Manifest, ManifestOf } from '../kinds/registry.js';
import type { Asset } from '../trackunit/endpoints/assets.js';
import type { Definition, EntityField } from '../trackunit/endpoints/custom-fields.js';
import type { Customer, CustomerContact } from '../trackunit/endpoints/customers.js';
import type { Contract, ContractItem } from '../trackunit/endpoints/rental.js';
import type { Site } from '../trackunit/endpoints/sites.js';

/** One desired object: the manifest and where it is written. */
export interface DesiredObject<M extends Manifest = Manifest> {
  manifest: M;
  identity: string;
  /** `file:line` of the document (its first key). */
  location: string;
  /** `file:line:col` of a path inside the document (for problems about one field). */
  locate(path: Array<string | number>): string;
}

export interface DesiredState {
  objects: DesiredObject[];
}

export function desiredOfKind<K extends KindName>(desired: DesiredState, kind: K): Array<DesiredObject<ManifestOf<K>>> {
  return desired.objects.filter((o): o is DesiredObject<ManifestOf<K>> => o.manifest.kind === kind);
}

/** What the ISO 15143-3 snapshot says about a PIN (resolved by the I/O layer before planning). */
export type PinResolution = { match: 'unique'; assetId?: string; serialNumber?: string } | { match: 'ambiguous'; candidates: string[] } | { match: 'none' };

/** Latest telematics of an asset from the ISO 15143-3 snapshot (what the rental desk needs at off-rent). */
export interface AssetTelemetry {
  hours?: number;
  hoursAt?: string;
  latitude?: number;
  longitude?: number;
  locationAt?: string;
}

export interface LiveState {
  sites: Site[];
  customers: Customer[];
  definitions: Definition[];
  assets: Asset[];
  contracts: Contract[];
  /** Items of the live contracts a manifest names (read per contract: the API has no other list form). */
  contractItems: ContractItem[];
  /** Custom field values per entity id — read only for entities whose manifests set custom fields. */
  values: Record<string, EntityField[]>;
  /** Contacts per customer id — read only for customers whose manifests list contacts. */
  contacts: Record<string, CustomerContact[]>;
  /** Hidden managed-by-tug marker per customer id (read only when Customer prune is on). */
  customerMarkers: Record<string, string | null>;
  /** PIN → resolution, for every `pin:` identifier in the manifests. */
  pins: Record<string, PinResolution>;
  /** Telematics per asset id — read (cached snapshot) only when a plan changes some asset's rental status. */
  telemetry: Record<string, AssetTelemetry>;
}

export function emptyLiveState(): LiveState {
  return { sites: [], customers: [], definitions: [], assets: [], contracts: [], contractItems: [], values: {}, contacts: {}, customerMarkers: {}, pins: {}, telemetry: {} };
}
