/**
 * The registry of manifest kinds. Adding a kind is one folder under src/kinds/ plus one entry here.
 *
 * Dependency levels of changes (creates/updates/syncs run top-down, deletes bottom-up):
 *
 *   0  CustomFieldDefinition, Depot      (a depot's custom field values also wait for new definitions)
 *   1  Customer                          may carry custom field values
 *   2  Asset updates                     externalReference, custom field values
 *   3  rental syncs (one per asset)      rentalStatus, owningDepot → Depot, items → Contract → Customer
 *   4  Contract custom field values      the contract exists only once a sync created it
 */
import type { KindName } from '../config/project.js';
import type { AssetManifest } from './asset/manifest.js';
import type { EntityType } from './common.js';
import type { ContractManifest } from './contract/manifest.js';
import type { CustomFieldDefinitionManifest } from './custom-field-definition/manifest.js';
import type { CustomerManifest } from './customer/manifest.js';
import type { DepotManifest } from './depot/manifest.js';

export type Manifest = CustomFieldDefinitionManifest | DepotManifest | CustomerManifest | AssetManifest | ContractManifest;
export type ManifestOf<K extends KindName> = Extract<Manifest, { kind: K }>;

export interface KindInfo {
  kind: KindName;
  /** File in schemas/ validating one document of this kind. */
  schemaFile: string;
  level: number;
  /** Entity type of this kind's custom field values (undefined: the kind carries none). */
  entityType?: EntityType;
  /** The identity field(s) for messages, e.g. `key`. */
  identityField: string;
}

export const KINDS: Record<KindName, KindInfo> = {
  CustomFieldDefinition: { kind: 'CustomFieldDefinition', schemaFile: 'custom-field-definition.schema.json', level: 0, identityField: 'key' },
  Depot: { kind: 'Depot', schemaFile: 'depot.schema.json', level: 0, entityType: 'SITE', identityField: 'key' },
  Customer: { kind: 'Customer', schemaFile: 'customer.schema.json', level: 1, entityType: 'CUSTOMER', identityField: 'externalReference' },
  Asset: { kind: 'Asset', schemaFile: 'asset.schema.json', level: 2, entityType: 'ASSET', identityField: 'assetId | serialNumber | pin | externalReference' },
  Contract: { kind: 'Contract', schemaFile: 'contract.schema.json', level: 3, entityType: 'RENTAL_CONTRACT', identityField: 'externalReference' },
};

export function isKindName(value: unknown): value is KindName {
  return typeof value === 'string' && Object.hasOwn(KINDS, value);
}

/** Which of an asset reference's identifiers is used: assetId, serialNumber, pin, else externalReference. */
export function assetRefKey(ref: { assetId?: string; serialNumber?: string; pin?: string; externalReference?: string }): string | undefined {
  if (ref.assetId !== undefined) return `assetId=${ref.assetId}`;
  if (ref.serialNumber !== undefined) return `serialNumber=${ref.serialNumber}`;
  if (ref.pin !== undefined) return `pin=${ref.pin}`;
  if (ref.externalReference !== undefined) return `externalReference=${ref.externalReference}`;
  return undefined;
}

/**
 * The identity a manifest is matched by (and shown as `Kind/identity`); undefined when the document
 * lacks it (the schema check reports that).
 */
export function identityOf(manifest: Manifest): string | undefined {
  switch (manifest.kind) {
    case 'CustomFieldDefinition':
    case 'Depot':
      return manifest.key;
    case 'Customer':
    case 'Contract':
      return manifest.externalReference;
    case 'Asset':
      return assetRefKey(manifest);
  }
}
