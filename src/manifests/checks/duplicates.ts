/** The same identity defined twice (in one file or across files) is an error at every later definition. */
import type { Diagnostic } from '../diagnostics.js';
import { diagnosticAt, locationOf, type ManifestDocument } from '../document.js';
import { KINDS } from '../../kinds/registry.js';

export function duplicateIdentities(docs: ManifestDocument[]): Diagnostic[] {
  const first = new Map<string, ManifestDocument>();
  const out: Diagnostic[] = [];
  for (const doc of docs) {
    const key = `${doc.manifest.kind}/${doc.identity}`;
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, doc);
      continue;
    }
    const field = KINDS[doc.manifest.kind].identityField.split(' | ').find((f) => f in doc.manifest) ?? 'kind';
    out.push(diagnosticAt(doc, [field], `duplicate ${doc.manifest.kind} "${doc.identity}": also defined at ${locationOf(earlier, [field])}`, 'duplicate_identity'));
  }
  return out;
}
