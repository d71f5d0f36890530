/**
 * Deterministic seed data for the sandbox: the same seed name and sizes always give the same account
 * (ids, serials, PINs, hour meters, locations), so demos, tests and benchmarks are reproducible.
 *
 * - `empty`: Trackunit's standard custom-field definitions only (plus `assets`/`customers` if asked).
 * - `demo`: a small Danish rental company's fleet of 30 owned assets (the ones examples/ refers to),
 *   two assets shared in from another account (visible, not owned), and a few objects created by hand
 *   in Trackunit that no manifest manages (a construction site, a walk-in customer).
 */
import { createRng, deterministicUuid, pick } from './random.js';
import { blankDefinition, type AssetRecord, type CustomerRecord, type DefinitionRecord, type SiteRecord, type Store, type Telemetry } from './store.js';

export type SeedKind = 'demo' | 'empty';

export interface SeedOptions {
  kind: SeedKind;
  /** Number of owned assets; demo default 30, empty default 0. */
  assets?: number;
  /** Extra generated customers (benchmarks list 10,000). */
  customers?: number;
  /** Seed name for the random generator; defaults to the kind. */
  seed?: string;
}

/** All seeded timestamps derive from this instant, not the wall clock, to stay deterministic. */
const SEED_EPOCH = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (offsetMs: number) => new Date(SEED_EPOCH + offsetMs).toISOString();

interface Model {
  brand: string;
  model: string;
  kind: string;
  /** The category (`assetType`). */
  assetType: string;
  /** Serial-number style: PIN17 (17-char ISO PIN), DIGITS, DASHED. */
  serial: 'PIN17' | 'DIGITS' | 'DASHED';
  prefix: string;
}

const MODELS: Model[] = [
  { brand: 'Wacker Neuson', model: 'EZ26', kind: 'Excavator', assetType: 'MACHINE', serial: 'PIN17', prefix: 'WNCE0506' },
  { brand: 'JCB', model: '3CX', kind: 'Backhoe loader', assetType: 'MACHINE', serial: 'PIN17', prefix: 'JCB3CX4T' },
  { brand: 'Volvo', model: 'EC220E', kind: 'Excavator', assetType: 'MACHINE', serial: 'PIN17', prefix: 'VCEC220E' },
  { brand: 'Caterpillar', model: '320', kind: 'Excavator', assetType: 'MACHINE', serial: 'PIN17', prefix: 'CAT0320G' },
  { brand: 'Bobcat', model: 'E19', kind: 'Mini excavator', assetType: 'MACHINE', serial: 'PIN17', prefix: 'B4SE1911' },
  { brand: 'Manitou', model: 'MT 1440', kind: 'Telehandler', assetType: 'MACHINE', serial: 'PIN17', prefix: 'MAN14400' },
  { brand: 'Genie', model: 'GS-1932', kind: 'Scissor lift', assetType: 'MACHINE', serial: 'DASHED', prefix: 'GS3213A' },
  { brand: 'JLG', model: '450AJ', kind: 'Boom lift', assetType: 'MACHINE', serial: 'DIGITS', prefix: '03000' },
  { brand: 'Atlas Copco', model: 'XAS 58', kind: 'Compressor', assetType: 'EQUIPMENT', serial: 'DASHED', prefix: 'AC-XAS' },
  { brand: 'Hilti', model: 'TE 3000-AVR', kind: 'Breaker', assetType: 'TOOL', serial: 'DIGITS', prefix: '7710' },
  { brand: 'Doosan', model: 'DX140W', kind: 'Wheeled excavator', assetType: 'MACHINE', serial: 'PIN17', prefix: 'DHKHEWD0' },
  { brand: 'Kubota', model: 'KX019-4', kind: 'Mini excavator', assetType: 'MACHINE', serial: 'PIN17', prefix: 'KBCKX019' },
];

/** Where the fleet roams: around three Danish cities (lat, lon). */
const AREAS: Array<[number, number]> = [
  [56.1629, 10.2039],
  [55.6761, 12.5683],
  [55.4038, 10.4024],
];

const ALNUM = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';

function serialFor(model: Model, index: number, rng: () => number): string {
  const n = String(index + 1).padStart(5, '0');
  if (model.serial === 'DIGITS') return `${model.prefix}${n}`;
  if (model.serial === 'DASHED') return `${model.prefix}-${n}`;
  let middle = '';
  for (let i = 0; i < 17 - model.prefix.length - n.length; i += 1) middle += pick(rng, [...ALNUM]);
  return `${model.prefix}${middle}${n}`;
}

function telemetryFor(index: number, serial: string, model: Model, rng: () => number): Telemetry {
  const [lat, lon] = pick(rng, AREAS);
  const seen = iso(24 * 3600 * 1000 * 30 + Math.floor(rng() * 3600 * 1000 * 6));
  const hours = Math.round(rng() * 9000 * 10) / 10;
  // PIN variations seen in the field: users edit Serial Number/VIN, so some are lower case or spaced,
  // and a few assets have no PIN at all.
  let pin: string | null = model.serial === 'PIN17' ? serial : serial.replace('-', '');
  if (index % 11 === 5) pin = pin.toLowerCase();
  if (index % 13 === 7) pin = `${pin.slice(0, 6)} ${pin.slice(6)}`;
  if (index % 17 === 9) pin = null;
  const running = rng() < 0.2;
  return {
    pin,
    unitId: String(5_000_000 + index),
    unitInstallDateTime: iso(-Math.floor(rng() * 700) * 24 * 3600 * 1000),
    location: {
      latitude: Math.round((lat + (rng() - 0.5) * 0.2) * 1e6) / 1e6,
      longitude: Math.round((lon + (rng() - 0.5) * 0.3) * 1e6) / 1e6,
      altitude: index % 3 === 0 ? null : Math.round(rng() * 80),
      datetime: seen,
    },
    operatingHours: index % 19 === 4 ? null : { hour: hours, datetime: seen },
    idleHours: index % 2 === 0 ? { hour: Math.round(hours * 0.27 * 10) / 10, datetime: seen } : null,
    fuelRemaining: model.assetType === 'MACHINE' ? { percent: Math.floor(rng() * 100), datetime: seen } : null,
    engineRunning: model.assetType === 'TOOL' ? null : { running, datetime: seen },
    distance: index % 4 === 1 ? { odometerKm: Math.round(rng() * 5000 * 10) / 10, datetime: seen } : null,
    batteryPotential: index % 5 === 0 ? { volts: Math.round((12 + rng() * 1.5) * 10) / 10, datetime: seen } : null,
  };
}

/** The free-text `type`, in the documented example's style ("AWP/Scissor lift") for aerial work platforms. */
const freeTextType = (model: Model): string => (model.kind.endsWith(' lift') ? `AWP/${model.kind}` : model.kind);

function makeAsset(store: Store, index: number, rng: () => number, owned: boolean): AssetRecord {
  const model = MODELS[index % MODELS.length] as Model;
  const serial = serialFor(model, index, rng);
  const stamp = iso(index * 1000);
  return {
    id: store.newId(),
    name: `${model.kind} ${index + 1}`,
    assetType: model.assetType,
    type: freeTextType(model),
    brand: model.brand,
    model: model.model,
    serialNumber: serial,
    productionYear: 2015 + Math.floor(rng() * 11),
    externalReference: null,
    telematicsDevices: [{ id: deterministicUuid('device', index), serialNumber: String(3_400_000 + index) }],
    ownerAccountId: owned ? store.account.id : deterministicUuid('other-account', 1),
    owned,
    rentalStatus: null,
    owningDepotId: null,
    telemetry: telemetryFor(index, serial, model, rng),
    // Shared-in assets come without a creation time, as the documented example allows.
    createdAt: owned ? stamp : null,
    updatedAt: stamp,
  };
}

function definition(store: Store, partial: Partial<DefinitionRecord> & Pick<DefinitionRecord, 'key' | 'type' | 'title'>): DefinitionRecord {
  return blankDefinition({ id: store.newId(), entityType: 'ASSET', owner: 'TRACKUNIT', ...partial }, iso(0));
}

/** A selection of Trackunit's documented standard (Trackunit-owned) asset fields. */
function seedStandardDefinitions(store: Store): void {
  const defs = [
    definition(store, { key: 'engineFuelType', type: 'DROPDOWN', title: 'Engine fuel type', allValues: ['Diesel', 'Petrol', 'CNG', 'LPG', 'HVO100', 'Hydrogen', 'Bio-diesel'], multiSelect: false }),
    definition(store, { key: 'engineModel', type: 'STRING', title: 'Engine model' }),
    definition(store, { key: 'licensePlate', type: 'STRING', title: 'License plate' }),
    definition(store, { key: 'fuelTankCapacityTotal', type: 'NUMBER', title: 'Fuel tank capacity', unitSi: 'L', unitUs: 'US gal', minimum: 0 }),
    definition(store, { key: 'warrantyEndDate', type: 'DATE', title: 'Warranty end date' }),
    definition(store, { key: 'purchaseDate', type: 'DATE', title: 'Purchase date' }),
    definition(store, { key: 'billingReference', type: 'STRING', title: 'Billing reference' }),
    definition(store, { key: 'oemSubscriptionType', type: 'STRING', title: 'OEM subscription type', uiVisible: false, uiEditable: false }),
  ];
  for (const def of defs) store.definitions.set(def.id, def);
}

function seedCustomers(store: Store, count: number, rng: () => number): void {
  const types = ['CONTRACTOR', 'DEALER', 'DISTRIBUTOR', 'OEM', 'RENTAL', 'SERVICE', 'OTHER'];
  for (let i = 0; i < count; i += 1) {
    const stamp = iso(i * 1000);
    const customer: CustomerRecord = {
      id: store.newId(),
      name: `Generated Customer ${i + 1} ApS`,
      type: pick(rng, types),
      externalReference: `GEN-${String(i + 1).padStart(6, '0')}`,
      address: { streetAddress: `Industrivej ${(i % 200) + 1}`, zipCode: String(1000 + (i % 8999)), city: 'Aarhus', country: 'DK' },
      phoneNumber: `+4520${String(i).padStart(6, '0')}`,
      email: `orders${i + 1}@customer.example`,
      website: null,
      createdAt: stamp,
      updatedAt: stamp,
    };
    store.customers.set(customer.id, customer);
  }
}

/** Objects a user created by hand in Trackunit: tug must report them as unmanaged, never touch them. */
function seedDemoUnmanaged(store: Store): void {
  const stamp = iso(0);
  const site: SiteRecord = {
    id: store.newId(),
    name: 'Vejle harbour construction site',
    type: 'CONSTRUCTION_SITE',
    description: 'Created by hand in Manager',
    externalReference: null,
    startDate: '2025-09-01T00:00:00.000Z',
    endDate: null,
    address: { streetAddress: 'Havnegade 1', zipCode: '7100', city: 'Vejle', country: 'DK' },
    area: null,
    archived: false,
    createdAt: stamp,
    updatedAt: stamp,
  };
  store.sites.set(site.id, site);
  const customer: CustomerRecord = {
    id: store.newId(),
    name: 'Walk-in customer',
    type: 'OTHER',
    externalReference: null,
    address: null,
    phoneNumber: null,
    email: null,
    website: null,
    createdAt: stamp,
    updatedAt: stamp,
  };
  store.customers.set(customer.id, customer);
}

/** Fill an (empty) store. Idempotence is the caller's business: seed a fresh store only. */
export function seedStore(store: Store, options: SeedOptions): void {
  const rng = createRng(options.seed ?? options.kind);
  seedStandardDefinitions(store);
  const assetCount = options.assets ?? (options.kind === 'demo' ? 30 : 0);
  for (let i = 0; i < assetCount; i += 1) {
    const asset = makeAsset(store, i, rng, true);
    store.assets.set(asset.id, asset);
  }
  if (options.kind === 'demo') {
    store.account = { ...store.account, name: 'Nordic Rental A/S' };
    for (let i = 0; i < 2; i += 1) {
      const shared = makeAsset(store, 10_000 + i, rng, false);
      shared.name = `Shared-in ${shared.name}`;
      store.assets.set(shared.id, shared);
    }
    seedDemoUnmanaged(store);
  }
  seedCustomers(store, options.customers ?? 0, rng);
}
