/**
 * Seed a sandbox store with exactly the state a set of manifests describes — independently of the plan
 * engine (straight into the store, the way the sandbox's own routes would store it), so that "plan of
 * the same manifests is empty" really tests normalisation rather than plan against itself.
 */
import type { DesiredState } from '../../src/core/state.js';
import { customerMarker, depotExternalReference, CUSTOMER_MARKER_DEFINITION } from '../../src/kinds/ownership.js';
import type { CustomFieldValues } from '../../src/kinds/common.js';
import type { AssetRef } from '../../src/kinds/asset/manifest.js';
import { applyRentalData } from '../../src/sandbox/routes/rental/sync.js';
import type { SyncPayload } from '../../src/sandbox/routes/rental/shapes.js';
import { valueMember } from '../../src/sandbox/routes/custom-fields/value-rules.js';
import { blankDefinition, type AssetRecord, type DefinitionRecord, type Store } from '../../src/sandbox/store.js';

const STAMP = '2026-01-01T00:00:00.000Z';
const address = (a: object | undefined) =>
  a ? { streetAddress: null, zipCode: null, city: null, country: null, ...(a as Record<string, string>) } : null;

function findAsset(store: Store, ref: AssetRef): AssetRecord | undefined {
  const assets = [...store.assets.values()];
  if (ref.assetId) return store.assets.get(ref.assetId);
  if (ref.serialNumber) return assets.find((a) => a.serialNumber?.trim().toUpperCase() === ref.serialNumber!.trim().toUpperCase());
  if (ref.pin) return assets.find((a) => a.telemetry.pin === ref.pin);
  return assets.find((a) => a.externalReference === ref.externalReference);
}

function setValues(store: Store, entityId: string, entityType: string, values: CustomFieldValues | undefined): void {
  for (const [key, value] of Object.entries(values ?? {})) {
    if (value === null) continue;
    const def = [...store.definitions.values()].find((d) => d.key === key && d.entityType === entityType);
    if (!def) throw new Error(`seed: no definition ${key} for ${entityType}`);
    const id = store.newId();
    store.values.set(id, { id, definitionId: def.id, entityId, entityType, value: { [valueMember(def)]: value }, lastIncompatibleValue: null, createdAt: STAMP, updatedAt: STAMP });
  }
}

function seedDefinitions(store: Store, desired: DesiredState, markCustomers: boolean): void {
  const defs: DefinitionRecord[] = [];
  for (const o of desired.objects) {
    const m = o.manifest;
    if (m.kind !== 'CustomFieldDefinition') continue;
    defs.push(
      blankDefinition(
        {
          id: store.newId(),
          key: m.key,
          entityType: m.entityType,
          type: m.type,
          owner: 'ACCOUNT',
          title: m.title,
          description: m.description ?? null,
          translations: m.translations ?? [],
          uiVisible: m.uiVisible ?? true,
          uiEditable: m.uiEditable ?? true,
          scopeType: m.scope ?? 'ACCOUNT',
          minimum: m.minimum ?? null,
          maximum: m.maximum ?? null,
          unitSi: m.unitSi ?? null,
          unitUs: m.unitUs ?? null,
          isInteger: m.type === 'NUMBER' ? (m.isInteger ?? false) : null,
          minimumLength: m.minimumLength ?? null,
          maximumLength: m.maximumLength ?? null,
          pattern: m.pattern ?? null,
          allValues: m.options ?? null,
          multiSelect: m.type === 'DROPDOWN' ? (m.multiSelect ?? false) : null,
          currency: m.currency ?? null,
        },
        STAMP,
      ),
    );
  }
  if (markCustomers) defs.push(blankDefinition({ ...CUSTOMER_MARKER_DEFINITION, id: store.newId(), owner: 'ACCOUNT' }, STAMP));
  for (const d of defs) store.definitions.set(d.id, d);
}

/** Write the desired state into the store; `markCustomers` adds tug's hidden customer markers (prune on). */
export function seedFromDesired(store: Store, desired: DesiredState, options: { markCustomers?: boolean } = {}): void {
  seedDefinitions(store, desired, options.markCustomers ?? false);
  const siteIds = new Map<string, string>();
  const customerFields = new Map<string, { name: string; type: string }>();
  for (const { manifest: m } of desired.objects) {
    if (m.kind === 'Depot') {
      const id = store.newId();
      siteIds.set(m.key, id);
      store.sites.set(id, {
        id, name: m.name, type: 'DEPOT', description: m.description ?? null, externalReference: depotExternalReference(m.key),
        startDate: null, endDate: null, address: address(m.address), area: m.area ?? null, archived: false, createdAt: STAMP, updatedAt: STAMP,
      });
      setValues(store, id, 'SITE', m.customFields);
    } else if (m.kind === 'Customer') {
      const id = store.newId();
      customerFields.set(m.externalReference, { name: m.name, type: m.type ?? 'OTHER' });
      store.customers.set(id, {
        id, name: m.name, type: m.type ?? 'OTHER', externalReference: m.externalReference, address: address(m.address),
        phoneNumber: m.phoneNumber ?? null, email: m.email ?? null, website: m.website ?? null, createdAt: STAMP, updatedAt: STAMP,
      });
      for (const c of m.contacts ?? []) {
        const cid = store.newId();
        store.contacts.set(cid, { id: cid, customerId: id, name: c.name, email: c.email ?? null, phoneNumber: c.phoneNumber ?? null, title: c.title ?? null, createdAt: STAMP, updatedAt: STAMP });
      }
      setValues(store, id, 'CUSTOMER', { ...m.customFields, ...(options.markCustomers ? { tugManaged: customerMarker(m.externalReference) } : {}) });
    }
  }
  for (const { manifest: m } of desired.objects) {
    if (m.kind !== 'Asset') continue;
    const asset = findAsset(store, m);
    if (!asset) throw new Error(`seed: no asset for ${JSON.stringify(m)}`);
    if (m.externalReference !== undefined) asset.externalReference = m.externalReference;
    if (m.rentalStatus !== undefined) asset.rentalStatus = m.rentalStatus;
    if (m.owningDepot !== undefined) asset.owningDepotId = siteIds.get(m.owningDepot) ?? null;
    setValues(store, asset.id, 'ASSET', m.customFields);
  }
  for (const { manifest: m } of desired.objects) {
    if (m.kind !== 'Contract') continue;
    for (const item of m.items ?? []) {
      const asset = findAsset(store, item.asset);
      if (!asset) throw new Error(`seed: no asset for item ${item.externalReference}`);
      const { asset: _ref, ...fields } = item;
      const payload: SyncPayload = {
        identifierType: 'ASSET_ID',
        identifier: asset.id,
        contractItems: [
          {
            ...fields,
            contract: {
              externalReference: m.externalReference,
              contractStatus: m.status,
              ...(m.startDate ? { startDate: m.startDate } : {}),
              ...(m.endDate ? { endDate: m.endDate } : {}),
              ...(m.hiringDepot ? { hiringDepot: { siteId: siteIds.get(m.hiringDepot)! } } : {}),
              customer: { externalReference: m.customer, ...customerFields.get(m.customer) },
            },
          } as never,
        ],
      };
      applyRentalData(store, STAMP, payload, asset.id);
    }
    const contract = [...store.contracts.values()].find((c) => c.externalReference === m.externalReference);
    if (contract) setValues(store, contract.id, 'RENTAL_CONTRACT', m.customFields);
  }
  store.changed();
}
