/**
 * The comparable form of a custom field definition, built the same way from a manifest and from a live
 * Definition: defaults filled (uiVisible/uiEditable true, scope ACCOUNT, isInteger and multiSelect false),
 * translations sorted by language, only the type-specific fields of the definition's type. Dropdown
 * options keep their order: it is the order Manager shows them in.
 */
import type { Json } from '../../core/canonical.js';
import type { Definition } from '../../trackunit/endpoints/custom-fields.js';
import { textOrNull, withoutNulls, type JsonObject } from '../plan-helpers.js';
import type { CustomFieldDefinitionManifest, Translation } from './manifest.js';

/** A manifest without its `kind` (also fits tug's own marker definition). */
export type DefinitionSpec = Omit<CustomFieldDefinitionManifest, 'kind'>;

/** Fields that only exist for some types (the API answers null for the others). */
export const TYPE_FIELDS: Record<string, readonly string[]> = {
  NUMBER: ['minimum', 'maximum', 'unitSi', 'unitUs', 'isInteger'],
  MONETARY: ['minimum', 'maximum', 'currency'],
  STRING: ['minimumLength', 'maximumLength', 'pattern'],
  DROPDOWN: ['allValues', 'multiSelect'],
};

/** Boolean type-specific fields default to false; every other one to null. */
const FALSE_DEFAULTS: ReadonlySet<string> = new Set(['isInteger', 'multiSelect']);

type TranslationLike = { language: string; title: string; description?: string | null };

function translations(list: readonly TranslationLike[] | null | undefined): JsonObject[] {
  return [...(list ?? [])]
    .map((t) => ({ language: t.language, title: t.title, description: textOrNull(t.description) }))
    .sort((a, b) => (a.language < b.language ? -1 : a.language > b.language ? 1 : 0));
}

function typeFields(type: string, read: (field: string) => unknown): JsonObject {
  const out: JsonObject = {};
  for (const field of TYPE_FIELDS[type] ?? []) {
    const value = read(field);
    out[field] = value === undefined || value === null ? (FALSE_DEFAULTS.has(field) ? false : null) : (value as Json);
  }
  return out;
}

export function normalizeDesiredDefinition(m: DefinitionSpec): JsonObject {
  const sorted = translations(m.translations as Translation[] | undefined);
  const specific: Record<string, unknown> = {
    minimum: m.minimum,
    maximum: m.maximum,
    unitSi: m.unitSi,
    unitUs: m.unitUs,
    isInteger: m.isInteger,
    minimumLength: m.minimumLength,
    maximumLength: m.maximumLength,
    pattern: m.pattern,
    allValues: m.options ? [...m.options] : undefined,
    multiSelect: m.multiSelect,
    currency: m.currency,
  };
  return {
    key: m.key,
    entityType: m.entityType,
    type: m.type,
    title: m.title,
    description: textOrNull(m.description),
    translations: sorted,
    uiVisible: m.uiVisible ?? true,
    uiEditable: m.uiEditable ?? true,
    scopeType: m.scope ?? 'ACCOUNT',
    ...typeFields(m.type, (f) => specific[f]),
  };
}

export function normalizeLiveDefinition(d: Definition): JsonObject {
  const live = d as unknown as Record<string, unknown>;
  return {
    key: d.key,
    entityType: d.entityType,
    type: d.type,
    title: d.title,
    description: textOrNull(d.description),
    translations: translations(d.translations),
    uiVisible: d.uiVisible ?? true,
    uiEditable: d.uiEditable ?? true,
    scopeType: d.scopeType ?? 'ACCOUNT',
    ...typeFields(d.type, (f) => live[f]),
  };
}

/** The create body (the API's definition input): the normalised form without unset fields. */
export function createBody(normalized: JsonObject): JsonObject {
  const body = withoutNulls(normalized);
  body.translations = ((normalized.translations as JsonObject[]) ?? []).map(withoutNulls);
  return body;
}
