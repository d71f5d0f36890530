/**
 * The sandbox's in-memory account: one Trackunit customer account with its sites, customers, custom
 * fields, assets and rental data. Records are the *stored* form; each routes/<api>.ts module owns the
 * projection to its API's response shape, so an [assumed] wire shape is a one-file change.
 *
 * Maps keep insertion order, which is creation order: the natural, stable order of every list.
 * The store can be snapshotted to JSON and restored (`tug sandbox --data file.json`).
 */
import { EventEmitter } from 'node:events';
import { deterministicUuid } from './random.js';

export interface Address {
  streetAddress?: string | null;
  zipCode?: string | null;
  city?: string | null;
  country?: string | null;
}

/** GeoJSON polygon: rings of [longitude, latitude(, altitude)] positions. */
export interface Polygon {
  type: 'Polygon';
  coordinates: number[][][];
}

export interface SiteRecord {
  id: string;
  name: string;
  type: string;
  description: string | null;
  externalReference: string | null;
  startDate: string | null;
  endDate: string | null;
  address: Address | null;
  area: Polygon | null;
  /** Set by writing status ARCHIVED; overrides the date-derived status. */
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface CustomerRecord {
  id: string;
  name: string;
  type: string;
  externalReference: string | null;
  address: Address | null;
  phoneNumber: string | null;
  email: string | null;
  website: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ContactRecord {
  id: string;
  customerId: string;
  name: string;
  email: string | null;
  phoneNumber: string | null;
  title: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CustomerAssetRecord {
  customerId: string;
  assetId: string;
}

export interface TranslationRecord {
  language: string;
  title: string;
  description?: string | null;
}

export interface DefinitionRecord {
  id: string;
  key: string | null;
  entityType: string;
  type: string;
  /** ACCOUNT (created through the API), APP or TRACKUNIT (standard fields). */
  owner: string;
  title: string | null;
  description: string | null;
  translations: TranslationRecord[];
  uiVisible: boolean;
  uiEditable: boolean;
  scopeType: string;
  minimum: number | null;
  maximum: number | null;
  unitSi: string | null;
  unitUs: string | null;
  isInteger: boolean | null;
  minimumLength: number | null;
  maximumLength: number | null;
  pattern: string | null;
  allValues: string[] | null;
  multiSelect: boolean | null;
  currency: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A definition with every optional field at its default (UI-visible, editable, ACCOUNT scope). */
export function blankDefinition(
  fields: Pick<DefinitionRecord, 'id' | 'key' | 'entityType' | 'type' | 'owner'> & Partial<DefinitionRecord>,
  at: string,
): DefinitionRecord {
  return {
    title: null,
    description: null,
    translations: [],
    uiVisible: true,
    uiEditable: true,
    scopeType: 'ACCOUNT',
    minimum: null,
    maximum: null,
    unitSi: null,
    unitUs: null,
    isInteger: null,
    minimumLength: null,
    maximumLength: null,
    pattern: null,
    allValues: null,
    multiSelect: null,
    currency: null,
    createdAt: at,
    updatedAt: at,
    ...fields,
  };
}

/** Typed value wrapper: exactly one member is set, chosen by the definition's type. */
export type FieldValue = Record<string, unknown>;

export interface ValueRecord {
  id: string;
  definitionId: string;
  entityId: string;
  entityType: string;
  value: FieldValue | null;
  lastIncompatibleValue: FieldValue | null;
  createdAt: string;
  updatedAt: string;
}

/** Latest telematics data of an asset, served by the ISO 15143-3 export. */
export interface Telemetry {
  pin: string | null;
  unitId: string | null;
  unitInstallDateTime: string | null;
  location: { latitude: number; longitude: number; altitude: number | null; datetime: string } | null;
  operatingHours: { hour: number; datetime: string } | null;
  idleHours: { hour: number; datetime: string } | null;
  fuelRemaining: { percent: number; datetime: string } | null;
  engineRunning: { running: boolean; datetime: string } | null;
  distance: { odometerKm: number; datetime: string } | null;
  batteryPotential: { volts: number; datetime: string } | null;
}

export interface AssetRecord {
  id: string;
  name: string;
  /** The category: MACHINE, EQUIPMENT, TOOL, … (asset-list-example.v1beta1.json). */
  assetType: string;
  /** Free text such as "AWP/Scissor lift" (asset-list-example.v1beta1.json); null when unset. */
  type: string | null;
  brand: string | null;
  model: string | null;
  serialNumber: string | null;
  productionYear: number | null;
  externalReference: string | null;
  telematicsDevices: Array<{ id: string; serialNumber: string }>;
  ownerAccountId: string;
  /** Only owned assets accept ERP (rental) data; shared-in assets are visible but not owned. */
  owned: boolean;
  rentalStatus: string | null;
  owningDepotId: string | null;
  telemetry: Telemetry;
  /** May be null (asset-list-example.v1beta1.json shows `createdAt: null`). */
  createdAt: string | null;
  updatedAt: string;
}

/**
 * Snapshots written before the Asset shape followed the documented example kept the category in
 * `type` and had no `assetType`: read them as category + no free-text type.
 */
function upgradeAsset(asset: AssetRecord): AssetRecord {
  if (typeof (asset as Partial<AssetRecord>).assetType === 'string') return asset;
  return { ...asset, assetType: asset.type ?? 'OTHER', type: null };
}

/** Snapshots written before the contract status followed the 2025 diagram called it `status`. */
function upgradeContract(contract: ContractRecord): ContractRecord {
  if ('contractStatus' in contract) return contract;
  const { status, ...rest } = contract as ContractRecord & { status?: string | null };
  return { ...rest, contractStatus: status ?? null };
}

export interface RentalRate {
  currency: string;
  unitPrice: number;
  period: string;
}

export interface ContractRecord {
  id: string;
  externalReference: string;
  /** The 2025 rental model diagram's name (evidence/new-rental-model.png). */
  contractStatus: string | null;
  startDate: string | null;
  endDate: string | null;
  customerId: string;
  hiringDepotId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ContractItemRecord {
  id: string;
  contractId: string;
  assetId: string | null;
  externalReference: string;
  onRentDate: string;
  offRentDate: string | null;
  rentalRate: RentalRate | null;
  deliveryAddress: Address | null;
  deliveryDate: string | null;
  pickupAddress: Address | null;
  pickupDate: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A synchronization payload that matched no asset (202): kept and applied when an asset matches. */
export interface PendingSyncRecord {
  id: string;
  identifierType: string;
  identifier: string;
  payload: Record<string, unknown>;
  receivedAt: string;
}

export interface AccountRecord {
  id: string;
  name: string;
  /** IrisX gates the Customer API, the Rental API and custom-field definition writes (documented). */
  features: { irisx: boolean };
}

/** The JSON file format of `--data`. */
export interface StoreSnapshot {
  formatVersion: 1;
  idNamespace: string;
  idCounter: number;
  account: AccountRecord;
  sites: SiteRecord[];
  customers: CustomerRecord[];
  contacts: ContactRecord[];
  customerAssets: CustomerAssetRecord[];
  definitions: DefinitionRecord[];
  values: ValueRecord[];
  assets: AssetRecord[];
  contracts: ContractRecord[];
  contractItems: ContractItemRecord[];
  pendingSyncs: PendingSyncRecord[];
}

export type StoreEvents = {
  /** An asset was created or its identifying fields changed (rental matching listens). */
  'asset-changed': [AssetRecord];
  /** Anything changed (persistence listens). */
  changed: [];
};

export class Store {
  account: AccountRecord;
  readonly sites = new Map<string, SiteRecord>();
  readonly customers = new Map<string, CustomerRecord>();
  readonly contacts = new Map<string, ContactRecord>();
  customerAssets: CustomerAssetRecord[] = [];
  readonly definitions = new Map<string, DefinitionRecord>();
  readonly values = new Map<string, ValueRecord>();
  readonly assets = new Map<string, AssetRecord>();
  readonly contracts = new Map<string, ContractRecord>();
  readonly contractItems = new Map<string, ContractItemRecord>();
  readonly pendingSyncs = new Map<string, PendingSyncRecord>();
  readonly events = new EventEmitter<StoreEvents>();
  private idCounter = 0;

  constructor(
    readonly idNamespace = 'sandbox',
    account?: AccountRecord,
  ) {
    this.account = account ?? {
      id: deterministicUuid(`${idNamespace}:account`, 0),
      name: 'Sandbox Rental A/S',
      features: { irisx: true },
    };
  }

  /** Next id: deterministic for a given namespace and history, UUID-shaped like Iris ids. */
  newId(): string {
    this.idCounter += 1;
    return deterministicUuid(this.idNamespace, this.idCounter);
  }

  /** Call after every mutation so persistence can save. */
  changed(): void {
    this.events.emit('changed');
  }

  assetChanged(asset: AssetRecord): void {
    this.events.emit('asset-changed', asset);
    this.changed();
  }

  toSnapshot(): StoreSnapshot {
    return {
      formatVersion: 1,
      idNamespace: this.idNamespace,
      idCounter: this.idCounter,
      account: this.account,
      sites: [...this.sites.values()],
      customers: [...this.customers.values()],
      contacts: [...this.contacts.values()],
      customerAssets: this.customerAssets,
      definitions: [...this.definitions.values()],
      values: [...this.values.values()],
      assets: [...this.assets.values()],
      contracts: [...this.contracts.values()],
      contractItems: [...this.contractItems.values()],
      pendingSyncs: [...this.pendingSyncs.values()],
    };
  }

  static fromSnapshot(snapshot: StoreSnapshot): Store {
    if (snapshot.formatVersion !== 1) {
      throw new Error(`unsupported sandbox data formatVersion ${String(snapshot.formatVersion)} (expected 1)`);
    }
    const store = new Store(snapshot.idNamespace, snapshot.account);
    store.idCounter = snapshot.idCounter;
    const fill = <T extends { id: string }>(map: Map<string, T>, items: T[] | undefined) => {
      for (const item of items ?? []) map.set(item.id, item);
    };
    fill(store.sites, snapshot.sites);
    fill(store.customers, snapshot.customers);
    fill(store.contacts, snapshot.contacts);
    store.customerAssets = snapshot.customerAssets ?? [];
    fill(store.definitions, snapshot.definitions);
    fill(store.values, snapshot.values);
    fill(store.assets, snapshot.assets?.map(upgradeAsset));
    fill(store.contracts, snapshot.contracts?.map(upgradeContract));
    fill(store.contractItems, snapshot.contractItems);
    fill(store.pendingSyncs, snapshot.pendingSyncs);
    return store;
  }

  /** Counts per collection, for `tug sandbox` start-up output and tests. */
  summary(): Record<string, number> {
    return {
      sites: this.sites.size,
      customers: this.customers.size,
      definitions: this.definitions.size,
      values: this.values.size,
      assets: this.assets.size,
      contracts: this.contracts.size,
      contractItems: this.contractItems.size,
      pendingSyncs: this.pendingSyncs.size,
    };
  }
}
