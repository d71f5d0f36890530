/**
 * The export row of `tug snapshot`: one flat object per asset, the same columns in every format
 * (JSON, NDJSON, CSV), `null` where the snapshot has no value.
 */
import type { IsoRecord } from './record.js';

export const SNAPSHOT_COLUMNS = [
  'pin',
  'serialNumber',
  'make',
  'model',
  'equipmentId',
  'assetId',
  'externalReference',
  'operatingHours',
  'operatingHoursAt',
  'latitude',
  'longitude',
  'locationAt',
  'lastSeen',
] as const;

export type SnapshotColumn = (typeof SNAPSHOT_COLUMNS)[number];
export type SnapshotRow = Record<SnapshotColumn, string | number | null>;

export function toSnapshotRow(record: IsoRecord): SnapshotRow {
  return {
    pin: record.pin,
    serialNumber: record.serialNumber ?? null,
    make: record.make ?? null,
    model: record.model ?? null,
    equipmentId: record.equipmentId ?? null,
    assetId: record.metadata?.machineId ?? null,
    externalReference: record.metadata?.externalReference ?? null,
    operatingHours: record.operatingHours?.hours ?? null,
    operatingHoursAt: record.operatingHours?.datetime ?? null,
    latitude: record.location?.latitude ?? null,
    longitude: record.location?.longitude ?? null,
    locationAt: record.location?.datetime ?? null,
    lastSeen: record.lastSeen ?? null,
  };
}
