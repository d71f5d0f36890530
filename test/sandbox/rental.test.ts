import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, type SandboxHandle } from '../../src/sandbox/index.js';
import { authed, caller, start, v2Token } from './helpers.js';
import { CONTRACTS, counts, createDepot, item, ITEMS, ownedAssets, sharedAssets, SYNC, type Call } from './rental-helpers.js';

describe('Rental API — synchronization', () => {
  let sandbox: SandboxHandle;
  let call: Call;
  let depotId: string;
  const clock = new FakeClock('2026-03-01T12:00:00Z');

  beforeAll(async () => {
    sandbox = await start({ seed: 'demo', clock });
    call = await authed(sandbox);
    depotId = await createDepot(call, 'Aarhus depot');
  });
  afterAll(() => sandbox.close());

  it('matches by SERIAL_NUMBER (trimmed, any case) and exposes contract, items and the new customer', async () => {
    const asset = ownedAssets(sandbox)[0]!;
    const res = await call('POST', SYNC, {
      identifierType: 'SERIAL_NUMBER',
      identifier: `  ${asset.serialNumber!.toLowerCase()} `,
      externalReference: 'ERP-A1',
      rentalStatus: 'ON_RENT',
      owningDepot: { siteId: depotId },
      contractItems: [
        item({ ref: 'CI-1-1', contract: 'C-1', customer: 'CUST-1', customerName: 'Acme A/S', depotId }),
        item({ ref: 'CI-1-2', contract: 'C-1', customer: 'CUST-1', customerName: null, onRentDate: '2026-02-10T07:00:00Z', offRentDate: null }),
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ matched: true, assetId: asset.id });

    const stored = sandbox.store.assets.get(asset.id)!;
    expect(stored).toMatchObject({ rentalStatus: 'ON_RENT', owningDepotId: depotId, externalReference: 'ERP-A1' });
    const customer = [...sandbox.store.customers.values()].find((c) => c.externalReference === 'CUST-1');
    expect(customer).toMatchObject({ name: 'Acme A/S', type: 'CONTRACTOR' });

    const contracts = await call('GET', `${CONTRACTS}?externalReference=C-1`);
    expect(contracts.status).toBe(200);
    expect(contracts.body.totalElements).toBe(1);
    const contract = contracts.body.content[0];
    expect(contract).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      externalReference: 'C-1',
      contractStatus: 'OPEN',
      startDate: '2026-02-01T00:00:00Z',
      endDate: '2026-04-01T00:00:00Z',
      customerId: customer!.id,
      hiringDepotId: depotId,
    });
    expect((await call('GET', `${CONTRACTS}/${contract.id}`)).body).toEqual(contract);

    const items = await call('GET', `${ITEMS}?contractId=${contract.id}&sort=externalReference`);
    expect(items.status).toBe(200);
    expect(items.body.content).toHaveLength(2);
    expect(items.body.content[0]).toEqual({
      id: expect.any(String),
      contractId: contract.id,
      assetId: asset.id,
      externalReference: 'CI-1-1',
      onRentDate: '2026-02-01T07:00:00Z',
      offRentDate: '2026-03-31T16:00:00Z',
      rentalRate: { currency: 'DKK', unitPrice: 1450, period: 'DAILY' },
      deliveryAddress: { streetAddress: 'Havnegade 1', zipCode: '7100', city: 'Vejle', country: 'DK' },
      deliveryDate: '2026-02-01T06:00:00Z',
      pickupAddress: null,
      pickupDate: null,
    });
    expect(items.body.content[1]).toMatchObject({ externalReference: 'CI-1-2', offRentDate: null, assetId: asset.id });
  });

  it('matches by EXTERNAL_REFERENCE and ASSET_ID; an item moves to the asset it is synced with', async () => {
    const [a, b] = ownedAssets(sandbox);
    const byRef = await call('POST', SYNC, { identifierType: 'EXTERNAL_REFERENCE', identifier: 'ERP-A1', rentalStatus: 'PICK_UP_READY' });
    expect(byRef.status).toBe(200);
    expect(byRef.body).toEqual({ matched: true, assetId: a!.id });
    expect(sandbox.store.assets.get(a!.id)!.rentalStatus).toBe('PICK_UP_READY');
    expect(sandbox.store.assets.get(a!.id)!.owningDepotId).toBe(depotId); // absent → unchanged

    const byId = await call('POST', SYNC, {
      identifierType: 'ASSET_ID',
      identifier: b!.id,
      rentalStatus: 'ON_RENT',
      contractItems: [item({ ref: 'CI-1-2', contract: 'C-1', customer: 'CUST-1', customerName: null, onRentDate: '2026-02-10T07:00:00Z' })],
    });
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual({ matched: true, assetId: b!.id });
    const onB = await call('GET', `${CONTRACTS}?assetId=${b!.id}`);
    expect(onB.body.content.map((c: { externalReference: string }) => c.externalReference)).toEqual(['C-1']);
    const items = await call('GET', `${ITEMS}?contractId=${onB.body.content[0].id}&sort=externalReference`);
    expect(items.body.content.map((i: { assetId: string }) => i.assetId)).toEqual([a!.id, b!.id]);
    expect(items.body.content[1].offRentDate).toBe('2026-03-31T16:00:00Z');
    const customer = [...sandbox.store.customers.values()].find((c) => c.externalReference === 'CUST-1');
    expect(customer?.name).toBe('Acme A/S'); // no name sent → unchanged
  });

  it('is idempotent: the same payload twice creates nothing and changes no timestamp', async () => {
    const asset = ownedAssets(sandbox)[2]!;
    const payload = {
      identifierType: 'ASSET_ID',
      identifier: asset.id,
      rentalStatus: 'AVAILABLE',
      contractItems: [item({ ref: 'CI-2-1', contract: 'C-2', customer: 'CUST-2' }), item({ ref: 'CI-2-2', contract: 'C-3', customer: 'CUST-2' })],
    };
    expect((await call('POST', SYNC, payload)).status).toBe(200);
    const before = counts(sandbox);
    const snapshot = JSON.stringify(sandbox.store.toSnapshot());
    clock.advance(60_000);
    const again = await call('POST', SYNC, payload);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ matched: true, assetId: asset.id });
    expect(counts(sandbox)).toEqual(before);
    expect(JSON.stringify(sandbox.store.toSnapshot())).toBe(snapshot);
  });

  it('reads the contract status as contractStatus, the 2025 diagram\'s name; `status` is an unknown field', async () => {
    const asset = ownedAssets(sandbox)[4]!;
    const sync = (contract: Record<string, unknown>) => {
      const one = item({ ref: 'CI-4-1', contract: 'C-4', customer: 'CUST-4' });
      one.contract = { ...(one.contract as Record<string, unknown>), contractStatus: undefined, ...contract };
      return call('POST', SYNC, { identifierType: 'ASSET_ID', identifier: asset.id, contractItems: [one] });
    };
    const statusOf = async () => (await call('GET', `${CONTRACTS}?externalReference=C-4`)).body.content[0].contractStatus;
    expect((await sync({ contractStatus: 'RESERVED' })).status).toBe(200);
    expect(await statusOf()).toBe('RESERVED');
    expect((await sync({ status: 'COMPLETED' })).status).toBe(200);
    expect(await statusOf()).toBe('RESERVED');
  });

  it('accepts an unknown identifier (202), upserts the data unlinked, and links it when an asset matches later', async () => {
    const asset = ownedAssets(sandbox)[5]!;
    const payload = (status: string) => ({
      identifierType: 'EXTERNAL_REFERENCE',
      identifier: 'ERP-LATER',
      rentalStatus: status,
      owningDepot: { siteId: depotId },
      contractItems: [item({ ref: 'CI-9-1', contract: 'C-9', customer: 'CUST-9', customerName: 'Later ApS' })],
    });
    const first = await call('POST', SYNC, payload('RESERVED'));
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ matched: false });
    const second = await call('POST', SYNC, payload('ON_RENT'));
    expect(second.status).toBe(202);
    const pending = [...sandbox.store.pendingSyncs.values()].filter((p) => p.identifier === 'ERP-LATER');
    expect(pending).toHaveLength(1); // the newer payload replaced the older one
    expect([...sandbox.store.customers.values()].find((c) => c.externalReference === 'CUST-9')?.name).toBe('Later ApS');
    const contract = (await call('GET', `${CONTRACTS}?externalReference=C-9`)).body.content[0];
    const unlinked = await call('GET', `${ITEMS}?contractId=${contract.id}`);
    expect(unlinked.body.content[0]).toMatchObject({ externalReference: 'CI-9-1', assetId: null });

    asset.externalReference = 'ERP-LATER';
    sandbox.store.assetChanged(asset);

    expect(sandbox.store.pendingSyncs.size).toBe(0);
    expect(sandbox.store.assets.get(asset.id)).toMatchObject({ rentalStatus: 'ON_RENT', owningDepotId: depotId });
    const linked = await call('GET', `${ITEMS}?contractId=${contract.id}`);
    expect(linked.body.content[0]).toMatchObject({ externalReference: 'CI-9-1', assetId: asset.id });
  });

  it('links a pending SERIAL_NUMBER payload when an asset gets that serial, skipping non-owned assets', async () => {
    const res = await call('POST', SYNC, { identifierType: 'SERIAL_NUMBER', identifier: 'NEW-SERIAL-001', rentalStatus: 'IN_REPAIR' });
    expect(res.status).toBe(202);
    const shared = sharedAssets(sandbox)[0]!;
    const serialBefore = shared.serialNumber;
    shared.serialNumber = 'new-serial-001';
    sandbox.store.assetChanged(shared);
    expect(sandbox.store.pendingSyncs.size).toBe(1);
    expect(shared.rentalStatus).toBeNull();
    shared.serialNumber = serialBefore;

    const owned = ownedAssets(sandbox)[6]!;
    owned.serialNumber = 'NEW-SERIAL-001';
    sandbox.store.assetChanged(owned);
    expect(sandbox.store.pendingSyncs.size).toBe(0);
    expect(owned.rentalStatus).toBe('IN_REPAIR');
  });

  it('links an older pending payload when a sync sets the externalReference it names; the newer fields win', async () => {
    const asset = ownedAssets(sandbox)[7]!;
    const pending = await call('POST', SYNC, {
      identifierType: 'EXTERNAL_REFERENCE',
      identifier: 'ERP-NAMED-LATER',
      rentalStatus: 'ON_RENT',
      contractItems: [item({ ref: 'CI-7-1', contract: 'C-7', customer: 'CUST-7' })],
    });
    expect(pending.status).toBe(202);
    const res = await call('POST', SYNC, { identifierType: 'ASSET_ID', identifier: asset.id, externalReference: 'ERP-NAMED-LATER', rentalStatus: 'AVAILABLE' });
    expect(res.status).toBe(200);
    expect(sandbox.store.pendingSyncs.size).toBe(0);
    expect(asset).toMatchObject({ externalReference: 'ERP-NAMED-LATER', rentalStatus: 'AVAILABLE', updatedAt: '2026-03-01T12:01:00.000Z' });
    const contracts = await call('GET', `${CONTRACTS}?assetId=${asset.id}`);
    expect(contracts.body.content.map((c: { externalReference: string }) => c.externalReference)).toEqual(['C-7']);
  });

  it('answers 404 asset_not_found with X-Validate-Asset-Exists: true and stores nothing', async () => {
    const before = counts(sandbox);
    const res = await call(
      'POST',
      SYNC,
      { identifierType: 'SERIAL_NUMBER', identifier: 'NO-SUCH-SERIAL', contractItems: [item({ ref: 'CI-404', contract: 'C-404', customer: 'CUST-404' })] },
      { 'X-Validate-Asset-Exists': 'true' },
    );
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: 404, code: 'asset_not_found' });
    expect(counts(sandbox)).toEqual(before);
  });

  it('refuses ERP data for an asset that is visible but not owned (403), storing nothing', async () => {
    const shared = sharedAssets(sandbox)[1]!;
    const before = counts(sandbox);
    const res = await call('POST', SYNC, {
      identifierType: 'SERIAL_NUMBER',
      identifier: shared.serialNumber,
      rentalStatus: 'ON_RENT',
      contractItems: [item({ ref: 'CI-403', contract: 'C-403', customer: 'CUST-403' })],
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect(counts(sandbox)).toEqual(before);
    expect(shared.rentalStatus).toBeNull();
  });

  it('reports every validation problem with dotted field paths', async () => {
    const asset = ownedAssets(sandbox)[3]!;
    const bad = item({ ref: 'CI-BAD', contract: 'C-BAD', customer: 'CUST-NEW-BAD', onRentDate: '2026-03-01T00:00:00Z', offRentDate: '2026-02-01T00:00:00Z' });
    const contract = bad.contract as Record<string, unknown>;
    contract.contractStatus = 'ACTIVE';
    contract.hiringDepot = { siteId: sandbox.store.sites.values().next().value!.id }; // the seeded construction site
    contract.customer = { externalReference: 'CUST-NEW-BAD', type: 'FRIEND' };
    bad.rentalRate = { currency: 'eur', unitPrice: -1, period: 'YEARLY' };
    const res = await call('POST', SYNC, {
      identifierType: 'SERIAL',
      rentalStatus: 'LOST',
      owningDepot: { siteId: '00000000-0000-4000-8000-000000000000' },
      contractItems: [bad, { externalReference: 'CI-BAD' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('constraint_violation');
    const fields = res.body.violations.map((v: { field: string }) => v.field).sort();
    expect(fields).toEqual(
      [
        'identifierType',
        'identifier',
        'rentalStatus',
        'owningDepot.siteId',
        'contractItems[0].offRentDate',
        'contractItems[0].rentalRate.currency',
        'contractItems[0].rentalRate.unitPrice',
        'contractItems[0].rentalRate.period',
        'contractItems[0].contract.contractStatus',
        'contractItems[0].contract.hiringDepot.siteId',
        'contractItems[0].contract.customer.name',
        'contractItems[0].contract.customer.type',
        'contractItems[1].externalReference',
        'contractItems[1].onRentDate',
        'contractItems[1].contract',
      ].sort(),
    );
    const message = (field: string) => res.body.violations.find((v: { field: string }) => v.field === field).message;
    expect(message('contractItems[1].externalReference')).toMatch(/duplicate/);
    expect(message('contractItems[0].offRentDate')).toBe("value '2026-02-01T00:00:00Z' was rejected: must not be before onRentDate");
    expect(asset.rentalStatus).toBeNull();
  });

  it('rejects a contract already bound to another customer, and an asset externalReference in use', async () => {
    const asset = ownedAssets(sandbox)[4]!;
    const before = counts(sandbox);
    const rebound = await call('POST', SYNC, {
      identifierType: 'ASSET_ID',
      identifier: asset.id,
      contractItems: [item({ ref: 'CI-1-3', contract: 'C-1', customer: 'CUST-OTHER' })],
    });
    expect(rebound.status).toBe(400);
    expect(rebound.body.violations).toEqual([
      {
        field: 'contractItems[0].contract.customer.externalReference',
        message: "value 'CUST-OTHER' was rejected: contract 'C-1' is already bound to customer 'CUST-1'",
      },
    ]);
    const taken = await call('POST', SYNC, { identifierType: 'ASSET_ID', identifier: asset.id, externalReference: 'ERP-A1' });
    expect(taken.status).toBe(400);
    expect(taken.body.code).toBe('external_reference_already_exists');
    expect(counts(sandbox)).toEqual(before);
    expect(asset.externalReference).toBeNull();
  });

  it('needs account.asset.manage to write with a v2 token; reads accept asset.view', async () => {
    const viewer = caller(sandbox, await v2Token(sandbox, ['asset.view']));
    const write = await viewer('POST', SYNC, { identifierType: 'ASSET_ID', identifier: ownedAssets(sandbox)[0]!.id });
    expect(write.status).toBe(403);
    const read = await viewer('GET', CONTRACTS);
    expect(read.status).toBe(200);
    expect(read.body.totalElements).toBeGreaterThan(0);
  });
});

describe('Rental API — without IrisX', () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    sandbox = await start({ seed: 'demo', features: { irisx: false } });
  });
  afterAll(() => sandbox.close());

  it('answers 403 to every rental operation', async () => {
    const call = await authed(sandbox);
    const sync = await call('POST', SYNC, { identifierType: 'ASSET_ID', identifier: ownedAssets(sandbox)[0]!.id });
    expect(sync.status).toBe(403);
    expect(sync.body).toMatchObject({ status: 403, code: 'forbidden' });
    expect((await call('GET', CONTRACTS)).status).toBe(403);
    expect(sandbox.store.contracts.size).toBe(0);
  });
});
