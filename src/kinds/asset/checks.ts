/**
 * Asset manifest checks a schema cannot express. An ERP reference names one asset: two Asset manifests
 * must not set (or be identified by) the same `externalReference`. Two manifests with the same identity
 * are reported by the duplicates check.
 */
import type { Diagnostic } from '../../manifests/diagnostics.js';
import { diagnosticAt, locationOf, ofKind, type ManifestDocument } from '../../manifests/document.js';

import { matchSerial } from './identity.js';
import type { AssetManifest } from './manifest.js';
import type { Check, IdentityValue, ManifestReference } from '../../manifests/checks/hooks.js';

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

const SERIAL_MATCH: IdentityValue['matchedAs'] = { key: matchSerial, object: 'asset', because: 'serial numbers match ignoring case' };

/** Each of an asset's identifiers is told apart from the others' of its name; tug matches serial numbers ignoring case. */
export function identityValues(manifest: AssetManifest): IdentityValue[] {
  return [
    { path: ['assetId'], value: manifest.assetId, space: 'Asset assetId' },
    { path: ['serialNumber'], value: manifest.serialNumber, space: 'Asset serialNumber', matchedAs: SERIAL_MATCH },
    { path: ['pin'], value: manifest.pin, space: 'Asset pin' },
    { path: ['externalReference'], value: manifest.externalReference, space: 'Asset externalReference' },
  ];
}

/** An asset may name its owning depot. */
export function references(manifest: AssetManifest): ManifestReference[] {
  const { owningDepot } = manifest;
  return owningDepot === undefined ? [] : [{ path: ['owningDepot'], field: 'owningDepot', kind: 'Depot', identity: owningDepot }];
}

export const checks: Check[] = [sharedAssetReferences];
