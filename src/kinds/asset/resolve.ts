/**
 * Asset manifests → live assets, shared by the Asset planner (which reports the problems) and the
 * Contract planner (which needs each asset's rentalStatus and owningDepot for its sync payload).
 */
import type { PlanProblem } from '../../core/plan.js';
import type { DesiredObject, DesiredState, LiveState } from '../../core/state.js';
import { desiredOfKind } from '../../core/state.js';
import type { Asset } from '../../trackunit/endpoints/assets.js';
import type { AssetManifest } from './manifest.js';

export interface ResolvedAsset {
  doc: DesiredObject<AssetManifest>;
  asset: Asset;
}

/** What an asset reference resolves to: the live asset, or why not. */
export type AssetResolution = { asset: Asset } | { problem: string };

export interface AssetResolutions {
  /** One Asset manifest per live asset id (the first one, when several name the same asset). */
  byAssetId: Map<string, ResolvedAsset>;
  problems: PlanProblem[];
}

/** The field a manifest identifies its asset by, for problem locations. */
function identityField(m: AssetManifest): string {
  if (m.assetId !== undefined) return 'assetId';
  if (m.serialNumber !== undefined) return 'serialNumber';
  if (m.pin !== undefined) return 'pin';
  return 'externalReference';
}

/**
 * The account's own id, guessed as the most common `ownerAccountId` among live assets. The documented
 * example (asset-list-example.v1beta1.json) has it on every asset; absent still counts as a value, so a
 * server that leaves it out on own assets is read right too. Undefined on a tie: then nothing is treated
 * as shared in rather than guessing wrong.
 */
export function homeOwner(assets: Asset[]): string | undefined {
  const counts = new Map<string, number>();
  for (const asset of assets) counts.set(asset.ownerAccountId ?? '', (counts.get(asset.ownerAccountId ?? '') ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (ranked.length === 0 || (ranked.length > 1 && ranked[0]![1] === ranked[1]![1])) return undefined;
  return ranked[0]![0];
}

/** Only assets the account owns can take ERP data [documented]; a shared-in one answers 403. */
export function sharedInProblem(asset: Asset, home: string | undefined): string | undefined {
  if (home === undefined || (asset.ownerAccountId ?? '') === home) return undefined;
  return `asset ${asset.name} (${asset.id}) is shared in from account ${asset.ownerAccountId ?? 'unknown'}; only assets the account owns can take ERP data`;
}

/** `resolve`: how a reference finds its live asset (Refs.asset). */
export function resolveAssetManifests(desired: DesiredState, live: LiveState, resolve: (ref: AssetManifest) => AssetResolution): AssetResolutions {
  const home = homeOwner(live.assets);
  const byAssetId = new Map<string, ResolvedAsset>();
  const problems: PlanProblem[] = [];
  const problem = (doc: DesiredObject<AssetManifest>, message: string) =>
    problems.push({ kind: 'Asset', id: doc.identity, message, location: doc.locate([identityField(doc.manifest)]), severity: 'error' });
  for (const doc of desiredOfKind(desired, 'Asset')) {
    const resolution = resolve(doc.manifest);
    if ('problem' in resolution) {
      problem(doc, resolution.problem);
      continue;
    }
    const { asset } = resolution;
    const shared = sharedInProblem(asset, home);
    const earlier = byAssetId.get(asset.id);
    if (shared !== undefined) problem(doc, shared);
    else if (earlier) problem(doc, `asset ${asset.name} (${asset.id}) is also described by Asset/${earlier.doc.identity} at ${earlier.doc.location}`);
    else byAssetId.set(asset.id, { doc, asset });
  }
  return { byAssetId, problems };
}
