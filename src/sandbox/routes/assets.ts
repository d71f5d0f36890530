/**
 * Assets API v1 emulation (../shared/trackunit-api/assets.md). This module is the single place where
 * the sandbox's Asset wire shape lives.
 *
 * [documented] the paths of list, update, onboard and offboard; asset categories (as display names,
 *   MACHINE spelled out); onboarding/offboarding of MACHINE assets not supported; an asset has zero to
 *   many telematics devices; externalReference set through "update asset" (ERP guide); the error codes
 *   `exactly_one_telematics_device_is_required` and "telematics device already onboarded" (given on
 *   the errors page as generic examples — using them for onboarding is [assumed]).
 * [documented] the Asset object as the example response of `GET /api/asset/v1beta1/assets` shows it
 *   (evidence/asset-list-example.v1beta1.json): the page envelope; the category enum is `assetType`
 *   ("MACHINE") and `type` is free text ("AWP/Scissor lift"); an unset `externalReference` is `""`, not
 *   null; `createdAt` may be null; `ownerAccountId` on every asset; `permissions: {edit}`;
 *   `telematicsDevices: [{id}]`. That example is v1beta1: serving the same object on v1 is [assumed].
 * [assumed] the single-asset path /api/asset/v1/assets/{assetId} ([observed-3p]); every request body;
 *   `permissions.edit` = owned by the caller's account; unset brand/model/serialNumber/productionYear/
 *   free-text type as null; the telematics device's `serialNumber` next to its `id`; the wire values
 *   VEHICLE, GATEWAY, EQUIPMENT, TOOL, ATTACHMENT, OTHER; the list filters (repeatable `assetType` and
 *   `ids`, exact `serialNumber` and `externalReference`, where `externalReference=` finds the assets
 *   without one) and sort attributes; PATCH changing the free-text `type` but never `assetType` (ignored,
 *   like any unknown field); onboarding taking `assetType` (required) and `type` (free text);
 *   shared-in assets being listed and readable but not updatable (403) or offboardable (403); v2 scopes
 *   (reads: asset.view, account.view or account.asset.manage; writes: account.asset.manage); codes
 *   `asset_not_found`, `external_reference_already_exists` (400, with a violation on the field;
 *   externalReference unique per account), `asset_type_not_supported`,
 *   `telematics_device_already_onboarded`; 201 on onboard, 204 on offboard; productionYear an integer
 *   1900–2100; an empty-string optional field meaning null; offboarding also removing the asset's
 *   customer assignments and custom-field values.
 * [assumed] Asset fields `rentalStatus` and `owningDepotId`: a read-back of the rental data the Rental
 *   API's synchronization writes onto the asset. No documented read exists for them; they are exposed
 *   here so tests and `tug` can observe synchronization results. They are never writable through this
 *   API. The stored `owned` flag and the ISO telemetry are never exposed.
 */
import { HttpError, badRequest, created, forbidden, noContent, notFound, ok, type RequestContext } from '../http.js';
import { multiValue, paginate, parsePageRequest } from '../pagination.js';
import type { RouteDef } from '../router.js';
import type { AssetRecord, Store, Telemetry } from '../store.js';
import { Checker, isObject, type Json } from '../validate.js';
import { isoNow } from '../clock.js';
import type { RouteDeps } from './index.js';

export const ASSET_BASE = '/api/asset/v1/assets';
export const ASSET_TYPES = ['MACHINE', 'VEHICLE', 'GATEWAY', 'EQUIPMENT', 'TOOL', 'ATTACHMENT', 'OTHER'] as const;
const SORTABLE = ['name', 'assetType', 'type', 'brand', 'model', 'serialNumber', 'productionYear', 'externalReference', 'createdAt', 'updatedAt'];
const READ_SCOPES = ['asset.view', 'account.view', 'account.asset.manage'];
const WRITE_SCOPES = ['account.asset.manage'];
const TEXT_FIELDS = ['type', 'brand', 'model', 'serialNumber', 'externalReference'] as const;

/** The documented example's field order, then the [assumed] extras. */
export function assetView(asset: AssetRecord): Record<string, unknown> {
  return {
    id: asset.id,
    assetType: asset.assetType,
    type: asset.type,
    name: asset.name,
    // [documented] unset is "" on the wire; the store keeps null.
    externalReference: asset.externalReference ?? '',
    model: asset.model,
    brand: asset.brand,
    serialNumber: asset.serialNumber,
    productionYear: asset.productionYear,
    ownerAccountId: asset.ownerAccountId,
    createdAt: asset.createdAt,
    permissions: { edit: asset.owned },
    telematicsDevices: asset.telematicsDevices.map((d) => ({ id: d.id, serialNumber: d.serialNumber })),
    rentalStatus: asset.rentalStatus,
    owningDepotId: asset.owningDepotId,
    updatedAt: asset.updatedAt,
  };
}

function emptyTelemetry(): Telemetry {
  return {
    pin: null,
    unitId: null,
    unitInstallDateTime: null,
    location: null,
    operatingHours: null,
    idleHours: null,
    fuelRemaining: null,
    engineRunning: null,
    distance: null,
    batteryPotential: null,
  };
}

function getAsset(ctx: RequestContext): AssetRecord {
  const asset = ctx.store.assets.get(ctx.params.assetId ?? '');
  if (!asset) throw notFound('asset_not_found', `Asset ${ctx.params.assetId} not found`);
  return asset;
}

function checkUniqueReference(store: Store, ref: unknown, self: string | undefined): void {
  if (typeof ref !== 'string' || ref === '') return;
  for (const asset of store.assets.values()) {
    if (asset.externalReference === ref && asset.id !== self) {
      throw new HttpError(400, 'external_reference_already_exists', `An asset with externalReference '${ref}' already exists`, [
        { field: 'externalReference', message: `value '${ref}' was rejected: an asset with this externalReference already exists` },
      ]);
    }
  }
}

function checkPatchBody(store: Store, body: Json, asset: AssetRecord): void {
  const c = new Checker();
  if (body.name === null) c.reject('name', '', 'must not be null');
  else c.string(body, 'name', { nonEmpty: true, maxLength: 255 });
  for (const key of TEXT_FIELDS) c.string(body, key, { maxLength: 255 });
  c.number(body, 'productionYear', { integer: true, min: 1900, max: 2100 });
  c.throwIfAny();
  checkUniqueReference(store, body.externalReference, asset.id);
}

function applyPatch(asset: AssetRecord, body: Json): void {
  if (typeof body.name === 'string') asset.name = body.name;
  for (const key of TEXT_FIELDS) {
    if (body[key] !== undefined) asset[key] = (body[key] as string | null) || null;
  }
  if (body.productionYear !== undefined) asset.productionYear = (body.productionYear as number | null) ?? null;
}

function listAssets(ctx: RequestContext) {
  const request = parsePageRequest(ctx.query, SORTABLE);
  const categories = multiValue(ctx.query, 'assetType');
  const ids = new Set(multiValue(ctx.query, 'ids'));
  const serial = ctx.query.get('serialNumber');
  const ref = ctx.query.get('externalReference');
  const items = [...ctx.store.assets.values()]
    .filter((a) => categories.length === 0 || categories.includes(a.assetType))
    .filter((a) => ids.size === 0 || ids.has(a.id))
    .filter((a) => serial === null || a.serialNumber === serial)
    .filter((a) => ref === null || (a.externalReference ?? '') === ref);
  return ok(paginate(items, request, assetView));
}

function updateAsset(ctx: RequestContext) {
  const asset = getAsset(ctx);
  if (!asset.owned) throw forbidden(`Asset ${asset.id} is shared with this account, not owned by it, and cannot be updated`);
  const body = new Checker().requireObjectBody(ctx.body);
  checkPatchBody(ctx.store, body, asset);
  applyPatch(asset, body);
  asset.updatedAt = isoNow(ctx.clock);
  // Not just changed(): the Rental emulation re-matches pending synchronizations on this event.
  ctx.store.assetChanged(asset);
  return ok(assetView(asset));
}

const machineNotSupported = () =>
  badRequest('asset_type_not_supported', 'Onboarding and offboarding of MACHINE assets is not supported by this API; use the Machine APIs');

/** Constraint violations first, then the documented use-case errors; returns the device serial. */
function checkOnboardBody(store: Store, body: Json): string {
  const c = new Checker();
  c.string(body, 'name', { required: true, nonEmpty: true, maxLength: 255 });
  c.enumValue(body, 'assetType', ASSET_TYPES, { required: true });
  for (const key of ['type', 'brand', 'model', 'serialNumber']) c.string(body, key, { maxLength: 255 });
  const devices = body.telematicsDevices;
  const device = Array.isArray(devices) && devices.length === 1 ? devices[0] : undefined;
  if (device !== undefined) {
    if (isObject(device)) c.nested('telematicsDevices[0]').string(device, 'serialNumber', { required: true, nonEmpty: true, maxLength: 255 });
    else c.reject('telematicsDevices[0]', device, 'must be an object {serialNumber}');
  }
  c.throwIfAny();
  if (body.assetType === 'MACHINE') throw machineNotSupported();
  if (!isObject(device)) {
    throw badRequest('exactly_one_telematics_device_is_required', 'Exactly one telematics device is required to onboard an asset');
  }
  const serial = device.serialNumber as string;
  for (const asset of store.assets.values()) {
    if (asset.telematicsDevices.some((d) => d.serialNumber === serial)) {
      throw badRequest('telematics_device_already_onboarded', `Telematics device ${serial} was already onboarded`);
    }
  }
  return serial;
}

function onboardAsset(ctx: RequestContext) {
  const body = new Checker().requireObjectBody(ctx.body);
  const serial = checkOnboardBody(ctx.store, body);
  const now = isoNow(ctx.clock);
  const asset: AssetRecord = {
    id: ctx.store.newId(),
    name: body.name as string,
    assetType: body.assetType as string,
    type: (body.type as string | null | undefined) || null,
    brand: (body.brand as string | null | undefined) || null,
    model: (body.model as string | null | undefined) || null,
    serialNumber: (body.serialNumber as string | null | undefined) || null,
    productionYear: null,
    externalReference: null,
    telematicsDevices: [{ id: ctx.store.newId(), serialNumber: serial }],
    ownerAccountId: ctx.store.account.id,
    owned: true,
    rentalStatus: null,
    owningDepotId: null,
    telemetry: emptyTelemetry(),
    createdAt: now,
    updatedAt: now,
  };
  ctx.store.assets.set(asset.id, asset);
  ctx.store.assetChanged(asset);
  return created(assetView(asset));
}

function offboardAsset(ctx: RequestContext) {
  const asset = getAsset(ctx);
  if (asset.assetType === 'MACHINE') throw machineNotSupported();
  if (!asset.owned) throw forbidden(`Asset ${asset.id} is shared with this account, not owned by it, and cannot be offboarded`);
  const { store } = ctx;
  store.assets.delete(asset.id);
  store.customerAssets = store.customerAssets.filter((a) => a.assetId !== asset.id);
  for (const [id, value] of store.values) if (value.entityId === asset.id) store.values.delete(id);
  store.changed();
  return noContent();
}

export function assetRoutes(_deps: RouteDeps): RouteDef[] {
  const route = (def: Omit<RouteDef, 'family' | 'scopes'>): RouteDef => ({
    family: 'assets',
    scopes: def.write ? WRITE_SCOPES : READ_SCOPES,
    ...def,
  });
  return [
    route({ name: 'assets.list', method: 'GET', path: ASSET_BASE, write: false, handler: listAssets }),
    // Registered before `/:assetId` routes; a POST to /onboard never matches the GET/PATCH `/:assetId` anyway.
    route({ name: 'assets.onboard', method: 'POST', path: `${ASSET_BASE}/onboard`, write: true, handler: onboardAsset }),
    route({ name: 'assets.get', method: 'GET', path: `${ASSET_BASE}/:assetId`, write: false, handler: (ctx) => ok(assetView(getAsset(ctx))) }),
    route({ name: 'assets.update', method: 'PATCH', path: `${ASSET_BASE}/:assetId`, write: true, handler: updateAsset }),
    route({ name: 'assets.offboard', method: 'POST', path: `${ASSET_BASE}/:assetId/offboard`, write: true, handler: offboardAsset }),
  ];
}
