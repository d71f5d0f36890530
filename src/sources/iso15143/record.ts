/**
 * One typed record per ISO 15143-3 equipment, built from the normalised element tree of iso-parse.ts
 * (../shared/trackunit-api/iso-export.md, "Elements of one Equipment").
 *
 * Tolerant by design: every element is optional, element keys are matched case-insensitively, numbers
 * and booleans sent as strings are read ("1532.4", "1 532,4", "true"), a value that cannot be read is
 * left undefined — a record is never an error. Identifiers are kept as sent (`pin`), with `pinKey` as
 * the form used for matching (upper case, spaces and dashes removed, leading zeros kept).
 */

/** The ISO element tree of one equipment, as iso-parse.ts normalises it. */
export type IsoEquipmentTree = Record<string, unknown>;

export interface IsoPosition {
  latitude: number;
  longitude: number;
  altitude?: number;
  altitudeUnits?: string;
  datetime?: string;
}

export interface IsoHours {
  hours: number;
  datetime?: string;
}

/** Fuel as sent (`value` in `units`), plus litres when the units are known to convert. */
export interface IsoFuel {
  value: number;
  units?: string;
  litres?: number;
  datetime?: string;
}

export interface IsoDistance {
  value: number;
  units?: string;
  datetime?: string;
}

/** The Trackunit `Metadata` block (only with addMetadata=true). */
export interface IsoMetadata {
  telematicSerialNumber?: string;
  /**
   * Trackunit asset id (UUID): the key for every other Iris API. JSON `metadata.assetId` ([observed-3p]: a
   * client written from the official aemp-iso-api.json matches on it), else XML `Metadata/MachineId`
   * ([documented]).
   */
  machineId?: string;
  unitId?: string;
  externalReference?: string;
}

/** What tug knows about one asset from the ISO snapshot. Missing elements are undefined. */
export interface IsoRecord {
  /** OEM ISO identifier (PIN/VIN) exactly as sent; null when the equipment has none. */
  pin: string | null;
  /** `pin` normalised for matching (see normalizeIdentifier); undefined without a PIN. */
  pinKey?: string;
  serialNumber?: string;
  /** OEMName. */
  make?: string;
  model?: string;
  /** The name the account gave the machine. */
  equipmentId?: string;
  unitInstallDateTime?: string;
  location?: IsoPosition;
  operatingHours?: IsoHours;
  idleHours?: IsoHours;
  fuelUsed?: IsoFuel;
  fuelRemainingPercent?: number;
  distance?: IsoDistance;
  engineRunning?: { running: boolean; datetime?: string };
  metadata?: IsoMetadata;
  /** The latest `datetime` of any element, as sent (undefined when no element carries one). */
  lastSeen?: string;
}

type Tree = Record<string, unknown>;
const isTree = (value: unknown): value is Tree => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `obj[name]`, or the value of a key that differs only in case (JSON senders vary). */
function field(obj: unknown, name: string): unknown {
  if (!isTree(obj)) return undefined;
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

function element(obj: unknown, name: string): Tree | undefined {
  const value = field(obj, name);
  return isTree(value) ? value : undefined;
}

/** A trimmed non-empty string; numbers become their text. */
export function readText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A finite number from a number or a numeric string (spaces as thousands separators, a lone decimal comma). */
export function readNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  let text = value.trim().replace(/[\s\u00a0]/g, '');
  if (/^[+-]?\d*,\d+$/.test(text)) text = text.replace(',', '.');
  return NUMERIC.test(text) ? Number(text) : undefined;
}

export function readBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  const text = readText(value)?.toLowerCase();
  if (text === 'true' || text === '1' || text === 'yes') return true;
  if (text === 'false' || text === '0' || text === 'no') return false;
  return undefined;
}

/**
 * The matching form of a PIN, VIN or serial number: upper case, whitespace and dashes (any Unicode
 * dash) removed. Leading zeros are kept: `03000001` and `3000001` are different identifiers.
 */
export function normalizeIdentifier(value: unknown): string | undefined {
  const text = readText(value);
  if (text === undefined) return undefined;
  const key = text.toUpperCase().replace(/[\s\u00a0\-\u2010-\u2015\u2212]/g, '');
  return key === '' ? undefined : key;
}

const datetimeOf = (el: Tree): string | undefined => readText(field(el, 'datetime'));

function withDatetime<T extends object>(value: T, el: Tree): T & { datetime?: string } {
  const datetime = datetimeOf(el);
  if (datetime !== undefined) (value as T & { datetime?: string }).datetime = datetime;
  return value;
}

function position(el: Tree | undefined): IsoPosition | undefined {
  if (!el) return undefined;
  const latitude = readNumber(field(el, 'Latitude'));
  const longitude = readNumber(field(el, 'Longitude'));
  if (latitude === undefined || longitude === undefined) return undefined;
  const out: IsoPosition = { latitude, longitude };
  const altitude = readNumber(field(el, 'Altitude'));
  const altitudeUnits = readText(field(el, 'AltitudeUnits'));
  if (altitude !== undefined) out.altitude = altitude;
  if (altitudeUnits !== undefined) out.altitudeUnits = altitudeUnits;
  return withDatetime(out, el);
}

function hours(el: Tree | undefined): IsoHours | undefined {
  const value = el && readNumber(field(el, 'Hour'));
  return el && value !== undefined ? withDatetime({ hours: value }, el) : undefined;
}

/** Litres per unit for the fuel units we can convert [assumed spellings; the data model says litres]. */
const LITRES_PER_UNIT: Record<string, number> = {
  l: 1, litre: 1, litres: 1, liter: 1, liters: 1,
  gal: 3.785411784, gallon: 3.785411784, gallons: 3.785411784, usgallon: 3.785411784, usgallons: 3.785411784,
  imperialgallon: 4.54609, imperialgallons: 4.54609,
};

function fuel(el: Tree | undefined): IsoFuel | undefined {
  const value = el && readNumber(field(el, 'FuelConsumed'));
  if (!el || value === undefined) return undefined;
  const units = readText(field(el, 'FuelUnits'));
  // No units: the Trackunit data model's unit, litres.
  const factor = units === undefined ? 1 : LITRES_PER_UNIT[units.toLowerCase().replace(/[\s_.-]/g, '')];
  const out: IsoFuel = { value };
  if (units !== undefined) out.units = units;
  if (factor !== undefined) out.litres = Math.round(value * factor * 1000) / 1000;
  return withDatetime(out, el);
}

function distance(el: Tree | undefined): IsoDistance | undefined {
  const value = el && readNumber(field(el, 'Odometer'));
  if (!el || value === undefined) return undefined;
  const units = readText(field(el, 'OdometerUnits'));
  return withDatetime(units === undefined ? { value } : { value, units }, el);
}

function engine(el: Tree | undefined): IsoRecord['engineRunning'] {
  const running = el && readBoolean(field(el, 'Running'));
  return el && running !== undefined ? withDatetime({ running }, el) : undefined;
}

function metadata(el: Tree | undefined): IsoMetadata | undefined {
  if (!el) return undefined;
  const out: IsoMetadata = {};
  const set = (key: keyof IsoMetadata, name: string) => {
    const value = readText(field(el, name));
    if (value !== undefined) out[key] = value;
  };
  set('telematicSerialNumber', 'TelematicSerialNumber');
  set('machineId', 'MachineId');
  set('machineId', 'assetId'); // wins over MachineId when both are sent: the official JSON spelling
  set('unitId', 'UnitId');
  set('externalReference', 'ExternalReferenceNumber');
  return out;
}

/** The latest `datetime` of the equipment's elements (header and metadata carry none). */
function latestDatetime(equipment: IsoEquipmentTree): string | undefined {
  let best: { at: number; text: string } | undefined;
  for (const value of Object.values(equipment)) {
    const text = isTree(value) ? datetimeOf(value) : undefined;
    const at = text === undefined ? Number.NaN : Date.parse(text);
    if (text !== undefined && !Number.isNaN(at) && (best === undefined || at > best.at)) best = { at, text };
  }
  return best?.text;
}

/** Sets `key` only when the value is defined: records carry no undefined properties. */
function put<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) obj[key] = value;
}

/** The typed record of one normalised `Equipment` element. Never throws. */
export function toRecord(equipment: IsoEquipmentTree): IsoRecord {
  const header = element(equipment, 'EquipmentHeader');
  const sentPin = field(header, 'PIN');
  // As sent (a string keeps its spelling and inner spaces); blank or absent is null.
  const pin = typeof sentPin === 'string' ? (sentPin.trim() === '' ? null : sentPin) : (readText(sentPin) ?? null);
  const fuelRemaining = element(equipment, 'FuelRemaining');
  const record: IsoRecord = { pin };
  put(record, 'pinKey', normalizeIdentifier(pin));
  put(record, 'serialNumber', readText(field(header, 'SerialNumber')));
  put(record, 'make', readText(field(header, 'OEMName')));
  put(record, 'model', readText(field(header, 'Model')));
  put(record, 'equipmentId', readText(field(header, 'EquipmentID')));
  put(record, 'unitInstallDateTime', readText(field(header, 'UnitInstallDateTime')));
  put(record, 'location', position(element(equipment, 'Location')));
  put(record, 'operatingHours', hours(element(equipment, 'CumulativeOperatingHours')));
  put(record, 'idleHours', hours(element(equipment, 'CumulativeIdleHours')));
  put(record, 'fuelUsed', fuel(element(equipment, 'FuelUsed')));
  put(record, 'fuelRemainingPercent', fuelRemaining && readNumber(field(fuelRemaining, 'Percent')));
  put(record, 'distance', distance(element(equipment, 'Distance')));
  put(record, 'engineRunning', engine(element(equipment, 'EngineStatus')));
  put(record, 'metadata', metadata(element(equipment, 'Metadata')));
  put(record, 'lastSeen', latestDatetime(equipment));
  return record;
}
