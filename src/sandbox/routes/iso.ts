/**
 * Export ISO 15143-3 (AEMP 2.0) emulation (../shared/trackunit-api/iso-export.md): the fleet snapshot
 * and the single-element snapshot over the account's assets (owned and shared-in, natural order).
 * Element projection lives in iso/equipment.ts, JSON/XML rendering in iso/render.ts.
 *
 * [documented] base /public/api/aemp/v2/15143/-3; `GET /Fleet/{pageNumber}` with 100 equipment per page,
 *   first page 1, Links with rel self/prev/next/last and absolute hrefs; the single-element snapshot in
 *   the same format; XML by default, JSON for `Accept: application/json`; `addMetadata=true` adds
 *   Metadata {TelematicSerialNumber, MachineId, UnitId, ExternalReferenceNumber} (XML); `addExtendedData=true`
 *   adds extended insights whose XML `datetime` is an attribute, with a specific value child plus the
 *   deprecated `Value`; repeated `<Links><rel/><href/></Links>`; EquipmentHeader/Location/
 *   CumulativeOperatingHours children; an unknown equipment SerialNumber holds the device serial;
 *   missing elements are normal. Rate limits are applied by the server (rate-limit.ts), not here.
 * [assumed] the single-element path `/Fleet/Equipment/ID/{identifier}` and its matching (PIN, then
 *   serial number, then device serial; trimmed, case-insensitive; first asset in natural order wins;
 *   404 equipment_not_found otherwise); Links omitted on single-element responses; pageNumber not a
 *   positive integer → 400 constraint_violation (field pageNumber); a page beyond `last` → 200 with no
 *   equipment, `next` omitted and `prev` pointing at the last page; `prev` omitted on page 1, `next` on
 *   the last page; an empty fleet has last = 1; hrefs echo the query string; the flags are on only for
 *   the value `true` (any case); errors are always the JSON error object, even for XML callers.
 * [observed-3p] in JSON the metadata block is `metadata` and the asset id `assetId` (a client written from
 *   the official aemp-iso-api.json matches on `metadata.assetId`, evidence/README.md); the other three
 *   members keep their XML names [assumed].
 * [assumed] JSON shape (iso-fleet-sample.json, apart from the metadata block above): top level {version
 *   "2", snapshotTime, links [{rel, href}], equipment [...]} with PascalCase elements in the fixture's
 *   order, `datetime` as a plain key, null metadata values kept; XML root `<Fleet xmlns=ISO_NAMESPACE version="2" snapshotTime=…>` with
 *   `datetime` attributes on every element that has one and null values as empty elements; the
 *   Accept tie-break (JSON when application/json has a quality ≥ application/xml's); content type
 *   `application/xml`; elements beyond the stored telemetry (FuelUsed, DEFRemaining, …) never appear.
 * [assumed data] extended data is what the store has: BatteryPotential (volts) and CumulativeMovingHours
 *   invented as 6% of the operating hours (MOVING_HOURS_SHARE).
 * Not emulated: the time-series endpoints (`/Fleet/Equipment/ID/{id}/{DataPoint}/…`).
 */
import { isoNow } from '../clock.js';
import { constraintViolation, notFound, type RequestContext, type Reply } from '../http.js';
import type { RouteDef } from '../router.js';
import type { AssetRecord } from '../store.js';
import type { RouteDeps } from './index.js';
import { equipmentElement, findByIdentifier, type EquipmentOptions } from './iso/equipment.js';
import { snapshotReply, type IsoLink } from './iso/render.js';

export const ISO_BASE = '/public/api/aemp/v2/15143/-3';
export const ISO_PAGE_SIZE = 100;
const SCOPES = ['asset.view'];

const flag = (query: URLSearchParams, name: string) => query.get(name)?.trim().toLowerCase() === 'true';

function equipmentOptions(query: URLSearchParams): EquipmentOptions {
  return { metadata: flag(query, 'addMetadata'), extended: flag(query, 'addExtendedData') };
}

function parsePageNumber(raw: string): number {
  const page = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(page >= 1)) {
    throw constraintViolation([{ field: 'pageNumber', message: `value '${raw}' was rejected: must be an integer greater than or equal to 1` }]);
  }
  return page;
}

/** self and last always; prev unless page 1 (clamped to last beyond the end); next unless on/after last. */
export function fleetLinks(origin: string, query: URLSearchParams, page: number, last: number): IsoLink[] {
  const search = query.toString();
  const href = (n: number) => `${origin}${ISO_BASE}/Fleet/${n}${search ? `?${search}` : ''}`;
  const links: IsoLink[] = [{ rel: 'self', href: href(page) }];
  if (page > 1) links.push({ rel: 'prev', href: href(Math.min(page - 1, last)) });
  if (page < last) links.push({ rel: 'next', href: href(page + 1) });
  links.push({ rel: 'last', href: href(last) });
  return links;
}

function fleetPage(ctx: RequestContext): Reply {
  const page = parsePageNumber(ctx.params.pageNumber ?? '');
  const assets: AssetRecord[] = [...ctx.store.assets.values()];
  const last = Math.max(1, Math.ceil(assets.length / ISO_PAGE_SIZE));
  const options = equipmentOptions(ctx.query);
  const slice = assets.slice((page - 1) * ISO_PAGE_SIZE, page * ISO_PAGE_SIZE);
  return snapshotReply(
    {
      snapshotTime: isoNow(ctx.clock),
      links: fleetLinks(ctx.origin, ctx.query, page, last),
      equipment: slice.map((asset) => equipmentElement(asset, options)),
    },
    ctx.headers.accept,
  );
}

function singleElement(ctx: RequestContext): Reply {
  const identifier = ctx.params.identifier ?? '';
  const asset = findByIdentifier(ctx.store.assets.values(), identifier);
  if (!asset) throw notFound('equipment_not_found', `No equipment with PIN, serial number or device serial '${identifier}'`);
  return snapshotReply(
    { snapshotTime: isoNow(ctx.clock), equipment: [equipmentElement(asset, equipmentOptions(ctx.query))] },
    ctx.headers.accept,
  );
}

export function isoRoutes(_deps: RouteDeps): RouteDef[] {
  return [
    {
      name: 'iso-single.get',
      method: 'GET',
      path: `${ISO_BASE}/Fleet/Equipment/ID/:identifier`,
      family: 'iso-single',
      write: false,
      scopes: SCOPES,
      handler: singleElement,
    },
    {
      name: 'iso-fleet.page',
      method: 'GET',
      path: `${ISO_BASE}/Fleet/:pageNumber`,
      family: 'iso-fleet',
      write: false,
      scopes: SCOPES,
      handler: fleetPage,
    },
  ];
}
