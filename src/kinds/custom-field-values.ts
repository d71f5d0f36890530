/**
 * Custom field values of one object, desired vs live — shared by every kind that carries `customFields`
 * (Depot → SITE, Customer → CUSTOMER, Asset → ASSET, Contract → RENTAL_CONTRACT).
 *
 * Only keys the manifest mentions are compared (values set by others on other fields are left alone);
 * `null` in a manifest clears a value. One `POST /api/custom-fields/v1/set-values/` per object carries
 * every differing key (by definition key), so applying it is idempotent.
 *
 * Both sides are brought to the manifest's plain form before comparing: strings, numbers, booleans,
 * dates as `YYYY-MM-DD`, money as `{amount, currency}`, JSON canonicalised, and multi-valued lists
 * sorted (the order of a multi-select carries no meaning; the request still sends the manifest's order).
 * An empty list and null both mean "no value".
 */
import { canonicalize, type Json } from '../core/canonical.js';
import { changeKey, type IdRef, type PlannedRequest } from '../core/plan.js';
import { desiredOfKind, type DesiredState, type LiveState } from '../core/state.js';
import { customFieldWrites, type EntityField, type FieldValue } from '../trackunit/endpoints/custom-fields.js';
import { FIELD_TYPES, type CustomFieldValues, type EntityType, type FieldType } from './common.js';
import { STANDARD_FIELDS } from './custom-field-definition/standard-fields.js';

/** What is needed to wrap a manifest value into the API's typed value: the field's type. */
export interface FieldTypeInfo {
  type: FieldType | (string & {});
  /** Multi-select DROPDOWN, or a multi-value standard text field (qrCodeIdentifiers, rfidTags). */
  multiSelect?: boolean;
  currency?: string;
}

export interface CustomFieldValuesInput {
  entityType: EntityType;
  /** Live id, or a reference to the object created earlier in the same apply. */
  entityId: string | IdRef;
  desired: CustomFieldValues | undefined;
  /** Live values of the entity (undefined: the entity does not exist yet). */
  live: EntityField[] | undefined;
  /** Field type per definition key (desired definitions first, then live ones incl. Trackunit's standard fields). */
  fieldTypes: Map<string, FieldTypeInfo>;
  /** Live values known from elsewhere (e.g. the customer marker), by key; they win over `live`. */
  extraLive?: Record<string, FieldValue | null>;
}

export interface CustomFieldValuesPlan {
  /** Normalised values of the keys the manifest mentions: key → plain manifest-style value. */
  before: Record<string, Json>;
  after: Record<string, Json>;
  request: PlannedRequest;
}

/** Every mentioned key compared; `request` only when something differs. */
export interface CustomFieldValuesComparison {
  before: Record<string, Json>;
  after: Record<string, Json>;
  /** Keys whose values differ, sorted. */
  differing: string[];
  request?: PlannedRequest;
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(FIELD_TYPES);
const STRING_TYPES: ReadonlySet<string> = new Set(['STRING', 'EMAIL', 'PHONE_NUMBER', 'WEB_ADDRESS', 'DROPDOWN']);
const DATE_PREFIX = /^\d{4}-\d{2}-\d{2}/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A date as `YYYY-MM-DD`: the date part of an ISO string, a YAML timestamp's UTC day. */
function plainDate(value: unknown): Json {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  if (typeof value !== 'string') return canonicalize(value);
  return DATE_PREFIX.test(value) ? value.slice(0, 10) : value;
}

function plainList(value: unknown): Json {
  const list = (Array.isArray(value) ? value : [value]).filter((v) => v !== null && v !== undefined).map(String);
  return list.length === 0 ? null : [...list].sort();
}

function plainMoney(value: unknown, currency: string | undefined): Json {
  if (!isObject(value)) return canonicalize(value);
  return { amount: value.amount as Json, currency: (value.currency as Json | undefined) ?? currency ?? null };
}

/** A manifest value in its comparable form. */
export function normalizeDesiredValue(value: unknown, info: FieldTypeInfo): Json {
  if (value === null || value === undefined) return null;
  if (info.multiSelect) return plainList(value);
  switch (info.type) {
    case 'DATE':
      return plainDate(value);
    case 'MONETARY':
      return plainMoney(value, info.currency);
    default:
      return canonicalize(value);
  }
}

/** A live typed wrapper in the same comparable form (whatever member it carries). */
export function normalizeLiveValue(value: FieldValue | null | undefined, info: FieldTypeInfo): Json {
  if (!isObject(value)) return null;
  const v = value as Record<string, unknown>;
  if ('stringArrayValue' in v || info.multiSelect) return plainList(v.stringArrayValue ?? v.stringValue ?? null);
  if ('stringValue' in v) return (v.stringValue as string | null) ?? null;
  if ('numberValue' in v) return (v.numberValue as number | null) ?? null;
  if ('booleanValue' in v) return (v.booleanValue as boolean | null) ?? null;
  if ('dateValue' in v) return v.dateValue === null ? null : plainDate(v.dateValue);
  if ('monetaryValue' in v) return v.monetaryValue === null ? null : plainMoney(v.monetaryValue, info.currency);
  if ('jsonValue' in v) return canonicalize(v.jsonValue ?? null);
  return null;
}

/** The API's typed wrapper for a manifest value (multi-select lists keep the manifest's order). */
export function wrapValue(value: unknown, info: FieldTypeInfo): FieldValue | null {
  const plain = normalizeDesiredValue(value, info);
  if (plain === null) return null;
  if (info.multiSelect) {
    const list = (Array.isArray(value) ? value : [value]).filter((v) => v !== null && v !== undefined).map(String);
    return { stringArrayValue: list };
  }
  switch (info.type) {
    case 'NUMBER':
      return { numberValue: plain as number };
    case 'BOOLEAN':
      return { booleanValue: plain as boolean };
    case 'DATE':
      return { dateValue: plain as string };
    case 'MONETARY':
      return { monetaryValue: plain as { amount: number; currency: string } };
    case 'JSON':
      return { jsonValue: plain };
    default:
      return STRING_TYPES.has(info.type) ? { stringValue: String(plain) } : null;
  }
}

function liveValuesByKey(input: CustomFieldValuesInput): Map<string, FieldValue | null> {
  const map = new Map<string, FieldValue | null>();
  for (const field of input.live ?? []) {
    const key = field.definition.key;
    if (key !== null) map.set(key, field.value?.value ?? null);
  }
  for (const [key, value] of Object.entries(input.extraLive ?? {})) map.set(key, value);
  return map;
}

const sameJson = (a: Json, b: Json) => JSON.stringify(canonicalize(a)) === JSON.stringify(canonicalize(b));

/** Compare every mentioned key of a known type; keys of unknown type are skipped (validation reported them). */
export function compareCustomFieldValues(input: CustomFieldValuesInput): CustomFieldValuesComparison {
  const live = liveValuesByKey(input);
  const before: Record<string, Json> = {};
  const after: Record<string, Json> = {};
  const differing: string[] = [];
  const values: Json[] = [];
  for (const key of Object.keys(input.desired ?? {}).sort()) {
    const info = input.fieldTypes.get(key);
    if (!info || !KNOWN_TYPES.has(info.type)) continue;
    const desired = (input.desired ?? {})[key];
    before[key] = normalizeLiveValue(live.get(key), info);
    after[key] = normalizeDesiredValue(desired, info);
    if (sameJson(before[key], after[key])) continue;
    differing.push(key);
    values.push({ definitionKey: key, value: wrapValue(desired, info) as Json });
  }
  const comparison: CustomFieldValuesComparison = { before, after, differing };
  if (values.length > 0) comparison.request = customFieldWrites.setValues(input.entityType, input.entityId, values);
  return comparison;
}

/** The set-values request for the keys that differ, or undefined when nothing differs. */
export function planCustomFieldValues(input: CustomFieldValuesInput): CustomFieldValuesPlan | undefined {
  const { before, after, request } = compareCustomFieldValues(input);
  return request ? { before, after, request } : undefined;
}

/**
 * Field types by key for the whole plan: desired definitions first (the plan may change or create them),
 * then live definitions, then Trackunit's standard fields. Keys are unique per account.
 */
export function fieldTypesOf(desired: DesiredState, live: LiveState): Map<string, FieldTypeInfo> {
  const types = new Map<string, FieldTypeInfo>();
  const add = (key: string | null, info: FieldTypeInfo) => {
    if (key !== null && !types.has(key)) types.set(key, info);
  };
  for (const { manifest: m } of desiredOfKind(desired, 'CustomFieldDefinition')) {
    add(m.key, { type: m.type, multiSelect: m.type === 'DROPDOWN' && m.multiSelect === true, ...(m.currency ? { currency: m.currency } : {}) });
  }
  for (const d of live.definitions) {
    add(d.key, { type: d.type, multiSelect: d.type === 'DROPDOWN' && d.multiSelect === true, ...(d.currency ? { currency: d.currency } : {}) });
  }
  for (const f of STANDARD_FIELDS) add(f.key, { type: f.type, multiSelect: f.list === true });
  return types;
}

/**
 * Change keys of the definition creates a set-values request needs first: keys a manifest defines that
 * do not exist live yet (same level as depots, so the order table alone does not guarantee it).
 */
/**
 * The definition changes a value of `keys` must wait for: the create of a new definition, or the update
 * of an existing one (a new dropdown option must exist before a value uses it). Keys of changes the plan
 * does not contain are dropped by buildPlan.
 */
export function definitionDependencies(keys: string[], desired: DesiredState, live: LiveState): string[] {
  const { created, managed } = definitionKeys(desired, live);
  return keys.flatMap((k) => (created.has(k) ? [changeKey('create', 'CustomFieldDefinition', k)] : managed.has(k) ? [changeKey('update', 'CustomFieldDefinition', k)] : []));
}

/** Desired definition keys that are new, and those that exist live — per (desired, live) pair, computed once. */
const keysCache = new WeakMap<DesiredState, WeakMap<LiveState, { created: Set<string>; managed: Set<string> }>>();

function definitionKeys(desired: DesiredState, live: LiveState): { created: Set<string>; managed: Set<string> } {
  let perLive = keysCache.get(desired);
  if (!perLive) keysCache.set(desired, (perLive = new WeakMap()));
  let keys = perLive.get(live);
  if (!keys) {
    const liveKeys = new Set(live.definitions.map((d) => d.key));
    const desiredKeys = desiredOfKind(desired, 'CustomFieldDefinition').map((o) => o.manifest.key);
    keys = { created: new Set(desiredKeys.filter((k) => !liveKeys.has(k))), managed: new Set(desiredKeys.filter((k) => liveKeys.has(k))) };
    perLive.set(live, keys);
  }
  return keys;
}

/** The live fields of the keys a manifest mentions: what a change's fingerprint covers. */
export function mentionedFields(live: EntityField[] | undefined, desired: CustomFieldValues | undefined): EntityField[] | undefined {
  if (!live || !desired) return undefined;
  return live.filter((f) => f.definition.key !== null && Object.hasOwn(desired, f.definition.key));
}
