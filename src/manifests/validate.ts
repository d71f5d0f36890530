/**
 * Validation of a manifest set: structure (a mapping with a known `kind`), each document against its
 * kind's JSON Schema, then the checks across documents. Everything is reported at once, sorted by
 * file and position; nothing here touches the network.
 */
import { KIND_NAMES, KINDS, identityOf, isKindName, type Manifest } from '../kinds/registry.js';
import { runChecks } from './checks/index.js';
import { compareDiagnostics, type Diagnostic } from './diagnostics.js';
import type { ManifestDocument } from './document.js';
import { schemaDiagnostics } from './schema-check.js';
import { closest } from './suggest.js';
import { positionOf, type ParsedDocument } from './yaml.js';

export interface ValidationResult {
  /** Documents that passed their schema, typed. */
  documents: ManifestDocument[];
  diagnostics: Diagnostic[];
}

function structural(parsed: ParsedDocument): { kind?: Manifest['kind']; diagnostic?: Diagnostic } {
  const here = (path: string[], message: string): Diagnostic => {
    const { line, col } = positionOf(parsed, path, 'value');
    return { file: parsed.file, line, col, message, code: 'structure', severity: 'error' };
  };
  const data = parsed.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { diagnostic: here([], `a manifest document must be a mapping with a \`kind\` (${KIND_NAMES.slice(0, -1).join(', ')} or ${KIND_NAMES.at(-1)})`) };
  }
  const kind = (data as Record<string, unknown>).kind;
  if (kind === undefined) return { diagnostic: here([], `missing \`kind\`: one of ${KIND_NAMES.join(', ')}`) };
  if (!isKindName(kind)) {
    const hint = typeof kind === 'string' ? closest(kind, KIND_NAMES) : undefined;
    return { diagnostic: here(['kind'], `unknown kind ${JSON.stringify(kind)}${hint ? ` (did you mean "${hint}"?)` : ''}; expected one of ${KIND_NAMES.join(', ')}`) };
  }
  return { kind };
}

export function validateDocuments(parsedDocuments: ParsedDocument[]): ValidationResult {
  const diagnostics: Diagnostic[] = [];
  const documents: ManifestDocument[] = [];
  const invalid = new Set<string>();
  for (const parsed of parsedDocuments) {
    const { kind, diagnostic } = structural(parsed);
    if (diagnostic || !kind) {
      if (diagnostic) diagnostics.push(diagnostic);
      continue;
    }
    const manifest = parsed.data as Manifest;
    const identity = identityOf(manifest);
    const subject = identity === undefined ? kind : `${kind}/${identity}`;
    const problems = schemaDiagnostics(parsed, KINDS[kind].schemaFile, subject);
    if (problems.length > 0 || identity === undefined) {
      for (const problem of problems) diagnostics.push(problem);
      if (typeof identity === 'string') invalid.add(subject);
      continue;
    }
    documents.push({ parsed, manifest, subject, identity });
  }
  // Never spread: checks over 200,000 documents can return more diagnostics than push() takes arguments.
  for (const diagnostic of runChecks(documents, { invalid })) diagnostics.push(diagnostic);
  diagnostics.sort(compareDiagnostics);
  return { documents, diagnostics };
}
