/**
 * Small pieces the kind planners share: canonical forms of optional text and addresses, the fields that
 * differ between two normalised objects, and building a Change with its key, level and RFC 6902 patch.
 * Pure: both sides of a diff go through the same functions, so live == desired gives no change.
 */
import jsonPatch from 'fast-json-patch';
import type { KindName } from '../core/manifest.js';
import { canonicalJson, type Json } from '../core/canonical.js';
import { changeKey, type Change, type Op, type PlannedRequest } from '../core/plan.js';
import { LEVELS } from './levels.js';

export type JsonObject = { [key: string]: Json };

/** Optional free text: absent, null and '' all mean "none" (the APIs store '' as null). */
export function textOrNull(value: string | null | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export interface AddressLike {
  streetAddress?: string | null;
  zipCode?: string | null;
  city?: string | null;
  country?: string | null;
}

/** All four parts present (null when absent or empty), like the APIs store it; null for no address. */
export function normalizeAddress(address: AddressLike | null | undefined): JsonObject | null {
  if (!address) return null;
  return {
    streetAddress: textOrNull(address.streetAddress),
    zipCode: textOrNull(address.zipCode),
    city: textOrNull(address.city),
    country: textOrNull(address.country),
  };
}

export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Top-level fields of `after` whose value differs from `before` (in `after`'s key order). */
export function changedFields(before: JsonObject, after: JsonObject): string[] {
  return Object.keys(after).filter((key) => !sameJson(before[key], after[key]));
}

/** `after` restricted to `fields`: the body of a PATCH that sends only what changed. */
export function pick(after: JsonObject, fields: string[]): JsonObject {
  return Object.fromEntries(fields.map((f) => [f, after[f] as Json]));
}

/** A copy without null members: create bodies leave unset optional fields out. */
export function withoutNulls(value: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}

export interface ChangeSpec {
  op: Op;
  kind: KindName;
  id: string;
  liveId?: string;
  before?: JsonObject;
  after?: JsonObject;
  requests: PlannedRequest[];
  fingerprint?: string;
  reason?: string;
  dependsOn?: string[];
  notes?: string[];
}

/** A Change with its key, the kind's dependency level and the patch from before to after. */
export function makeChange(spec: ChangeSpec): Change {
  const change: Change = {
    key: changeKey(spec.op, spec.kind, spec.id),
    op: spec.op,
    kind: spec.kind,
    id: spec.id,
    patch: jsonPatch.compare(spec.before ?? {}, spec.after ?? {}),
    requests: spec.requests,
    level: LEVELS[spec.kind],
    dependsOn: [...new Set(spec.dependsOn ?? [])].sort(),
    notes: spec.notes ?? [],
  };
  if (spec.liveId !== undefined) change.liveId = spec.liveId;
  if (spec.before !== undefined) change.before = spec.before;
  if (spec.after !== undefined) change.after = spec.after;
  if (spec.fingerprint !== undefined) change.fingerprint = spec.fingerprint;
  if (spec.reason !== undefined) change.reason = spec.reason;
  return change;
}
