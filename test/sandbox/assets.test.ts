import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, type SandboxHandle } from '../../src/sandbox/index.js';
import type { AssetRecord } from '../../src/sandbox/store.js';
import { authed, caller, start, v2Token } from './helpers.js';

const BASE = '/api/asset/v1/assets';
const ASSET_KEYS = [
  'assetType',
  'brand',
  'createdAt',
  'externalReference',
  'id',
  'model',
  'name',
  'ownerAccountId',
  'owningDepotId',
  'permissions',
  'productionYear',
  'rentalStatus',
  'serialNumber',
  'telematicsDevices',
  'type',
  'updatedAt',
];
interface Asset {
  id: string;
  name: string;
  assetType: string;
  type: string | null;
  serialNumber: string;
  externalReference: string;
  telematicsDevices: Array<{ id: string; serialNumber: string }>;
  [key: string]: unknown;
}
const fields = (body: { violations: Array<{ field: string }> }) => body.violations.map((v) => v.field).sort();
const tool = (serial: string, extra: Record<string, unknown> = {}) => ({
  name: 'Breaker 99',
  assetType: 'TOOL',
  type: 'Breaker',
  brand: 'Hilti',
  model: 'TE 3000-AVR',
  serialNumber: 'HILTI-0099',
  telematicsDevices: [{ serialNumber: serial }],
  ...extra,
});

describe('Assets API', () => {
  let sandbox: SandboxHandle;
  let call: Awaited<ReturnType<typeof authed>>;
  let all: Asset[];
  const clock = new FakeClock('2026-03-01T12:00:00Z');
  const changedEvents: string[] = [];

  beforeAll(async () => {
    sandbox = await start({ seed: 'demo', clock });
    sandbox.store.events.on('asset-changed', (asset: AssetRecord) => changedEvents.push(asset.id));
    call = await authed(sandbox);
    all = (await call('GET', `${BASE}?size=1000`)).body.content as Asset[];
  });
  afterAll(() => sandbox.close());

  const owned = () => all.filter((a) => !a.name.startsWith('Shared-in'));
  const sharedIn = () => all.find((a) => a.name.startsWith('Shared-in'))!;

  it('lists owned and shared-in assets in the documented page object, without internal fields', async () => {
    const res = await call('GET', BASE);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalElements: 32, totalPages: 2, number: 0, size: 20, numberOfElements: 20 });
    expect(all).toHaveLength(32);
    for (const asset of all) expect(Object.keys(asset).sort()).toEqual(ASSET_KEYS);
    // The documented example's shape (asset-list-example.v1beta1.json): category in assetType, free-text
    // type, "" for an unset externalReference, permissions, ownerAccountId on every asset.
    expect(res.body.content[0]).toMatchObject({
      name: 'Excavator 1',
      assetType: 'MACHINE',
      type: 'Excavator',
      externalReference: '',
      permissions: { edit: true },
      brand: 'Wacker Neuson',
      rentalStatus: null,
      owningDepotId: null,
    });
    expect(all.find((a) => a.name === 'Scissor lift 7')).toMatchObject({ assetType: 'MACHINE', type: 'AWP/Scissor lift' });
    expect(sharedIn()).toMatchObject({ permissions: { edit: false }, createdAt: null });
    expect(res.body.content[0].telematicsDevices).toEqual([{ id: expect.any(String), serialNumber: '3400000' }]);
    expect(sharedIn().ownerAccountId).not.toBe(owned()[0]!.ownerAccountId);
    const page2 = await call('GET', `${BASE}?page=1`);
    expect(page2.body).toMatchObject({ number: 1, numberOfElements: 12 });
    const past = await call('GET', `${BASE}?page=2`);
    expect(past.body).toMatchObject({ numberOfElements: 0, content: [] });
    const tooBig = await call('GET', `${BASE}?size=1001`);
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.violations.map((v: { field: string }) => v.field)).toEqual(['size']);
  });

  it('filters by assetType, serialNumber, externalReference, ids and sorts', async () => {
    const tools = await call('GET', `${BASE}?assetType=TOOL`);
    expect(tools.body.content.map((a: Asset) => a.name)).toEqual(['Breaker 10', 'Breaker 22']);
    const toolsAndEquipment = await call('GET', `${BASE}?assetType=TOOL,EQUIPMENT&sort=-name`);
    expect(toolsAndEquipment.body.content.map((a: Asset) => a.name)).toEqual(['Compressor 9', 'Compressor 21', 'Breaker 22', 'Breaker 10']);
    const target = owned()[5]!;
    const bySerial = await call('GET', `${BASE}?serialNumber=${encodeURIComponent(target.serialNumber)}`);
    expect(bySerial.body.content.map((a: Asset) => a.id)).toEqual([target.id]);
    expect((await call('GET', `${BASE}?serialNumber=${encodeURIComponent(target.serialNumber.slice(0, 8))}`)).body.totalElements).toBe(0);
    const byIds = await call('GET', `${BASE}?ids=${all[3]!.id}&ids=${all[1]!.id}`);
    expect(byIds.body.content.map((a: Asset) => a.id)).toEqual([all[1]!.id, all[3]!.id]);
    expect((await call('GET', `${BASE}?sort=owned`)).status).toBe(400);
    // "" is how an unset externalReference is spelled, so it finds the assets without one.
    expect((await call('GET', `${BASE}?externalReference=&size=1000`)).body.totalElements).toBe(all.filter((a) => a.externalReference === '').length);
  });

  it('gets one asset (200) and answers 404 asset_not_found for an unknown id', async () => {
    const got = await call('GET', `${BASE}/${all[0]!.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(all[0]);
    const id = '00000000-0000-4000-8000-00000000abcd';
    const missing = await call('GET', `${BASE}/${id}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ status: 404, code: 'asset_not_found', message: `Asset ${id} not found` });
    expect((await call('PATCH', `${BASE}/${id}`, { name: 'x' })).body.code).toBe('asset_not_found');
  });

  it('patches an owned asset partially (200) and emits asset-changed', async () => {
    const target = owned()[2]!;
    clock.advance(5_000);
    changedEvents.length = 0;
    const res = await call('PATCH', `${BASE}/${target.id}`, { name: 'Excavator three', externalReference: 'ERP-0003', productionYear: 2020, ignored: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...target, name: 'Excavator three', externalReference: 'ERP-0003', productionYear: 2020, updatedAt: '2026-03-01T12:00:05.000Z' });
    expect(changedEvents).toEqual([target.id]);
    expect((await call('GET', `${BASE}?externalReference=ERP-0003`)).body.content.map((a: Asset) => a.id)).toEqual([target.id]);
    const cleared = await call('PATCH', `${BASE}/${target.id}`, { externalReference: null, brand: '' });
    expect(cleared.body).toMatchObject({ externalReference: '', brand: null, name: 'Excavator three' });
    // The free-text type is editable; the category is not (ignored like any unknown field).
    const retyped = await call('PATCH', `${BASE}/${target.id}`, { type: 'Crawler excavator', assetType: 'TOOL' });
    expect(retyped.body).toMatchObject({ type: 'Crawler excavator', assetType: 'MACHINE' });
  });

  it('rejects invalid patches with every violation at once and changes nothing', async () => {
    const target = owned()[4]!;
    changedEvents.length = 0;
    const res = await call('PATCH', `${BASE}/${target.id}`, { name: '', type: 42, productionYear: 2020.5, model: 12 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('constraint_violation');
    expect(fields(res.body)).toEqual(['model', 'name', 'productionYear', 'type']);
    expect((await call('PATCH', `${BASE}/${target.id}`, { name: null })).status).toBe(400);
    expect((await call('GET', `${BASE}/${target.id}`)).body).toEqual(target);
    expect(changedEvents).toEqual([]);
  });

  it('keeps externalReference unique per account', async () => {
    const [a, b] = [owned()[10]!, owned()[11]!];
    expect((await call('PATCH', `${BASE}/${a.id}`, { externalReference: 'ERP-UNIQUE' })).status).toBe(200);
    const dup = await call('PATCH', `${BASE}/${b.id}`, { externalReference: 'ERP-UNIQUE' });
    expect(dup.status).toBe(400);
    expect(dup.body.code).toBe('external_reference_already_exists');
    expect(dup.body.violations).toEqual([{ field: 'externalReference', message: expect.stringContaining("value 'ERP-UNIQUE' was rejected") }]);
    expect((await call('GET', `${BASE}/${b.id}`)).body.externalReference).toBe('');
    expect((await call('PATCH', `${BASE}/${a.id}`, { externalReference: 'ERP-UNIQUE', model: 'X' })).status).toBe(200);
  });

  it('refuses to update a shared-in (not owned) asset with 403', async () => {
    const shared = sharedIn();
    const res = await call('PATCH', `${BASE}/${shared.id}`, { externalReference: 'ERP-SHARED' });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ status: 403, code: 'forbidden' });
    expect((await call('GET', `${BASE}/${shared.id}`)).body.externalReference).toBe('');
  });

  it('onboards a non-MACHINE asset with one new device (201), owned and empty of telemetry', async () => {
    changedEvents.length = 0;
    const res = await call('POST', `${BASE}/onboard`, tool('BT-0001'));
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(ASSET_KEYS);
    expect(res.body).toMatchObject({
      name: 'Breaker 99',
      assetType: 'TOOL',
      type: 'Breaker',
      brand: 'Hilti',
      model: 'TE 3000-AVR',
      serialNumber: 'HILTI-0099',
      productionYear: null,
      externalReference: '',
      permissions: { edit: true },
      ownerAccountId: owned()[0]!.ownerAccountId,
      rentalStatus: null,
      owningDepotId: null,
      createdAt: '2026-03-01T12:00:05.000Z',
    });
    expect(res.body.telematicsDevices).toEqual([{ id: expect.any(String), serialNumber: 'BT-0001' }]);
    expect(changedEvents).toEqual([res.body.id]);
    const record = sandbox.store.assets.get(res.body.id)!;
    expect(record.owned).toBe(true);
    expect(Object.values(record.telemetry).every((v) => v === null)).toBe(true);
    expect((await call('GET', `${BASE}/${res.body.id}`)).body).toEqual(res.body);
    // Owned, so it can be updated.
    expect((await call('PATCH', `${BASE}/${res.body.id}`, { externalReference: 'ERP-TOOL-99' })).status).toBe(200);
  });

  it('rejects onboarding with the documented use-case codes', async () => {
    const machine = await call('POST', `${BASE}/onboard`, tool('BT-0100', { assetType: 'MACHINE' }));
    expect(machine.status).toBe(400);
    expect(machine.body.code).toBe('asset_type_not_supported');
    for (const devices of [[], [{ serialNumber: 'BT-0101' }, { serialNumber: 'BT-0102' }], undefined]) {
      const res = await call('POST', `${BASE}/onboard`, tool('unused', { telematicsDevices: devices }));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: 400, code: 'exactly_one_telematics_device_is_required' });
    }
    // 3400000 is the first demo asset's device.
    const taken = await call('POST', `${BASE}/onboard`, tool('3400000'));
    expect(taken.status).toBe(400);
    expect(taken.body.code).toBe('telematics_device_already_onboarded');
    const invalid = await call('POST', `${BASE}/onboard`, { assetType: 'BOAT', type: 7, telematicsDevices: [{ serialNumber: '' }] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('constraint_violation');
    expect(fields(invalid.body)).toEqual(['assetType', 'name', 'telematicsDevices[0].serialNumber', 'type']);
    expect((await call('GET', BASE)).body.totalElements).toBe(33); // only the one onboarded above
  });

  it('offboards a non-MACHINE owned asset (204) and refuses MACHINE assets (400)', async () => {
    const onboarded = await call('POST', `${BASE}/onboard`, tool('BT-0200', { name: 'Short-lived', assetType: 'ATTACHMENT' }));
    expect(onboarded.status).toBe(201);
    const off = await call('POST', `${BASE}/${onboarded.body.id}/offboard`);
    expect(off.status).toBe(204);
    expect(off.text).toBe('');
    expect((await call('GET', `${BASE}/${onboarded.body.id}`)).status).toBe(404);
    expect((await call('POST', `${BASE}/${onboarded.body.id}/offboard`)).body.code).toBe('asset_not_found');
    // Its device can be onboarded again.
    expect((await call('POST', `${BASE}/onboard`, tool('BT-0200', { name: 'Second life' }))).status).toBe(201);

    const machine = owned().find((a) => a.assetType === 'MACHINE')!;
    const refused = await call('POST', `${BASE}/${machine.id}/offboard`);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('asset_type_not_supported');
    expect((await call('GET', `${BASE}/${machine.id}`)).status).toBe(200);
  });

  it('enforces v2 scopes: asset.view reads only; account.asset.manage writes', async () => {
    const viewer = caller(sandbox, await v2Token(sandbox, ['asset.view']));
    expect((await viewer('GET', BASE)).status).toBe(200);
    const target = owned()[7]!;
    const denied = await viewer('PATCH', `${BASE}/${target.id}`, { name: 'Nope' });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('forbidden');
    expect((await viewer('POST', `${BASE}/onboard`, tool('BT-0300'))).status).toBe(403);
    const manager = caller(sandbox, await v2Token(sandbox, ['account.asset.manage']));
    const patched = await manager('PATCH', `${BASE}/${target.id}`, { name: 'Managed' });
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe('Managed');
  });
});
