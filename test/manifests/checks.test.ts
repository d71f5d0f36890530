import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/manifests/checks/index.js';
import { sharedAssetReferences } from '../../src/kinds/asset/checks.js';
import { datesInOrder, duplicateItemReferences, overlappingItems } from '../../src/kinds/contract/checks.js';
import { customFieldDefinitionRules } from '../../src/kinds/custom-field-definition/checks.js';
import { customFieldValues } from '../../src/manifests/checks/custom-field-values.js';
import { unresolvedReferences } from '../../src/manifests/checks/references.js';
import { valueProblems } from '../../src/manifests/checks/custom-field-rules.js';
import { instantOf, isRealDate } from '../../src/manifests/checks/manifest-dates.js';
import type { ManifestDocument } from '../../src/manifests/document.js';
import { validateDocuments } from '../../src/manifests/validate.js';

const NONE = { invalid: new Set<string>() };
import { parseYaml } from '../../src/manifests/yaml.js';
import { docs, lines, y } from './check-helpers.js';


const DEPOT = y('kind: Depot', 'key: aarhus', 'name: Aarhus', 'address: {city: Aarhus}');
const CUSTOMER = y('kind: Customer', 'externalReference: CUST-1001', 'name: Hansen Byg');

describe('references', () => {
  it('reports a contract customer and depots that no manifest defines, with a likely typo', () => {
    const set = docs(
      DEPOT + '---\n' + CUSTOMER + '---\n' +
        y('kind: Contract', 'externalReference: K-1', 'customer: CUST-1010', 'status: OPEN', 'hiringDepot: arhus') + '---\n' +
        y('kind: Asset', 'serialNumber: SN1', 'owningDepot: odense') + '---\n' +
        y('kind: Contract', 'externalReference: K-2', 'customer: CUST-1001', 'status: OPEN', 'hiringDepot: aarhus'),
    );
    expect(lines(unresolvedReferences(set, NONE))).toEqual([
      'm.yaml:12:11  Contract/K-1  customer "CUST-1010" is not defined by any Customer manifest (did you mean "CUST-1001"?)',
      'm.yaml:14:14  Contract/K-1  hiringDepot "arhus" is not defined by any Depot manifest (did you mean "aarhus"?)',
      'm.yaml:18:14  Asset/serialNumber=SN1  owningDepot "odense" is not defined by any Depot manifest',
    ]);
  });
});

const FIELDS = y(
  'kind: CustomFieldDefinition', 'key: depotManager', 'entityType: SITE', 'type: STRING', 'title: Depot manager',
  '---',
  'kind: CustomFieldDefinition', 'key: hours', 'entityType: ASSET', 'type: NUMBER', 'title: Hours', 'minimum: 0', 'maximum: 100000', 'isInteger: true',
  '---',
  'kind: CustomFieldDefinition', 'key: category', 'entityType: ASSET', 'type: DROPDOWN', 'title: Category', 'options: [Crane, Lift, Excavator]',
  '---',
  'kind: CustomFieldDefinition', 'key: attachments', 'entityType: ASSET', 'type: DROPDOWN', 'title: Attachments', 'options: [Bucket, Fork]', 'multiSelect: true',
  '---',
  'kind: CustomFieldDefinition', 'key: costCode', 'entityType: ASSET', 'type: STRING', 'title: Cost code', 'minimumLength: 3', 'maximumLength: 6', 'pattern: "[A-Z]+-[0-9]+"',
  '---',
  'kind: CustomFieldDefinition', 'key: value', 'entityType: ASSET', 'type: MONETARY', 'title: Value', 'currency: DKK', 'minimum: 0',
  '---',
  'kind: CustomFieldDefinition', 'key: contact', 'entityType: ASSET', 'type: EMAIL', 'title: Contact',
  '---',
  'kind: CustomFieldDefinition', 'key: hotline', 'entityType: ASSET', 'type: PHONE_NUMBER', 'title: Hotline',
  '---',
  'kind: CustomFieldDefinition', 'key: manual', 'entityType: ASSET', 'type: WEB_ADDRESS', 'title: Manual',
  '---',
  'kind: CustomFieldDefinition', 'key: extra', 'entityType: ASSET', 'type: JSON', 'title: Extra',
);
const FIELD_LINES = FIELDS.split('\n').length - 1; // 70

/** An Asset document after FIELDS whose customFields are `rows`; its first custom field is on line FIELD_LINES + 5. */
function assetWith(...rows: string[]): ManifestDocument[] {
  return docs(FIELDS + '---\n' + y('kind: Asset', 'serialNumber: SN1', 'customFields:', ...rows.map((r) => `  ${r}`)));
}
const at = (offset: number, col: number, message: string) => `m.yaml:${FIELD_LINES + 5 + offset}:${col}  Asset/serialNumber=SN1  ${message}`;

describe('custom field values', () => {
  it('accepts good values of every type, standard fields and null', () => {
    const set = assetWith(
      'hours: 1200', 'category: Crane', 'attachments: [Bucket, Fork]', 'costCode: AB-12', 'value: {amount: 485000, currency: DKK}',
      'contact: fleet@hansen.dk', 'hotline: "+4520112233"', 'manual: https://example.com/manual.pdf', 'extra: {any: [thing]}',
      'licensePlate: AB 12 345', 'engineFuelType: HVO100', 'engineManufacturer: Any Make', 'purchaseDate: 2024-02-29',
      'oem-licensed: true', 'rfidTags: [A1, B2]', 'fuelTankCapacityTotal: 120.5', 'billingReference: null',
    );
    expect(lines(customFieldValues(set, NONE))).toEqual([]);
  });

  it('points at keys that are unknown or belong to another entity type', () => {
    expect(FIELD_LINES).toBe(70);
    const set = assetWith('depotManager: Bob', 'licencePlate: AB 12 345', 'hour: 3');
    expect(lines(customFieldValues(set, NONE))).toEqual([
      at(0, 3, 'custom field "depotManager" is defined for SITE, not ASSET (at m.yaml:3)'),
      at(1, 3, 'custom field "licencePlate" is not defined by any CustomFieldDefinition manifest or Trackunit standard field (did you mean "licensePlate"?)'),
      at(2, 3, 'custom field "hour" is not defined by any CustomFieldDefinition manifest or Trackunit standard field (did you mean "hours"?)'),
    ]);
  });

  it('refuses standard fields and ASSET definitions on other kinds', () => {
    const set = docs(FIELDS + '---\n' + y('kind: Depot', 'key: aarhus', 'name: Aarhus', 'customFields:', '  licensePlate: X', '  hours: 3', '  depotManagr: Bob'));
    expect(lines(customFieldValues(set, NONE))).toEqual([
      `m.yaml:${FIELD_LINES + 6}:3  Depot/aarhus  custom field "licensePlate" is a Trackunit standard field for ASSET, not SITE`,
      `m.yaml:${FIELD_LINES + 7}:3  Depot/aarhus  custom field "hours" is defined for ASSET, not SITE (at m.yaml:9)`,
      `m.yaml:${FIELD_LINES + 8}:3  Depot/aarhus  custom field "depotManagr" is not defined by any CustomFieldDefinition manifest for SITE (did you mean "depotManager"?)`,
    ]);
  });

  it('checks each value against its definition', () => {
    const set = assetWith(
      'hours: "1200"', 'category: Cranes', 'attachments: Bucket', 'costCode: ab-1', 'value: {amount: -1, currency: EUR}',
      'contact: fleet-at-hansen', 'hotline: 20 11 22 33', 'manual: www.example.com', 'licensePlate: 12345',
      'engineFuelType: diesel', 'purchaseDate: 2023-02-30', 'warrantyEndDate: 01/05/2026', 'oem-licensed: "yes"',
      'rfidTags: [A1, 7]', 'pendingTelematicsDevices: [true]',
    );
    expect(lines(customFieldValues(set, NONE))).toEqual([
      at(0, 10, 'custom field "hours" (NUMBER) must be a number, not a string'),
      at(1, 13, 'custom field "category" has no option "Cranes" (did you mean "Crane"?); options: Crane, Lift, Excavator'),
      at(2, 16, 'custom field "attachments" (multi-select DROPDOWN) must be a list, not a string'),
      at(3, 13, 'custom field "costCode" must match the pattern [A-Z]+-[0-9]+, got "ab-1"'),
      at(4, 19, 'amount of custom field "value" must be at least 0, got -1'),
      at(4, 33, 'custom field "value" is in DKK, not EUR'),
      at(5, 12, 'custom field "contact" must be an e-mail address, got "fleet-at-hansen"'),
      at(6, 12, 'custom field "hotline" must be a phone number in E.164 form like +4512345678, got "20 11 22 33"'),
      at(7, 11, 'custom field "manual" must be an http(s) URL, got "www.example.com"'),
      at(8, 17, 'custom field "licensePlate" (STRING) must be a string, not a number (put it in quotes)'),
      at(9, 19, 'custom field "engineFuelType" has no option "diesel" (did you mean "Diesel"?); options: Diesel, Petrol, CNG, LPG, HVO100, Hydrogen, Bio-diesel'),
      at(10, 17, 'custom field "purchaseDate" must be a real date, got "2023-02-30"'),
      at(11, 20, 'custom field "warrantyEndDate" must be a date as YYYY-MM-DD, got "01/05/2026"'),
      at(12, 17, 'custom field "oem-licensed" (BOOLEAN) must be true or false, not a string'),
      at(13, 18, 'custom field "rfidTags" (STRING) must be a string, not a number (put it in quotes)'),
      at(14, 29, 'custom field "pendingTelematicsDevices" (BOOLEAN) must be true or false, not a list'),
    ]);
  });

  it('checks multi-select options one by one, string lengths, integers and money shape', () => {
    const set = assetWith('attachments: [Bucket, Forks]', 'costCode: A-1234567', 'hours: 12.5', 'value: {amout: 5}', 'category: [Crane]');
    expect(lines(customFieldValues(set, NONE))).toEqual([
      at(0, 25, 'custom field "attachments" has no option "Forks" (did you mean "Fork"?); options: Bucket, Fork'),
      at(1, 13, 'custom field "costCode" must be at most 6 characters long, got 9'),
      at(2, 10, 'custom field "hours" must be a whole number, got 12.5'),
      at(3, 10, 'custom field "value" is missing "amount"'),
      at(3, 10, 'custom field "value" is missing "currency"'),
      at(3, 11, 'unknown field "amout" in custom field "value" (did you mean "amount"?); a MONETARY value is {amount, currency}'),
      at(4, 13, 'custom field "category" (DROPDOWN) must be a string, not a list'),
    ]);
  });
});

describe('custom field definitions', () => {
  it('reports inverted ranges, a pattern that does not compile and bad replacements', () => {
    const set = docs(y(
      'kind: CustomFieldDefinition', 'key: hours', 'entityType: ASSET', 'type: NUMBER', 'title: Hours', 'minimum: 10', 'maximum: 5',
      '---',
      'kind: CustomFieldDefinition', 'key: code', 'entityType: ASSET', 'type: STRING', 'title: Code', 'minimumLength: 8', 'maximumLength: 4', 'pattern: "[A-Z"',
      '---',
      'kind: CustomFieldDefinition', 'key: category', 'entityType: ASSET', 'type: DROPDOWN', 'title: Category', 'options: [Crane, Lift]',
      'replacements:', '  Crane: Lift', '  Boom: Lifts', '  Scissor: Lift',
    ));
    expect(lines(customFieldDefinitionRules(set))).toEqual([
      'm.yaml:7:10  CustomFieldDefinition/hours  maximum 5 is less than minimum 10',
      'm.yaml:15:16  CustomFieldDefinition/code  maximumLength 4 is less than minimumLength 8',
      'm.yaml:16:10  CustomFieldDefinition/code  pattern is not a valid regular expression: Unterminated character class',
      'm.yaml:25:3  CustomFieldDefinition/category  replacements maps "Crane", which is still an option; only removed options are replaced',
      'm.yaml:26:9  CustomFieldDefinition/category  replacement "Lifts" for "Boom" is not an option (did you mean "Lift"?); options: Crane, Lift',
    ]);
  });
});

const contract = (ref: string, status: string, ...rows: string[]) =>
  y('kind: Contract', `externalReference: ${ref}`, 'customer: CUST-1001', `status: ${status}`, ...rows);

describe('dates', () => {
  it('reports end before start, off-rent before on-rent and pickup before delivery, comparing instants', () => {
    const set = docs(contract('K-1', 'OPEN',
      'startDate: 2025-05-10', 'endDate: 2025-05-09T23:59:59Z', 'items:',
      '  - externalReference: K-1-1', '    asset: {serialNumber: SN1}', '    onRentDate: "2025-05-10T08:00:00+02:00"', '    offRentDate: "2025-05-10T05:59:00Z"',
      '    deliveryDate: 2025-05-10', '    pickupDate: 2025-05-10',
      '  - externalReference: K-1-2', '    asset: {serialNumber: SN2}', '    onRentDate: 2025-05-10', '    offRentDate: "2025-05-10T00:00:00Z"',
      '    deliveryDate: 2025-05-12', '    pickupDate: 2025-05-11',
    ));
    expect(lines(datesInOrder(set))).toEqual([
      'm.yaml:6:10  Contract/K-1  endDate "2025-05-09T23:59:59Z" is before startDate "2025-05-10"',
      'm.yaml:11:18  Contract/K-1  offRentDate "2025-05-10T05:59:00Z" is before onRentDate "2025-05-10T08:00:00+02:00"',
      'm.yaml:19:17  Contract/K-1  pickupDate "2025-05-11" is before deliveryDate "2025-05-12"',
    ]);
  });

  it('reads plain dates as midnight UTC and date-times with their zone', () => {
    expect(instantOf('2025-05-10')).toBe(Date.UTC(2025, 4, 10));
    expect(instantOf('2025-05-10T02:00:00+02:00')).toBe(Date.UTC(2025, 4, 10));
    expect(isRealDate('2024-02-29')).toBe(true);
    expect(isRealDate('2025-02-29')).toBe(false);
  });
});

describe('overlapping items', () => {
  const items = (...entries: Array<[string, string, string, string?]>) => [
    'items:',
    ...entries.flatMap(([ref, asset, on, off]) => [`  - externalReference: ${ref}`, `    asset: {${asset}}`, `    onRentDate: ${on}`, ...(off ? [`    offRentDate: ${off}`] : [])]),
  ];

  it('reports an asset on rent under two open or reserved contracts at once, naming both items', () => {
    const set = docs(
      contract('K-1', 'OPEN', ...items(['K-1-1', 'serialNumber: SN1', '2025-05-01', '2025-05-31'], ['K-1-2', 'serialNumber: SN2', '2025-05-01', '2025-05-31'])) + '---\n' +
        contract('K-2', 'RESERVED', ...items(['K-2-1', 'serialNumber: sn1 ', '2025-05-20'], ['K-2-2', 'serialNumber: SN2', '2025-05-31'])) + '---\n' +
        contract('K-3', 'CANCELLED', ...items(['K-3-1', 'serialNumber: SN1', '2025-05-01'])),
    );
    expect(lines(overlappingItems(set))).toEqual([
      'm.yaml:21:12  Contract/K-2  asset serialNumber=sn1 is on rent twice: item "K-2-1" (2025-05-20 onwards) overlaps item "K-1-1" of Contract/K-1 (2025-05-01 to 2025-05-31, at m.yaml:6)',
    ]);
  });

  it('treats an Asset manifest\'s externalReference and its identifier as the same asset', () => {
    const set = docs(
      y('kind: Asset', 'serialNumber: SN1', 'externalReference: EQ-1') + '---\n' +
        contract('K-1', 'OPEN', ...items(['K-1-1', 'serialNumber: SN1', '2025-05-01'])) + '---\n' +
        contract('K-2', 'OPEN', ...items(['K-2-1', 'externalReference: EQ-1', '2025-06-01', '2025-06-05'], ['K-2-2', 'externalReference: EQ-2', '2025-06-01'])),
    );
    expect(lines(overlappingItems(set))).toEqual([
      'm.yaml:20:12  Contract/K-2  asset externalReference=EQ-1 is on rent twice: item "K-2-1" (2025-06-01 to 2025-06-05) overlaps item "K-1-1" of Contract/K-1 (2025-05-01 onwards, at m.yaml:10)',
    ]);
  });
});

describe('assets and item identities', () => {
  it('reports an externalReference set on two Asset manifests, but not a plain duplicate', () => {
    const set = docs(
      y('kind: Asset', 'serialNumber: SN1', 'externalReference: EQ-1') + '---\n' +
        y('kind: Asset', 'pin: CAT123', 'externalReference: EQ-1') + '---\n' +
        y('kind: Asset', 'externalReference: EQ-2') + '---\n' +
        y('kind: Asset', 'externalReference: EQ-2'),
    );
    expect(lines(sharedAssetReferences(set))).toEqual([
      'm.yaml:7:20  Asset/pin=CAT123  externalReference "EQ-1" is also used by Asset/serialNumber=SN1 (at m.yaml:3); an ERP reference names one asset',
    ]);
  });

  it('reports a contract item externalReference used twice across contracts', () => {
    const set = docs(
      contract('K-1', 'OPEN', 'items:', '  - externalReference: K-1-1', '    asset: {serialNumber: SN1}', '    onRentDate: 2025-05-01') + '---\n' +
        contract('K-2', 'COMPLETED', 'items:', '  - externalReference: K-1-1', '    asset: {serialNumber: SN2}', '    onRentDate: 2025-05-01'),
    );
    expect(lines(duplicateItemReferences(set))).toEqual([
      'm.yaml:15:24  Contract/K-2  duplicate contract item "K-1-1": also an item of Contract/K-1 at m.yaml:6',
    ]);
  });
});

describe('registration', () => {
  it('runs every check through validateDocuments', () => {
    expect(CHECKS).toHaveLength(11);
    const parsed = parseYaml(DEPOT + '---\n' + y('kind: Asset', 'serialNumber: SN1', 'owningDepot: odense', 'customFields: {licensePlate: 7}'), 'v.yaml');
    expect(lines(validateDocuments(parsed.documents).diagnostics)).toEqual([
      'v.yaml:8:14  Asset/serialNumber=SN1  owningDepot "odense" is not defined by any Depot manifest',
      'v.yaml:9:30  Asset/serialNumber=SN1  custom field "licensePlate" (STRING) must be a string, not a number (put it in quotes)',
    ]);
  });

  it('reports no follow-on errors for references to a document that failed its schema', () => {
    const text =
      y('kind: Customer', 'externalReference: CUST-1', 'name: Broken', 'type: CONTRACTR') + '---\n' +
      y('kind: Contract', 'externalReference: K-1', 'customer: CUST-1', 'status: OPEN') + '---\n' +
      y('kind: Contract', 'externalReference: K-2', 'customer: CUST-2', 'status: OPEN');
    const messages = lines(validateDocuments(parseYaml(text, 'f.yaml').documents).diagnostics);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^f\.yaml:4:7  Customer\/CUST-1  "CONTRACTR" is not one of/);
    expect(messages[1]).toBe('f.yaml:13:11  Contract/K-2  customer "CUST-2" is not defined by any Customer manifest (did you mean "CUST-1"?)');
  });

  it('reports a polygon ring that is not closed at its last position', () => {
    const text = y('kind: Depot', 'key: yard', 'name: Yard', 'area:', '  type: Polygon', '  coordinates:', '    - [[10.1, 56.1], [10.2, 56.1], [10.2, 56.2], [10.1, 56.3]]');
    expect(lines(validateDocuments(parseYaml(text, 'p.yaml').documents).diagnostics)).toEqual([
      'p.yaml:7:50  Depot/yard  polygon ring 1 is not closed: its last position [10.1,56.3] must equal its first [10.1,56.1]',
    ]);
  });

  it('allows null for any field type', () => {
    expect(valueProblems({ key: 'x', type: 'MONETARY', currency: 'DKK' }, null)).toEqual([]);
  });
});
