/**
 * The registry of resource kinds: the one list of what tug manages. A kind is one folder under
 * src/kinds/<kind>/ whose index.ts implements the core's contract (src/core/kind.ts) — plus one line
 * here, one row in levels.ts, its schema in schemas/ and its endpoint module in src/trackunit/endpoints/. Everything that
 * treats kinds alike (plan, reads, targets, apply's look-ups, validation) goes through this list.
 *
 * Kinds are listed in dependency order; the levels of their changes are one table, levels.ts, beside
 * this list (its own module so the kinds can read it without importing the registry back).
 */
import type { KindName, KindRegistry, Manifest } from '../core/kind.js';
import type { LiveState } from '../core/state.js';
import type { Change } from '../core/plan.js';
import { assetKind } from './asset/index.js';
import { contractKind } from './contract/index.js';
import { customFieldDefinitionKind } from './custom-field-definition/index.js';
import { customerKind } from './customer/index.js';
import { depotKind } from './depot/index.js';
import type { KindDefinition, TugEnv, TugKind } from './env.js';
import { LEVELS } from './levels.js';
import { guardReferencedDeletes } from './referenced-deletes.js';
import { createRefs } from './refs.js';
import { exportNames } from './export-names.js';

export type { KindName, Manifest, ManifestOf } from '../core/kind.js';
export { assetRefKey } from './asset/identity.js';
export { LEVELS } from './levels.js';
export type { KindDefinition } from './env.js';

/** In dependency order; each kind's level comes from the table. */
const ALL: TugKind[] = [customFieldDefinitionKind, depotKind, customerKind, assetKind, contractKind].map(
  (kind: KindDefinition) => ({ ...kind, level: LEVELS[kind.name] }) as TugKind,
);

/** What the plan command hands buildPlan: the kinds, the per-plan context, and the cross-kind guards. */
export const REGISTRY: KindRegistry<TugEnv> = {
  kinds: ALL,
  context: createRefs,
  guards: [(changes, input) => guardReferencedDeletes(changes, input.live, input.options.allowDanglingReferences ?? [])],
  exportNames,
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

/** `Kind/identity` of the manifests a change was planned from: what the kinds say (sourcesOf), else its own. */
export function sourcesOfChange(change: Change): string[] {
  const named = ALL.flatMap((k) => k.sourcesOf?.(change) ?? []);
  return named.length > 0 ? [...new Set(named)] : [`${change.kind}/${change.id}`];
}

/** A live state with every kind's lists and details empty. */
export function emptyLiveState(): LiveState {
  return Object.assign({}, ...ALL.map((k) => k.emptyLive())) as LiveState;
}
