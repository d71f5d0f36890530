/**
 * Custom field definitions: matched by `key`. Missing → create; different → PATCH of the changed fields
 * only (with `valueReplacements` for removed dropdown options) and notes saying what happens to stored
 * values. A type or entityType change is never planned: it is an error at the manifest's line (it needs
 * a new key). Definitions are never deleted (they hold data); live account-owned ones no manifest names
 * are reported as unmanaged — except tug's own customer-marker definition, which tug plans itself when
 * Customer prune is enabled (see src/core/ownership.ts).
 */
import { fingerprint } from '../../core/canonical.js';
import { CUSTOMER_MARKER_DEFINITION, CUSTOMER_MARKER_KEY } from '../ownership.js';
import type { Change, PlanProblem } from '../../core/plan.js';
import { emptyKindPlan, type KindPlan, type PlanInput } from '../../core/planner.js';
import { desiredOfKind, type DesiredObject } from '../../core/state.js';
import type { Refs } from '../refs.js';
import { customFieldWrites, type Definition } from '../../trackunit/endpoints/custom-fields.js';
import { changedFields, makeChange, pick } from '../plan-helpers.js';
import { immutableProblems, updateConsequences } from './consequences.js';
import type { CustomFieldDefinitionManifest } from './manifest.js';
import { createBody, normalizeDesiredDefinition, normalizeLiveDefinition, type DefinitionSpec } from './normalize.js';

type Doc = DesiredObject<CustomFieldDefinitionManifest>;

const KIND = 'CustomFieldDefinition' as const;

/** Where the marker definition's create comes from (it has no manifest). */
export const MARKER_REASON = 'tug.yaml prune.kinds';

function createChange(id: string, spec: DefinitionSpec, reason: string): Change {
  const after = normalizeDesiredDefinition(spec);
  return makeChange({
    op: 'create',
    kind: KIND,
    id,
    after,
    requests: [customFieldWrites.createDefinition(createBody(after))],
    reason,
  });
}

function ownerName(owner: string): string {
  return owner === 'TRACKUNIT' ? 'Trackunit' : owner === 'APP' ? 'an app' : owner;
}

/** The update of one matched definition, or the problems that stop it. */
function planMatched(doc: Doc, live: Definition): { change?: Change; problems: PlanProblem[] } {
  if (live.owner !== 'ACCOUNT') {
    const message = `custom field "${doc.identity}" is owned by ${ownerName(live.owner)}; cannot be managed`;
    return { problems: [{ kind: KIND, id: doc.identity, message, location: doc.locate(['key']), severity: 'error' }] };
  }
  const before = normalizeLiveDefinition(live);
  const after = normalizeDesiredDefinition(doc.manifest);
  // Without a description of its own, the manifest leaves the server's (resolved from the translations) alone.
  if (doc.manifest.description === undefined) after.description = before.description ?? null;
  const immutable = immutableProblems(doc, before, after);
  if (immutable.length > 0) return { problems: immutable };
  const fields = changedFields(before, after);
  if (fields.length === 0) return { problems: [] };
  const consequences = updateConsequences(doc, before, after);
  if (consequences.problems.length > 0) return { problems: consequences.problems };
  const body = pick(after, fields);
  if (Object.keys(consequences.valueReplacements).length > 0) body.valueReplacements = consequences.valueReplacements;
  const change = makeChange({
    op: 'update',
    kind: KIND,
    id: doc.identity,
    liveId: live.id,
    before,
    after,
    requests: [customFieldWrites.updateDefinition(live.id, body)],
    fingerprint: fingerprint(live),
    reason: doc.location,
    notes: consequences.notes,
  });
  return { change, problems: [] };
}

export function planDefinitions(input: PlanInput, _refs?: Refs): KindPlan {
  const plan = emptyKindPlan();
  const docs = desiredOfKind(input.desired, KIND);
  const liveByKey = new Map<string, Definition>();
  for (const d of input.live.definitions) if (d.key !== null && !liveByKey.has(d.key)) liveByKey.set(d.key, d);
  const named = new Set<string>();
  let managed = 0;
  for (const doc of docs) {
    named.add(doc.identity);
    if (doc.manifest.protected) plan.protectedIdentities.push(`${KIND}/${doc.identity}`);
    const live = liveByKey.get(doc.identity);
    if (!live) {
      plan.changes.push(createChange(doc.identity, doc.manifest, doc.location));
      continue;
    }
    if (live.owner === 'ACCOUNT') managed += 1;
    const { change, problems } = planMatched(doc, live);
    if (change) plan.changes.push(change);
    plan.problems.push(...problems);
  }
  const marker = liveByKey.get(CUSTOMER_MARKER_KEY);
  if (marker?.owner === 'ACCOUNT' && !named.has(CUSTOMER_MARKER_KEY)) managed += 1;
  if (!marker && !named.has(CUSTOMER_MARKER_KEY) && input.options.prune.includes('Customer')) {
    plan.changes.push(createChange(CUSTOMER_MARKER_KEY, CUSTOMER_MARKER_DEFINITION, MARKER_REASON));
  }
  for (const d of input.live.definitions) {
    if (d.owner !== 'ACCOUNT' || d.key === CUSTOMER_MARKER_KEY || (d.key !== null && named.has(d.key))) continue;
    plan.unmanaged.push({ kind: KIND, liveId: d.id, label: `${d.key ?? d.title ?? d.id} (${d.entityType} ${d.type})` });
  }
  plan.managed[KIND] = managed;
  return plan;
}
