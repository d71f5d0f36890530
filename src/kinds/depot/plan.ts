/**
 * Depots: a Depot manifest is bound to the live site whose externalReference is `tug:depot/<key>`
 * (src/core/ownership.ts), so renaming a depot is an update of the same site. Missing → create (plus
 * its custom field values in the same change); different → PATCH of the changed site fields and/or one
 * set-values call. Managed sites no manifest names are deleted only when tug.yaml prunes Depot; sites
 * without the binding are reported as unmanaged and never touched.
 */
import { fingerprint } from '../../core/canonical.js';
import { depotKeyOf } from '../ownership.js';
import type { Change, IdRef, PlannedRequest, PlanProblem } from '../../core/plan.js';
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

/** What an adoption overwrites: the site's own externalReference, which the binding replaces. */
function adoptionNotes(site: Site): string[] {
  const previous = site.externalReference;
  return previous ? [`the site's externalReference ${JSON.stringify(previous)} is replaced by the binding`] : [];
}

/** An update of a bound site; an `adopt` of a site the manifest adopts (it gains the binding). */
function planUpdate(ctx: Context, doc: Doc, site: Site): Change | undefined {
  const { before, after, values, dependsOn } = compareDepot(ctx, doc, site);
  const fields = changedFields(before ?? {}, after);
  const requests: PlannedRequest[] = [];
  if (fields.length > 0) requests.push(siteWrites.update(site.id, pick(after, fields)));
  if (values?.request) requests.push(values.request);
  if (requests.length === 0) return undefined;
  const adopting = depotKeyOf(site) !== doc.identity;
  return makeChange({
    op: adopting ? 'adopt' : 'update',
    kind: KIND,
    id: doc.identity,
    liveId: site.id,
    before: withValues(before ?? {}, values?.before),
    after: withValues(after, values?.after),
    requests,
    fingerprint: fingerprint({ site, values: mentionedFields(ctx.input.live.values[site.id], doc.manifest.customFields) }),
    reason: doc.location,
    dependsOn,
    ...(adopting ? { notes: adoptionNotes(site) } : {}),
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

/**
 * Why a manifest's `adopt.siteId` cannot be honoured (refs.ts binds only the valid ones), as a problem;
 * an error stops the depot's change (creating a second site would be wrong), a warning lets it be created.
 */
function adoptProblem(input: PlanInput, doc: Doc, bound: Site | undefined, claimedBy: Map<string, string>): PlanProblem | undefined {
  const siteId = doc.manifest.adopt?.siteId;
  if (siteId === undefined) return undefined;
  const problem = (message: string, severity: PlanProblem['severity']): PlanProblem => ({ kind: KIND, id: doc.identity, message, location: doc.locate(['adopt', 'siteId']), severity });
  const first = claimedBy.get(siteId);
  if (first !== undefined && first !== doc.identity) return problem(`site ${siteId} is adopted by Depot/${first} already`, 'error');
  claimedBy.set(siteId, doc.identity);
  if (bound?.id === siteId) return undefined;
  if (bound) return problem(`Depot/${doc.identity} is bound to site ${bound.id} (${siteLabel(bound)}); adopt names another site, ${siteId}`, 'error');
  const site = input.live.sites.find((s) => s.id === siteId);
  if (!site) return problem(`site ${siteId} to adopt does not exist; the depot is created as a new site`, 'warning');
  if (site.type !== 'DEPOT') return problem(`site ${siteId} (${siteLabel(site)}) is not a DEPOT site; only depots can be adopted`, 'error');
  const key = depotKeyOf(site);
  return problem(`site ${siteId} is bound to Depot/${key ?? '?'} already; adopt a site tug does not manage`, 'error');
}

export function planDepots(input: PlanInput, refs: Refs): KindPlan {
  const plan = emptyKindPlan();
  const ctx: Context = { input, fieldTypes: fieldTypesOf(input.desired, input.live) };
  const keys = new Set<string>();
  const claimedBy = new Map<string, string>();
  for (const doc of desiredOfKind(input.desired, KIND)) {
    keys.add(doc.identity);
    if (doc.manifest.protected) plan.protectedIdentities.push(`${KIND}/${doc.identity}`);
    const site = refs.site(doc.identity);
    const problem = adoptProblem(input, doc, site, claimedBy);
    if (problem) plan.problems.push(problem);
    if (problem?.severity === 'error') continue;
    const change = site ? planUpdate(ctx, doc, site) : planCreate(ctx, doc);
    if (change) plan.changes.push(change);
  }
  let managed = 0;
  const prune = input.options.prune.includes(KIND);
  const adopted = refs.adoptedSites();
  for (const site of input.live.sites) {
    const key = depotKeyOf(site);
    if (adopted.has(site.id)) continue;
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
