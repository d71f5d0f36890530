/**
 * An ERP reference names one asset: two Asset manifests must not set (or be identified by) the same
 * `externalReference`. Two manifests with the same identity are reported by the duplicates check.
 */
import type { AssetManifest } from '../../kinds/asset/manifest.js';
import type { Diagnostic } from '../diagnostics.js';
import { diagnosticAt, locationOf, ofKind, type ManifestDocument } from '../document.js';

export function sharedAssetReferences(docs: ManifestDocument[]): Diagnostic[] {
  const first = new Map<string, ManifestDocument<AssetManifest>>();
  const out: Diagnostic[] = [];
  for (const doc of ofKind(docs, 'Asset')) {
    const reference = doc.manifest.externalReference;
    if (reference === undefined) continue;
    const earlier = first.get(reference);
    if (!earlier) {
      first.set(reference, doc);
      continue;
    }
    if (earlier.identity === doc.identity) continue; // the same identity twice: a duplicate, reported there
    const message = `externalReference "${reference}" is also used by ${earlier.subject} (at ${locationOf(earlier, ['externalReference'])}); an ERP reference names one asset`;
    out.push(diagnosticAt(doc, ['externalReference'], message, 'duplicate_asset_reference'));
  }
  return out;
}
