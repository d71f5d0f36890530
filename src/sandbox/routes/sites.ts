/**
 * Sites API emulation (../shared/trackunit-api/sites.md). This module is the single place where the
 * sandbox's Site wire shape lives.
 *
 * [documented] site types and their meanings, Classic types not creatable, status derived from
 *   start/end dates with ARCHIVED overriding, address and/or polygon (GeoJSON order), deleting a site.
 * [assumed] base path /api/site/v1, every request/response body, the list filters (type, status,
 *   externalReference, name), 201 on create, 204 on delete, error codes, polygon rules, a placeholder
 *   address when only a polygon is given (the real service geocodes the polygon centre), and
 *   externalReference being unique per account (the Rental API says ERP references are unique).
 */
import { created, noContent, notFound, ok, type RequestContext } from '../http.js';
import { multiValue, paginate, parsePageRequest } from '../pagination.js';
import type { RouteDef } from '../router.js';
import type { Address, Polygon, SiteRecord, Store } from '../store.js';
import { Checker, isObject, type Json } from '../validate.js';
import { isoNow } from '../clock.js';
import { checkAddress, normalizeAddress } from './address.js';

export const SITE_BASE = '/api/site/v1/sites';
export const SITE_TYPES = ['CONSTRUCTION_SITE', 'DEPOT', 'WORKPLACE', 'AREA', 'CLASSIC_POINT', 'CLASSIC_ZONE'] as const;
const CREATABLE_TYPES = SITE_TYPES.filter((t) => !t.startsWith('CLASSIC_'));
export const SITE_STATUSES = ['PLANNED', 'ACTIVE', 'FINISHED', 'ARCHIVED'] as const;
const SORTABLE = ['name', 'type', 'status', 'externalReference', 'startDate', 'endDate', 'createdAt', 'updatedAt'];
const READ_SCOPES = ['account.view', 'account.site.manage', 'asset.view'];
const WRITE_SCOPES = ['account.site.manage'];

/** Derived status (documented): ARCHIVED overrides; PLANNED before start; FINISHED after end. */
export function siteStatus(site: SiteRecord, now: number): string {
  if (site.archived) return 'ARCHIVED';
  if (site.startDate && Date.parse(site.startDate) > now) return 'PLANNED';
  if (site.endDate && Date.parse(site.endDate) < now) return 'FINISHED';
  return 'ACTIVE';
}

export function siteView(site: SiteRecord, now: number): Record<string, unknown> {
  return {
    id: site.id,
    name: site.name,
    type: site.type,
    status: siteStatus(site, now),
    description: site.description,
    externalReference: site.externalReference,
    startDate: site.startDate,
    endDate: site.endDate,
    address: site.address,
    area: site.area,
    createdAt: site.createdAt,
    updatedAt: site.updatedAt,
  };
}

function checkPolygon(c: Checker, body: Json): void {
  const area = body.area;
  if (area === undefined || area === null) return;
  const bad = (why: string) => c.reject('area', area, why);
  if (!isObject(area) || area.type !== 'Polygon' || !Array.isArray(area.coordinates)) {
    return bad('must be a GeoJSON Polygon {type: "Polygon", coordinates: [[[lon, lat], ...]]}');
  }
  for (const ring of area.coordinates as unknown[]) {
    if (!Array.isArray(ring) || ring.length < 4) return bad('each ring must have at least 4 positions');
    for (const pos of ring as unknown[]) {
      if (!Array.isArray(pos) || pos.length < 2 || pos.length > 3 || pos.some((n) => typeof n !== 'number')) {
        return bad('each position must be [longitude, latitude] or [longitude, latitude, altitude]');
      }
      const [lon, lat] = pos as number[];
      if (lon === undefined || lat === undefined || lon < -180 || lon > 180 || lat < -90 || lat > 90) {
        return bad('longitude must be within [-180, 180] and latitude within [-90, 90]');
      }
    }
    const first = JSON.stringify(ring[0]);
    if (first !== JSON.stringify(ring[ring.length - 1])) return bad('the first and last position of a ring must be equal');
  }
}

function checkSiteBody(store: Store, body: Json, existing: SiteRecord | undefined, now: number): void {
  const c = new Checker();
  const creating = existing === undefined;
  c.string(body, 'name', { required: creating, nonEmpty: true, maxLength: 255 });
  if (creating) c.enumValue(body, 'type', CREATABLE_TYPES, { required: true });
  else if (body.type !== undefined && body.type !== existing.type) c.enumValue(body, 'type', CREATABLE_TYPES, { required: true });
  if (body.status !== undefined && body.status !== null && body.status !== 'ARCHIVED') {
    // A client echoing the current derived status back is harmless; setting another one is not.
    if (creating || body.status !== siteStatus(existing, now)) {
      c.reject('status', body.status, 'only ARCHIVED can be set; PLANNED, ACTIVE and FINISHED are derived from startDate and endDate');
    }
  }
  c.string(body, 'description', { maxLength: 2000 });
  c.string(body, 'externalReference', { maxLength: 255 });
  c.dateTime(body, 'startDate');
  c.dateTime(body, 'endDate');
  checkAddress(c, body, 'address');
  checkPolygon(c, body);
  if (creating && !isObject(body.address) && !isObject(body.area) && typeof body.suggestionId !== 'string') {
    c.reject('address', body.address ?? null, 'a site needs an address, an area (polygon) or a suggestionId');
  }
  const start = body.startDate !== undefined ? body.startDate : existing?.startDate;
  const end = body.endDate !== undefined ? body.endDate : existing?.endDate;
  if (typeof start === 'string' && typeof end === 'string' && Date.parse(end) < Date.parse(start)) {
    c.reject('endDate', end, 'must not be before startDate');
  }
  const ref = body.externalReference;
  if (typeof ref === 'string' && ref !== '') {
    for (const site of store.sites.values()) {
      if (site.externalReference === ref && site.id !== existing?.id) {
        c.reject('externalReference', ref, 'a site with this externalReference already exists');
      }
    }
  }
  c.throwIfAny();
}

function placeholderAddress(area: Polygon): Address {
  const ring = area.coordinates[0] ?? [];
  const lon = ring.reduce((s, p) => s + (p[0] ?? 0), 0) / Math.max(1, ring.length);
  const lat = ring.reduce((s, p) => s + (p[1] ?? 0), 0) / Math.max(1, ring.length);
  return { streetAddress: `Geocoded ${lat.toFixed(4)}, ${lon.toFixed(4)}`, zipCode: null, city: null, country: null };
}

function getSite(ctx: RequestContext): SiteRecord {
  const site = ctx.store.sites.get(ctx.params.siteId ?? '');
  if (!site) throw notFound('site_not_found', `Site ${ctx.params.siteId} not found`);
  return site;
}

function applyFields(site: SiteRecord, body: Json): void {
  if (typeof body.name === 'string') site.name = body.name;
  if (typeof body.type === 'string') site.type = body.type;
  for (const key of ['description', 'externalReference', 'startDate', 'endDate'] as const) {
    if (body[key] !== undefined) site[key] = (body[key] as string | null) || null;
  }
  if (body.address !== undefined) site.address = normalizeAddress(body.address);
  if (body.area !== undefined) site.area = (body.area as Polygon | null) ?? null;
  if (body.status === 'ARCHIVED') site.archived = true;
}

export function siteRoutes(): RouteDef[] {
  const route = (def: Omit<RouteDef, 'family' | 'scopes'> & { scopes?: string[] }): RouteDef => ({
    family: 'sites',
    scopes: def.write ? WRITE_SCOPES : READ_SCOPES,
    ...def,
  });
  return [
    route({
      name: 'sites.list',
      method: 'GET',
      path: SITE_BASE,
      write: false,
      handler: (ctx) => {
        const request = parsePageRequest(ctx.query, SORTABLE);
        const now = ctx.clock.now();
        const types = multiValue(ctx.query, 'type');
        const statuses = multiValue(ctx.query, 'status');
        const ref = ctx.query.get('externalReference');
        const name = ctx.query.get('name')?.toLowerCase();
        const items = [...ctx.store.sites.values()]
          .filter((s) => types.length === 0 || types.includes(s.type))
          .filter((s) => statuses.length === 0 || statuses.includes(siteStatus(s, now)))
          .filter((s) => ref === null || s.externalReference === ref)
          .filter((s) => !name || s.name.toLowerCase().includes(name))
          .map((s) => siteView(s, now));
        return ok(paginate(items, request));
      },
    }),
    route({ name: 'sites.get', method: 'GET', path: `${SITE_BASE}/:siteId`, write: false, handler: (ctx) => ok(siteView(getSite(ctx), ctx.clock.now())) }),
    route({
      name: 'sites.create',
      method: 'POST',
      path: SITE_BASE,
      write: true,
      handler: (ctx) => {
        const body = new Checker().requireObjectBody(ctx.body);
        checkSiteBody(ctx.store, body, undefined, ctx.clock.now());
        const now = isoNow(ctx.clock);
        const site: SiteRecord = {
          id: ctx.store.newId(),
          name: '',
          type: 'DEPOT',
          description: null,
          externalReference: null,
          startDate: null,
          endDate: null,
          address: null,
          area: null,
          archived: false,
          createdAt: now,
          updatedAt: now,
        };
        applyFields(site, body);
        if (!site.address && site.area) site.address = placeholderAddress(site.area);
        ctx.store.sites.set(site.id, site);
        ctx.store.changed();
        return created(siteView(site, ctx.clock.now()));
      },
    }),
    route({
      name: 'sites.update',
      method: 'PATCH',
      path: `${SITE_BASE}/:siteId`,
      write: true,
      handler: (ctx) => {
        const site = getSite(ctx);
        const body = new Checker().requireObjectBody(ctx.body);
        checkSiteBody(ctx.store, body, site, ctx.clock.now());
        applyFields(site, body);
        site.updatedAt = isoNow(ctx.clock);
        ctx.store.changed();
        return ok(siteView(site, ctx.clock.now()));
      },
    }),
    route({
      name: 'sites.delete',
      method: 'DELETE',
      path: `${SITE_BASE}/:siteId`,
      write: true,
      handler: (ctx) => {
        const site = getSite(ctx);
        ctx.store.sites.delete(site.id);
        // Documented: deleting a site makes all linked information unavailable.
        for (const [id, value] of ctx.store.values) if (value.entityId === site.id) ctx.store.values.delete(id);
        for (const asset of ctx.store.assets.values()) if (asset.owningDepotId === site.id) asset.owningDepotId = null;
        ctx.store.changed();
        return noContent();
      },
    }),
  ];
}
