/**
 * The Contract planner, pure: one rental `sync` per asset whose normalised payload differs, contract
 * custom fields after the syncs, warnings for what the Rental API cannot do (remove items).
 */
import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/core/plan.js';
import type { LiveState } from '../../src/core/state.js';
import type { AssetManifest } from '../../src/kinds/asset/manifest.js';
import type { ContractItem as ManifestItem, ContractManifest } from '../../src/kinds/contract/manifest.js';
import { planContracts } from '../../src/kinds/contract/plan.js';
import type { CustomerManifest } from '../../src/kinds/customer/manifest.js';
import type { DepotManifest } from '../../src/kinds/depot/manifest.js';
import type { ContractItem } from '../../src/trackunit/endpoints/rental.js';
import { desiredObject, entityField, liveAsset, liveContract, liveCustomer, liveDefinition, liveSite, planInput } from './builders.js';

function liveItem(over: Partial<ContractItem> & Pick<ContractItem, 'id' | 'externalReference' | 'contractId' | 'onRentDate'>): ContractItem {
  return { assetId: null, offRentDate: null, rentalRate: null, deliveryAddress: null, deliveryDate: null, pickupAddress: null, pickupDate: null, ...over };
}

const depot = (key: string) => desiredObject<DepotManifest>({ kind: 'Depot', key, name: key } as DepotManifest, 'manifests/depots.yaml');
const customer = (ref: string) => desiredObject<CustomerManifest>({ kind: 'Customer', externalReference: ref, name: `Customer ${ref}`, type: 'CONTRACTOR' }, 'manifests/customers.yaml');
const asset = (m: Omit<AssetManifest, 'kind'>) => desiredObject<AssetManifest>({ kind: 'Asset', ...m }, 'manifests/assets.yaml', 3);
const contract = (m: Omit<ContractManifest, 'kind'>) =>
  desiredObject<ContractManifest>({ kind: 'Contract', ...m }, 'manifests/contracts.yaml', 10, { 'items.0.asset': '13:12', 'items.1.asset': '19:12', externalReference: '10:20' });

const item1: ManifestItem = {
  externalReference: 'K-1-1',
  asset: { serialNumber: 'S1' },
  onRentDate: '2026-05-01',
  rentalRate: { unitPrice: 690, currency: 'DKK', period: 'DAILY' },
  deliveryAddress: { streetAddress: 'Ringvej Syd 1', city: 'Viby J' },
  deliveryDate: '2026-05-01T06:00:00+02:00',
};
const item2: ManifestItem = { externalReference: 'K-1-2', asset: { externalReference: 'ERP-B' }, onRentDate: '2026-05-03', offRentDate: '2026-06-01' };
const k1: Omit<ContractManifest, 'kind'> = { externalReference: 'K-1', customer: 'CUST-1', status: 'OPEN', startDate: '2026-05-01', hiringDepot: 'aarhus', items: [item1, item2] };

/** The live account after a successful apply of the baseline manifests (server-side forms). */
function baselineLive(): Partial<LiveState> {
  return {
    sites: [liveSite({ id: 'site-aarhus', name: 'Aarhus', externalReference: 'tug:depot/aarhus' })],
    customers: [liveCustomer({ id: 'cust-1', name: 'Someone renamed me', externalReference: 'CUST-1' })],
    assets: [
      liveAsset({ id: 'a1', serialNumber: 'S1', rentalStatus: 'ON_RENT', owningDepotId: 'site-aarhus' }),
      liveAsset({ id: 'a2', serialNumber: 'S2', externalReference: 'ERP-B' }),
    ],
    contracts: [liveContract({ id: 'c1', externalReference: 'K-1', startDate: '2026-05-01T00:00:00Z', hiringDepotId: 'site-aarhus' })],
    contractItems: [
      liveItem({
        id: 'i1',
        contractId: 'c1',
        assetId: 'a1',
        externalReference: 'K-1-1',
        onRentDate: '2026-05-01T00:00:00.000Z',
        rentalRate: { currency: 'DKK', unitPrice: 690, period: 'DAILY' },
        deliveryAddress: { streetAddress: 'Ringvej Syd 1', zipCode: null, city: 'Viby J', country: null },
        deliveryDate: '2026-05-01T04:00:00.000Z',
        pickupAddress: { streetAddress: null, zipCode: null, city: null, country: null },
      }),
      liveItem({ id: 'i2', contractId: 'c1', assetId: 'a2', externalReference: 'K-1-2', onRentDate: '2026-05-03T00:00:00Z', offRentDate: '2026-06-01T00:00:00.000Z' }),
    ],
  };
}

function plan(contractManifest = k1, assetManifest: Omit<AssetManifest, 'kind'> = { serialNumber: 'S1', rentalStatus: 'ON_RENT', owningDepot: 'aarhus' }, live = baselineLive(), extra = [] as ReturnType<typeof desiredObject>[]) {
  return planContracts(...planInput([depot('aarhus'), customer('CUST-1'), asset(assetManifest), contract(contractManifest), ...extra], live));
}

const syncOf = (changes: Change[], liveId: string) => changes.find((c) => c.op === 'sync' && c.liveId === liveId);

describe('planContracts: rental syncs', () => {
  it('plans nothing when live equals desired (date forms, address nulls, customer name left to the Customer planner)', () => {
    const result = plan();
    expect(result.changes).toEqual([]);
    expect(result.problems).toEqual([]);
    expect(result.unmanaged).toEqual([]);
    expect(result.managed).toEqual({ Contract: 1 });
  });

  it('plans exactly one sync carrying the full payload when an asset status changes', () => {
    const { changes } = plan(k1, { serialNumber: 'S1', rentalStatus: 'AVAILABLE', owningDepot: 'aarhus' });
    expect(changes).toHaveLength(1);
    const sync = changes[0]!;
    expect(sync).toMatchObject({ key: 'sync:Asset/serialNumber=S1', op: 'sync', kind: 'Asset', liveId: 'a1', level: 3, reason: 'manifests/assets.yaml:3', dependsOn: [] });
    expect(sync.patch).toEqual([{ op: 'replace', path: '/rentalStatus', value: 'AVAILABLE' }]);
    expect(sync.fingerprint).toMatch(/^sha256:/);
    expect(sync.requests).toEqual([
      {
        family: 'rental',
        method: 'POST',
        idempotent: true,
        path: '/api/rental/v1/synchronization',
        headers: { 'X-Validate-Asset-Exists': 'true' },
        body: {
          identifierType: 'ASSET_ID',
          identifier: 'a1',
          rentalStatus: 'AVAILABLE',
          owningDepot: { siteId: 'site-aarhus' },
          contractItems: [
            {
              externalReference: 'K-1-1',
              onRentDate: '2026-05-01T00:00:00.000Z',
              offRentDate: null,
              rentalRate: { currency: 'DKK', unitPrice: 690, period: 'DAILY' },
              deliveryAddress: { streetAddress: 'Ringvej Syd 1', zipCode: null, city: 'Viby J', country: null },
              deliveryDate: '2026-05-01T04:00:00.000Z',
              pickupAddress: null,
              pickupDate: null,
              contract: {
                externalReference: 'K-1',
                contractStatus: 'OPEN',
                startDate: '2026-05-01T00:00:00.000Z',
                endDate: null,
                hiringDepot: { siteId: 'site-aarhus' },
                customer: { externalReference: 'CUST-1', name: 'Customer CUST-1', type: 'CONTRACTOR' },
              },
            },
          ],
        },
      },
    ]);
  });

  it('syncs the asset an added item goes on, and only that one', () => {
    const added: ManifestItem = { externalReference: 'K-1-3', asset: { assetId: 'a1' }, onRentDate: '2026-07-01' };
    const { changes } = plan({ ...k1, items: [item1, item2, added] });
    expect(changes.map((c) => c.key)).toEqual(['sync:Asset/serialNumber=S1']);
    expect(changes[0]!.patch).toEqual([{ op: 'add', path: '/contractItems/1', value: expect.objectContaining({ externalReference: 'K-1-3', onRentDate: '2026-07-01T00:00:00.000Z' }) }]);
  });

  it('syncs the asset of an item whose date moved; an asset without an Asset manifest is named by its item reference', () => {
    const { changes } = plan({ ...k1, items: [item1, { ...item2, offRentDate: '2026-06-15' }] });
    expect(changes.map((c) => c.key)).toEqual(['sync:Asset/externalReference=ERP-B']);
    expect(changes[0]).toMatchObject({ reason: 'manifests/contracts.yaml:10:1', patch: [{ op: 'replace', path: '/contractItems/0/offRentDate', value: '2026-06-15T00:00:00.000Z' }] });
    expect(changes[0]!.after).not.toHaveProperty('rentalStatus');
  });

  it('warns about an item removed from the manifests, without a perpetual diff', () => {
    const result = plan({ ...k1, items: [item1] });
    expect(result.changes).toEqual([]);
    expect(result.problems).toEqual([
      {
        kind: 'Asset',
        id: 'assetId=a2',
        message: "item K-1-2 is on the asset in Trackunit but in no manifest; the Rental API cannot remove items — set its offRentDate or the contract's status instead",
        location: 'manifests/contracts.yaml:10',
        severity: 'warning',
      },
    ]);
  });

  it('notes a removed item on the sync of its asset when that asset changes anyway', () => {
    const result = plan({ ...k1, items: [item2] }, { serialNumber: 'S1', rentalStatus: 'RETURNED' });
    expect(result.problems).toEqual([]);
    const sync = syncOf(result.changes, 'a1')!;
    expect(sync.notes).toEqual([expect.stringContaining('item K-1-1 is on the asset in Trackunit but in no manifest')]);
    expect(sync.after).toEqual({ rentalStatus: 'RETURNED', contractItems: [] });
  });

  it('turns a contract status change into the syncs of the assets holding its items', () => {
    const { changes } = plan({ ...k1, status: 'COMPLETED' });
    expect(changes.map((c) => c.key).sort()).toEqual(['sync:Asset/externalReference=ERP-B', 'sync:Asset/serialNumber=S1']);
    for (const c of changes) expect(c.patch).toEqual([{ op: 'replace', path: '/contractItems/0/contract/contractStatus', value: 'COMPLETED' }]);
  });

  it('moves an item to the asset it is now on, without warning about the asset it leaves', () => {
    const result = plan({ ...k1, items: [item1, { ...item2, asset: { serialNumber: 'S1' } }] });
    expect(result.problems).toEqual([]);
    expect(result.changes.map((c) => c.key)).toEqual(['sync:Asset/serialNumber=S1']);
  });

  it('refers to a depot and a customer created in the same plan by IdRef and dependsOn', () => {
    const live = baselineLive();
    const { changes } = plan({ ...k1, customer: 'CUST-2', hiringDepot: 'odense' }, { serialNumber: 'S1', rentalStatus: 'ON_RENT', owningDepot: 'odense' }, live, [depot('odense'), customer('CUST-2')]);
    const sync = syncOf(changes, 'a1')!;
    expect(sync.dependsOn).toEqual(['create:Customer/CUST-2', 'create:Depot/odense']);
    const body = sync.requests[0]!.body as { owningDepot: unknown; contractItems: Array<{ contract: { hiringDepot: unknown; customer: unknown } }> };
    expect(body.owningDepot).toEqual({ siteId: { $ref: 'Depot/odense' } });
    expect(body.contractItems[0]!.contract.hiringDepot).toEqual({ siteId: { $ref: 'Depot/odense' } });
    expect(body.contractItems[0]!.contract.customer).toEqual({ externalReference: 'CUST-2', name: 'Customer CUST-2', type: 'CONTRACTOR' });
  });

  it('tolerates an unknown live rental status', () => {
    const live = baselineLive();
    live.assets![0] = { ...live.assets![0]!, rentalStatus: 'LOST' };
    expect(plan(k1, { serialNumber: 'S1', owningDepot: 'aarhus' }, live).changes).toEqual([]);
    const sync = syncOf(plan(k1, undefined, live).changes, 'a1')!;
    expect(sync.before).toMatchObject({ rentalStatus: 'LOST' });
    expect(sync.after).toMatchObject({ rentalStatus: 'ON_RENT' });
  });

  it('notes when the Assets API does not report rental fields (a sync every time)', () => {
    const live = baselineLive();
    const { rentalStatus: _drop, ...withoutStatus } = live.assets![0]!;
    live.assets![0] = withoutStatus;
    expect(syncOf(plan(k1, undefined, live).changes, 'a1')!.notes).toEqual([expect.stringContaining("does not report this asset's rentalStatus")]);
  });

  it('reports an item whose asset does not resolve, at the item’s asset field', () => {
    const result = plan({ ...k1, items: [{ ...item1, asset: { serialNumber: 'NOPE' } }, item2] });
    expect(result.problems).toEqual([
      { kind: 'Contract', id: 'K-1', message: 'item K-1-1: no asset with serial number NOPE', location: 'manifests/contracts.yaml:13:12', severity: 'error' },
    ]);
  });

  it('refuses to rebind a live contract to another customer', () => {
    const result = plan({ ...k1, customer: 'CUST-2' }, undefined, baselineLive(), [customer('CUST-2')]);
    expect(result.problems).toEqual([expect.objectContaining({ kind: 'Contract', id: 'K-1', severity: 'error', message: expect.stringContaining('bound to customer CUST-1') })]);
  });
});

describe('planContracts: contracts', () => {
  const poDef = liveDefinition({ id: 'def-po', key: 'purchaseOrder', type: 'STRING', entityType: 'RENTAL_CONTRACT' });

  it('sets custom fields of a contract not yet live by IdRef, after the syncs that create it', () => {
    const k2: Omit<ContractManifest, 'kind'> = { externalReference: 'K-2', customer: 'CUST-1', status: 'RESERVED', items: [{ externalReference: 'K-2-1', asset: { serialNumber: 'S2' }, onRentDate: '2026-12-01' }], customFields: { purchaseOrder: 'PO-1' } };
    const live = { ...baselineLive(), definitions: [poDef] };
    const result = plan(k1, undefined, live, [contract(k2)]);
    const fields = result.changes.find((c) => c.kind === 'Contract')!;
    expect(fields).toMatchObject({ key: 'create:Contract/K-2', op: 'create', level: 4, dependsOn: ['sync:Asset/externalReference=ERP-B'], after: { customFields: { purchaseOrder: 'PO-1' } } });
    expect(fields.liveId).toBeUndefined();
    expect(fields.requests[0]!.body).toEqual({ entityId: { $ref: 'Contract/K-2' }, entityType: 'RENTAL_CONTRACT', values: [{ definitionKey: 'purchaseOrder', value: { stringValue: 'PO-1' } }] });
    expect(result.managed).toEqual({ Contract: 1 });
  });

  it('updates custom fields of a live contract by its id, and plans nothing when they match', () => {
    const live = { ...baselineLive(), definitions: [poDef], values: { c1: [entityField(poDef, 'c1', { stringValue: 'PO-OLD' })] } };
    const changed = plan({ ...k1, customFields: { purchaseOrder: 'PO-NEW' } }, undefined, live).changes;
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ key: 'update:Contract/K-1', liveId: 'c1', level: 4, dependsOn: [], before: { customFields: { purchaseOrder: 'PO-OLD' } } });
    expect((changed[0]!.requests[0]!.body as { entityId: string }).entityId).toBe('c1');
    expect(plan({ ...k1, customFields: { purchaseOrder: 'PO-OLD' } }, undefined, live).changes).toEqual([]);
  });

  it('warns about a contract without items and lists live contracts no manifest names', () => {
    const live = baselineLive();
    live.contracts = [...live.contracts!, liveContract({ id: 'c9', externalReference: 'K-OLD', contractStatus: 'COMPLETED' })];
    const result = plan(k1, undefined, live, [contract({ externalReference: 'K-3', customer: 'CUST-1', status: 'OPEN', customFields: { purchaseOrder: 'PO-3' } })]);
    expect(result.problems).toEqual([
      { kind: 'Contract', id: 'K-3', message: "a contract reaches Trackunit only through its items' synchronization; this one has none", location: 'manifests/contracts.yaml:10:20', severity: 'warning' },
    ]);
    expect(result.changes).toEqual([]);
    expect(result.unmanaged).toEqual([{ kind: 'Contract', liveId: 'c9', label: 'K-OLD (COMPLETED)' }]);
  });
});
