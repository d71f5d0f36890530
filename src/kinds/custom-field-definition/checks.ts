/**
 * CustomFieldDefinition manifest checks, what its schema cannot say: ranges in order, a pattern that
 * compiles, and DROPDOWN replacements that map removed options (not current ones) to options that exist.
 */

import { compilePattern } from '../../manifests/checks/custom-field-rules.js';

import type { Diagnostic } from '../../manifests/diagnostics.js';
import { diagnosticAt, ofKind, type ManifestDocument } from '../../manifests/document.js';
import { closest } from '../../manifests/suggest.js';
import type { CustomFieldDefinitionManifest } from './manifest.js';
import type { Check, DefinedField, IdentityValue } from '../../manifests/checks/hooks.js';

type DefinitionDocument = ManifestDocument<CustomFieldDefinitionManifest>;

function inOrder(doc: DefinitionDocument, low: 'minimum' | 'minimumLength', high: 'maximum' | 'maximumLength'): Diagnostic[] {
  const [min, max] = [doc.manifest[low], doc.manifest[high]];
  if (min === undefined || max === undefined || min <= max) return [];
  return [diagnosticAt(doc, [high], `${high} ${max} is less than ${low} ${min}`, 'invalid_definition')];
}

function pattern(doc: DefinitionDocument): Diagnostic[] {
  const source = doc.manifest.pattern;
  if (source === undefined) return [];
  const compiled = compilePattern(source);
  return typeof compiled === 'string' ? [diagnosticAt(doc, ['pattern'], `pattern is not a valid regular expression: ${compiled}`, 'invalid_definition')] : [];
}

function replacements(doc: DefinitionDocument): Diagnostic[] {
  const { options, replacements: map } = doc.manifest;
  if (!options || !map) return [];
  const out: Diagnostic[] = [];
  for (const [removed, replacement] of Object.entries(map)) {
    if (options.includes(removed)) {
      out.push(diagnosticAt(doc, ['replacements', removed], `replacements maps "${removed}", which is still an option; only removed options are replaced`, 'invalid_definition', { target: 'key' }));
    }
    if (!options.includes(replacement)) {
      const hint = closest(replacement, options);
      const message = `replacement "${replacement}" for "${removed}" is not an option${hint ? ` (did you mean "${hint}"?)` : ''}; options: ${options.join(', ')}`;
      out.push(diagnosticAt(doc, ['replacements', removed], message, 'invalid_definition'));
    }
  }
  return out;
}

export function customFieldDefinitionRules(docs: ManifestDocument[]): Diagnostic[] {
  return ofKind(docs, 'CustomFieldDefinition').flatMap((doc) => [
    ...inOrder(doc, 'minimum', 'maximum'),
    ...inOrder(doc, 'minimumLength', 'maximumLength'),
    ...pattern(doc),
    ...replacements(doc),
  ]);
}

/** A definition's manifest is the field it defines: its rules and its entity type. */
export function customField(manifest: CustomFieldDefinitionManifest): DefinedField {
  return manifest;
}

export function identityValues(manifest: CustomFieldDefinitionManifest): IdentityValue[] {
  return [{ path: ['key'], value: manifest.key, space: 'CustomFieldDefinition key' }];
}

export const checks: Check[] = [customFieldDefinitionRules];
