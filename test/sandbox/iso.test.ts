import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, type SandboxHandle } from '../../src/sandbox/index.js';
import type { AssetRecord } from '../../src/sandbox/store.js';
import { authed, caller, start, v2Token } from './helpers.js';
import { fixtureAssets, ISO_FLEET_SAMPLE } from './iso-fixture.js';

const ISO = '/public/api/aemp/v2/15143/-3';
const JSON_ACCEPT = { Accept: 'application/json' };
type Call = Awaited<ReturnType<typeof authed>>;
type Equipment = Record<string, any>;

/**
 * A fixture equipment as the sandbox serves it in JSON: iso-fleet-sample.json predates the evidence that
 * the official JSON names the block `metadata` and the asset id `assetId` (evidence/README.md); the rest
 * of the fixture stands.
 */
function asServedInJson(equipment: Equipment): Equipment {
  return Object.fromEntries(
    Object.entries(equipment).map(([key, value]) => {
      if (key !== 'Metadata') return [key, value];
      const { MachineId, ...rest } = value as Equipment;
      return ['metadata', { assetId: MachineId, ...rest }];
    }),
  );
}

/** Strings everywhere (no number guessing), `@_datetime` attributes, Links/Equipment always arrays. */
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, isArray: (name) => ['Links', 'Equipment'].includes(name) });
const parseFleet = (text: string) => xml.parse(text).Fleet as { '@_version': string; '@_snapshotTime': string; Links?: Array<{ rel: string; href: string }>; Equipment?: Equipment[] };

const assets = (sandbox: SandboxHandle) => [...sandbox.store.assets.values()];
const findAsset = (sandbox: SandboxHandle, test: (a: AssetRecord) => boolean): AssetRecord => {
  const asset = assets(sandbox).find(test);
  if (!asset) throw new Error('the seed has no such asset');
  return asset;
};

describe('ISO 15143-3 export: fleet paging (250 assets)', () => {
  let sandbox: SandboxHandle;
  let call: Call;

  beforeAll(async () => {
    sandbox = await start({ seed: 'empty', assets: 250 });
    call = await authed(sandbox);
  });
  afterAll(() => sandbox.close());

  const pathOf = (href: string) => {
    expect(href.startsWith(`${sandbox.url}${ISO}/Fleet/`)).toBe(true);
    return href.slice(sandbox.url.length);
  };

  it('walks 3 JSON pages by following next: 250 distinct equipment, documented link rels', async () => {
    const names: string[] = [];
    const rels: string[][] = [];
    let path: string | undefined = `${ISO}/Fleet/1`;
    while (path) {
      const res = await call('GET', path, undefined, JSON_ACCEPT);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
      names.push(...res.body.equipment.map((e: Equipment) => e.EquipmentHeader.EquipmentID));
      rels.push(res.body.links.map((l: { rel: string }) => l.rel));
      const self = res.body.links.find((l: { rel: string }) => l.rel === 'self');
      expect(pathOf(self.href)).toBe(path);
      const next = res.body.links.find((l: { rel: string }) => l.rel === 'next');
      path = next ? pathOf(next.href) : undefined;
    }
    expect(names).toHaveLength(250);
    expect(new Set(names).size).toBe(250);
    expect(names.slice(0, 2)).toEqual(assets(sandbox).slice(0, 2).map((a) => a.name));
    expect(rels).toEqual([
      ['self', 'next', 'last'],
      ['self', 'prev', 'next', 'last'],
      ['self', 'prev', 'last'],
    ]);
  });

  it('walks the XML pages too, echoing the query string in every href', async () => {
    const ids: string[] = [];
    const pages: number[] = [];
    let path: string | undefined = `${ISO}/Fleet/1?addMetadata=true`;
    while (path) {
      const res = await call('GET', path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/xml');
      const fleet = parseFleet(res.text);
      expect(fleet['@_version']).toBe('2');
      ids.push(...(fleet.Equipment ?? []).map((e) => e.Metadata.MachineId as string));
      pages.push(fleet.Equipment?.length ?? 0);
      const links = fleet.Links ?? [];
      for (const link of links) expect(link.href).toMatch(/\/Fleet\/\d+\?addMetadata=true$/);
      expect(links.find((l) => l.rel === 'last')?.href).toBe(`${sandbox.url}${ISO}/Fleet/3?addMetadata=true`);
      const next = links.find((l) => l.rel === 'next');
      path = next ? pathOf(next.href) : undefined;
    }
    expect(pages).toEqual([100, 100, 50]);
    expect(new Set(ids)).toEqual(new Set(assets(sandbox).map((a) => a.id)));
  });

  it('page 2 links point at pages 1, 3 and 3', async () => {
    const res = await call('GET', `${ISO}/Fleet/2`, undefined, JSON_ACCEPT);
    const href = (n: number) => `${sandbox.url}${ISO}/Fleet/${n}`;
    expect(res.body.links).toEqual([
      { rel: 'self', href: href(2) },
      { rel: 'prev', href: href(1) },
      { rel: 'next', href: href(3) },
      { rel: 'last', href: href(3) },
    ]);
  });

  it('page beyond the last → 200 with no equipment; page not a positive integer → 400', async () => {
    const beyond = await call('GET', `${ISO}/Fleet/4`, undefined, JSON_ACCEPT);
    expect(beyond.status).toBe(200);
    expect(beyond.body.equipment).toEqual([]);
    expect(beyond.body.links.map((l: { rel: string }) => l.rel)).toEqual(['self', 'prev', 'last']);
    const beyondXml = parseFleet((await call('GET', `${ISO}/Fleet/4`)).text);
    expect(beyondXml.Equipment).toBeUndefined();
    for (const bad of ['0', '-1', '1.5', 'abc', 'Equipment']) {
      const res = await call('GET', `${ISO}/Fleet/${bad}`, undefined, JSON_ACCEPT);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: 400, code: 'constraint_violation' });
      expect(res.body.violations[0].field).toBe('pageNumber');
    }
  });

  it('every equipment uses only the fixture element names, in the fixture order', async () => {
    const order = Object.keys(asServedInJson(ISO_FLEET_SAMPLE.equipment[0] as Equipment));
    const res = await call('GET', `${ISO}/Fleet/1?addMetadata=true&addExtendedData=true`, undefined, JSON_ACCEPT);
    for (const e of res.body.equipment as Equipment[]) {
      const keys = Object.keys(e);
      expect(keys.every((k) => order.includes(k))).toBe(true);
      expect(keys).toEqual([...keys].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
    }
  });
});

describe('ISO 15143-3 export: shapes, formats, single element, access (demo seed)', () => {
  let sandbox: SandboxHandle;
  let call: Call;
  const clock = new FakeClock('2026-02-01T06:00:00Z');

  beforeAll(async () => {
    sandbox = await start({ seed: 'demo', clock });
    for (const asset of fixtureAssets(sandbox.store.account.id)) sandbox.store.assets.set(asset.id, asset);
    call = await authed(sandbox);
  });
  afterAll(() => sandbox.close());

  const fleet = async (query = '') => (await call('GET', `${ISO}/Fleet/1${query}`, undefined, JSON_ACCEPT)).body.equipment as Equipment[];
  const byName = (list: Equipment[], name: string) => list.find((e) => e.EquipmentHeader.EquipmentID === name) as Equipment;

  it('renders the fixture assets exactly as iso-fleet-sample.json (JSON)', async () => {
    const res = await call('GET', `${ISO}/Fleet/1?addMetadata=true&addExtendedData=true`, undefined, JSON_ACCEPT);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(Object.keys(ISO_FLEET_SAMPLE));
    expect(res.body).toMatchObject({ version: '2', snapshotTime: '2026-02-01T06:00:00.000Z' });
    const full = byName(res.body.equipment, 'Excavator 12 - Depot North');
    const sample = asServedInJson(ISO_FLEET_SAMPLE.equipment[0] as Equipment);
    expect(Object.keys(full)).toEqual(Object.keys(sample));
    // CumulativeMovingHours is invented sandbox data: 6% of the operating hours.
    expect(full).toEqual({ ...sample, CumulativeMovingHours: { datetime: '2025-03-04T05:40:00Z', Hour: 91.9, Value: 91.9 } });
    const single = await call('GET', `${ISO}/Fleet/Equipment/ID/GS3213A-118?addMetadata=true`, undefined, JSON_ACCEPT);
    expect(single.body.equipment).toEqual([asServedInJson(ISO_FLEET_SAMPLE.equipment[1] as Equipment)]);
  });

  it('serves the fleet (owned and shared-in) in natural order on one page', async () => {
    const list = await fleet();
    expect(list.map((e) => e.EquipmentHeader.EquipmentID)).toEqual(assets(sandbox).map((a) => a.name));
    expect(list.some((e) => e.EquipmentHeader.EquipmentID.startsWith('Shared-in'))).toBe(true);
  });

  it('omits elements without telemetry: no hour meter, no PIN, no engine/fuel for a tool', async () => {
    const noHours = findAsset(sandbox, (a) => a.telemetry.operatingHours === null);
    const noPin = findAsset(sandbox, (a) => a.telemetry.pin === null && a.assetType === 'TOOL');
    const list = await fleet('?addExtendedData=true');
    const hourless = byName(list, noHours.name);
    expect(hourless).not.toHaveProperty('CumulativeOperatingHours');
    expect(hourless).not.toHaveProperty('CumulativeMovingHours');
    expect(hourless.Location).toMatchObject({ datetime: noHours.telemetry.location?.datetime, Latitude: noHours.telemetry.location?.latitude });
    const pinless = byName(list, noPin.name);
    expect(pinless.EquipmentHeader).not.toHaveProperty('PIN');
    expect(pinless.EquipmentHeader.SerialNumber).toBe(noPin.serialNumber);
    expect(pinless).not.toHaveProperty('EngineStatus');
    expect(pinless).not.toHaveProperty('FuelRemaining');
    const noAltitude = byName(list, findAsset(sandbox, (a) => a.telemetry.location?.altitude === null).name);
    expect(Object.keys(noAltitude.Location)).toEqual(['datetime', 'Latitude', 'Longitude']);
  });

  it('adds Metadata only with addMetadata=true, extended data only with addExtendedData=true', async () => {
    const plain = await fleet();
    expect(plain.some((e) => 'metadata' in e || 'BatteryPotential' in e || 'CumulativeMovingHours' in e)).toBe(false);
    expect((await fleet('?addMetadata=false')).some((e) => 'metadata' in e)).toBe(false);
    const meta = await fleet('?addMetadata=true');
    expect(meta.every((e) => 'metadata' in e && !('Metadata' in e))).toBe(true);
    expect(meta.some((e) => 'BatteryPotential' in e)).toBe(false);
    const first = assets(sandbox)[0] as AssetRecord;
    // JSON: `metadata.assetId`, as a client written from the official aemp-iso-api.json reads it.
    expect(byName(meta, first.name).metadata).toEqual({
      assetId: first.id,
      TelematicSerialNumber: first.telematicsDevices[0]?.serialNumber,
      UnitId: first.telemetry.unitId,
      ExternalReferenceNumber: null,
    });
    const extended = await fleet('?addExtendedData=true');
    expect(extended.some((e) => 'metadata' in e)).toBe(false);
    const battery = findAsset(sandbox, (a) => a.telemetry.batteryPotential !== null);
    expect(byName(extended, battery.name).BatteryPotential).toEqual({
      datetime: battery.telemetry.batteryPotential?.datetime,
      BatteryPotential: battery.telemetry.batteryPotential?.volts,
      Value: battery.telemetry.batteryPotential?.volts,
    });
    const noBattery = findAsset(sandbox, (a) => a.telemetry.batteryPotential === null);
    expect(byName(extended, noBattery.name)).not.toHaveProperty('BatteryPotential');
  });

  it('renders XML by default and for application/xml: datetime attributes, Metadata, extended elements', async () => {
    const acceptHeaders: Array<Record<string, string>> = [{}, { Accept: 'application/xml' }, { Accept: 'application/json;q=0.5, application/xml' }];
    for (const headers of acceptHeaders) {
      const res = await call('GET', `${ISO}/Fleet/1?addMetadata=true&addExtendedData=true`, undefined, headers);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/xml');
      expect(res.text.startsWith('<?xml')).toBe(true);
      const doc = parseFleet(res.text);
      expect(doc['@_snapshotTime']).toBe('2026-02-01T06:00:00.000Z');
      expect(doc.Links?.map((l) => l.rel)).toEqual(['self', 'last']);
      const e = (doc.Equipment ?? []).find((x) => x.EquipmentHeader.EquipmentID === 'Excavator 12 - Depot North') as Equipment;
      expect(e.Location).toEqual({ '@_datetime': '2025-03-04T05:41:10Z', Latitude: '57.048812', Longitude: '9.921733', Altitude: '14', AltitudeUnits: 'metres' });
      expect(e.CumulativeOperatingHours).toEqual({ '@_datetime': '2025-03-04T05:40:00Z', Hour: '1532.4' });
      expect(e.EngineStatus).toEqual({ '@_datetime': '2025-03-04T05:40:00Z', Running: 'false' });
      expect(e.BatteryPotential).toEqual({ '@_datetime': '2025-03-04T05:39:30Z', BatteryPotential: '12.8', Value: '12.8' });
      expect(e.Metadata).toEqual({ TelematicSerialNumber: '3410022', MachineId: '7d2f0c1e-4b6a-4c59-9f3e-2a81c6d0b5e4', UnitId: '5512087', ExternalReferenceNumber: 'ERP-ASSET-0042' });
    }
    const json = await call('GET', `${ISO}/Fleet/1`, undefined, { Accept: 'application/xml;q=0.9, application/json' });
    expect(json.headers.get('content-type')).toContain('application/json');
    expect(json.body.version).toBe('2');
  });

  it('finds a single element by PIN (any case, trimmed), serial number or device serial; 404 otherwise', async () => {
    const pinned = findAsset(sandbox, (a) => a.owned && /[A-Z]/.test(a.telemetry.pin ?? '') && a.telemetry.pin === a.serialNumber);
    const pin = pinned.telemetry.pin as string;
    for (const id of [pin, pin.toLowerCase(), ` ${pin} `, pinned.telematicsDevices[0]?.serialNumber as string]) {
      const res = await call('GET', `${ISO}/Fleet/Equipment/ID/${encodeURIComponent(id)}`, undefined, JSON_ACCEPT);
      expect(res.status).toBe(200);
      expect(res.body.equipment.map((e: Equipment) => e.EquipmentHeader.EquipmentID)).toEqual([pinned.name]);
      expect(res.body).not.toHaveProperty('links');
    }
    const dashed = findAsset(sandbox, (a) => a.serialNumber !== null && a.telemetry.pin !== null && a.serialNumber !== a.telemetry.pin && !a.telemetry.pin.includes(' '));
    const bySerial = await call('GET', `${ISO}/Fleet/Equipment/ID/${encodeURIComponent(dashed.serialNumber as string)}?addMetadata=true`);
    const doc = parseFleet(bySerial.text);
    expect(doc.Links).toBeUndefined();
    expect(doc.Equipment?.map((e) => [e.EquipmentHeader.PIN, e.Metadata.MachineId])).toEqual([[dashed.telemetry.pin, dashed.id]]);
    const missing = await call('GET', `${ISO}/Fleet/Equipment/ID/NO-SUCH-PIN`, undefined, JSON_ACCEPT);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: 404, code: 'equipment_not_found' });
  });

  it('needs a token (401) and the asset.view scope on v2 tokens (403)', async () => {
    const anonymous = await fetch(`${sandbox.url}${ISO}/Fleet/1`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ status: 401, code: 'unauthorized' });
    const unscoped = caller(sandbox, await v2Token(sandbox, ['account.view']));
    const denied = await unscoped('GET', `${ISO}/Fleet/Equipment/ID/GS3213A-118`);
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ status: 403, code: 'forbidden' });
    const scoped = caller(sandbox, await v2Token(sandbox, ['asset.view']));
    expect((await scoped('GET', `${ISO}/Fleet/Equipment/ID/GS3213A-118`)).status).toBe(200);
  });
});

describe('ISO 15143-3 export: empty fleet', () => {
  it('has one (empty) page: self and last both page 1', async () => {
    const sandbox = await start({ seed: 'empty' });
    try {
      const res = await (await authed(sandbox))('GET', `${ISO}/Fleet/1`, undefined, JSON_ACCEPT);
      expect(res.status).toBe(200);
      expect(res.body.equipment).toEqual([]);
      expect(res.body.links).toEqual([
        { rel: 'self', href: `${sandbox.url}${ISO}/Fleet/1` },
        { rel: 'last', href: `${sandbox.url}${ISO}/Fleet/1` },
      ]);
    } finally {
      await sandbox.close();
    }
  });
});
