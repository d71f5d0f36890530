/**
 * Assets API v1 (../shared/trackunit-api/assets.md) — the one place in the client where its paths and
 * request/response shapes live. tug reads assets and sets their ERP fields; it never onboards or
 * offboards (those operations are left out on purpose).
 * [documented]: the /asset/v1/assets list and update paths, MACHINE as a type, externalReference being set
 * through "update asset" (ERP guide). [assumed]: the single-asset path ([observed-3p]), every body shape
 * (the OpenAPI file could not be read), the other type wire values, the list filters (`type`,
 * `serialNumber`, `externalReference`, `ids`), 403 when patching an asset shared in from another account.
 * [assumed] `rentalStatus` and `owningDepotId`: the sandbox serves them as a read-back of the Rental API's
 * synchronization; no Trackunit text shows them on an asset, so the types and `assetSchema` let them be
 * absent or null and nothing may depend on them against the real API.
 */
import type { TrackunitClient } from '../client.js';
import { findExact, listAll } from '../paginate.js';
import { s, type Schema } from '../shapes.js';
import type { EndpointProbe } from './common.js';

export const ASSETS_PATH = '/api/asset/v1/assets';

/** Documented display names (MACHINE spelled out); other wire values [assumed]. Unknown values tolerated. */
export type AssetType = 'MACHINE' | 'VEHICLE' | 'GATEWAY' | 'EQUIPMENT' | 'TOOL' | 'ATTACHMENT' | 'OTHER' | (string & {});

export interface TelematicsDevice {
  id: string;
  serialNumber: string;
}

export interface Asset {
  id: string;
  name: string;
  type: AssetType;
  brand: string | null;
  model: string | null;
  /** PIN/VIN; users can edit it, so it is neither guaranteed present nor unique. */
  serialNumber: string | null;
  productionYear: number | null;
  externalReference: string | null;
  telematicsDevices: TelematicsDevice[];
  /** Another account's id for an asset shared in (visible, not owned, not updatable). */
  ownerAccountId?: string;
  /** [assumed] sandbox-only read-back of rental synchronization; may be absent on the real API. */
  rentalStatus?: string | null;
  /** [assumed] sandbox-only read-back of rental synchronization; may be absent on the real API. */
  owningDepotId?: string | null;
  createdAt?: string;
  updatedAt?: string;
}

/** PATCH body: any subset; `null` clears an optional field (name and type cannot be cleared). */
export interface AssetPatch {
  name?: string;
  type?: AssetType;
  brand?: string | null;
  model?: string | null;
  serialNumber?: string | null;
  productionYear?: number | null;
  externalReference?: string | null;
}

export interface AssetFilter {
  type?: AssetType | AssetType[];
  /** Exact match. */
  serialNumber?: string;
  /** Exact match. */
  externalReference?: string;
  /** Only these assets; an empty list asks for none (no request is made). */
  ids?: string[];
}

export const assetSchema: Schema = s.object(
  {
    id: s.uuid,
    name: s.string,
    type: s.string,
    brand: s.nullableString,
    model: s.nullableString,
    serialNumber: s.nullableString,
    productionYear: s.nullableNumber,
    externalReference: s.nullableString,
    telematicsDevices: s.array(s.object({ id: s.string, serialNumber: s.string }, ['serialNumber'])),
    ownerAccountId: s.string,
    // [assumed] sandbox read-backs: typed when present, never required.
    rentalStatus: s.nullableString,
    owningDepotId: s.nullableUuid,
  },
  ['id', 'name', 'type'],
);

/** Ids per list request, so a long `ids` filter stays far below URL length limits (~3.7 KB of ids). */
const IDS_PER_REQUEST = 100;

const assetPath = (id: string) => `${ASSETS_PATH}/${encodeURIComponent(id)}`;

function listAssets(client: TrackunitClient, filter: AssetFilter): Promise<Asset[]> {
  const query = { type: filter.type, serialNumber: filter.serialNumber, externalReference: filter.externalReference };
  if (filter.ids === undefined) return listAll<Asset>(client, { family: 'assets', path: ASSETS_PATH, query });
  const chunks: string[][] = [];
  for (let i = 0; i < filter.ids.length; i += IDS_PER_REQUEST) chunks.push(filter.ids.slice(i, i + IDS_PER_REQUEST));
  return Promise.all(chunks.map((ids) => listAll<Asset>(client, { family: 'assets', path: ASSETS_PATH, query: { ...query, ids } }))).then((parts) =>
    parts.flat(),
  );
}

/**
 * Assets whose `field` equals `value` exactly: one GET with that filter. Should a server ignore the
 * (assumed) filter, the page holds other assets; then every asset is read and matched here, rather than
 * answering a false "not found".
 */
export function assetsApi(client: TrackunitClient) {
  return {
    /** Every visible asset (owned and shared in; all pages), optionally filtered. */
    list: (filter: AssetFilter = {}) => listAssets(client, filter),
    get: async (id: string) => (await client.request<Asset>({ family: 'assets', method: 'GET', path: assetPath(id) })).body,
    /** Partial update; 403 for an asset shared in from another account [assumed]. */
    update: async (id: string, patch: AssetPatch) =>
      (await client.request<Asset>({ family: 'assets', method: 'PATCH', path: assetPath(id), body: patch })).body,
    /** externalReference is unique per account [assumed], so at most one asset. */
    findByExternalReference: async (ref: string): Promise<Asset | undefined> => (await findExact<Asset>(client, { family: 'assets', path: ASSETS_PATH }, 'externalReference', ref))[0],
    /** Every asset with this exact serial number: serials are user-editable and not guaranteed unique. */
    findBySerialNumber: (serialNumber: string): Promise<Asset[]> => findExact<Asset>(client, { family: 'assets', path: ASSETS_PATH }, 'serialNumber', serialNumber),
  };
}

export type AssetsApi = ReturnType<typeof assetsApi>;

/** `tug doctor`: one harmless read and the shape it must have. */
export const assetsProbe: EndpointProbe = {
  api: 'Assets',
  family: 'assets',
  entitlement: 'any account',
  read: async (client) => (await client.request({ family: 'assets', method: 'GET', path: ASSETS_PATH, query: { size: 5 } })).body,
  schema: s.page(assetSchema),
};
