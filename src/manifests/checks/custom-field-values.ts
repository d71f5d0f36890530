/**
 * Custom field values: every key names a CustomFieldDefinition manifest for the document's entity type
 * (Depot → SITE, Customer → CUSTOMER, Asset → ASSET, Contract → RENTAL_CONTRACT) or, on assets, a
 * Trackunit standard field; every value follows its definition (type, options, ranges, lengths, pattern,
 * date, e-mail, E.164 phone number, URL, currency). `null` clears a value and is always allowed.
 */
import type { EntityType } from '../../kinds/common.js';
import type { CustomFieldDefinitionManifest } from '../../kinds/custom-field-definition/manifest.js';
import { STANDARD_FIELDS, standardField } from '../../kinds/custom-field-definition/standard-fields.js';
import { KINDS } from '../../kinds/registry.js';
import type { Diagnostic } from '../diagnostics.js';
import type { CheckContext } from './index.js';
import { diagnosticAt, locationOf, ofKind, type ManifestDocument } from '../document.js';
import { closest } from '../suggest.js';
import { valueProblems, type FieldRules } from './custom-field-rules.js';

type Definitions = Map<string, ManifestDocument<CustomFieldDefinitionManifest>>;

/** The rules for `key` on an entity of `entityType`, or why the key cannot be used there. */
function rulesFor(key: string, entityType: EntityType, definitions: Definitions): FieldRules | { problem: string; code: string } {
  const definition = definitions.get(key);
  if (definition) {
    const defined = definition.manifest.entityType;
    if (defined === entityType) return definition.manifest;
    return { problem: `custom field "${key}" is defined for ${defined}, not ${entityType} (at ${locationOf(definition, ['entityType'])})`, code: 'custom_field_entity_type' };
  }
  const standard = standardField(key);
  if (standard) {
    if (standard.entityType === entityType) return standard;
    return { problem: `custom field "${key}" is a Trackunit standard field for ${standard.entityType}, not ${entityType}`, code: 'custom_field_entity_type' };
  }
  const candidates = [...definitions.values()].filter((d) => d.manifest.entityType === entityType).map((d) => d.manifest.key);
  if (entityType === 'ASSET') candidates.push(...STANDARD_FIELDS.map((f) => f.key));
  const hint = closest(key, candidates);
  const where = entityType === 'ASSET' ? 'CustomFieldDefinition manifest or Trackunit standard field' : `CustomFieldDefinition manifest for ${entityType}`;
  return { problem: `custom field "${key}" is not defined by any ${where}${hint ? ` (did you mean "${hint}"?)` : ''}`, code: 'unknown_custom_field' };
}

export function customFieldValues(docs: ManifestDocument[], context: CheckContext): Diagnostic[] {
  const definitions: Definitions = new Map();
  for (const definition of ofKind(docs, 'CustomFieldDefinition')) {
    if (!definitions.has(definition.manifest.key)) definitions.set(definition.manifest.key, definition);
  }
  const out: Diagnostic[] = [];
  for (const doc of docs) {
    const entityType = KINDS[doc.manifest.kind].entityType;
    const values = 'customFields' in doc.manifest ? doc.manifest.customFields : undefined;
    if (!entityType || !values) continue;
    for (const [key, value] of Object.entries(values)) {
      if (context.invalid.has(`CustomFieldDefinition/${key}`)) continue; // its definition is already reported
      const rules = rulesFor(key, entityType, definitions);
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
