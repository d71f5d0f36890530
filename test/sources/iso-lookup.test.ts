/**
 * The identifier lookup the plan will call: normalised PIN first, then serial number; ambiguity is
 * reported, never guessed; one asset listed twice counts once.
 */
import { describe, expect, it } from 'vitest';
import { createIsoLookup } from '../../src/sources/iso15143/lookup.js';
import { toRecord, type IsoRecord } from '../../src/sources/iso15143/record.js';

function asset(pin: string | null, serial: string | undefined, machineId?: string, externalReference?: string): IsoRecord {
  return toRecord({
    EquipmentHeader: { PIN: pin, SerialNumber: serial, EquipmentID: `asset ${machineId ?? pin}` },
    ...(machineId ? { Metadata: { MachineId: machineId, ExternalReferenceNumber: externalReference ?? null } } : {}),
  });
}

const excavator = asset('WNCE0506PPAL01234', 'WNCE0506PPAL01234', 'id-1', 'ERP-1');
const lift = asset('GS3213A-118', '3390118', 'id-2');
const leadingZeros = asset('03000001', 'S-1', 'id-3');
const noPin = asset(null, 'CAT0320X', 'id-4', 'ERP-4');

describe('createIsoLookup', () => {
  const lookup = createIsoLookup([excavator, lift, leadingZeros, noPin]);

  it('resolves a PIN in any spelling to the asset id, serial and external reference', () => {
    for (const spelling of ['WNCE0506PPAL01234', 'wnce0506ppal01234', 'WNCE-0506 PPAL-01234', ' wnce0506PPAL01234 ']) {
      expect(lookup.resolve(spelling)).toEqual({ match: 'unique', by: 'pin', assetId: 'id-1', serialNumber: 'WNCE0506PPAL01234', externalReference: 'ERP-1', record: excavator });
    }
    expect(lookup.resolve('gs3213a118')).toMatchObject({ match: 'unique', by: 'pin', assetId: 'id-2', serialNumber: '3390118' });
    expect(lookup.resolve('gs3213a118')).not.toHaveProperty('externalReference');
  });

  it('keeps leading zeros significant', () => {
    expect(lookup.resolve('03000001')).toMatchObject({ match: 'unique', assetId: 'id-3' });
    expect(lookup.resolve('3000001')).toBeUndefined();
  });

  it('falls back to the serial number when no PIN matches', () => {
    expect(lookup.resolve('cat-0320x')).toMatchObject({ match: 'unique', by: 'serialNumber', assetId: 'id-4', externalReference: 'ERP-4', record: noPin });
    expect(lookup.resolve('3390118')).toMatchObject({ match: 'unique', by: 'serialNumber', assetId: 'id-2' });
  });

  it('answers undefined for unknown or blank identifiers', () => {
    expect(lookup.resolve('NOPE')).toBeUndefined();
    expect(lookup.resolve('  ')).toBeUndefined();
    expect(lookup.resolve('-')).toBeUndefined();
    expect(lookup.size).toBe(4);
  });

  it('reports two assets with the same normalised PIN as ambiguous, with both candidates', () => {
    const twin = asset('wnce-0506ppal01234', 'OTHER-SERIAL', 'id-9');
    const ambiguous = createIsoLookup([excavator, twin, lift]);
    const result = ambiguous.resolve('WNCE0506PPAL01234');
    expect(result).toEqual({ match: 'ambiguous', by: 'pin', key: 'WNCE0506PPAL01234', candidates: [excavator, twin] });
    expect(ambiguous.ambiguousPins()).toEqual([result]);
    // The other assets still resolve, and the twin's own serial finds it uniquely.
    expect(ambiguous.resolve('GS3213A-118')).toMatchObject({ match: 'unique', assetId: 'id-2' });
    expect(ambiguous.resolve('other serial')).toMatchObject({ match: 'unique', by: 'serialNumber', assetId: 'id-9' });
  });

  it('reports an ambiguous serial number too', () => {
    const a = asset(null, 'SN-1', 'id-a');
    const b = asset(null, 'sn1', 'id-b');
    expect(createIsoLookup([a, b]).resolve('SN1')).toMatchObject({ match: 'ambiguous', by: 'serialNumber', candidates: [a, b] });
  });

  it('counts one asset listed twice once (same Trackunit id, or identical identifiers without metadata)', () => {
    const again = asset('WNCE0506PPAL01234', 'WNCE0506PPAL01234', 'id-1', 'ERP-1');
    const bare = asset('GS3213A-118', '3390118');
    const lookup2 = createIsoLookup([excavator, again, bare, { ...bare }]);
    expect(lookup2.size).toBe(2);
    expect(lookup2.resolve('WNCE0506PPAL01234')).toMatchObject({ match: 'unique', assetId: 'id-1' });
    expect(lookup2.resolve('GS3213A-118')).toEqual({ match: 'unique', by: 'pin', serialNumber: '3390118', record: bare });
    expect(lookup2.ambiguousPins()).toEqual([]);
  });
});
