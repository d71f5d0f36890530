/**
 * A manifest document that passed its schema: typed data plus where it came from, so every later
 * check (and the plan) can point at the exact source line.
 */
import type { KindName } from '../core/manifest.js';
import type { Manifest, ManifestOf } from '../core/manifest.js';
import type { Diagnostic } from './diagnostics.js';
import { positionOf, type ParsedDocument, type PathSegment } from './yaml.js';

export interface ManifestDocument<M extends Manifest = Manifest> {
  parsed: ParsedDocument;
  manifest: M;
  /** `Kind/identity` for messages. */
  subject: string;
  identity: string;
}

export function ofKind<K extends KindName>(docs: ManifestDocument[], kind: K): Array<ManifestDocument<ManifestOf<K>>> {
  return docs.filter((d): d is ManifestDocument<ManifestOf<K>> => d.manifest.kind === kind);
}

/** A diagnostic about `doc` at `path` (the key or the value). */
export function diagnosticAt(
  doc: ManifestDocument,
  path: PathSegment[],
  message: string,
  code: string,
  options: { target?: 'key' | 'value'; severity?: 'error' | 'warning' } = {},
): Diagnostic {
  const { line, col } = positionOf(doc.parsed, path, options.target ?? 'value');
  return { file: doc.parsed.file, line, col, subject: doc.subject, message, code, severity: options.severity ?? 'error' };
}

/** `file:line` of a document (or of a path in it), for "also defined at …" and plan reasons. */
export function locationOf(doc: ManifestDocument, path: PathSegment[] = []): string {
  const { line } = positionOf(doc.parsed, path, 'key');
  return `${doc.parsed.file}:${line}`;
}
