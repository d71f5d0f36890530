/**
 * What a PATCH of a definition does to the definition's stored values — the documented change rules
 * (DH:api-docs/custom-field-intro.md): `type` never changes; removed dropdown options need a replacement
 * and values holding them get it (no duplicates in multi-select); multi→single clears values with more
 * than one option; numbers outside a new min/max become null; strings longer than a new max length are
 * truncated; a pattern change leaves data alone. Every changed value keeps its previous value in
 * `lastIncompatibleValue`.
 */
import { badRequest, type HttpError } from '../../http.js';
import type { DefinitionRecord, FieldValue, Store, ValueRecord } from '../../store.js';
import { isObject, type Checker, type Json } from '../../validate.js';
import { inRange } from './value-rules.js';

/** 400s for attempts to change what cannot change: [documented] type and key; [assumed] entityType and currency. */
export function checkImmutable(existing: DefinitionRecord, body: Json): void {
  const differs = (field: 'type' | 'key' | 'entityType' | 'currency') => body[field] !== undefined && body[field] !== existing[field];
  const fail = (code: string, field: string): HttpError =>
    badRequest(code, `The ${field} of a custom field definition cannot be changed after creation (is ${String(existing[field as keyof DefinitionRecord])})`);
  if (differs('type')) throw fail('type_immutable', 'type');
  if (differs('key')) throw fail('key_immutable', 'key');
  if (differs('entityType')) throw fail('entity_type_immutable', 'entityType');
  if (existing.type === 'MONETARY' && differs('currency')) throw fail('currency_immutable', 'currency');
}

/** Shape check of the write-only `valueReplacements` map (old option → new option). */
export function checkReplacementShape(c: Checker, body: Json): void {
  const map = c.object(body, 'valueReplacements');
  if (!map) return;
  for (const [from, to] of Object.entries(map)) {
    if (typeof to !== 'string') c.reject(`valueReplacements.${from}`, to, 'must be a string (one of the remaining options)');
  }
}

/**
 * The replacement for every dropdown option the PATCH removes. Each removed option needs an entry pointing
 * to a remaining option ([documented] rule; [assumed] code `missing_value_replacement`). Entries for options
 * that were never there are ignored (a retried PATCH stays harmless); an entry for an option that stays is
 * a violation.
 */
export function dropdownReplacements(c: Checker, existing: DefinitionRecord, body: Json): Record<string, string> {
  if (existing.type !== 'DROPDOWN' || !Array.isArray(body.allValues)) return {};
  const next = body.allValues as string[];
  const given = isObject(body.valueReplacements) ? (body.valueReplacements as Record<string, string>) : {};
  for (const from of Object.keys(given)) {
    if (next.includes(from)) c.reject(`valueReplacements.${from}`, given[from], `${from} is still an option; only removed options can be replaced`);
  }
  c.throwIfAny();
  const removed = (existing.allValues ?? []).filter((o) => !next.includes(o));
  const replacements: Record<string, string> = {};
  const problems: string[] = [];
  for (const option of removed) {
    const to = given[option];
    if (to === undefined) problems.push(`${option} (no replacement given)`);
    else if (!next.includes(to)) problems.push(`${option} → ${to} (not a remaining option)`);
    else replacements[option] = to;
  }
  if (problems.length > 0) {
    throw badRequest(
      'missing_value_replacement',
      `Removed dropdown options need a replacement among the remaining options in valueReplacements: ${problems.join('; ')}`,
    );
  }
  return replacements;
}

function options(value: FieldValue): string[] {
  if (typeof value.stringValue === 'string') return [value.stringValue];
  if (Array.isArray(value.stringArrayValue)) return value.stringArrayValue.filter((s): s is string => typeof s === 'string');
  return [];
}

/** The value after the change, and whether data was lost or altered (→ lastIncompatibleValue). */
function migrate(def: DefinitionRecord, value: FieldValue, replacements: Record<string, string>): { value: FieldValue | null; altered: boolean } {
  const same = { value, altered: false };
  switch (def.type) {
    case 'DROPDOWN': {
      const before = options(value);
      const allowed = def.allValues ?? [];
      const after = [...new Set(before.map((o) => replacements[o] ?? o))].filter((o) => allowed.includes(o));
      const altered = after.length !== before.length || after.some((o, i) => o !== before[i]);
      if (def.multiSelect) return { value: { stringArrayValue: after }, altered };
      // Multi → single: more than one option cannot be kept (documented: cleared).
      if (after.length !== 1) return { value: null, altered: altered || before.length > 0 };
      return { value: { stringValue: after[0] }, altered };
    }
    case 'NUMBER': {
      const n = value.numberValue;
      if (typeof n !== 'number') return same;
      const fits = inRange(def, n) && (!def.isInteger || Number.isInteger(n));
      return fits ? same : { value: null, altered: true };
    }
    case 'MONETARY': {
      const amount = isObject(value.monetaryValue) ? value.monetaryValue.amount : undefined;
      if (typeof amount !== 'number' || inRange(def, amount)) return same;
      return { value: null, altered: true };
    }
    case 'STRING': {
      const s = value.stringValue;
      if (typeof s !== 'string' || def.maximumLength === null || s.length <= def.maximumLength) return same;
      return { value: { stringValue: s.slice(0, def.maximumLength) }, altered: true };
    }
    default:
      return same;
  }
}

/** Bring every stored value of `def` (already updated) in line with it. Returns the number of values touched. */
export function migrateValues(store: Store, def: DefinitionRecord, replacements: Record<string, string>, now: string): number {
  let touched = 0;
  for (const record of store.values.values()) {
    if (record.definitionId !== def.id || record.value === null) continue;
    const result = migrate(def, record.value, replacements);
    if (JSON.stringify(result.value) === JSON.stringify(record.value)) continue;
    applyMigration(record, result, now);
    touched += 1;
  }
  return touched;
}

function applyMigration(record: ValueRecord, result: { value: FieldValue | null; altered: boolean }, now: string): void {
  if (result.altered) record.lastIncompatibleValue = record.value;
  record.value = result.value;
  record.updatedAt = now;
}
