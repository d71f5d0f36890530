/**
 * What each kind brings to validation (ResourceKind.validation, src/kinds/<kind>/checks.ts): its own
 * checks, and the hooks through which the checks across kinds (in this folder) learn what they need of
 * it. The kinds come from the registry (src/kinds/registry.ts).
 */
import { KINDS, KIND_NAMES, type KindName } from '../../kinds/registry.js';
import type { Check, KindChecks } from './hooks.js';

/** Every kind's own checks, kind by kind in registry order. */
export function kindsOwnChecks(): Check[] {
  return KIND_NAMES.flatMap((kind) => kindChecks(kind).checks);
}

/** The kinds whose checks module has `hook`, in registry order. */
export function kindsWith(hook: Exclude<keyof KindChecks, 'checks'>): KindName[] {
  return KIND_NAMES.filter((kind) => kindChecks(kind)[hook] !== undefined);
}

/** The checks module of a kind (ResourceKind.validation). */
export function kindChecks(kind: KindName): KindChecks {
  return KINDS[kind].validation;
}
