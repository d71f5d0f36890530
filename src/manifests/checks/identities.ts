/**
 * Contract item externalReferences are ERP references, unique across all contracts (the Rental API
 * upserts items by them: two items with one reference would overwrite each other).
 */
import type { Diagnostic } from '../diagnostics.js';
import { diagnosticAt, locationOf, ofKind, type ManifestDocument } from '../document.js';

export function duplicateItemReferences(docs: ManifestDocument[]): Diagnostic[] {
  const first = new Map<string, { doc: ManifestDocument; index: number }>();
  const out: Diagnostic[] = [];
  for (const doc of ofKind(docs, 'Contract')) {
    (doc.manifest.items ?? []).forEach((item, index) => {
      const earlier = first.get(item.externalReference);
      if (!earlier) {
        first.set(item.externalReference, { doc, index });
        return;
      }
      const where = locationOf(earlier.doc, ['items', earlier.index, 'externalReference']);
      const message = `duplicate contract item "${item.externalReference}": also an item of ${earlier.doc.subject} at ${where}`;
      out.push(diagnosticAt(doc, ['items', index, 'externalReference'], message, 'duplicate_identity'));
    });
  }
  return out;
}
