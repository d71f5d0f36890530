/**
 * Customers: matched by externalReference (the ERP customer number). Missing → create (plus contacts and
 * custom field values in the same change); different → PATCH of the changed fields, contact requests
 * and/or one set-values call. When tug.yaml prunes Customer, every customer tug creates or adopts gets
 * the hidden `tugManaged` marker naming its own externalReference (src/core/ownership.ts); live customers
 * no manifest names are deleted only when they carry that marker, otherwise reported as unmanaged.
 */
import { fingerprint } from '../../core/canonical.js';
import { CUSTOMER_MARKER_KEY, customerMarker, isManagedCustomer } from '../ownership.js';
import { changeKey, type Change, type IdRef, type PlannedRequest, type PlanProblem } from '../../core/plan.js';
import { emptyKindPlan, type KindPlan, type PlanInput } from '../../core/planner.js';
import type { Refs } from '../refs.js';
import { desiredOfKind, type DesiredObject } from '../../core/state.js';
import type { FieldValue } from '../../trackunit/endpoints/custom-fields.js';
import { customerWrites, type Customer } from '../../trackunit/endpoints/customers.js';
import { compareCustomFieldValues, definitionDependencies, fieldTypesOf, mentionedFields, type FieldTypeInfo } from '../custom-field-values.js';
import { changedFields, makeChange, pick, withoutNulls, type JsonObject } from '../plan-helpers.js';
import { planContacts } from './contacts.js';
import type { CustomerManifest } from './manifest.js';
import { customerLabel, normalizeDesiredCustomer, normalizeLiveCustomer } from './normalize.js';

const KIND = 'Customer' as const;
const DELETE_NOTE = 'its contacts and asset assignments are removed with it';

type Doc = DesiredObject<CustomerManifest>;

interface Context {
  input: PlanInput;
  fieldTypes: Map<string, FieldTypeInfo>;
  /** Customer prune is on: created and adopted customers carry the marker. */
  marking: boolean;
  problems: PlanProblem[];
}


/** The marker a live customer carries: read for prune candidates, else from its custom field values. */
function liveMarker(ctx: Context, customer: Customer): string | null | undefined {
  const markers = ctx.input.live.customerMarkers;
  if (Object.hasOwn(markers, customer.id)) return markers[customer.id];
  const field = ctx.input.live.values[customer.id]?.find((f) => f.definition.key === CUSTOMER_MARKER_KEY);
  const value = field?.value?.value as { stringValue?: string } | null | undefined;
  return field ? (value?.stringValue ?? null) : undefined;
}

function compareValues(ctx: Context, doc: Doc, customer: Customer | undefined) {
  const marker = ctx.marking ? customerMarker(doc.identity) : undefined;
  const desired = marker !== undefined ? { ...doc.manifest.customFields, [CUSTOMER_MARKER_KEY]: marker } : doc.manifest.customFields;
  if (!desired) return undefined;
  const known = customer && marker !== undefined ? liveMarker(ctx, customer) : undefined;
  const extraLive: Record<string, FieldValue | null> = known === undefined ? {} : { [CUSTOMER_MARKER_KEY]: known === null ? null : { stringValue: known } };
  const entityId: string | IdRef = customer?.id ?? { $ref: `${KIND}/${doc.identity}` };
  const live = customer ? ctx.input.live.values[customer.id] : undefined;
  return compareCustomFieldValues({ entityType: 'CUSTOMER', entityId, desired, live, fieldTypes: ctx.fieldTypes, extraLive });
}

function compareContacts(ctx: Context, doc: Doc, customer: Customer | undefined) {
  const desired = doc.manifest.contacts;
  if (!desired) return undefined;
  if (!customer) return planContacts(desired, [], '{id}');
  const live = ctx.input.live.contacts[customer.id];
  if (live) return planContacts(desired, live, customer.id);
  const message = `the contacts of customer ${doc.identity} were not read, so they are not compared`;
  ctx.problems.push({ kind: KIND, id: doc.identity, message, location: doc.locate(['contacts']), severity: 'warning' });
  return undefined;
}

/** Customer fields, contacts and custom field values, and what the change needs created first. */
function compareCustomer(ctx: Context, doc: Doc, customer: Customer | undefined) {
  const values = compareValues(ctx, doc, customer);
  const contacts = compareContacts(ctx, doc, customer);
  const differing = values?.differing ?? [];
  const dependsOn = definitionDependencies(differing, ctx.input.desired, ctx.input.live);
  const markerDefined = ctx.input.live.definitions.some((d) => d.key === CUSTOMER_MARKER_KEY);
  if (differing.includes(CUSTOMER_MARKER_KEY) && !markerDefined) dependsOn.push(changeKey('create', 'CustomFieldDefinition', CUSTOMER_MARKER_KEY));
  const extend = (base: JsonObject, side: 'before' | 'after'): JsonObject => {
    const out: JsonObject = { ...base };
    if (contacts) out.contacts = contacts[side];
    if (values) out.customFields = values[side];
    return out;
  };
  const tail: PlannedRequest[] = [...(contacts?.requests ?? []), ...(values?.request ? [values.request] : [])];
  return { extend, tail, dependsOn, values };
}

function planCreate(ctx: Context, doc: Doc): Change {
  const after = normalizeDesiredCustomer(doc.manifest);
  const { extend, tail, dependsOn } = compareCustomer(ctx, doc, undefined);
  const requests: PlannedRequest[] = [customerWrites.create(withoutNulls(after)), ...tail];
  return makeChange({ op: 'create', kind: KIND, id: doc.identity, after: extend(after, 'after'), requests, reason: doc.location, dependsOn });
}

function planUpdate(ctx: Context, doc: Doc, customer: Customer): Change | undefined {
  const before = normalizeLiveCustomer(customer);
  const after = normalizeDesiredCustomer(doc.manifest, customer);
  const { extend, tail, dependsOn, values } = compareCustomer(ctx, doc, customer);
  const fields = changedFields(before, after);
  const head: PlannedRequest[] = fields.length > 0 ? [customerWrites.update(customer.id, pick(after, fields))] : [];
  if (head.length + tail.length === 0) return undefined;
  const live = ctx.input.live;
  const raw = {
    customer,
    contacts: doc.manifest.contacts ? live.contacts[customer.id] : undefined,
    values: mentionedFields(live.values[customer.id], doc.manifest.customFields),
    marker: ctx.marking ? live.customerMarkers[customer.id] : undefined,
  };
  // Writing the marker brings an existing customer under tug's management (and Customer prune's).
  const adopting = values?.differing.includes(CUSTOMER_MARKER_KEY) === true;
  return makeChange({
    op: adopting ? 'adopt' : 'update',
    kind: KIND,
    id: doc.identity,
    liveId: customer.id,
    before: extend(before, 'before'),
    after: extend(after, 'after'),
    requests: [...head, ...tail],
    fingerprint: fingerprint(raw),
    reason: doc.location,
    dependsOn,
  });
}

function planDelete(customer: Customer, ref: string): Change {
  return makeChange({
    op: 'delete',
    kind: KIND,
    id: ref,
    liveId: customer.id,
    before: normalizeLiveCustomer(customer),
    requests: [customerWrites.remove(customer.id)],
    fingerprint: fingerprint({ customer }),
    notes: [DELETE_NOTE],
  });
}

/** Live customers no manifest names: deleted (prune, marker), left alone (marker), or unmanaged. */
function planLeftovers(input: PlanInput, named: Set<string>, plan: KindPlan): number {
  let managed = 0;
  const prune = input.options.prune.includes(KIND);
  for (const customer of input.live.customers) {
    const ref = customer.externalReference;
    if (ref !== null && named.has(ref)) continue;
    if (!isManagedCustomer(ref, input.live.customerMarkers[customer.id])) {
      plan.unmanaged.push({ kind: KIND, liveId: customer.id, label: customerLabel(customer) });
      continue;
    }
    managed += 1;
    if (prune) plan.changes.push(planDelete(customer, ref as string));
  }
  return managed;
}

export function planCustomers(input: PlanInput, refs: Refs): KindPlan {
  const plan = emptyKindPlan();
  const fieldTypes = new Map(fieldTypesOf(input.desired, input.live));
  if (!fieldTypes.has(CUSTOMER_MARKER_KEY)) fieldTypes.set(CUSTOMER_MARKER_KEY, { type: 'STRING' });
  const ctx: Context = { input, fieldTypes, marking: input.options.prune.includes(KIND), problems: plan.problems };
  const named = new Set<string>();
  let matched = 0;
  for (const doc of desiredOfKind(input.desired, KIND)) {
    named.add(doc.identity);
    if (doc.manifest.protected) plan.protectedIdentities.push(`${KIND}/${doc.identity}`);
    const customer = refs.customer(doc.identity);
    if (customer) matched += 1;
    const change = customer ? planUpdate(ctx, doc, customer) : planCreate(ctx, doc);
    if (change) plan.changes.push(change);
  }
  plan.managed[KIND] = matched + planLeftovers(input, named, plan);
  return plan;
}
