/**
 * Validated manifest documents → DesiredState, the plain-data side of a plan that buildPlan compares
 * with the live account.
 *
 * Positions are resolved lazily: `file:line` needs the YAML syntax tree, which the loader builds only
 * on demand (src/manifests/yaml.ts). A no-change plan of 50,000 documents never asks for a position,
 * so it never pays for the trees; a change asks for its object's location once (memoised).
 */
import type { DesiredObject, DesiredState } from '../core/state.js';
import { locationOf, type ManifestDocument } from '../manifests/document.js';
import { positionOf } from '../manifests/yaml.js';

function toDesiredObject(doc: ManifestDocument): DesiredObject {
  let location: string | undefined;
  const object = {
    manifest: doc.manifest,
    identity: doc.identity,
    locate(path: Array<string | number>): string {
      const { line, col } = positionOf(doc.parsed, path, 'value');
      return `${doc.parsed.file}:${line}:${col}`;
    },
  } as DesiredObject;
  Object.defineProperty(object, 'location', {
    enumerable: true,
    get: () => (location ??= locationOf(doc)),
  });
  return object;
}

/** Every document, in manifest-set order (files sorted, documents in file order). */
export function toDesiredState(documents: ManifestDocument[]): DesiredState {
  return { objects: documents.map(toDesiredObject) };
}
