/**
 * Assets API v1 (../shared/trackunit-api/assets.md) — the one place in the client where its paths and
 * request/response shapes live. tug reads assets and sets their ERP fields; it never onboards or
 * offboards (those operations are left out on purpose).
 * [documented]: the /asset/v1/assets list and update paths, MACHINE as a category, externalReference being
 * set through "update asset" (ERP guide).
 * [documented] the Asset object, from the example response of `GET /api/asset/v1beta1/assets`
 * (evidence/asset-list-example.v1beta1.json): the category enum is `assetType`; `type` is free text
 * ("AWP/Scissor lift"), never a category; an unset `externalReference` is `""` (read here as null, see
 * `fromWire`); `createdAt` may be null; `ownerAccountId` is on every asset; `permissions: {edit}`;
 * `telematicsDevices: [{id}]`. That v1 serves the v1beta1 object is [assumed].
 * [assumed]: the single-asset path ([observed-3p]), every request body (the OpenAPI file could not be
 * read), the category wire values other than MACHINE, a telematics device's `serialNumber`, the list
 * filters (`assetType`, `serialNumber`, `externalReference`, `ids`), 403 when patching an asset shared in
 * from another account.
 * [assumed] `rentalStatus` and `owningDepotId`: the sandbox serves them as a read-back of the Rental API's
 * synchronization; no Trackunit text shows them on an asset, so the types and `assetSchema` let them be
 * absent or null and nothing may depend on them against the real API.
 */
import type { Json } from '../../core/canonical.js';
import type { PlannedRequest } from '../../core/plan.js';
import type { TrackunitClient } from '../client.js';
import { findExact, listAll } from '../paginate.js';
import { s, type Schema } from '../shapes.js';
import type { EndpointProbe } from './common.js';

export const ASSETS_PATH = '/api/asset/v1/assets';

/**
 * The category, wire field `assetType` [documented: asset-list-example.v1beta1.json shows "MACHINE"];
 * the other wire values are [assumed] from the documented display names. Unknown values tolerated.
 */
export type AssetCategory = 'MACHINE' | 'VEHICLE' | 'GATEWAY' | 'EQUIPMENT' | 'TOOL' | 'ATTACHMENT' | 'OTHER' | (string & {});

export interface TelematicsDevice {
  id: string;
  /** [assumed] not in the documented example, which shows only `id`. */
  serialNumber?: string;
}

export interface Asset {
  id: string;
  name: string;
  /** The category [documented: asset-list-example.v1beta1.json]. */
  assetType: AssetCategory;
  /** Free text such as "AWP/Scissor lift" [documented: asset-list-example.v1beta1.json]; null when unset [assumed]. */
  type: string | null;
  brand: string | null;
  model: string | null;
  /** PIN/VIN; users can edit it, so it is neither guaranteed present nor unique. */
  serialNumber: string | null;
  productionYear: number | null;
  /** Null when unset: the wire's `""` [documented] is read as null, so "" and none plan alike. */
  externalReference: string | null;
  telematicsDevices: TelematicsDevice[];
  /** On every asset [documented]; another account's id for an asset shared in (visible, not owned, not updatable). */
  ownerAccountId: string;
  /** [documented: asset-list-example.v1beta1.json] shape only; what `edit` means exactly is not stated, so tug does not act on it. */
  permissions?: { edit: boolean };
  /** [assumed] sandbox-only read-back of rental synchronization; may be absent on the real API. */
  rentalStatus?: string | null;
  /** [assumed] sandbox-only read-back of rental synchronization; may be absent on the real API. */
  owningDepotId?: string | null;
  /** May be null [documented: asset-list-example.v1beta1.json]. */
  createdAt?: string | null;
  updatedAt?: string;
}

/** PATCH body [assumed]: any subset; `null` clears an optional field (name cannot be cleared). */
export interface AssetPatch {
  name?: string;
  /** The free-text type. */
  type?: string | null;
  brand?: string | null;
  model?: string | null;
  serialNumber?: string | null;
  productionYear?: number | null;
  externalReference?: string | null;
}

export interface AssetFilter {
  /** Categories [assumed filter name, after the documented field]. */
  assetType?: AssetCategory | AssetCategory[];
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
    assetType: s.string,
    type: s.nullableString,
    name: s.string,
    brand: s.nullableString,
    model: s.nullableString,
    serialNumber: s.nullableString,
    productionYear: s.nullableNumber,
    externalReference: s.nullableString,
    ownerAccountId: s.string,
    createdAt: s.nullableDateTime,
    permissions: s.object({ edit: s.boolean }),
    telematicsDevices: s.array(s.object({ id: s.string, serialNumber: s.string }, ['id'])),
    // [assumed] sandbox read-backs: typed when present, never required.
    rentalStatus: s.nullableString,
    owningDepotId: s.nullableUuid,
  },
  // What the client relies on; everything else is typed when present.
  ['id', 'name', 'assetType', 'externalReference', 'ownerAccountId'],
);

/**
 * An asset as tug uses it: the documented "unset" form of `externalReference` (`""`) becomes null, so an
 * asset without an ERP number is one thing however the server spells it (no perpetual diff on "" vs none).
 */
export function fromWire(asset: Asset): Asset {
  return asset.externalReference === '' ? { ...asset, externalReference: null } : asset;
}

const fromWireAll = (assets: Asset[]): Asset[] => assets.map(fromWire);

/** Ids per list request, so a long `ids` filter stays far below URL length limits (~3.7 KB of ids). */
const IDS_PER_REQUEST = 100;

const assetPath = (id: string) => `${ASSETS_PATH}/${encodeURIComponent(id)}`;

function listAssets(client: TrackunitClient, filter: AssetFilter): Promise<Asset[]> {
  const query = { assetType: filter.assetType, serialNumber: filter.serialNumber, externalReference: filter.externalReference };
  if (filter.ids === undefined) return listAll<Asset>(client, { family: 'assets', path: ASSETS_PATH, query });
  const chunks: string[][] = [];
  for (let i = 0; i < filter.ids.length; i += IDS_PER_REQUEST) chunks.push(filter.ids.slice(i, i + IDS_PER_REQUEST));
  return Promise.all(chunks.map((ids) => listAll<Asset>(client, { family: 'assets', path: ASSETS_PATH, query: { ...query, ids } }))).then((parts) =>
    parts.flat(),
  );
}

/** The Assets API's writes, as data: apply sends them (src/apply/execute-change.ts). */
export const assetWrites = {
  /** Partial update; 403 for an asset shared in from another account [assumed]. */
  update: (id: string, patch: Json): PlannedRequest => ({ family: 'assets', method: 'PATCH', path: assetPath(id), body: patch, idempotent: true }),
};

export function assetsApi(client: TrackunitClient) {
  return {
    /** Every visible asset (owned and shared in; all pages), optionally filtered. */
    list: async (filter: AssetFilter = {}) => fromWireAll(await listAssets(client, filter)),
    get: async (id: string) => fromWire((await client.request<Asset>({ family: 'assets', method: 'GET', path: assetPath(id) })).body),
    /** externalReference is unique per account [assumed], so at most one asset. */
    findByExternalReference: async (ref: string): Promise<Asset | undefined> =>
      fromWireAll(await findExact<Asset>(client, { family: 'assets', path: ASSETS_PATH }, 'externalReference', ref))[0],
    /** Every asset with this exact serial number: serials are user-editable and not guaranteed unique. */
    findBySerialNumber: async (serialNumber: string): Promise<Asset[]> =>
      fromWireAll(await findExact<Asset>(client, { family: 'assets', path: ASSETS_PATH }, 'serialNumber', serialNumber)),
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
