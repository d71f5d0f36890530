/**
 * The Asset planner (level 2): the asset's ERP number and its custom field values, in one `update` per
 * asset. Assets are never created or deleted (onboarding is Trackunit's business), and live assets no
 * manifest names are not listed as unmanaged (fleets are large; that list would drown the plan). The
 * rental side of an asset (rentalStatus, owningDepot, contract items) is the Contract planner's `sync`.
 */
import type { Json } from '../../core/canonical.js';
import { fingerprint } from '../../core/canonical.js';
import { changeKey, type Change, type PlannedRequest } from '../../core/plan.js';
import { emptyKindPlan, type KindPlan, type PlanInput } from '../../core/planner.js';
import type { Refs } from '../refs.js';
import { desiredOfKind } from '../../core/state.js';
import { assetWrites } from '../../trackunit/endpoints/assets.js';
import { definitionDependencies, fieldTypesOf, planCustomFieldValues, type FieldTypeInfo } from '../custom-field-values.js';
import { makeChange, type JsonObject } from '../plan-helpers.js';
import type { ResolvedAsset } from './resolve.js';

interface ReferenceCheck {
  problem?: string;
  dependsOn: string[];
}

/**
 * externalReference is unique per account: setting one another live asset holds fails, unless that
 * asset's own manifest moves it to another value first (then this PATCH waits for that one). A swap
 * between two assets would wait on itself, so it is refused: it needs a temporary value in between.
 */
function checkReference(target: string, self: ResolvedAsset, input: PlanInput, byAssetId: Map<string, ResolvedAsset>): ReferenceCheck {
  const holder = input.live.assets.find((a) => a.externalReference === target && a.id !== self.asset.id);
  if (!holder) return { dependsOn: [] };
  const holderDoc = byAssetId.get(holder.id)?.doc;
  const movedTo = holderDoc?.manifest.externalReference;
  const taken = `externalReference ${target} is already on asset ${holder.name} (${holder.id}); externalReferences are unique`;
  if (!holderDoc || movedTo === undefined || movedTo === target) return { problem: taken, dependsOn: [] };
  if (movedTo === self.asset.externalReference) return { problem: `${taken}, and swapping them needs a temporary value on one of the two assets first`, dependsOn: [] };
  return { dependsOn: [changeKey('update', 'Asset', holderDoc.identity)] };
}

function referenceRequest(assetId: string, externalReference: string): PlannedRequest {
  return assetWrites.update(assetId, { externalReference });
}

interface AssetUpdate {
  change?: Change;
  problem?: string;
}

/** One asset's update: PATCH externalReference and/or set-values, or nothing when both sides agree. */
function planAssetUpdate(resolved: ResolvedAsset, input: PlanInput, byAssetId: Map<string, ResolvedAsset>, fieldTypes: Map<string, FieldTypeInfo>): AssetUpdate {
  const { doc, asset } = resolved;
  const m = doc.manifest;
  const before: JsonObject = {};
  const after: JsonObject = {};
  const requests: PlannedRequest[] = [];
  const dependsOn: string[] = [];
  let problem: string | undefined;
  if (m.externalReference !== undefined) {
    // Trackunit spells "none" as "" (asset-list-example.v1beta1.json); the client reads it as null, and
    // a live state built any other way is held to the same rule here.
    const current = asset.externalReference || null;
    before.externalReference = current;
    after.externalReference = m.externalReference;
    if (current !== m.externalReference) {
      const check = checkReference(m.externalReference, resolved, input, byAssetId);
      problem = check.problem;
      dependsOn.push(...check.dependsOn);
      if (problem === undefined) requests.push(referenceRequest(asset.id, m.externalReference));
      else after.externalReference = current; // refused: the change must not show it
    }
  }
  const values = input.live.values[asset.id];
  if (m.customFields !== undefined) {
    const cf = planCustomFieldValues({ entityType: 'ASSET', entityId: asset.id, desired: m.customFields, live: values ?? [], fieldTypes });
    if (cf) {
      before.customFields = cf.before;
      after.customFields = cf.after;
      requests.push(cf.request);
      dependsOn.push(...definitionDependencies(Object.keys(m.customFields), input.desired, input.live));
    }
  }
  if (requests.length === 0) return problem === undefined ? {} : { problem };
  const live = m.customFields !== undefined ? { asset, values: values ?? null } : { asset };
  const change = makeChange({
    op: 'update',
    kind: 'Asset',
    id: doc.identity,
    liveId: asset.id,
    before,
    after,
    requests,
    fingerprint: fingerprint(live as unknown as Json),
    reason: doc.location,
    dependsOn,
  });
  return problem === undefined ? { change } : { change, problem };
}

export function planAssets(input: PlanInput, refs: Refs): KindPlan {
  const plan = emptyKindPlan();
  const { byAssetId, problems } = refs.assetManifests();
  plan.problems.push(...problems);
  plan.managed.Asset = byAssetId.size;
  const fieldTypes = fieldTypesOf(input.desired, input.live);
  for (const resolved of byAssetId.values()) {
    const { change, problem } = planAssetUpdate(resolved, input, byAssetId, fieldTypes);
    if (change) plan.changes.push(change);
    if (problem !== undefined) {
      plan.problems.push({ kind: 'Asset', id: resolved.doc.identity, message: problem, location: resolved.doc.locate(['externalReference']), severity: 'error' });
    }
  }
  plan.protectedIdentities = desiredOfKind(input.desired, 'Asset')
    .filter((d) => d.manifest.protected === true)
    .map((d) => `Asset/${d.identity}`);
  return plan;
}
