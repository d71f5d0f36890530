import type { Address, CustomFieldValues, DocumentBase, Polygon } from '../common.js';

/** `kind: Depot` — a Trackunit site of type DEPOT, identity `key` (bound to one live site). */
export interface DepotManifest extends DocumentBase {
  kind: 'Depot';
  /** Stable manifest id, used by references (`owningDepot: aarhus`); renaming the depot keeps it. */
  key: string;
  name: string;
  description?: string;
  address?: Address;
  area?: Polygon;
  customFields?: CustomFieldValues;
  /** An existing, unmanaged DEPOT site to bind to this key (written by `tug export`); see ownership.ts. */
  adopt?: { siteId: string };
}
