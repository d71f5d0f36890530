/**
 * Sites API (../shared/trackunit-api/sites.md) — the one place in the client where its paths and
 * request/response shapes live. [assumed]: the /api/site/v1 prefix and every body shape (the OpenAPI
 * file could not be read); `siteSchema` states what the client relies on and `tug doctor` checks it.
 */
import type { Json } from '../../core/canonical.js';
import type { PlannedRequest } from '../../core/plan.js';
import type { TrackunitClient } from '../client.js';
import { listAll } from '../paginate.js';
import { s, type Schema } from '../shapes.js';
import type { Address, EndpointProbe } from './common.js';
import { addressSchema } from './common.js';

export const SITES_PATH = '/api/site/v1/sites';

/** Documented display names; wire values [assumed]. Unknown values from the server are tolerated. */
export type SiteType = 'CONSTRUCTION_SITE' | 'DEPOT' | 'WORKPLACE' | 'AREA' | 'CLASSIC_POINT' | 'CLASSIC_ZONE' | (string & {});

export interface Polygon {
  type: 'Polygon';
  coordinates: number[][][];
}

export interface Site {
  id: string;
  name: string;
  type: SiteType;
  /** Derived by the server from start/end dates; only ARCHIVED can be written. */
  status: string;
  description: string | null;
  externalReference: string | null;
  startDate: string | null;
  endDate: string | null;
  address: Address | null;
  area: Polygon | null;
  createdAt?: string;
  updatedAt?: string;
}

export interface SiteInput {
  name?: string;
  type?: SiteType;
  status?: 'ARCHIVED';
  description?: string | null;
  externalReference?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  address?: Address | null;
  area?: Polygon | null;
  suggestionId?: string;
}

export const siteSchema: Schema = s.object(
  {
    id: s.uuid,
    name: s.string,
    type: s.string,
    status: s.string,
    description: s.nullableString,
    externalReference: s.nullableString,
    startDate: s.nullableDateTime,
    endDate: s.nullableDateTime,
    address: s.nullable(addressSchema),
    area: s.nullable(s.object({ type: s.string, coordinates: s.array(s.array(s.array(s.number))) })),
  },
  ['id', 'name', 'type', 'status'],
);

export interface SiteFilter {
  type?: SiteType[];
  externalReference?: string;
}

const sitePath = (id: string) => `${SITES_PATH}/${encodeURIComponent(id)}`;

/** The Sites API's writes, as data: apply sends them (src/apply/execute-change.ts). */
export const siteWrites = {
  /** Not idempotent: apply finds what an ambiguous create made by its externalReference. */
  create: (body: Json): PlannedRequest => ({ family: 'sites', method: 'POST', path: SITES_PATH, body, idempotent: false }),
  update: (id: string, patch: Json): PlannedRequest => ({ family: 'sites', method: 'PATCH', path: sitePath(id), body: patch, idempotent: true }),
  remove: (id: string): PlannedRequest => ({ family: 'sites', method: 'DELETE', path: sitePath(id), idempotent: true }),
};

export function sitesApi(client: TrackunitClient) {
  return {
    /** Every site (all pages, page size 1000), optionally filtered by type. */
    list: (filter: SiteFilter = {}) =>
      listAll<Site>(client, { family: 'sites', path: SITES_PATH, query: { type: filter.type, externalReference: filter.externalReference } }),
    get: async (id: string) => (await client.request<Site>({ family: 'sites', method: 'GET', path: `${SITES_PATH}/${encodeURIComponent(id)}` })).body,
  };
}

/** `tug doctor`: one harmless read and the shape it must have. */
export const sitesProbe: EndpointProbe = {
  api: 'Sites',
  family: 'sites',
  entitlement: 'any account',
  read: async (client) => (await client.request({ family: 'sites', method: 'GET', path: SITES_PATH, query: { size: 5 } })).body,
  schema: s.page(siteSchema),
};
