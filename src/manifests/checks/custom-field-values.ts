/**
 * Custom field values: every key names a custom field that a manifest defines for the document's entity
 * type (the kind's `entityType` in the registry: Depot → SITE, Customer → CUSTOMER, …) or, on assets,
 * a Trackunit standard field; every value follows its definition (type, options, ranges, lengths,
 * pattern, date, e-mail, E.164 phone number, URL, currency). `null` clears a value and is always allowed.
 * Which manifests define custom fields is the defining kind's `customField` hook.
 */
import type { EntityType } from '../../kinds/common.js';
import { STANDARD_FIELDS, standardField } from '../../kinds/custom-field-definition/standard-fields.js';
import { KINDS, type KindName } from '../../kinds/registry.js';
import type { Diagnostic } from '../diagnostics.js';

import { diagnosticAt, locationOf, type ManifestDocument } from '../document.js';
import { closest } from '../suggest.js';
import { valueProblems, type FieldRules } from './custom-field-rules.js';
import { kindChecks, kindsWith } from './kind-checks.js';
import type { CheckContext } from './hooks.js';
import type { DefinedField } from './hooks.js';

/** The fields the documents define, by key: the first definition of each (a second is a duplicate, reported there). */
type Definitions = Map<string, { doc: ManifestDocument; field: DefinedField }>;

function definitionsIn(docs: ManifestDocument[], definer: KindName): Definitions {
  const customField = kindChecks(definer).customField!;
  const definitions: Definitions = new Map();
  for (const doc of docs) {
    if (doc.manifest.kind !== definer) continue;
    const field = customField(doc.manifest);
    if (!definitions.has(field.key)) definitions.set(field.key, { doc, field });
  }
  return definitions;
}

/** The rules for `key` on an entity of `entityType`, or why the key cannot be used there. */
function rulesFor(key: string, entityType: EntityType, definitions: Definitions, definer: KindName): FieldRules | { problem: string; code: string } {
  const definition = definitions.get(key);
  if (definition) {
    const defined = definition.field.entityType;
    if (defined === entityType) return definition.field;
    return { problem: `custom field "${key}" is defined for ${defined}, not ${entityType} (at ${locationOf(definition.doc, ['entityType'])})`, code: 'custom_field_entity_type' };
  }
  const standard = standardField(key);
  if (standard) {
    if (standard.entityType === entityType) return standard;
    return { problem: `custom field "${key}" is a Trackunit standard field for ${standard.entityType}, not ${entityType}`, code: 'custom_field_entity_type' };
  }
  const candidates = [...definitions.values()].filter((d) => d.field.entityType === entityType).map((d) => d.field.key);
  if (entityType === 'ASSET') candidates.push(...STANDARD_FIELDS.map((f) => f.key));
  const hint = closest(key, candidates);
  const where = entityType === 'ASSET' ? `${definer} manifest or Trackunit standard field` : `${definer} manifest for ${entityType}`;
  return { problem: `custom field "${key}" is not defined by any ${where}${hint ? ` (did you mean "${hint}"?)` : ''}`, code: 'unknown_custom_field' };
}

export function customFieldValues(docs: ManifestDocument[], context: CheckContext): Diagnostic[] {
  // One kind defines custom fields; a definition's identity is its key.
  const [definer] = kindsWith('customField');
  if (definer === undefined) return [];
  const definitions = definitionsIn(docs, definer);
  const out: Diagnostic[] = [];
  for (const doc of docs) {
    const entityType = KINDS[doc.manifest.kind].entityType;
    const values = 'customFields' in doc.manifest ? doc.manifest.customFields : undefined;
    if (!entityType || !values) continue;
    for (const [key, value] of Object.entries(values)) {
      if (context.invalid.has(`${definer}/${key}`)) continue; // its definition is already reported
      const rules = rulesFor(key, entityType, definitions, definer);
      if ('problem' in rules) {
        out.push(diagnosticAt(doc, ['customFields', key], rules.problem, rules.code, { target: 'key' }));
        continue;
      }
      for (const p of valueProblems(rules, value)) {
        out.push(diagnosticAt(doc, ['customFields', key, ...p.path], p.message, 'invalid_custom_field_value', { target: p.target ?? 'value' }));
      }
    }
  }
  return out;
}
