/**
 * ISO 15143-3 endpoint module: the JSON and XML wire forms parse to one normalised page (fixture and an
 * XML rendition of it), then fleet walks, single elements and the doctor probe against the sandbox —
 * which enforces the one-request-per-URL-per-15-minutes rule, so every walk uses its own query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import type { TrackunitClient } from '../../src/trackunit/client.js';
import { isoApi, isoFleetPageSchema, isoProbe, parseIsoDocument, type IsoEquipment, type IsoFleetPage } from '../../src/trackunit/endpoints/iso.js';
import { shapeMismatches } from '../../src/trackunit/shapes.js';
import { start } from '../sandbox/helpers.js';
import { ISO_FLEET_SAMPLE } from '../sandbox/iso-fixture.js';
import { sandboxClient } from './helpers.js';

const HREF = 'https://iris.trackunit.com/public/api/aemp/v2/15143/-3/Fleet';

/** iso-fleet-sample.json rendered as XML per the skeleton in iso-export.md. */
const FIXTURE_XML = `<?xml version="1.0" encoding="UTF-8"?>
<Fleet version="2" snapshotTime="2025-03-04T06:00:00Z">
  <Links><rel>self</rel><href>${HREF}/1</href></Links>
  <Links><rel>next</rel><href>${HREF}/2</href></Links>
  <Links><rel>last</rel><href>${HREF}/2</href></Links>
  <Equipment>
    <EquipmentHeader>
      <UnitInstallDateTime>2023-04-11T09:30:00Z</UnitInstallDateTime>
      <OEMName>Wacker Neuson</OEMName><Model>EZ26</Model><EquipmentID>Excavator 12 - Depot North</EquipmentID>
      <SerialNumber>WNCE0506PPAL01234</SerialNumber><PIN>WNCE0506PPAL01234</PIN>
    </EquipmentHeader>
    <Location datetime="2025-03-04T05:41:10Z">
      <Latitude>57.048812</Latitude><Longitude>9.921733</Longitude><Altitude>14.0</Altitude><AltitudeUnits>metres</AltitudeUnits>
    </Location>
    <CumulativeOperatingHours datetime="2025-03-04T05:40:00Z"><Hour>1532.4</Hour></CumulativeOperatingHours>
    <CumulativeIdleHours datetime="2025-03-04T05:40:00Z"><Hour>412.75</Hour></CumulativeIdleHours>
    <EngineStatus datetime="2025-03-04T05:40:00Z"><Running>false</Running></EngineStatus>
    <FuelRemaining datetime="2025-03-04T05:40:00Z"><Percent>63</Percent></FuelRemaining>
    <Distance datetime="2025-03-04T05:40:00Z"><OdometerUnits>kilometre</OdometerUnits><Odometer>88.2</Odometer></Distance>
    <Metadata>
      <TelematicSerialNumber>3410022</TelematicSerialNumber><MachineId>7d2f0c1e-4b6a-4c59-9f3e-2a81c6d0b5e4</MachineId>
      <UnitId>5512087</UnitId><ExternalReferenceNumber>ERP-ASSET-0042</ExternalReferenceNumber>
    </Metadata>
    <BatteryPotential datetime="2025-03-04T05:39:30Z"><BatteryPotential>12.8</BatteryPotential><Value>12.8</Value></BatteryPotential>
    <CumulativeMovingHours datetime="2025-03-04T05:40:00Z"><Hour>97.1</Hour><Value>97.1</Value></CumulativeMovingHours>
  </Equipment>
  <Equipment>
    <EquipmentHeader>
      <UnitInstallDateTime>2024-09-02T13:05:00Z</UnitInstallDateTime>
      <OEMName>Genie</OEMName><Model>GS-1932</Model><EquipmentID>Scissor lift 7</EquipmentID>
      <SerialNumber>3390118</SerialNumber><PIN>GS3213A-118</PIN>
    </EquipmentHeader>
    <Location datetime="2025-03-03T17:12:44Z"><Latitude>55.676098</Latitude><Longitude>12.568337</Longitude></Location>
    <CumulativeOperatingHours datetime="2025-03-03T17:10:00Z"><Hour>215.0</Hour></CumulativeOperatingHours>
    <Metadata>
      <TelematicSerialNumber>3390118</TelematicSerialNumber><MachineId>c0a4e9b2-91d7-4f0e-8e35-6b2d1f7a9c03</MachineId>
      <UnitId>6024511</UnitId><ExternalReferenceNumber/>
    </Metadata>
  </Equipment>
</Fleet>`;

const equipmentXml = (header: string) => `<Fleet version="2" snapshotTime="2025-03-04T06:00:00Z">
  <Links><rel>self</rel><href>${HREF}/1</href></Links>
  <Equipment><EquipmentHeader>${header}</EquipmentHeader></Equipment>
</Fleet>`;

describe('parseIsoDocument: one normalised form for JSON and XML', () => {
  const fromJson = parseIsoDocument(JSON.stringify(ISO_FLEET_SAMPLE));

  it('keeps the fixture JSON as sent: top level, links, PascalCase elements, null values', () => {
    expect(fromJson).toEqual({
      version: '2',
      snapshotTime: '2025-03-04T06:00:00Z',
      links: [
        { rel: 'self', href: `${HREF}/1` },
        { rel: 'next', href: `${HREF}/2` },
        { rel: 'last', href: `${HREF}/2` },
      ],
      equipment: ISO_FLEET_SAMPLE.equipment,
    });
    expect((fromJson.equipment[1]?.Metadata as IsoEquipment).ExternalReferenceNumber).toBeNull();
    expect(shapeMismatches(isoFleetPageSchema, fromJson)).toEqual([]);
  });

  it('parses the XML rendition of the fixture to the very same page', () => {
    const fromXml = parseIsoDocument(FIXTURE_XML);
    expect(fromXml).toEqual(fromJson);
    const first = fromXml.equipment[0] as Record<string, Record<string, unknown>>;
    expect(first.Location).toEqual({ datetime: '2025-03-04T05:41:10Z', Latitude: 57.048812, Longitude: 9.921733, Altitude: 14, AltitudeUnits: 'metres' });
    expect(first.EngineStatus?.Running).toBe(false);
    expect(first.Metadata?.UnitId).toBe('5512087');
  });

  it('ignores namespaces: a default xmlns or a prefixed root and children parse the same', () => {
    const defaultNs = FIXTURE_XML.replace('<Fleet ', '<Fleet xmlns="http://standards.iso.org/iso/15143/-3" ');
    expect(parseIsoDocument(defaultNs)).toEqual(fromJson);
    const prefixed = FIXTURE_XML.replace('<Fleet ', '<aemp:Fleet xmlns:aemp="urn:iso:15143-3" ')
      .replace('</Fleet>', '</aemp:Fleet>')
      .replace(/<(\/?)Equipment>/g, '<$1aemp:Equipment>')
      .replace(/<(\/?)Links>/g, '<$1aemp:Links>');
    expect(prefixed).toContain('<aemp:Equipment>');
    expect(parseIsoDocument(prefixed)).toEqual(fromJson);
  });

  it('makes a single Equipment and a single Links an array of one', () => {
    const page = parseIsoDocument(equipmentXml('<OEMName>JLG</OEMName><PIN>GS3213A-118</PIN>'));
    expect(page.links).toEqual([{ rel: 'self', href: `${HREF}/1` }]);
    expect(page.equipment).toEqual([{ EquipmentHeader: { OEMName: 'JLG', PIN: 'GS3213A-118' } }]);
    const empty = parseIsoDocument('<Fleet version="2"><Links><rel>self</rel><href>h</href></Links></Fleet>');
    expect(empty).toEqual({ version: '2', links: [{ rel: 'self', href: 'h' }], equipment: [] });
  });

  it('keeps identifiers and text elements strings: digit-only PIN with leading zeros, Model 320', () => {
    const header = '<PIN>03000001</PIN><SerialNumber>0042</SerialNumber><EquipmentID>17</EquipmentID><Model>320</Model><OEMName>3</OEMName>';
    const [fromXml] = parseIsoDocument(equipmentXml(header)).equipment;
    expect(fromXml?.EquipmentHeader).toEqual({ PIN: '03000001', SerialNumber: '0042', EquipmentID: '17', Model: '320', OEMName: '3' });
    // A JSON number in an identifier becomes its string (leading zeros were already lost on the wire).
    const json = { equipment: [{ EquipmentHeader: { PIN: 3000001, Model: 320 }, Metadata: { UnitId: 5512087 }, CumulativeOperatingHours: { Hour: 12 } }] };
    expect(parseIsoDocument(JSON.stringify(json)).equipment).toEqual([
      { EquipmentHeader: { PIN: '3000001', Model: '320' }, Metadata: { UnitId: '5512087' }, CumulativeOperatingHours: { Hour: 12 } },
    ]);
  });

  it('reads top-level JSON keys case-insensitively and keeps element keys as sent', () => {
    const doc = { Version: '2', Links: [{ Rel: 'self', Href: `${HREF}/1` }], Equipment: [{ EquipmentHeader: { PIN: 'X' }, location: { Latitude: 1 } }] };
    expect(parseIsoDocument(JSON.stringify(doc))).toEqual({
      version: '2',
      links: [{ rel: 'self', href: `${HREF}/1` }],
      equipment: [{ EquipmentHeader: { PIN: 'X' }, location: { Latitude: 1 } }],
    });
  });

  it('refuses what it cannot read, and the probe schema reports shapes that lack what we rely on', () => {
    expect(() => parseIsoDocument('plain text', 'GET /x')).toThrow(expect.objectContaining({ code: 'iso_unreadable', message: 'GET /x: the body is neither JSON nor XML' }));
    expect(() => parseIsoDocument('{"items": []}')).toThrow('no equipment list');
    expect(() => parseIsoDocument('{"equipment": [1]}')).toThrow('equipment[0] is not an object');
    const odd = parseIsoDocument(JSON.stringify({ links: [{ rel: 'self' }], equipment: [{ Location: {} }] }));
    expect(shapeMismatches(isoFleetPageSchema, odd)).toEqual(['links.0.href: must NOT have fewer than 1 characters', 'equipment.0.EquipmentHeader: missing']);
  });
});

describe('isoApi against the sandbox (250 assets, 3 pages)', () => {
  let sandbox: SandboxHandle;
  let client: TrackunitClient;
  const fleetRequests = () => sandbox.requestLog.count((e) => e.family === 'iso-fleet');

  beforeAll(async () => {
    sandbox = await start({ seed: 'empty', assets: 250 });
    client = sandboxClient(sandbox);
  });
  afterAll(async () => {
    await client.close();
    await sandbox.close();
  });

  async function walk(options: Parameters<ReturnType<typeof isoApi>['fleet']>[0]): Promise<IsoFleetPage[]> {
    const before = fleetRequests();
    const pages: IsoFleetPage[] = [];
    for await (const page of isoApi(client).fleet(options)) pages.push(page);
    expect(fleetRequests() - before).toBe(3);
    expect(sandbox.isoLimiter.poolUsesTotal).toBe(0);
    return pages;
  }
  const names = (pages: IsoFleetPage[]) => pages.flatMap((p) => p.equipment.map((e) => (e.EquipmentHeader as Record<string, unknown>).EquipmentID));
  const without = (e: IsoEquipment, keys: string[]) => Object.fromEntries(Object.entries(e).filter(([k]) => !keys.includes(k)));
  let jsonPages: IsoFleetPage[] = [];

  it('walks JSON: 3 pages in order, 250 distinct equipment, one request per page', async () => {
    jsonPages = await walk({ addExtendedData: true });
    expect(jsonPages.map((p) => p.equipment.length)).toEqual([100, 100, 50]);
    expect(jsonPages.map((p) => p.links.find((l) => l.rel === 'self')?.href)).toEqual(
      [1, 2, 3].map((n) => `${sandbox.url}/public/api/aemp/v2/15143/-3/Fleet/${n}?addExtendedData=true`),
    );
    expect(new Set(names(jsonPages)).size).toBe(250);
    expect(names(jsonPages)).toEqual([...sandbox.store.assets.values()].map((a) => a.name));
    expect(jsonPages.some((p) => p.equipment.some((e) => 'BatteryPotential' in e))).toBe(true);
  });

  it('walks XML with metadata: the same 250 equipment, normalised exactly like the JSON walk', async () => {
    const xmlPages = await walk({ format: 'xml', addMetadata: true });
    expect(xmlPages[0]).toMatchObject({ version: '2', snapshotTime: expect.any(String) });
    const machineIds = xmlPages.flatMap((p) => p.equipment.map((e) => (e.Metadata as Record<string, unknown>).MachineId));
    expect(new Set(machineIds)).toEqual(new Set([...sandbox.store.assets.keys()]));
    // Every standard element matches the JSON walk's, including digit-only PINs, unit ids and Model "320".
    const xmlCore = xmlPages.flatMap((p) => p.equipment.map((e) => without(e, ['Metadata'])));
    const jsonCore = jsonPages.flatMap((p) => p.equipment.map((e) => without(e, ['BatteryPotential', 'CumulativeMovingHours'])));
    expect(xmlCore).toEqual(jsonCore);
    const headers = xmlCore.map((e) => e.EquipmentHeader as Record<string, unknown>);
    expect(headers.some((h) => h.Model === '320')).toBe(true);
    expect(headers.some((h) => /^0\d+$/.test(String(h.PIN)) && typeof h.PIN === 'string')).toBe(true);
    const units = xmlPages.flatMap((p) => p.equipment.map((e) => (e.Metadata as Record<string, unknown>).UnitId));
    expect(units.every((u) => typeof u === 'string')).toBe(true);
  });

  it('finds a single element by PIN (a digit-only one keeps its leading zeros), undefined when unknown', async () => {
    const iso = isoApi(client);
    const asset = [...sandbox.store.assets.values()].find((a) => /^0\d+$/.test(a.telemetry.pin ?? ''));
    const pin = asset?.telemetry.pin as string;
    expect(pin).toMatch(/^0\d+$/);
    for (const format of ['xml', 'json'] as const) {
      // Each call a different URL: the sandbox, like Trackunit, allows one request per URL per 15 minutes.
      const found = await iso.singleElement(pin, { format, addMetadata: format === 'xml' });
      expect(found?.links).toEqual([]);
      expect(found?.equipment).toHaveLength(1);
      expect(found?.equipment[0]?.EquipmentHeader).toMatchObject({ PIN: pin, EquipmentID: asset?.name });
      if (format === 'xml') expect(found?.equipment[0]?.Metadata).toMatchObject({ MachineId: asset?.id, UnitId: asset?.telemetry.unitId });
    }
    expect(await iso.singleElement('NO-SUCH-PIN')).toBeUndefined();
    expect(await iso.singleElement('NO-SUCH-PIN-EITHER', { format: 'xml' })).toBeUndefined();
    expect(sandbox.requestLog.count((e) => e.family === 'iso-single' && e.status === 404)).toBe(2);
    expect(sandbox.isoLimiter.poolUsesTotal).toBe(0);
  });

  it('refuses page numbers below 1 without a request', async () => {
    const before = fleetRequests();
    await expect(isoApi(client).fleetPage(0)).rejects.toThrow(RangeError);
    expect(fleetRequests()).toBe(before);
  });

  it("probe: reads page 1 in JSON (one request of that URL's budget) and matches its schema", async () => {
    const before = fleetRequests();
    const sample = (await isoProbe.read(client)) as IsoFleetPage;
    expect(shapeMismatches(isoProbe.schema, sample)).toEqual([]);
    expect(sample.equipment).toHaveLength(100);
    expect(sandbox.requestLog.all().slice(-1)[0]).toMatchObject({ family: 'iso-fleet', path: '/public/api/aemp/v2/15143/-3/Fleet/1', query: '', status: 200 });
    expect(fleetRequests() - before).toBe(1);
    expect(sandbox.isoLimiter.poolUsesTotal).toBe(0);
  });
});
