/**
 * Trackunit's standard custom fields: owned by Trackunit, defined on every account for assets, set by key
 * like any other field (shared/trackunit-api/custom-fields.md, "Standard fields" [documented]). Manifests
 * may set them without a CustomFieldDefinition; tug must never try to create or change their definitions.
 */
import type { FieldType } from '../common.js';

export interface StandardField {
  key: string;
  entityType: 'ASSET';
  type: FieldType;
  /** DROPDOWN options when documented; undefined: not published, so any string is accepted. */
  options?: readonly string[];
  /** A list of values (documented as a "text list"), checked like a multi-value field. */
  list?: boolean;
  /** Unit or note from the documentation. */
  note?: string;
}

const field = (key: string, type: FieldType, extra: Partial<StandardField> = {}): StandardField => ({ key, entityType: 'ASSET', type, ...extra });

export const STANDARD_FIELDS: readonly StandardField[] = [
  field('engineManufacturer', 'DROPDOWN', { note: 'single select; options not published' }),
  field('engineModel', 'STRING'),
  field('engineSerialNumber', 'STRING'),
  field('engineFuelType', 'DROPDOWN', { options: ['Diesel', 'Petrol', 'CNG', 'LPG', 'HVO100', 'Hydrogen', 'Bio-diesel'] }),
  field('fuelTankCapacityTotal', 'NUMBER', { note: 'L / US gal' }),
  field('inputVoltageAC', 'NUMBER', { note: 'V' }),
  field('batterySystemRatedCapacity', 'NUMBER', { note: 'Ah' }),
  field('batterySystemRatedVoltage', 'NUMBER', { note: 'V' }),
  field('batterySystemRatedPowerCapacity', 'NUMBER', { note: 'kWh' }),
  field('enginePowerElectric', 'NUMBER', { note: 'kW' }),
  field('enginePowerCombustion', 'NUMBER', { note: 'kW' }),
  field('pendingTelematicsDevices', 'BOOLEAN'),
  field('warrantyEndDate', 'DATE'),
  field('oem-licensed', 'BOOLEAN'),
  field('licensePlate', 'STRING'),
  field('oemSubscriptionEndDate', 'DATE'),
  field('oemSubscriptionStartDate', 'DATE'),
  field('qrCodeIdentifiers', 'STRING', { list: true }),
  field('rfidTags', 'STRING', { list: true }),
  field('oemSubscriptionType', 'STRING', { note: 'not shown in the UI' }),
  field('billingReference', 'STRING'),
  field('purchaseDate', 'DATE'),
];

const BY_KEY = new Map(STANDARD_FIELDS.map((f) => [f.key, f]));

/** The standard field with this key, if any. */
export function standardField(key: string): StandardField | undefined {
  return BY_KEY.get(key);
}
