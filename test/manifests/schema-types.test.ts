/**
 * The published JSON Schemas (schemas/*.schema.json) and the TypeScript manifest types must not drift.
 * TypeScript proves each key registry below lists exactly its interface's keys, and whether each is
 * required (`satisfies Presence<T>`: a missing key, an extra key or a wrong `'required'`/`'optional'` is
 * a compile error); the tests then compare every registry with the schema's `properties` and `required`.
 * Then: every schema compiles with ajv in strict mode, good and bad documents validate as they should,
 * every property carries a description and examples, and every example is valid.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { ProjectConfigFile, Threshold, ThresholdMap } from '../../src/config/project.js';
import { KIND_NAMES } from '../../src/kinds/registry.js';
import { API_FAMILIES, type FamilyLimit } from '../../src/trackunit/config.js';
import * as common from '../../src/kinds/common.js';
import type { Address, DocumentBase, Polygon } from '../../src/kinds/common.js';
import type { CustomFieldDefinitionManifest, Translation } from '../../src/kinds/custom-field-definition/manifest.js';
import type { DepotManifest } from '../../src/kinds/depot/manifest.js';
import type { CustomerContact, CustomerManifest } from '../../src/kinds/customer/manifest.js';
import type { AssetManifest, AssetRef } from '../../src/kinds/asset/manifest.js';
import type { ContractItem, ContractManifest, RentalRate } from '../../src/kinds/contract/manifest.js';

/** For every key of T (optional ones included): is it required? */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type Presence<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? 'optional' : 'required' };
type TrackunitSection = NonNullable<ProjectConfigFile['trackunit']>;

const addressKeys = { streetAddress: 'optional', zipCode: 'optional', city: 'optional', country: 'optional' } satisfies Presence<Address>;
const polygonKeys = { type: 'required', coordinates: 'required' } satisfies Presence<Polygon>;
const translationKeys = { language: 'required', title: 'required', description: 'optional' } satisfies Presence<Translation>;
const definitionKeys = {
  apiVersion: 'optional', protected: 'optional', kind: 'required', key: 'required', entityType: 'required', type: 'required', title: 'required', description: 'optional',
  translations: 'optional', scope: 'optional', uiVisible: 'optional', uiEditable: 'optional', minimum: 'optional', maximum: 'optional',
  isInteger: 'optional', unitSi: 'optional', unitUs: 'optional', minimumLength: 'optional', maximumLength: 'optional', pattern: 'optional',
  options: 'optional', multiSelect: 'optional', replacements: 'optional', currency: 'optional',
} satisfies Presence<CustomFieldDefinitionManifest>;
const depotKeys = {
  apiVersion: 'optional', protected: 'optional', kind: 'required', key: 'required', name: 'required', description: 'optional', address: 'optional', area: 'optional', customFields: 'optional', adopt: 'optional',
} satisfies Presence<DepotManifest>;
const contactKeys = { name: 'required', email: 'optional', phoneNumber: 'optional', title: 'optional' } satisfies Presence<CustomerContact>;
const customerKeys = {
  apiVersion: 'optional', protected: 'optional', kind: 'required', externalReference: 'required', name: 'required', type: 'optional', address: 'optional', phoneNumber: 'optional',
  email: 'optional', website: 'optional', contacts: 'optional', customFields: 'optional',
} satisfies Presence<CustomerManifest>;
const assetRefKeys = { assetId: 'optional', serialNumber: 'optional', pin: 'optional', externalReference: 'optional' } satisfies Presence<AssetRef>;
const assetKeys = {
  apiVersion: 'optional', protected: 'optional', kind: 'required', assetId: 'optional', serialNumber: 'optional', pin: 'optional', externalReference: 'optional',
  rentalStatus: 'optional', owningDepot: 'optional', customFields: 'optional',
} satisfies Presence<AssetManifest>;
const rentalRateKeys = { unitPrice: 'required', currency: 'required', period: 'required' } satisfies Presence<RentalRate>;
const itemKeys = {
  externalReference: 'required', asset: 'required', onRentDate: 'required', offRentDate: 'optional', rentalRate: 'optional',
  deliveryAddress: 'optional', deliveryDate: 'optional', pickupAddress: 'optional', pickupDate: 'optional',
} satisfies Presence<ContractItem>;
const contractKeys = {
  apiVersion: 'optional', protected: 'optional', kind: 'required', externalReference: 'required', customer: 'required', status: 'required', startDate: 'optional',
  endDate: 'optional', hiringDepot: 'optional', items: 'optional', customFields: 'optional',
} satisfies Presence<ContractManifest>;
const projectKeys = {
  apiVersion: 'optional', manifests: 'optional', trackunit: 'optional', rateLimits: 'optional', concurrency: 'optional',
  stateDir: 'optional', state: 'optional', refresh: 'optional', prune: 'optional', protect: 'optional', safety: 'optional',
} satisfies Presence<ProjectConfigFile>;
const trackunitKeys = { irisUrl: 'optional', authUrl: 'optional', auth: 'optional', scopes: 'optional' } satisfies Presence<TrackunitSection>;
const rateLimitKeys = {
  sites: 'optional', customers: 'optional', 'custom-fields': 'optional', assets: 'optional', rental: 'optional', 'iso-fleet': 'optional', 'iso-single': 'optional',
} satisfies Presence<NonNullable<ProjectConfigFile['rateLimits']>>;
const familyLimitKeys = { ratePerSecond: 'required', burst: 'optional', maxInFlight: 'optional' } satisfies Presence<FamilyLimit>;
const pruneKeys = { kinds: 'optional', allowDanglingReferences: 'optional' } satisfies Presence<NonNullable<ProjectConfigFile['prune']>>;
const stateKeys = { backend: 'optional', schema: 'optional' } satisfies Presence<NonNullable<ProjectConfigFile['state']>>;
const refreshKeys = { maxAge: 'optional' } satisfies Presence<NonNullable<ProjectConfigFile['refresh']>>;
const safetyKeys = { maxDeletes: 'optional', maxUpdates: 'optional', guardEmptyDesiredState: 'optional' } satisfies Presence<NonNullable<ProjectConfigFile['safety']>>;
const thresholdMapKeys = {
  default: 'optional', CustomFieldDefinition: 'optional', Depot: 'optional', Customer: 'optional', Asset: 'optional', Contract: 'optional',
} satisfies Presence<ThresholdMap>;
const thresholdKeys = { percent: 'optional', count: 'optional' } satisfies Presence<Threshold>;
const authFlows = { v1: true, v2: true } satisfies Record<NonNullable<TrackunitSection['auth']>, true>;
const apiVersions = { 'tug/v1': true } satisfies Record<NonNullable<DocumentBase['apiVersion']>, true>;

// ---- schemas, by hand-resolved path --------------------------------------------------------------------

type Node = Record<string, unknown>;
const SCHEMA_DIR = new URL('../../schemas/', import.meta.url);
const FILES = ['common', 'custom-field-definition', 'depot', 'customer', 'asset', 'contract', 'manifest', 'tug'].map((n) => `${n}.schema.json`);
const schemas = new Map(FILES.map((f) => [f, JSON.parse(readFileSync(new URL(f, SCHEMA_DIR), 'utf8')) as Node]));
const KIND_FILES = {
  CustomFieldDefinition: 'custom-field-definition.schema.json', Depot: 'depot.schema.json', Customer: 'customer.schema.json',
  Asset: 'asset.schema.json', Contract: 'contract.schema.json',
} satisfies Record<(typeof KIND_NAMES)[number], string>;

interface Loc { file: string; node: Node }

/** Follow `$ref`s (`other.schema.json#/$defs/x`, `#/$defs/x`) to the schema that declares the shape. */
function deref(loc: Loc): Loc {
  let { file, node } = loc;
  while (typeof node.$ref === 'string') {
    const [target = '', pointer = ''] = node.$ref.split('#');
    file = target === '' ? file : target;
    node = pointer.split('/').filter(Boolean).reduce<Node>((n, part) => n[part] as Node, schemas.get(file) as Node);
    expect(node, `${loc.file}: ${String(loc.node.$ref)}`).toBeDefined();
  }
  return { file, node };
}

/** The object schema at `path` below a file: property names, `[]` for array items. */
function shapeAt(file: string, ...path: string[]): Node {
  let loc = deref({ file, node: schemas.get(file) as Node });
  for (const step of path) {
    const next = step === '[]' ? loc.node.items : (loc.node.properties as Record<string, Node>)[step];
    loc = deref({ file: loc.file, node: next as Node });
  }
  return loc.node;
}

const presenceCases: [string, Record<string, string>, string, ...string[]][] = [
  ['CustomFieldDefinitionManifest', definitionKeys, 'custom-field-definition.schema.json'],
  ['Translation', translationKeys, 'custom-field-definition.schema.json', 'translations', '[]'],
  ['DepotManifest', depotKeys, 'depot.schema.json'],
  ['Address', addressKeys, 'depot.schema.json', 'address'],
  ['Polygon', polygonKeys, 'depot.schema.json', 'area'],
  ['CustomerManifest', customerKeys, 'customer.schema.json'],
  ['Address (customer)', addressKeys, 'customer.schema.json', 'address'],
  ['CustomerContact', contactKeys, 'customer.schema.json', 'contacts', '[]'],
  ['AssetManifest', assetKeys, 'asset.schema.json'],
  ['ContractManifest', contractKeys, 'contract.schema.json'],
  ['ContractItem', itemKeys, 'contract.schema.json', 'items', '[]'],
  ['AssetRef', assetRefKeys, 'contract.schema.json', 'items', '[]', 'asset'],
  ['RentalRate', rentalRateKeys, 'contract.schema.json', 'items', '[]', 'rentalRate'],
  ['Address (delivery)', addressKeys, 'contract.schema.json', 'items', '[]', 'deliveryAddress'],
  ['Address (pickup)', addressKeys, 'contract.schema.json', 'items', '[]', 'pickupAddress'],
  ['ProjectConfigFile', projectKeys, 'tug.schema.json'],
  ['trackunit', trackunitKeys, 'tug.schema.json', 'trackunit'],
  ['rateLimits', rateLimitKeys, 'tug.schema.json', 'rateLimits'],
  ['FamilyLimit', familyLimitKeys, 'tug.schema.json', 'rateLimits', 'rental'],
  ['prune', pruneKeys, 'tug.schema.json', 'prune'],
  ['safety', safetyKeys, 'tug.schema.json', 'safety'],
  ['state', stateKeys, 'tug.schema.json', 'state'],
  ['refresh', refreshKeys, 'tug.schema.json', 'refresh'],
  ['ThresholdMap', thresholdMapKeys, 'tug.schema.json', 'safety', 'maxDeletes'],
  ['Threshold', thresholdKeys, 'tug.schema.json', 'safety', 'maxUpdates', 'Depot'],
];

describe('TypeScript types and JSON Schemas name the same fields', () => {
  it('publishes exactly the expected schema files', () => {
    expect(readdirSync(SCHEMA_DIR).sort()).toEqual([...FILES].sort());
  });

  it.each(presenceCases)('%s', (_name, registry, file, ...path) => {
    const shape = shapeAt(file, ...path);
    expect(Object.keys(shape.properties as Node).sort()).toEqual(Object.keys(registry).sort());
    const required = Object.keys(registry).filter((k) => registry[k] === 'required');
    expect([...((shape.required as string[] | undefined) ?? [])].sort()).toEqual(required.sort());
    expect(shape.additionalProperties).toBe(false);
  });

  it('uses the kind names, the enums and the constants of the types', () => {
    const enumAt = (file: string, ...path: string[]) => shapeAt(file, ...path).enum;
    expect(enumAt('manifest.schema.json', 'kind')).toEqual(KIND_NAMES);
    for (const [kind, file] of Object.entries(KIND_FILES)) expect(shapeAt(file, 'kind').const).toBe(kind);
    expect(enumAt('customer.schema.json', 'type')).toEqual(common.CUSTOMER_TYPES);
    expect(enumAt('asset.schema.json', 'rentalStatus')).toEqual(common.RENTAL_STATUSES);
    expect(enumAt('contract.schema.json', 'status')).toEqual(common.CONTRACT_STATUSES);
    expect(enumAt('contract.schema.json', 'items', '[]', 'rentalRate', 'period')).toEqual(common.RATE_PERIODS);
    expect(enumAt('custom-field-definition.schema.json', 'type')).toEqual(common.FIELD_TYPES);
    expect(enumAt('custom-field-definition.schema.json', 'entityType')).toEqual(common.ENTITY_TYPES);
    expect(enumAt('custom-field-definition.schema.json', 'scope')).toEqual(common.SCOPE_TYPES);
    expect(enumAt('tug.schema.json', 'prune', 'kinds', '[]')).toEqual(KIND_NAMES);
    expect(enumAt('tug.schema.json', 'trackunit', 'auth')).toEqual(Object.keys(authFlows));
    expect(Object.keys(shapeAt('tug.schema.json', 'rateLimits').properties as Node)).toEqual(API_FAMILIES);
    expect(shapeAt('depot.schema.json', 'area', 'type').const).toBe('Polygon');
    for (const file of [...Object.values(KIND_FILES), 'tug.schema.json']) {
      expect(shapeAt(file, 'apiVersion').const).toBe(Object.keys(apiVersions)[0]);
    }
  });
});

// ---- ajv ------------------------------------------------------------------------------------------------

const ID_BASE = 'https://trackunit-gitops.dev/schemas/';
/**
 * Strict mode, except strictRequired: ajv cannot see a parent's `properties` from inside `anyOf`/`if`
 * (ajv#1571); the conventions walker below checks that instead. `errorMessage` is an annotation for
 * people (read by tug's validator and by VS Code), not a validation keyword.
 */
function makeAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, verbose: true });
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
  (addFormatsPlugin as unknown as (a: Ajv2020) => void)(ajv);
  for (const schema of schemas.values()) ajv.addSchema(schema);
  return ajv;
}
const ajv = makeAjv();
const validator = (file: string) => ajv.getSchema(ID_BASE + file) ?? expect.unreachable(`no schema ${file}`);
/** `[instancePath, keyword]` of every error, for documents that should fail for a named reason. */
function errorsOf(file: string, doc: unknown): [string, string][] {
  const validate = validator(file);
  return validate(doc) ? [] : (validate.errors ?? []).map((e: ErrorObject) => [e.instancePath, e.keyword]);
}

const goodDocuments = `
kind: CustomFieldDefinition
key: rentalCategory
entityType: ASSET
type: DROPDOWN
title: Rental category
translations: [{ language: da, title: Udlejningskategori }]
options: [Excavator, Wheel loader, Telehandler]
multiSelect: false
replacements: { Loader: Wheel loader }
---
{ kind: CustomFieldDefinition, key: replacementValue, entityType: ASSET, type: MONETARY, title: Replacement value, currency: DKK, minimum: 0 }
---
{ kind: CustomFieldDefinition, key: fuelTank, entityType: ASSET, type: NUMBER, title: Fuel tank, unitSi: L, unitUs: gal, maximum: 800 }
---
{ kind: CustomFieldDefinition, key: cvrNumber, entityType: CUSTOMER, type: STRING, title: CVR number, pattern: '^\\d{8}$', maximumLength: 8, scope: ACCOUNT }
---
{ kind: CustomFieldDefinition, key: siteManaged, entityType: SITE, type: BOOLEAN, title: Managed, uiVisible: true, uiEditable: false, protected: true }
---
apiVersion: tug/v1
kind: Depot
key: aarhus
name: Aarhus Depot
address: { streetAddress: Industrivej 12, zipCode: "8200", city: Aarhus N, country: Denmark }
area:
  type: Polygon
  coordinates: [[[10.1760, 56.1950], [10.1776, 56.1950, 40], [10.1776, 56.1958], [10.1760, 56.1950]]]
customFields: { costCentre: DK-AAR-01, siteManaged: true, clearedField: null }
---
{ kind: Depot, key: odense, name: Odense Depot, area: { type: Polygon, coordinates: [[[10.38, 55.40], [10.39, 55.40], [10.39, 55.41], [10.38, 55.40]]] } }
---
kind: Customer
externalReference: CUST-1001
name: Hansen Byg ApS
type: CONTRACTOR
email: info@hansenbyg.dk
contacts: [{ name: Mette Hansen, email: mette@hansenbyg.dk, phoneNumber: +45 20 11 22 33, title: Site manager }]
customFields: { creditLimit: { amount: 250000, currency: DKK } }
---
{ kind: Customer, externalReference: CUST-1002, name: Jensen & Søn Entreprise A/S }
---
{ kind: Asset, serialNumber: WNCE0506PPAL01234, externalReference: EQ-20431, rentalStatus: AVAILABLE, owningDepot: aarhus }
---
{ kind: Asset, assetId: 3f6c1d2e-8a4b-4c5d-9e7f-0a1b2c3d4e5f, customFields: { licensePlate: AB 12 345, oem-licensed: true } }
---
{ kind: Asset, pin: CAT0308CJ5PX00451, rentalStatus: IN_REPAIR }
---
{ kind: Asset, externalReference: EQ-20432, rentalStatus: ON_RENT }
---
kind: Contract
externalReference: K-2025-0042
customer: CUST-1001
status: OPEN
startDate: 2025-05-01
endDate: 2025-06-30T16:00:00+02:00
hiringDepot: aarhus
items:
  - externalReference: K-2025-0042-1
    asset: { serialNumber: WNCE0506PPAL01234 }
    onRentDate: 2025-05-01T07:00:00Z
    offRentDate: 2025-05-31
    rentalRate: { unitPrice: 1450, currency: DKK, period: DAILY }
    deliveryAddress: { streetAddress: Bernhardt Jensens Boulevard 1, zipCode: "8000", city: Aarhus C }
    deliveryDate: 2025-05-01T06:00:00+02:00
    pickupDate: 2025-06-02
  - { externalReference: K-2025-0042-2, asset: { externalReference: EQ-20432 }, onRentDate: 2025-05-03 }
  - { externalReference: K-2025-0042-3, asset: { pin: CAT0308CJ5PX00451 }, onRentDate: 2025-05-03 }
  - { externalReference: K-2025-0042-4, asset: { assetId: 3f6c1d2e-8a4b-4c5d-9e7f-0a1b2c3d4e5f }, onRentDate: 2025-05-03 }
---
{ kind: Contract, externalReference: K-2025-0043, customer: CUST-1002, status: RESERVED }
`;

/** Like the loader: YAML 1.2, so `2025-05-01` stays a string. */
function parseDocuments(text: string): unknown[] {
  return parseAllDocuments(text).map((doc) => {
    expect(doc.errors).toEqual([]);
    return doc.toJS() as unknown;
  });
}

const polygon3 = { type: 'Polygon', coordinates: [[[10.1, 56.1], [10.2, 56.1], [10.1, 56.1]]] };
const badDocuments: [string, unknown, [string, string]][] = [
  ['an unknown field', { kind: 'Depot', key: 'aarhus', name: 'Aarhus', address: { city: 'Aarhus' }, owner: 'x' }, ['', 'additionalProperties']],
  ['an unknown address field', { kind: 'Customer', externalReference: 'C-1', name: 'n', address: { street: 'x' } }, ['/address', 'additionalProperties']],
  ['a typo in an enum', { kind: 'Asset', serialNumber: 'S1', rentalStatus: 'ON-RENT' }, ['/rentalStatus', 'enum']],
  ['an unknown kind', { kind: 'Site', key: 'aarhus' }, ['/kind', 'enum']],
  ['no kind', { key: 'aarhus', name: 'Aarhus' }, ['', 'required']],
  ['a DROPDOWN without options', { kind: 'CustomFieldDefinition', key: 'cat', entityType: 'ASSET', type: 'DROPDOWN', title: 'Category' }, ['', 'required']],
  ['a DROPDOWN with duplicate options', { kind: 'CustomFieldDefinition', key: 'cat', entityType: 'ASSET', type: 'DROPDOWN', title: 'C', options: ['a', 'a'] }, ['/options', 'uniqueItems']],
  ['a MONETARY without currency', { kind: 'CustomFieldDefinition', key: 'v', entityType: 'ASSET', type: 'MONETARY', title: 'Value' }, ['', 'required']],
  ['minimum on a STRING', { kind: 'CustomFieldDefinition', key: 's', entityType: 'ASSET', type: 'STRING', title: 'S', minimum: 1 }, ['/minimum', 'not']],
  ['options on a NUMBER', { kind: 'CustomFieldDefinition', key: 'n', entityType: 'ASSET', type: 'NUMBER', title: 'N', options: ['a'] }, ['/options', 'not']],
  ['isInteger with a unit', { kind: 'CustomFieldDefinition', key: 'n', entityType: 'ASSET', type: 'NUMBER', title: 'N', isInteger: true, unitSi: 'kg' }, ['/unitSi', 'not']],
  ['a bad definition key', { kind: 'CustomFieldDefinition', key: '-x', entityType: 'ASSET', type: 'BOOLEAN', title: 'X' }, ['/key', 'pattern']],
  ['a depot without address or area', { kind: 'Depot', key: 'aarhus', name: 'Aarhus' }, ['', 'anyOf']],
  ['a polygon ring of 3 points', { kind: 'Depot', key: 'aarhus', name: 'Aarhus', area: polygon3 }, ['/area/coordinates/0', 'minItems']],
  ['a longitude out of range', { kind: 'Depot', key: 'a', name: 'A', area: { type: 'Polygon', coordinates: [[[190, 56], [10, 56], [10, 57], [190, 56]]] } }, ['/area/coordinates/0/0/0', 'maximum']],
  ['a position of 4 numbers', { kind: 'Depot', key: 'a', name: 'A', area: { type: 'Polygon', coordinates: [[[10, 56, 1, 2], [10, 56], [11, 57], [10, 56]]] } }, ['/area/coordinates/0/0', 'maxItems']],
  ['an asset with serialNumber and pin', { kind: 'Asset', serialNumber: 'S1', pin: 'P1' }, ['/pin', 'not']],
  ['an asset with assetId and serialNumber', { kind: 'Asset', assetId: '3f6c1d2e-8a4b-4c5d-9e7f-0a1b2c3d4e5f', serialNumber: 'S1' }, ['/serialNumber', 'not']],
  ['an asset without identity', { kind: 'Asset', rentalStatus: 'AVAILABLE' }, ['', 'anyOf']],
  ['an asset id that is no UUID', { kind: 'Asset', assetId: '42' }, ['/assetId', 'format']],
  ['an item asset with two keys', contractWith({ asset: { serialNumber: 'S1', pin: 'P1' } }), ['/items/0/asset', 'maxProperties']],
  ['an item asset without a key', contractWith({ asset: {} }), ['/items/0/asset', 'minProperties']],
  ['a date-time without time zone', contractWith({ onRentDate: '2025-05-01T07:00:00' }), ['/items/0/onRentDate', 'anyOf']],
  ['a rate in lower-case currency', contractWith({ rentalRate: { unitPrice: 1, currency: 'dkk', period: 'DAILY' } }), ['/items/0/rentalRate/currency', 'pattern']],
  ['an empty externalReference', { kind: 'Customer', externalReference: '', name: 'n' }, ['/externalReference', 'minLength']],
  ['a bad custom field key', { kind: 'Customer', externalReference: 'C-1', name: 'n', customFields: { 'bad key': 1 } }, ['/customFields', 'propertyNames']],
  ['protected as a string', { kind: 'Customer', externalReference: 'C-1', name: 'n', protected: 'yes' }, ['/protected', 'type']],
  ['another apiVersion', { apiVersion: 'tug/v2', kind: 'Customer', externalReference: 'C-1', name: 'n' }, ['/apiVersion', 'const']],
];

function contractWith(item: Node): Node {
  return { kind: 'Contract', externalReference: 'K-1', customer: 'CUST-1001', status: 'OPEN', items: [{ externalReference: 'K-1-1', asset: { serialNumber: 'S1' }, onRentDate: '2025-05-01', ...item }] };
}

describe('documents against the schemas', () => {
  it('compiles every schema in strict mode', () => {
    for (const file of FILES) expect(() => makeAjv().getSchema(ID_BASE + file), file).not.toThrow();
  });

  it('accepts good documents of every kind, through manifest.schema.json and through the kind schema', () => {
    const documents = parseDocuments(goodDocuments);
    expect(new Set(documents.map((d) => (d as Node).kind))).toEqual(new Set(KIND_NAMES));
    for (const doc of documents) {
      expect(errorsOf('manifest.schema.json', doc), JSON.stringify(doc)).toEqual([]);
      expect(errorsOf(KIND_FILES[(doc as Node).kind as keyof typeof KIND_FILES], doc), JSON.stringify(doc)).toEqual([]);
    }
  });

  it.each(badDocuments)('rejects %s', (_name, doc, expected) => {
    expect(errorsOf('manifest.schema.json', doc)).toContainEqual(expected);
  });

  it('accepts a complete tug.yaml and rejects credentials, bad protect patterns and bad limits', () => {
    const config = {
      apiVersion: 'tug/v1', manifests: ['manifests/**/*.yaml'], trackunit: { irisUrl: 'sandbox', authUrl: 'https://auth.trackunit.com', auth: 'v2', scopes: ['asset.view'] },
      rateLimits: { rental: { ratePerSecond: 2.5, burst: 5, maxInFlight: 2 }, 'iso-fleet': { ratePerSecond: 50 } }, concurrency: 8, stateDir: 'state',
      prune: { kinds: ['Contract', 'Customer'], allowDanglingReferences: ['Depot/odense', 'Customer/CUST-9*'] }, protect: ['Depot/*', '*/CUST-1*'],
      safety: { maxDeletes: { default: { percent: 10, count: 25 }, Depot: { count: 0 } }, maxUpdates: { Asset: { percent: 100 } }, guardEmptyDesiredState: true },
    } satisfies ProjectConfigFile;
    expect(errorsOf('tug.schema.json', config)).toEqual([]);
    expect(errorsOf('tug.schema.json', {})).toEqual([]);
    const bad: [unknown, [string, string]][] = [
      [{ trackunit: { clientSecret: 's3cret' } }, ['/trackunit', 'additionalProperties']],
      [{ trackunit: { irisUrl: 'iris.trackunit.com' } }, ['/trackunit/irisUrl', 'anyOf']],
      [{ protect: ['Site/aarhus'] }, ['/protect/0', 'pattern']],
      [{ prune: { kinds: ['Contract', 'Contract'] } }, ['/prune/kinds', 'uniqueItems']],
      [{ prune: { allowDanglingReferences: ['Contract/K-1'] } }, ['/prune/allowDanglingReferences/0', 'pattern']],
      [{ prune: { allowDanglingReferences: ['*/odense'] } }, ['/prune/allowDanglingReferences/0', 'pattern']],
      [{ rateLimits: { rental: { ratePerSecond: 0 } } }, ['/rateLimits/rental/ratePerSecond', 'exclusiveMinimum']],
      [{ rateLimits: { sandbox: { ratePerSecond: 1 } } }, ['/rateLimits', 'additionalProperties']],
      [{ concurrency: 65 }, ['/concurrency', 'maximum']],
      [{ safety: { maxDeletes: { Site: { count: 1 } } } }, ['/safety/maxDeletes', 'additionalProperties']],
      [{ safety: { maxDeletes: { default: { percent: 101 } } } }, ['/safety/maxDeletes/default/percent', 'maximum']],
    ];
    for (const [doc, expected] of bad) expect(errorsOf('tug.schema.json', doc), JSON.stringify(doc)).toContainEqual(expected);
  });

  it('explains identity mistakes with an errorMessage at the offending field', () => {
    /** What a reader sees: the error's place and the errorMessage of the schema that failed, else ajv's message. */
    const explained = (doc: unknown) => {
      const validate = validator('manifest.schema.json');
      validate(doc);
      return (validate.errors ?? [])
        .filter((e) => e.keyword !== 'if' && !/\/(anyOf|oneOf)\/\d+\//.test(e.schemaPath))
        .map((e) => `${e.instancePath || '/'}: ${(e.parentSchema as Node | undefined)?.errorMessage ?? e.message}`);
    };
    expect(explained({ kind: 'Asset', serialNumber: 'S1', pin: 'P1' })).toEqual(['/pin: use one identity: pin cannot be combined with serialNumber']);
    expect(explained({ kind: 'Asset', assetId: '3f6c1d2e-8a4b-4c5d-9e7f-0a1b2c3d4e5f', serialNumber: 'S1', pin: 'P1' })).toEqual([
      '/serialNumber: use one identity: serialNumber cannot be combined with assetId',
      '/pin: use one identity: pin cannot be combined with assetId',
      '/pin: use one identity: pin cannot be combined with serialNumber',
    ]);
    expect(explained({ kind: 'Asset', rentalStatus: 'AVAILABLE' })).toEqual(['/: an Asset needs an identity: one of assetId, serialNumber, pin or externalReference']);
    const oneOf = 'must name the asset by exactly one of assetId, serialNumber, pin or externalReference';
    expect(explained(contractWith({ asset: { serialNumber: 'S1', pin: 'P1' } }))).toEqual([`/items/0/asset: ${oneOf}`]);
    expect(explained(contractWith({ asset: {} }))).toEqual([`/items/0/asset: ${oneOf}`]);
    expect(explained(contractWith({ asset: { serial: 'S1' } }))).toEqual([`/items/0/asset: ${oneOf}`]);
    expect(explained({ kind: 'CustomFieldDefinition', key: 'k', entityType: 'ASSET', type: 'STRING', title: 'T', options: ['a'] })).toEqual([
      '/options: options is only for type DROPDOWN',
    ]);
  });
});

// ---- conventions every schema keeps ---------------------------------------------------------------------

interface Visit { file: string; pointer: string; node: Node; inIf: boolean; declared: Set<string> }
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Subschemas at the same place in the instance (they see the parent's properties) and below it. */
const SAME_LEVEL_ONE = ['not', 'if', 'then', 'else'];
const SAME_LEVEL_LISTS = ['allOf', 'anyOf', 'oneOf'];
const DEEPER_ONE = ['items', 'additionalProperties', 'propertyNames', 'contains'];
const DEEPER_MAPS = ['properties', '$defs'];

/** Every subschema of a file with its JSON pointer; `declared` = the properties visible to `required` there. */
function* walk(file: string, node: Node, pointer = '', inIf = false, declared = new Set<string>()): Generator<Visit> {
  const own = isNode(node.properties) ? new Set([...declared, ...Object.keys(node.properties)]) : declared;
  yield { file, pointer, node, inIf, declared: own };
  const at = (...steps: (string | number)[]) => pointer + steps.map((step) => `/${String(step).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
  for (const key of SAME_LEVEL_ONE) if (isNode(node[key])) yield* walk(file, node[key], at(key), inIf || key === 'if', own);
  for (const key of SAME_LEVEL_LISTS) for (const [i, child] of ((node[key] as Node[] | undefined) ?? []).entries()) yield* walk(file, child, at(key, i), inIf, own);
  for (const [name, child] of Object.entries((node.dependentSchemas as Record<string, Node> | undefined) ?? {})) yield* walk(file, child, at('dependentSchemas', name), inIf, own);
  for (const key of DEEPER_ONE) if (isNode(node[key])) yield* walk(file, node[key], at(key), inIf);
  for (const [i, child] of ((node.prefixItems as Node[] | undefined) ?? []).entries()) yield* walk(file, child, at('prefixItems', i), inIf);
  for (const key of DEEPER_MAPS) for (const [name, child] of Object.entries((node[key] as Record<string, Node> | undefined) ?? {})) yield* walk(file, child, at(key, name), inIf);
}
const visits = FILES.flatMap((file) => [...walk(file, schemas.get(file) as Node)]);
/** A property that may not appear here: `{not: {}, errorMessage}` inside then/else/dependentSchemas. */
const isProhibition = (node: Node) => isNode(node.not) && Object.keys(node.not).length === 0 && typeof node.errorMessage === 'string';

describe('schema conventions', () => {
  it.each(FILES)('%s is draft 2020-12 with $id, title and description', (file) => {
    const schema = schemas.get(file) as Node;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(ID_BASE + file);
    expect(schema.title).toEqual(expect.any(String));
    expect(schema.description).toEqual(expect.any(String));
  });

  it('gives every property a description and examples', () => {
    const missing: string[] = [];
    for (const { file, pointer, node, inIf } of visits) {
      if (inIf || !isNode(node.properties)) continue;
      for (const [name, property] of Object.entries(node.properties)) {
        if (!isNode(property)) missing.push(`${file}#${pointer}/properties/${name}: a boolean schema; use {not: {}, errorMessage}`);
        else if (isProhibition(property)) continue;
        else if (typeof property.description !== 'string' || property.description === '') missing.push(`${file}#${pointer}/properties/${name}: description`);
        else if (!Array.isArray(property.examples) || property.examples.length === 0) missing.push(`${file}#${pointer}/properties/${name}: examples`);
      }
    }
    expect(missing).toEqual([]);
    expect(visits.filter((v) => isNode(v.node.properties)).length).toBeGreaterThan(20);
  });

  it('keeps every example valid against its own schema', () => {
    const invalid: string[] = [];
    for (const { file, pointer, node, inIf } of visits) {
      if (inIf || !Array.isArray(node.examples)) continue;
      const validate = ajv.getSchema(`${ID_BASE}${file}#${pointer}`) ?? expect.unreachable(`${file}#${pointer}`);
      for (const example of node.examples) if (!validate(example)) invalid.push(`${file}#${pointer}: ${JSON.stringify(example)} ${ajv.errorsText(validate.errors)}`);
    }
    expect(invalid).toEqual([]);
  });

  it('closes every object (additionalProperties: false), maps excepted', () => {
    const open = visits
      .filter(({ node, inIf }) => !inIf && node.type === 'object' && node.additionalProperties !== false && node.propertyNames === undefined)
      .map(({ file, pointer }) => `${file}#${pointer}`);
    // The dispatcher only reads `kind`; the kind schema it picks is closed.
    expect(open).toEqual(['manifest.schema.json#']);
  });

  it('requires only declared properties (what strictRequired would check) and writes errorMessages as text', () => {
    const problems: string[] = [];
    for (const { file, pointer, node, declared } of visits) {
      for (const name of (node.required as string[] | undefined) ?? []) if (!declared.has(name)) problems.push(`${file}#${pointer}: required ${name}`);
      if ('errorMessage' in node && (typeof node.errorMessage !== 'string' || node.errorMessage === '')) problems.push(`${file}#${pointer}: errorMessage`);
    }
    expect(problems).toEqual([]);
  });
});

describe('README', () => {
  it('shows manifest and tug.yaml examples that are valid', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = /^## Manifests\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? expect.unreachable('no ## Manifests section');
    const blocks = [...section.matchAll(/^```yaml\n([\s\S]*?)^```/gm)].map((m) => m[1] ?? '');
    const configs = blocks.filter((b) => b.startsWith('# tug.yaml'));
    expect(configs).toHaveLength(1);
    for (const config of configs) expect(errorsOf('tug.schema.json', parseDocuments(config)[0])).toEqual([]);
    const documents = blocks.filter((b) => !configs.includes(b)).flatMap(parseDocuments).filter((d) => isNode(d) && 'kind' in d);
    expect(new Set(documents.map((d) => (d as Node).kind))).toEqual(new Set(KIND_NAMES));
    for (const doc of documents) expect(errorsOf('manifest.schema.json', doc), JSON.stringify(doc)).toEqual([]);
  });
});
