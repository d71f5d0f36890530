/**
 * The manifest kinds, as the core knows them: a map from kind name to manifest type that each kind
 * extends from its own folder by declaration merging (see kind.ts), so the names and the union of
 * manifests derive from the kinds. A leaf: it imports nothing.
 */
/** Manifest type per kind name; each kind adds its own entry (see above). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface KindManifests {}

/** Name of a registered kind. */
export type KindName = keyof KindManifests & string;

/** Any manifest document of a registered kind. */
export type Manifest = KindManifests[KindName];
export type ManifestOf<K extends KindName> = KindManifests[K];
