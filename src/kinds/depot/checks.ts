/** Depot manifest checks a schema cannot express: a GeoJSON ring is closed, its last position equals its first. */
import type { Diagnostic } from '../../manifests/diagnostics.js';
import { diagnosticAt, ofKind, type ManifestDocument } from '../../manifests/document.js';

import type { DepotManifest } from './manifest.js';
import type { Check, IdentityValue } from '../../manifests/checks/hooks.js';

export function polygonRings(docs: ManifestDocument[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const doc of ofKind(docs, 'Depot')) {
    doc.manifest.area?.coordinates.forEach((ring, r) => {
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (first && last && JSON.stringify(first) !== JSON.stringify(last)) {
        out.push(
          diagnosticAt(doc, ['area', 'coordinates', r, ring.length - 1], `polygon ring ${r + 1} is not closed: its last position ${JSON.stringify(last)} must equal its first ${JSON.stringify(first)}`, 'open_polygon'),
        );
      }
    });
  }
  return out;
}

export function identityValues(manifest: DepotManifest): IdentityValue[] {
  return [{ path: ['key'], value: manifest.key, space: 'Depot key' }];
}

export const checks: Check[] = [polygonRings];
