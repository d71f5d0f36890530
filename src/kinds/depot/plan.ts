/**
 * Depots: a Depot manifest is bound to the live site whose externalReference is `tug:depot/<key>`
 * (src/core/ownership.ts), so renaming a depot is an update of the same site. Missing → create (plus
 * its custom field values in the same change); different → PATCH of the changed site fields and/or one
 * set-values call. Managed sites no manifest names are deleted only when tug.yaml prunes Depot; sites
 * without the binding are reported as unmanaged and never touched.
 */
import { fingerprint } from '../../core/canonical.js';
import { depotKeyOf } from '../ownership.js';
import type { Change, IdRef, PlannedRequest } from '../../core/plan.js';
import { emptyKindPlan, type KindPlan, type PlanInput } from '../../core/planner.js';
import type { Refs } from '../refs.js';
import { desiredOfKind, type DesiredObject } from '../../core/state.js';
import { siteWrites, type Site } from '../../trackunit/endpoints/sites.js';
import { compareCustomFieldValues, definitionDependencies, fieldTypesOf, mentionedFields, type FieldTypeInfo } from '../custom-field-values.js';
import { changedFields, makeChange, pick, withoutNulls, type JsonObject } from '../plan-helpers.js';
import type { DepotManifest } from './manifest.js';
import { normalizeDesiredDepot, normalizeLiveDepot, siteLabel } from './normalize.js';

const KIND = 'Depot' as const;
const DELETE_NOTE = 'deleting a site makes its history unavailable';

type Doc = DesiredObject<DepotManifest>;

interface Context {
  input: PlanInput;
  fieldTypes: Map<string, FieldTypeInfo>;
}


/** Site fields plus, when the manifest sets any, its custom field values under `customFields`. */
function compareDepot(ctx: Context, doc: Doc, site: Site | undefined) {
  const entityId: string | IdRef = site?.id ?? { $ref: `${KIND}/${doc.identity}` };
  const before = site ? normalizeLiveDepot(site, doc.manifest.address !== undefined) : undefined;
  const after = normalizeDesiredDepot(doc.manifest);
  const values = doc.manifest.customFields
    ? compareCustomFieldValues({
        entityType: 'SITE',
        entityId,
        desired: doc.manifest.customFields,
        live: site ? ctx.input.live.values[site.id] : undefined,
        fieldTypes: ctx.fieldTypes,
      })
    : undefined;
  const dependsOn = definitionDependencies(values?.differing ?? [], ctx.input.desired, ctx.input.live);
  return { before, after, values, dependsOn };
}

function withValues(site: JsonObject, values: Record<string, unknown> | undefined): JsonObject {
  return values ? { ...site, customFields: values as JsonObject } : site;
}

function planCreate(ctx: Context, doc: Doc): Change {
  const { after, values, dependsOn } = compareDepot(ctx, doc, undefined);
  const requests: PlannedRequest[] = [siteWrites.create(withoutNulls(after))];
  if (values?.request) requests.push(values.request);
  return makeChange({ op: 'create', kind: KIND, id: doc.identity, after: withValues(after, values?.after), requests, reason: doc.location, dependsOn });
}

function planUpdate(ctx: Context, doc: Doc, site: Site): Change | undefined {
  const { before, after, values, dependsOn } = compareDepot(ctx, doc, site);
  const fields = changedFields(before ?? {}, after);
  const requests: PlannedRequest[] = [];
  if (fields.length > 0) requests.push(siteWrites.update(site.id, pick(after, fields)));
  if (values?.request) requests.push(values.request);
  if (requests.length === 0) return undefined;
  return makeChange({
    op: 'update',
    kind: KIND,
    id: doc.identity,
    liveId: site.id,
    before: withValues(before ?? {}, values?.before),
    after: withValues(after, values?.after),
    requests,
    fingerprint: fingerprint({ site, values: mentionedFields(ctx.input.live.values[site.id], doc.manifest.customFields) }),
    reason: doc.location,
    dependsOn,
  });
}

function planDelete(site: Site, key: string): Change {
  return makeChange({
    op: 'delete',
    kind: KIND,
    id: key,
    liveId: site.id,
    before: normalizeLiveDepot(site, true),
    requests: [siteWrites.remove(site.id)],
    fingerprint: fingerprint({ site }),
    notes: [DELETE_NOTE],
  });
}

export function planDepots(input: PlanInput, refs: Refs): KindPlan {
  const plan = emptyKindPlan();
  const ctx: Context = { input, fieldTypes: fieldTypesOf(input.desired, input.live) };
  const keys = new Set<string>();
  for (const doc of desiredOfKind(input.desired, KIND)) {
    keys.add(doc.identity);
    if (doc.manifest.protected) plan.protectedIdentities.push(`${KIND}/${doc.identity}`);
    const site = refs.site(doc.identity);
    const change = site ? planUpdate(ctx, doc, site) : planCreate(ctx, doc);
    if (change) plan.changes.push(change);
  }
  let managed = 0;
  const prune = input.options.prune.includes(KIND);
  for (const site of input.live.sites) {
    const key = depotKeyOf(site);
    if (key === undefined) {
      plan.unmanaged.push({ kind: KIND, liveId: site.id, label: siteLabel(site) });
      continue;
    }
    managed += 1;
    if (!keys.has(key) && prune) plan.changes.push(planDelete(site, key));
  }
  plan.managed[KIND] = managed;
  return plan;
}
