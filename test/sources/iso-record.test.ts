/**
 * Typed ISO records from normalised equipment: the fixture (JSON and its XML rendition), missing
 * elements, odd PIN spellings, numbers and booleans sent as strings, metadata and extended data
 * present or absent. A record is never an error.
 */
import { describe, expect, it } from 'vitest';
import { xmlDocument } from '../../src/sandbox/routes/iso/render.js';
import type { IsoElement } from '../../src/sandbox/routes/iso/equipment.js';
import { parseIsoDocument } from '../../src/trackunit/endpoints/iso.js';
import { normalizeIdentifier, readNumber, toRecord, type IsoRecord } from '../../src/sources/iso15143/record.js';
import { ISO_FLEET_SAMPLE } from '../sandbox/iso-fixture.js';

const FIRST: IsoRecord = {
  pin: 'WNCE0506PPAL01234',
  pinKey: 'WNCE0506PPAL01234',
  serialNumber: 'WNCE0506PPAL01234',
  make: 'Wacker Neuson',
  model: 'EZ26',
  equipmentId: 'Excavator 12 - Depot North',
  unitInstallDateTime: '2023-04-11T09:30:00Z',
  location: { latitude: 57.048812, longitude: 9.921733, altitude: 14, altitudeUnits: 'metres', datetime: '2025-03-04T05:41:10Z' },
  operatingHours: { hours: 1532.4, datetime: '2025-03-04T05:40:00Z' },
  idleHours: { hours: 412.75, datetime: '2025-03-04T05:40:00Z' },
  fuelRemainingPercent: 63,
  distance: { value: 88.2, units: 'kilometre', datetime: '2025-03-04T05:40:00Z' },
  engineRunning: { running: false, datetime: '2025-03-04T05:40:00Z' },
  metadata: { telematicSerialNumber: '3410022', machineId: '7d2f0c1e-4b6a-4c59-9f3e-2a81c6d0b5e4', unitId: '5512087', externalReference: 'ERP-ASSET-0042' },
  lastSeen: '2025-03-04T05:41:10Z',
};

const SECOND: IsoRecord = {
  pin: 'GS3213A-118',
  pinKey: 'GS3213A118',
  serialNumber: '3390118',
  make: 'Genie',
  model: 'GS-1932',
  equipmentId: 'Scissor lift 7',
  unitInstallDateTime: '2024-09-02T13:05:00Z',
  location: { latitude: 55.676098, longitude: 12.568337, datetime: '2025-03-03T17:12:44Z' },
  operatingHours: { hours: 215, datetime: '2025-03-03T17:10:00Z' },
  // ExternalReferenceNumber is null in the fixture: absent here.
  metadata: { telematicSerialNumber: '3390118', machineId: 'c0a4e9b2-91d7-4f0e-8e35-6b2d1f7a9c03', unitId: '6024511' },
  lastSeen: '2025-03-03T17:12:44Z',
};

const header = (fields: Record<string, unknown>) => ({ EquipmentHeader: fields });

describe('toRecord on the fixture', () => {
  it('reads every element of the JSON fixture', () => {
    const page = parseIsoDocument(JSON.stringify(ISO_FLEET_SAMPLE));
    expect(page.equipment.map(toRecord)).toEqual([FIRST, SECOND]);
  });

  it('reads the XML rendition (datetime attributes, text values) to the same records', () => {
    const xml = xmlDocument({ snapshotTime: ISO_FLEET_SAMPLE.snapshotTime, links: [], equipment: ISO_FLEET_SAMPLE.equipment as unknown as IsoElement[] });
    expect(xml).toContain('<Location datetime="2025-03-04T05:41:10Z">');
    expect(parseIsoDocument(xml).equipment.map(toRecord)).toEqual([FIRST, SECOND]);
  });

  it('reads the asset id from JSON metadata.assetId (the official spec\'s spelling), else from Metadata.MachineId', () => {
    const id = '7d2f0c1e-4b6a-4c59-9f3e-2a81c6d0b5e4';
    const record = (metadata: Record<string, unknown>) => toRecord(parseIsoDocument(JSON.stringify({ equipment: [{ ...header({ PIN: 'P1' }), ...metadata }] })).equipment[0]!);
    expect(record({ metadata: { assetId: id } }).metadata).toEqual({ machineId: id });
    expect(record({ Metadata: { MachineId: id } }).metadata).toEqual({ machineId: id });
    expect(record({ metadata: { assetId: id, MachineId: 'other', TelematicSerialNumber: '3410022' } }).metadata).toEqual({ machineId: id, telematicSerialNumber: '3410022' });
  });

  it('ignores extended data for the fields but counts its datetime as seen', () => {
    const [first] = ISO_FLEET_SAMPLE.equipment;
    const later = { ...first, BatteryPotential: { datetime: '2025-03-04T05:59:00Z', BatteryPotential: 12.8, Value: 12.8 } };
    expect(toRecord(later)).toEqual({ ...FIRST, lastSeen: '2025-03-04T05:59:00Z' });
    const { BatteryPotential: _b, CumulativeMovingHours: _c, Metadata: _m, ...plain } = first!;
    const withoutExtras = toRecord(plain);
    expect(withoutExtras.metadata).toBeUndefined();
    expect(withoutExtras).toEqual({ ...FIRST, metadata: undefined });
  });
});

describe('toRecord on sparse and odd equipment', () => {
  it('turns missing elements into absent fields, never errors', () => {
    expect(toRecord({})).toEqual({ pin: null });
    expect(toRecord(header({}))).toEqual({ pin: null });
    expect(toRecord(header({ PIN: '   ', SerialNumber: '' }))).toEqual({ pin: null });
    expect(toRecord({ EquipmentHeader: 'junk', Location: 7, CumulativeOperatingHours: { Hour: 'n/a' }, Metadata: null } as never)).toEqual({ pin: null });
    // Latitude without longitude is no position; an element without datetime has none.
    expect(toRecord({ Location: { Latitude: 1 }, CumulativeOperatingHours: { Hour: 3 } })).toEqual({ pin: null, operatingHours: { hours: 3 } });
  });

  it('keeps odd PINs as sent and matches them in a normalised form', () => {
    const cases: Array<[unknown, string | null, string | undefined]> = [
      ['wnce0506ppal01234', 'wnce0506ppal01234', 'WNCE0506PPAL01234'],
      ['WNCE05 06PPAL01234', 'WNCE05 06PPAL01234', 'WNCE0506PPAL01234'],
      [' GS3213A-118 ', ' GS3213A-118 ', 'GS3213A118'],
      ['GS3213A\u2013118', 'GS3213A\u2013118', 'GS3213A118'],
      ['03000001', '03000001', '03000001'],
      [3000001, '3000001', '3000001'],
      [null, null, undefined],
    ];
    for (const [sent, pin, pinKey] of cases) {
      const record = toRecord(header({ PIN: sent }));
      expect(record.pin).toBe(pin);
      expect(record.pinKey).toBe(pinKey);
    }
    expect(normalizeIdentifier('03000001')).not.toBe(normalizeIdentifier('3000001'));
  });

  it('reads numbers and booleans sent as strings, and any key casing', () => {
    const record = toRecord({
      equipmentHeader: { pin: 'abc-1', oemname: 'JLG', model: 320 },
      location: { latitude: '55.5', longitude: ' 12.25 ', altitude: '14', DATETIME: '2025-01-01T00:00:00Z' },
      CumulativeOperatingHours: { Hour: '1 532,4', datetime: '2025-01-02T00:00:00Z' },
      EngineStatus: { Running: 'TRUE' },
      FuelRemaining: { Percent: '63' },
      Distance: { Odometer: '88.2', OdometerUnits: 'kilometre' },
    });
    expect(record).toEqual({
      pin: 'abc-1',
      pinKey: 'ABC1',
      make: 'JLG',
      model: '320',
      location: { latitude: 55.5, longitude: 12.25, altitude: 14, datetime: '2025-01-01T00:00:00Z' },
      operatingHours: { hours: 1532.4, datetime: '2025-01-02T00:00:00Z' },
      engineRunning: { running: true },
      fuelRemainingPercent: 63,
      distance: { value: 88.2, units: 'kilometre' },
      lastSeen: '2025-01-02T00:00:00Z',
    });
    expect([readNumber('1e3'), readNumber('12,5'), readNumber('1,234.5'), readNumber('abc'), readNumber(Number.NaN)]).toEqual([1000, 12.5, undefined, undefined, undefined]);
  });

  it('reads fuel used as sent, with litres when the units convert', () => {
    const fuel = (FuelUsed: Record<string, unknown>) => toRecord({ FuelUsed }).fuelUsed;
    expect(fuel({ FuelUnits: 'litre', FuelConsumed: 120.5, datetime: '2025-01-01T00:00:00Z' })).toEqual({ value: 120.5, units: 'litre', litres: 120.5, datetime: '2025-01-01T00:00:00Z' });
    expect(fuel({ FuelConsumed: '10' })).toEqual({ value: 10, litres: 10 });
    expect(fuel({ FuelUnits: 'gallon', FuelConsumed: 10 })).toEqual({ value: 10, units: 'gallon', litres: 37.854 });
    expect(fuel({ FuelUnits: 'furlongs', FuelConsumed: 10 })).toEqual({ value: 10, units: 'furlongs' });
    expect(fuel({ FuelUnits: 'litre' })).toBeUndefined();
  });

  it('takes the latest parseable datetime as lastSeen, and none from the header', () => {
    const record = toRecord({
      EquipmentHeader: { UnitInstallDateTime: '2030-01-01T00:00:00Z', PIN: 'X' },
      Location: { Latitude: 1, Longitude: 2, datetime: '2025-03-01T10:00:00Z' },
      CumulativeIdleHours: { Hour: 1, datetime: 'yesterday' },
      EngineStatus: { Running: false, datetime: '2025-03-01T10:00:00+02:00' },
    });
    expect(record.lastSeen).toBe('2025-03-01T10:00:00Z');
    expect(record.idleHours).toEqual({ hours: 1, datetime: 'yesterday' });
  });
});
