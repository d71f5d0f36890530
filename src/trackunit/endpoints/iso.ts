/**
 * Export ISO 15143-3 (AEMP 2.0) API (../shared/trackunit-api/iso-export.md) — the one place in the client
 * where its paths and response shapes live. Transport level only: pages and elements come back in the
 * normalised form of iso-parse.ts (JSON and XML alike); typed per-asset records are built elsewhere.
 *
 * [documented] base path and `GET /Fleet/{pageNumber}` (first page 1, 100 equipment per page, Links with
 *   rel self/prev/next/last), XML by default and JSON for `Accept: application/json`, the
 *   `addMetadata=true` / `addExtendedData=true` flags, snapshot endpoints available to every customer.
 * [assumed] the single-element path `/Fleet/Equipment/ID/{identifier}` ([observed-3p]) and its 404 for an
 *   unknown identifier; the JSON shape (iso-fleet-sample.json); that Links may be absent on a
 *   single-element response.
 * [observed-3p] in JSON the metadata block is `metadata` with the asset id as `assetId` (a client written
 *   from the official aemp-iso-api.json matches on it, evidence/README.md); XML has the documented
 *   `Metadata`/`MachineId`. Elements are passed through as sent; sources/iso15143/record.ts reads both.
 *
 * RATE LIMIT — read before calling: the export allows ONE request per URL (path + query string) per
 * 15 minutes [documented]; repeats draw on a troubleshooting pool of 50 requests per URL that refills only
 * 30 days after each use. This module does not cache: callers must (keyed by the full URL, ≥ 15 min), and
 * must not re-read a page they already have. A full walk costs one request per page; a retried transient
 * failure spends a pool request. `isoProbe` (tug doctor) spends the normal 15-minute budget of page 1 in
 * JSON without flags — the same URL a plain `fleet()` starts with.
 */
import type { TrackunitClient } from '../client.js';
import type { ApiFamily } from '../config.js';
import { ApiError } from '../errors.js';
import { followIsoPages } from '../paginate.js';
import { s, type Schema } from '../shapes.js';
import type { EndpointProbe } from './common.js';
import { parseIsoDocument, type IsoFleetPage } from './iso-parse.js';

export type { IsoLink } from '../paginate.js';
export type { IsoEquipment, IsoFleetPage } from './iso-parse.js';
export { isTextElement, parseIsoDocument } from './iso-parse.js';

export const ISO_BASE = '/public/api/aemp/v2/15143/-3';
/** Equipment per fleet page [documented]. */
export const ISO_PAGE_SIZE = 100;

export type IsoFormat = 'xml' | 'json';

export interface IsoRequestOptions {
  /** Wire format asked for with the Accept header; the result is normalised either way. Default json. */
  format?: IsoFormat;
  /**
   * Adds the Trackunit metadata block: XML `Metadata` {TelematicSerialNumber, MachineId, UnitId,
   * ExternalReferenceNumber}; JSON `metadata` with the asset id as `assetId`.
   */
  addMetadata?: boolean;
  /** Adds the extended machine insights (BatteryPotential, CumulativeMovingHours, …). */
  addExtendedData?: boolean;
}

const ACCEPT: Record<IsoFormat, string> = { xml: 'application/xml', json: 'application/json' };

/**
 * The flags are sent only when on: `?addMetadata=false` would be another URL with its own 15-minute
 * budget for the same content.
 */
function isoQuery(options: IsoRequestOptions): Record<string, string | undefined> {
  return { addMetadata: options.addMetadata ? 'true' : undefined, addExtendedData: options.addExtendedData ? 'true' : undefined };
}

const nonEmptyString: Schema = { type: 'string', minLength: 1 };

export const isoLinkSchema: Schema = s.object({ rel: nonEmptyString, href: nonEmptyString });

/** What the client relies on per equipment: an EquipmentHeader object; every other element is optional. */
export const isoEquipmentSchema: Schema = s.object({ EquipmentHeader: { type: 'object' } });

/** A normalised fleet page (see iso-parse.ts). */
export const isoFleetPageSchema: Schema = s.object(
  { version: s.string, snapshotTime: s.string, links: s.array(isoLinkSchema), equipment: s.array(isoEquipmentSchema) },
  ['links', 'equipment'],
);

/** At most two retries per URL and run: each repeat of a URL within 15 minutes spends its 50-request pool. */
export const ISO_MAX_ATTEMPTS = 3;

export function isoApi(client: TrackunitClient) {
  async function get(family: ApiFamily, path: string, options: IsoRequestOptions): Promise<IsoFleetPage> {
    const response = await client.request({
      family,
      method: 'GET',
      path,
      query: isoQuery(options),
      accept: ACCEPT[options.format ?? 'json'],
      maxAttempts: ISO_MAX_ATTEMPTS,
    });
    return parseIsoDocument(response.text, `GET ${path}`);
  }

  /** One fleet snapshot page (1-based). Spends this URL's 15-minute budget — see the module comment. */
  const fleetPage = async (page: number, options: IsoRequestOptions = {}): Promise<IsoFleetPage> => {
    if (!Number.isInteger(page) || page < 1) throw new RangeError(`ISO fleet page numbers start at 1, got ${page}`);
    return get('iso-fleet', `${ISO_BASE}/Fleet/${page}`, options);
  };

  return {
    fleetPage,
    /**
     * Every fleet page in order: page 1, then pages 2..last concurrently (bounded by the rate scheduler)
     * once the `last` link is known, else by following `next`. One request per page.
     */
    fleet: (options: IsoRequestOptions = {}): AsyncGenerator<IsoFleetPage> => followIsoPages((page) => fleetPage(page, options)),
    /**
     * The single-element snapshot of one equipment by its OEM ISO identifier (PIN/VIN; the sandbox also
     * matches serial numbers). Same document form as a fleet page; undefined when the server answers 404.
     */
    singleElement: async (identifier: string, options: IsoRequestOptions = {}): Promise<IsoFleetPage | undefined> => {
      try {
        return await get('iso-single', `${ISO_BASE}/Fleet/Equipment/ID/${encodeURIComponent(identifier)}`, options);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return undefined;
        throw error;
      }
    },
  };
}

export type IsoApi = ReturnType<typeof isoApi>;

/**
 * `tug doctor`: page 1 in JSON, normalised, checked against the fleet page shape. This spends page 1's
 * normal 15-minute budget (one request of the per-URL allowance, not the pool unless repeated).
 */
export const isoProbe: EndpointProbe = {
  api: 'ISO 15143-3 export',
  family: 'iso-fleet',
  entitlement: 'any account (snapshot endpoints)',
  read: (client) => isoApi(client).fleetPage(1, { format: 'json' }),
  schema: isoFleetPageSchema,
};
