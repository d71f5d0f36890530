import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, type SandboxHandle } from '../../src/sandbox/index.js';
import type { AssetRecord } from '../../src/sandbox/store.js';
import type { TrackunitClient } from '../../src/trackunit/client.js';
import {
  contractItemSchema,
  contractSchema,
  rentalApi,
  rentalProbe,
  type SyncContract,
  type SyncContractItem,
  type SyncRequest,
} from '../../src/trackunit/endpoints/rental.js';
import { sitesApi } from '../../src/trackunit/endpoints/sites.js';
import { ApiError } from '../../src/trackunit/errors.js';
import { shapeMismatches } from '../../src/trackunit/shapes.js';
import { start } from '../sandbox/helpers.js';
import { sandboxClient } from './helpers.js';
import { apiWrites } from '../support/api-writes.js';

function item(ref: string, contract: string, customer: string, extra: Partial<SyncContractItem> = {}, contractExtra: Partial<SyncContract> = {}): SyncContractItem {
  return {
    externalReference: ref,
    onRentDate: '2026-02-01T07:00:00Z',
    offRentDate: '2026-03-31T16:00:00Z',
    rentalRate: { currency: 'DKK', unitPrice: 1450, period: 'DAILY' },
    deliveryAddress: { streetAddress: 'Havnegade 1', zipCode: '7100', city: 'Vejle', country: 'DK' },
    deliveryDate: '2026-02-01T06:00:00Z',
    contract: {
      externalReference: contract,
      contractStatus: 'OPEN',
      startDate: '2026-02-01T00:00:00Z',
      endDate: '2026-04-01T00:00:00Z',
      customer: { externalReference: customer, name: `Customer ${customer}`, type: 'CONTRACTOR' },
      ...contractExtra,
    },
    ...extra,
  };
}

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('rentalApi against the sandbox', () => {
  let sandbox: SandboxHandle;
  let client: TrackunitClient;
  let api: ReturnType<typeof rentalApi>;
  let writes: ReturnType<typeof apiWrites>['rental'];
  let owned: AssetRecord[];
  let depotId: string;
  const clock = new FakeClock('2026-03-01T12:00:00Z');

  beforeAll(async () => {
    sandbox = await start({ seed: 'demo', clock });
    client = sandboxClient(sandbox);
    api = rentalApi(client);
    writes = apiWrites(client).rental;
    owned = [...sandbox.store.assets.values()].filter((a) => a.owned);
    const address = { streetAddress: 'Industrivej 1', zipCode: '8000', city: 'Aarhus', country: 'DK' };
    const depot = await apiWrites(client).sites.create({ name: 'Aarhus depot', type: 'DEPOT', externalReference: 'DEPOT-AAR', address });
    depotId = depot.id;
  });
  afterAll(async () => {
    await client.close();
    await sandbox.close();
  });

  it('synchronizes a matched asset (200) and reads contracts and items back', async () => {
    const asset = owned[0]!;
    const result = await writes.synchronize({
      identifierType: 'SERIAL_NUMBER',
      identifier: asset.serialNumber!,
      externalReference: 'ERP-A1',
      rentalStatus: 'ON_RENT',
      owningDepot: { siteId: depotId },
      contractItems: [
        item('CI-1-1', 'C-1', 'CUST-1', {}, { hiringDepot: { siteId: depotId } }),
        item('CI-1-2', 'C-1', 'CUST-1', { onRentDate: '2026-03-10T07:00:00Z', offRentDate: null, rentalRate: null }),
      ],
    });
    expect(result).toEqual({ matched: true, assetId: asset.id, status: 200 });
    expect(sandbox.store.assets.get(asset.id)).toMatchObject({ rentalStatus: 'ON_RENT', owningDepotId: depotId, externalReference: 'ERP-A1' });

    const customerId = [...sandbox.store.customers.values()].find((c) => c.externalReference === 'CUST-1')!.id;
    const contract = (await api.findContractByExternalReference('C-1'))!;
    expect(contract).toEqual({
      id: expect.any(String),
      externalReference: 'C-1',
      contractStatus: 'OPEN',
      startDate: '2026-02-01T00:00:00Z',
      endDate: '2026-04-01T00:00:00Z',
      customerId,
      hiringDepotId: depotId,
    });
    expect(shapeMismatches(contractSchema, contract)).toEqual([]);
    expect(await api.getContract(contract.id)).toEqual(contract);
    expect(await api.listContracts({ customerId, contractStatus: ['OPEN', 'RESERVED'], assetId: asset.id })).toEqual([contract]);
    expect(await api.listContracts({ contractStatus: 'CANCELLED' })).toEqual([]);

    const items = await api.listContractItems(contract.id);
    expect(items.map((i) => i.externalReference).sort()).toEqual(['CI-1-1', 'CI-1-2']);
    expect(items.flatMap((i) => shapeMismatches(contractItemSchema, i))).toEqual([]);
    expect(items.find((i) => i.externalReference === 'CI-1-1')).toMatchObject({
      contractId: contract.id,
      assetId: asset.id,
      onRentDate: '2026-02-01T07:00:00Z',
      offRentDate: '2026-03-31T16:00:00Z',
      rentalRate: { currency: 'DKK', unitPrice: 1450, period: 'DAILY' },
      deliveryAddress: { streetAddress: 'Havnegade 1', zipCode: '7100', city: 'Vejle', country: 'DK' },
    });
    // The sandbox clock says 2026-03-01 12:00: CI-1-1 is on rent, CI-1-2 starts on the 10th.
    expect((await api.listContractItems(contract.id, { active: true })).map((i) => i.externalReference)).toEqual(['CI-1-1']);
    expect((await api.listContractItems(contract.id, { active: false })).map((i) => i.externalReference)).toEqual(['CI-1-2']);
    const window = await api.listContractItems(contract.id, { start: '2026-04-01T00:00:00Z', end: '2026-04-30T00:00:00Z', active: true });
    expect(window.map((i) => i.externalReference)).toEqual(['CI-1-2']);

    expect(await apiError(api.getContract('00000000-0000-4000-8000-000000000000'))).toMatchObject({ status: 404, apiCode: 'contract_not_found' });
    expect(await api.findContractByExternalReference('C-unknown')).toBeUndefined();
  });

  it('accepts an unknown serial with 202 and stores the items without an asset', async () => {
    const result = await writes.synchronize({ identifierType: 'SERIAL_NUMBER', identifier: 'NO-SUCH-SERIAL-1', contractItems: [item('CI-2-1', 'C-2', 'CUST-2')] });
    expect(result).toEqual({ matched: false, status: 202 });
    const contract = (await api.findContractByExternalReference('C-2'))!;
    const items = await api.listContractItems(contract.id);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ externalReference: 'CI-2-1', assetId: null });
  });

  it('with validateAssetExists an unknown asset is an ApiError 404 and nothing is stored', async () => {
    const before = sandbox.store.summary();
    const request: SyncRequest = { identifierType: 'SERIAL_NUMBER', identifier: 'NO-SUCH-SERIAL-2', contractItems: [item('CI-3-1', 'C-3', 'CUST-3')] };
    const error = await apiError(writes.synchronize(request, { validateAssetExists: true }));
    expect(error).toMatchObject({ status: 404, apiCode: 'asset_not_found', family: 'rental', attempts: 1 });
    expect(sandbox.store.summary()).toEqual(before);
    // Without the header the same request is accepted for later matching.
    expect((await writes.synchronize(request)).status).toBe(202);
    // With the header a known asset still synchronizes normally.
    const matched = await writes.synchronize({ identifierType: 'ASSET_ID', identifier: owned[1]!.id, rentalStatus: 'AVAILABLE' }, { validateAssetExists: true });
    expect(matched).toEqual({ matched: true, assetId: owned[1]!.id, status: 200 });
  });

  it('a constraint violation surfaces every field on the ApiError', async () => {
    const bad = item('CI-4-1', 'C-4', 'CUST-4', { onRentDate: '2026-05-01T00:00:00Z', offRentDate: '2026-04-01T00:00:00Z' });
    const error = await apiError(writes.synchronize({ identifierType: 'ASSET_ID', identifier: owned[2]!.id, contractItems: [bad] }));
    expect(error).toMatchObject({ status: 400, apiCode: 'constraint_violation', attempts: 1 });
    expect(error.violations.map((v) => v.field)).toContain('contractItems[0].offRentDate');
  });

  it('the same synchronization sent twice creates nothing new', async () => {
    const request: SyncRequest = {
      identifierType: 'ASSET_ID',
      identifier: owned[3]!.id,
      externalReference: 'ERP-A4',
      rentalStatus: 'ON_RENT',
      contractItems: [item('CI-5-1', 'C-5', 'CUST-5'), item('CI-5-2', 'C-5', 'CUST-5')],
    };
    const first = await writes.synchronize(request);
    const after = sandbox.store.summary();
    const second = await writes.synchronize(request);
    expect(second).toEqual(first);
    expect(sandbox.store.summary()).toEqual(after);
  });

  it('a dropped response is retried (idempotent upsert) and leaves no duplicate contract items', async () => {
    sandbox.setFaults('rental.synchronize:commit-drop=0.5', 'cf-rental-1');
    const dropsBefore = sandbox.faults.injected['commit-drop'] ?? 0;
    const retriesBefore = client.metricsSnapshot().families.rental?.retries ?? 0;
    try {
      for (const [n, asset] of owned.slice(4, 10).entries()) {
        const request: SyncRequest = { identifierType: 'ASSET_ID', identifier: asset.id, contractItems: [item(`CI-6-${n}`, 'C-6', 'CUST-6')] };
        expect(await writes.synchronize(request)).toEqual({ matched: true, assetId: asset.id, status: 200 });
      }
    } finally {
      sandbox.setFaults([]);
    }
    const drops = (sandbox.faults.injected['commit-drop'] ?? 0) - dropsBefore;
    expect(drops).toBeGreaterThan(0);
    expect((client.metricsSnapshot().families.rental?.retries ?? 0) - retriesBefore).toBeGreaterThanOrEqual(drops);

    const references = [...sandbox.store.contractItems.values()].map((i) => i.externalReference);
    expect(new Set(references).size).toBe(references.length);
    const contract = (await api.findContractByExternalReference('C-6'))!;
    const items = await api.listContractItems(contract.id);
    expect(items.map((i) => i.externalReference).sort()).toEqual([0, 1, 2, 3, 4, 5].map((n) => `CI-6-${n}`));
    expect(new Set(items.map((i) => i.assetId))).toEqual(new Set(owned.slice(4, 10).map((a) => a.id)));
  });

  it('probe: the doctor read matches its schema', async () => {
    expect(rentalProbe).toMatchObject({ family: 'rental', entitlement: 'IrisX with the Rental API' });
    const sample = (await rentalProbe.read(client)) as { size: number; content: unknown[] };
    expect(sample.size).toBe(5);
    expect(sample.content.length).toBeGreaterThan(0);
    expect(shapeMismatches(rentalProbe.schema, sample)).toEqual([]);
  });
});
