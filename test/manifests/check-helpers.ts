/** Shared by the tests of the manifest checks: documents straight from YAML, and diagnostics as lines. */
import { expect } from 'vitest';
import { identityOf, type Manifest } from '../../src/kinds/registry.js';
import { compareDiagnostics, formatText, type Diagnostic } from '../../src/manifests/diagnostics.js';
import type { ManifestDocument } from '../../src/manifests/document.js';
import { parseYaml } from '../../src/manifests/yaml.js';

/** Documents straight from YAML, as if they had passed their schemas (the checks only see such documents). */
export function docs(text: string, file = 'm.yaml'): ManifestDocument[] {
  const parsed = parseYaml(text, file);
  expect(parsed.diagnostics).toEqual([]);
  return parsed.documents.map((p) => {
    const manifest = p.data as Manifest;
    const identity = identityOf(manifest)!;
    return { parsed: p, manifest, identity, subject: `${manifest.kind}/${identity}` };
  });
}

/** Diagnostics in reading order, as `tug validate` prints them. */
export const lines = (found: Diagnostic[]): string[] => [...found].sort(compareDiagnostics).map(formatText);

/** YAML from lines. */
export const y = (...rows: string[]): string => `${rows.join('\n')}\n`;
