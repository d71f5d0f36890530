import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import type { TrackunitClient } from '../../src/trackunit/client.js';
import { DEFAULT_TIMEOUTS } from '../../src/trackunit/config.js';
import { ApiError } from '../../src/trackunit/errors.js';
import { UndiciTransport, type HttpRequest } from '../../src/trackunit/http.js';
import { shapeMismatches } from '../../src/trackunit/shapes.js';
import { readFileSync } from 'node:fs';
import { assetSchema, assetsApi, assetsProbe, fromWire, type Asset } from '../../src/trackunit/endpoints/assets.js';
import { start } from '../sandbox/helpers.js';
import { sandboxClient } from './helpers.js';
import { apiWrites } from '../support/api-writes.js';

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

const MISSING = '00000000-0000-4000-8000-000000000000';

/**
 * The documented example response of GET /api/asset/v1beta1/assets: a verbatim copy of
 * ../shared/trackunit-api/evidence/asset-list-example.v1beta1.json (developer-hub service-management-intro.md).
 */
const DOCUMENTED_EXAMPLE = JSON.parse(readFileSync(new URL('./evidence/asset-list-example.v1beta1.json', import.meta.url), 'utf8')) as { content: Asset[] };

describe('the Asset shape against the documented example (asset-list-example.v1beta1.json)', () => {
  it('matches what the client relies on: assetType the category, type free text, createdAt null, devices with only an id', () => {
    expect(shapeMismatches(assetsProbe.schema, DOCUMENTED_EXAMPLE)).toEqual([]);
    for (const asset of DOCUMENTED_EXAMPLE.content) expect(shapeMismatches(assetSchema, asset)).toEqual([]);
  });

  it('reads the documented unset externalReference "" as none', () => {
    const [wire] = DOCUMENTED_EXAMPLE.content;
    expect(wire!.externalReference).toBe('');
    expect(fromWire(wire!)).toMatchObject({ externalReference: null, assetType: 'MACHINE', type: 'AWP/Scissor lift' });
    expect(fromWire({ ...wire!, externalReference: 'EQ-1' }).externalReference).toBe('EQ-1');
  });
});

describe('assetsApi against the sandbox', () => {
  let sandbox: SandboxHandle;
  let client: TrackunitClient;
  let api: ReturnType<typeof assetsApi>;
  let writes: ReturnType<typeof apiWrites>['assets'];
  const listRequests = () => sandbox.requestLog.count((e) => e.route === 'assets.list');
  const stored = () => [...sandbox.store.assets.values()];
  const owned = () => stored().filter((a) => a.owned);

  beforeAll(async () => {
    // Demo seed: 30 owned assets and 2 shared in from another account.
    sandbox = await start();
    client = sandboxClient(sandbox);
    api = assetsApi(client);
    writes = apiWrites(client).assets;
  });
  afterAll(async () => {
    await client.close();
    await sandbox.close();
  });

  it('lists every asset at page size 1000 in one request, owned and shared in', async () => {
    sandbox.requestLog.clear();
    const assets = await api.list();
    expect(assets.map((a) => a.id)).toEqual(stored().map((a) => a.id));
    expect(assets).toHaveLength(32);
    expect(listRequests()).toBe(1);
    const first = stored()[0]!;
    expect(assets[0]).toEqual({
      id: first.id,
      name: first.name,
      assetType: 'MACHINE',
      type: 'Excavator',
      brand: first.brand,
      model: first.model,
      serialNumber: first.serialNumber,
      productionYear: first.productionYear,
      // Served as "" (the documented "unset"), read as null.
      externalReference: null,
      telematicsDevices: first.telematicsDevices,
      ownerAccountId: sandbox.store.account.id,
      permissions: { edit: true },
      rentalStatus: null,
      owningDepotId: null,
      createdAt: first.createdAt,
      updatedAt: first.updatedAt,
    });
    expect(assets.filter((a) => a.ownerAccountId !== sandbox.store.account.id).map((a) => a.name)).toEqual(
      stored().filter((a) => !a.owned).map((a) => a.name),
    );
    for (const a of assets) expect(shapeMismatches(assetSchema, a)).toEqual([]);
  });

  it('lists at page size 7: every asset once, in order, in ceil(n/7) requests', async () => {
    const small = sandboxClient(sandbox, { pageSize: 7 });
    try {
      sandbox.requestLog.clear();
      const ids = (await assetsApi(small).list()).map((a) => a.id);
      expect(ids).toEqual(stored().map((a) => a.id));
      expect(new Set(ids).size).toBe(ids.length);
      expect(listRequests()).toBe(Math.ceil(ids.length / 7));
      expect(listRequests()).toBe(5);
    } finally {
      await small.close();
    }
  });

  it('filters by category (assetType) and ids; an empty id list asks nothing', async () => {
    const machines = await api.list({ assetType: 'MACHINE' });
    expect(machines.map((a) => a.id)).toEqual(stored().filter((a) => a.assetType === 'MACHINE').map((a) => a.id));
    expect(machines.length).toBeGreaterThan(0);
    const mixed = await api.list({ assetType: ['MACHINE', 'TOOL'] });
    expect(mixed.map((a) => a.id)).toEqual(stored().filter((a) => a.assetType === 'MACHINE' || a.assetType === 'TOOL').map((a) => a.id));

    const picked = [stored()[5]!.id, stored()[2]!.id];
    expect((await api.list({ ids: picked })).map((a) => a.id).sort()).toEqual([...picked].sort());
    sandbox.requestLog.clear();
    expect(await api.list({ ids: [] })).toEqual([]);
    expect(listRequests()).toBe(0);
  });

  it('splits a long id list over several requests', async () => {
    const fake = Array.from({ length: 218 }, (_, i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);
    const ids = [...fake.slice(0, 100), ...stored().map((a) => a.id), ...fake.slice(100)];
    sandbox.requestLog.clear();
    const found = await api.list({ ids });
    expect(found.map((a) => a.id).sort()).toEqual(stored().map((a) => a.id).sort());
    expect(listRequests()).toBe(3);
  });

  it('gets and updates an owned asset; null clears a field', async () => {
    const target = owned()[3]!;
    const before = await api.get(target.id);
    expect(before.id).toBe(target.id);
    const updated = await writes.update(target.id, { externalReference: 'ERP-ASSET-0042', productionYear: 2020, brand: 'Volvo' });
    expect(updated).toMatchObject({ id: target.id, externalReference: 'ERP-ASSET-0042', productionYear: 2020, brand: 'Volvo', name: before.name });
    expect(await api.get(target.id)).toEqual(updated);
    expect(sandbox.store.assets.get(target.id)?.externalReference).toBe('ERP-ASSET-0042');

    const cleared = await writes.update(target.id, { productionYear: null, brand: null });
    expect(cleared).toMatchObject({ productionYear: null, brand: null, externalReference: 'ERP-ASSET-0042' });
  });

  it('404 for an unknown asset', async () => {
    for (const call of [() => api.get(MISSING), () => writes.update(MISSING, { name: 'x' })]) {
      const error = await rejection(call());
      expect([error.status, error.apiCode]).toEqual([404, 'asset_not_found']);
    }
  });

  it('surfaces constraint violations on the ApiError', async () => {
    const target = owned()[4]!;
    const error = await rejection(writes.update(target.id, { productionYear: 1800, name: '' }));
    expect(error.status).toBe(400);
    expect(error.apiCode).toBe('constraint_violation');
    expect(error.violations.map((v) => v.field).sort()).toEqual(['name', 'productionYear']);
    expect(sandbox.store.assets.get(target.id)?.name).toBe(target.name);

    await writes.update(owned()[5]!.id, { externalReference: 'ERP-DUP' });
    const duplicate = await rejection(writes.update(target.id, { externalReference: 'ERP-DUP' }));
    expect(duplicate.apiCode).toBe('external_reference_already_exists');
    expect(duplicate.violations.map((v) => v.field)).toEqual(['externalReference']);
  });

  it('finds by external reference with one GET, hit and miss', async () => {
    const target = owned()[7]!;
    await writes.update(target.id, { externalReference: 'ERP-FIND-7' });
    sandbox.requestLog.clear();
    expect(await api.findByExternalReference('ERP-FIND-7')).toMatchObject({ id: target.id, externalReference: 'ERP-FIND-7' });
    expect(await api.findByExternalReference('ERP-FIND')).toBeUndefined();
    expect(listRequests()).toBe(2);
    expect(await api.findByExternalReference('')).toBeUndefined();
    expect(listRequests()).toBe(2);
  });

  it('finds by serial number: every exact match', async () => {
    const target = owned().find((a) => a.serialNumber !== null)!;
    expect((await api.findBySerialNumber(target.serialNumber!)).map((a) => a.id)).toEqual([target.id]);
    expect(await api.findBySerialNumber('NO-SUCH-PIN')).toEqual([]);
    expect((await api.list({ serialNumber: target.serialNumber! })).map((a) => a.id)).toEqual([target.id]);
  });

  it('does not answer a false miss when the server ignores the serialNumber filter', async () => {
    const real = new UndiciTransport(DEFAULT_TIMEOUTS);
    const ignoring = sandboxClient(sandbox, { pageSize: 7 }, {
      transport: {
        send: (request: HttpRequest) => {
          request.url.searchParams.delete('serialNumber');
          return real.send(request);
        },
        close: () => real.close(),
      },
    });
    try {
      const target = owned().filter((a) => a.serialNumber !== null).at(-1)!;
      sandbox.requestLog.clear();
      expect((await assetsApi(ignoring).findBySerialNumber(target.serialNumber!)).map((a) => a.id)).toEqual([target.id]);
      expect(listRequests()).toBe(1 + Math.ceil(stored().length / 7));
    } finally {
      await ignoring.close();
    }
  });

  it('refuses to patch an asset shared in from another account (403)', async () => {
    const shared = stored().find((a) => !a.owned)!;
    expect((await api.get(shared.id)).ownerAccountId).not.toBe(sandbox.store.account.id);
    const error = await rejection(writes.update(shared.id, { externalReference: 'ERP-NOT-MINE' }));
    expect(error.status).toBe(403);
    expect(error.attempts).toBe(1);
    expect(sandbox.store.assets.get(shared.id)?.externalReference).toBeNull();
  });

  it('reads back the [assumed] rental fields when set, and the schema tolerates them absent or null', async () => {
    const record = owned()[9]!;
    record.rentalStatus = 'ON_RENT';
    record.owningDepotId = MISSING;
    const asset = await api.get(record.id);
    expect(asset).toMatchObject({ rentalStatus: 'ON_RENT', owningDepotId: MISSING });
    expect(shapeMismatches(assetSchema, asset)).toEqual([]);
    const { rentalStatus: _r, owningDepotId: _d, ...withoutRental } = asset;
    expect(shapeMismatches(assetSchema, withoutRental)).toEqual([]);
    expect(shapeMismatches(assetSchema, { ...asset, rentalStatus: null, owningDepotId: null })).toEqual([]);
    expect(shapeMismatches(assetSchema, { ...asset, rentalStatus: 7 })).toEqual(['rentalStatus: must be string,null']);
  });

  it('probe: the read matches its schema', async () => {
    expect(assetsProbe).toMatchObject({ family: 'assets', entitlement: 'any account' });
    const body = (await assetsProbe.read(client)) as { content: unknown[]; totalElements: number };
    expect(body.content).toHaveLength(5);
    expect(body.totalElements).toBe(32);
    expect(shapeMismatches(assetsProbe.schema, body)).toEqual([]);
    const partial = { id: MISSING, name: 'X', assetType: 'TOOL', ownerAccountId: 'acc', type: 'Breaker' };
    expect(shapeMismatches(assetsProbe.schema, { ...body, content: [partial] })).toEqual(['content.0.externalReference: missing']);
    // The shape this client used to expect: the category in `type`, no assetType.
    expect(shapeMismatches(assetsProbe.schema, { ...body, content: [{ ...partial, assetType: undefined, type: 'TOOL', externalReference: '' }] })).toEqual([
      'content.0.assetType: missing',
    ]);
  });
});

describe('assetsApi on an account without IrisX', () => {
  it('still reads and updates assets', async () => {
    const sandbox = await start({ features: { irisx: false } });
    const client = sandboxClient(sandbox);
    try {
      const api = assetsApi(client);
      const writes = apiWrites(client).assets;
      const assets = await api.list();
      expect(assets).toHaveLength(32);
      const target = assets.find((a) => a.ownerAccountId === sandbox.store.account.id)!;
      expect(await writes.update(target.id, { externalReference: 'NO-IRISX' })).toMatchObject({ externalReference: 'NO-IRISX' });
      expect(shapeMismatches(assetsProbe.schema, await assetsProbe.read(client))).toEqual([]);
    } finally {
      await client.close();
      await sandbox.close();
    }
  });
});
