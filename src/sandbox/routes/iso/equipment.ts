/**
 * One ISO 15143-3 `Equipment` element built from a stored asset: the projection from AssetRecord (and its
 * latest Telemetry) to the element tree both renderers share. Key order is the fixture's
 * (iso-fleet-sample.json); every element whose data the asset lacks is left out, as the docs say
 * missing elements are normal. The [documented]/[assumed] split is listed in ../iso.ts.
 */
import type { AssetRecord, Telemetry } from '../../store.js';

/** An element tree: PascalCase element names; a `datetime` key becomes an XML attribute. */
export type IsoElement = { [name: string]: IsoValue };
export type IsoValue = string | number | boolean | null | IsoElement;

export interface EquipmentOptions {
  /** `addMetadata=true`: the Trackunit `Metadata` block. */
  metadata: boolean;
  /** `addExtendedData=true`: the extended machine insights the sandbox stores. */
  extended: boolean;
}

/** Share of operating hours reported as CumulativeMovingHours [assumed: invented ratio, the store has no such insight]. */
export const MOVING_HOURS_SHARE = 0.06;

const firstDeviceSerial = (asset: AssetRecord): string | null => asset.telematicsDevices[0]?.serialNumber ?? null;

/** Copies only the entries whose value is not undefined/null, keeping order. */
function present(entries: Array<[string, IsoValue | undefined]>): IsoElement {
  const out: IsoElement = {};
  for (const [key, value] of entries) if (value !== undefined && value !== null) out[key] = value;
  return out;
}

function header(asset: AssetRecord, t: Telemetry): IsoElement {
  return present([
    ['UnitInstallDateTime', t.unitInstallDateTime],
    ['OEMName', asset.brand],
    ['Model', asset.model],
    ['EquipmentID', asset.name],
    // Documented caveat: an unknown equipment serial is replaced by the telematics device's serial.
    ['SerialNumber', asset.serialNumber ?? firstDeviceSerial(asset)],
    ['PIN', t.pin],
  ]);
}

function location(t: Telemetry): IsoElement | undefined {
  const l = t.location;
  if (!l) return undefined;
  const altitude: Array<[string, IsoValue]> = l.altitude === null ? [] : [['Altitude', l.altitude], ['AltitudeUnits', 'metres']];
  return present([['datetime', l.datetime], ['Latitude', l.latitude], ['Longitude', l.longitude], ...altitude]);
}

function standardElements(t: Telemetry): Array<[string, IsoValue | undefined]> {
  return [
    ['Location', location(t)],
    ['CumulativeOperatingHours', t.operatingHours && { datetime: t.operatingHours.datetime, Hour: t.operatingHours.hour }],
    ['CumulativeIdleHours', t.idleHours && { datetime: t.idleHours.datetime, Hour: t.idleHours.hour }],
    ['EngineStatus', t.engineRunning && { datetime: t.engineRunning.datetime, Running: t.engineRunning.running }],
    ['FuelRemaining', t.fuelRemaining && { datetime: t.fuelRemaining.datetime, Percent: t.fuelRemaining.percent }],
    ['Distance', t.distance && { datetime: t.distance.datetime, OdometerUnits: 'kilometre', Odometer: t.distance.odometerKm }],
  ];
}

function metadata(asset: AssetRecord, t: Telemetry): IsoElement {
  return {
    TelematicSerialNumber: firstDeviceSerial(asset),
    MachineId: asset.id,
    UnitId: t.unitId,
    ExternalReferenceNumber: asset.externalReference,
  };
}

/** Extended insights carry the specific value child plus the deprecated `Value` child (documented). */
function extendedElements(t: Telemetry): Array<[string, IsoValue | undefined]> {
  const battery = t.batteryPotential;
  const hours = t.operatingHours;
  const moving = hours ? Math.round(hours.hour * MOVING_HOURS_SHARE * 10) / 10 : undefined;
  return [
    ['BatteryPotential', battery ? { datetime: battery.datetime, BatteryPotential: battery.volts, Value: battery.volts } : undefined],
    ['CumulativeMovingHours', hours && moving !== undefined ? { datetime: hours.datetime, Hour: moving, Value: moving } : undefined],
  ];
}

export function equipmentElement(asset: AssetRecord, options: EquipmentOptions): IsoElement {
  const t = asset.telemetry;
  return present([
    ['EquipmentHeader', header(asset, t)],
    ...standardElements(t),
    ['Metadata', options.metadata ? metadata(asset, t) : undefined],
    ...(options.extended ? extendedElements(t) : []),
  ]);
}

const norm = (value: string | null | undefined): string | undefined => value?.trim().toLowerCase() || undefined;

/**
 * The asset an OEM ISO identifier names: PIN first, then equipment serial number, then a telematics
 * device serial; exact match after trimming, case-insensitive; first in natural order wins.
 */
export function findByIdentifier(assets: Iterable<AssetRecord>, identifier: string): AssetRecord | undefined {
  const wanted = norm(identifier);
  if (!wanted) return undefined;
  const list = [...assets];
  return (
    list.find((a) => norm(a.telemetry.pin) === wanted) ??
    list.find((a) => norm(a.serialNumber) === wanted) ??
    list.find((a) => a.telematicsDevices.some((d) => norm(d.serialNumber) === wanted))
  );
}
