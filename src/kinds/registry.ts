/**
 * The registry of resource kinds: the one list of what tug manages. A kind is one folder under
 * src/kinds/<kind>/ whose index.ts implements the core's contract (src/core/kind.ts) — plus one line
 * here, its schema in schemas/ and its endpoint module in src/trackunit/endpoints/. Everything that
 * treats kinds alike (plan, reads, targets, apply's look-ups, validation) goes through this list.
 *
 * Kinds are listed in dependency order, and the levels of their changes are the table below; kinds read
 * LEVELS only when they plan, never while their modules load (the kinds import this module back).
 */
import type { KindName, KindRegistry, Manifest } from '../core/kind.js';
import type { LiveState } from '../core/state.js';
import { assetKind } from './asset/index.js';
import { contractKind } from './contract/index.js';
import { customFieldDefinitionKind } from './custom-field-definition/index.js';
import { customerKind } from './customer/index.js';
import { depotKind } from './depot/index.js';
import type { TugEnv, TugKind } from './env.js';
import { guardReferencedDeletes } from './referenced-deletes.js';
import { createRefs } from './refs.js';

export type { KindName, Manifest, ManifestOf } from '../core/kind.js';
export { assetRefKey } from './asset/identity.js';

/**
 * Dependency levels of changes, drawn once. Creates, updates and syncs run top-down (level 0 first),
 * deletes bottom-up (src/core/order.ts); a level's changes run concurrently.
 *
 *   level  changes                            why this late
 *   0      CustomFieldDefinition, Depot       depend on nothing (a depot's values wait for new definitions)
 *   1      Customer                           may carry custom field values
 *   2      Asset updates                      externalReference and custom field values
 *   3      rental syncs (one per asset)       rentalStatus, owningDepot → Depot, items → Contract → Customer
 *   4      Contract custom field values       a contract exists only once a sync created it
 */
export const LEVELS = {
  CustomFieldDefinition: 0,
  Depot: 0,
  Customer: 1,
  Asset: 2,
  /** A contract's changes are its items' syncs and its custom field values, below. */
  Contract: 3,
  rentalSync: 3,
  contractFields: 4,
} as const;

/** A kind as its folder defines it; the registry gives it its level from the table. */
export type KindDefinition<K extends KindName = KindName> = Omit<TugKind<K>, 'level'>;

const ALL: TugKind[] = [customFieldDefinitionKind, depotKind, customerKind, assetKind, contractKind].map(
  (kind: KindDefinition) => ({ ...kind, level: LEVELS[kind.name] }) as TugKind,
);

/** What the plan command hands buildPlan: the kinds, the per-plan context, and the cross-kind guards. */
export const REGISTRY: KindRegistry<TugEnv> = {
  kinds: ALL,
  context: createRefs,
  guards: [(changes, input) => guardReferencedDeletes(changes, input.live, input.options.allowDanglingReferences ?? [])],
};

/** Kind names in dependency order. */
export const KIND_NAMES: readonly KindName[] = ALL.map((k) => k.name);

/** The kinds by name. */
export const KINDS = Object.fromEntries(ALL.map((k) => [k.name, k])) as { readonly [K in KindName]: TugKind<K> };

export function isKindName(value: unknown): value is KindName {
  return typeof value === 'string' && Object.hasOwn(KINDS, value);
}

/** The kind of a name that may come from a file (a plan, a journal): undefined for an unknown one. */
export function kindNamed(name: string): TugKind | undefined {
  return isKindName(name) ? (KINDS[name] as TugKind) : undefined;
}

/**
 * The identity a manifest is matched by (and shown as `Kind/identity`); undefined when the document
 * lacks it (the schema check reports that).
 */
export function identityOf(manifest: Manifest): string | undefined {
  return (KINDS[manifest.kind] as TugKind).identity(manifest);
}

/** A live state with every kind's lists and details empty. */
export function emptyLiveState(): LiveState {
  return Object.assign({}, ...ALL.map((k) => k.emptyLive())) as LiveState;
}
