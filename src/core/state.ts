/**
 * The two sides a plan compares, as plain data. The I/O layer (src/plan/) fills them: DesiredState from
 * validated manifests, LiveState from the Trackunit API. Nothing here reads files or the network.
 */
import type { KindName, Manifest, ManifestOf } from './manifest.js';

/** One desired object: the manifest and where it is written. */
export interface DesiredObject<M extends Manifest = Manifest> {
  manifest: M;
  identity: string;
  /** `file:line` of the document (its first key). */
  location: string;
  /** `file:line:col` of a path inside the document (for problems about one field). */
  locate(path: Array<string | number>): string;
}

export interface DesiredState {
  objects: DesiredObject[];
}

export function desiredOfKind<K extends KindName>(desired: DesiredState, kind: K): Array<DesiredObject<ManifestOf<K>>> {
  return desired.objects.filter((o): o is DesiredObject<ManifestOf<K>> => o.manifest.kind === kind);
}

/**
 * The live account, as a plan compares it: each kind adds the lists it reads and the per-object details
 * it reads for some objects, by declaration merging (see kind.ts); src/kinds/registry.ts makes an empty one.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface LiveParts {}
export type LiveState = LiveParts;
