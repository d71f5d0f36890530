/**
 * Customer asset assignments (Customer API operations 11–12, ../shared/trackunit-api/customers.md).
 *
 * [documented] the paths, and that a customer asset relates a customer and an asset (rented to that
 *   customer, or assigned to a service provider).
 * [assumed] the item shape `{assetId, customerId}`; GET answers a page object (`page`/`size`, sort on
 *   assetId), in assignment order; POST body `{assetIds?: uuid[], unassignAssetIds?: uuid[]}` with
 *   add-only semantics for `assetIds` (existing assignments are kept, repeats are no-ops) and removal
 *   for `unassignAssetIds` (removing one that is not assigned is a no-op); at least one of the two
 *   lists must be given; every id must name a visible asset and may not be in both lists (400
 *   constraint_violation, field `assetIds[i]` / `unassignAssetIds[i]`); an asset may be assigned to
 *   several customers; the POST answers 200 with the customer's whole resulting assignment list as
 *   one page object (all items on page 0).
 */
import { ok, type RequestContext } from '../../http.js';
import { paginate, parsePageRequest } from '../../pagination.js';
import type { RouteDef } from '../../router.js';
import type { CustomerAssetRecord, Store } from '../../store.js';
import { Checker, type Json } from '../../validate.js';
import { CUSTOMER_BASE, customerRoute, getCustomer } from './common.js';

const ASSIGNMENTS = `${CUSTOMER_BASE}/:customerId/assets`;
const SORTABLE = ['assetId'];

const assignmentView = (a: CustomerAssetRecord) => ({ assetId: a.assetId, customerId: a.customerId });

function assignmentsOf(store: Store, customerId: string): CustomerAssetRecord[] {
  return store.customerAssets.filter((a) => a.customerId === customerId);
}

/** Validate one id list; returns the ids (possibly empty). */
function checkIdList(c: Checker, store: Store, body: Json, key: string): string[] {
  const list = c.array(body, key) ?? [];
  const ids: string[] = [];
  list.forEach((id, i) => {
    if (typeof id !== 'string') return c.reject(`${key}[${i}]`, id, 'must be a string (asset id)');
    if (!store.assets.has(id)) return c.reject(`${key}[${i}]`, id, 'asset not found');
    ids.push(id);
  });
  return ids;
}

function checkAssignmentBody(store: Store, body: Json): { assign: string[]; unassign: string[] } {
  const c = new Checker();
  const assign = checkIdList(c, store, body, 'assetIds');
  const unassign = checkIdList(c, store, body, 'unassignAssetIds');
  if ((body.assetIds === undefined || body.assetIds === null) && (body.unassignAssetIds === undefined || body.unassignAssetIds === null)) {
    c.reject('assetIds', body.assetIds ?? null, 'give assetIds to assign and/or unassignAssetIds to unassign');
  }
  unassign.forEach((id) => {
    if (assign.includes(id)) c.reject('unassignAssetIds', id, 'an asset cannot be assigned and unassigned in the same request');
  });
  c.throwIfAny();
  return { assign, unassign };
}

function listAssignments(ctx: RequestContext) {
  const customer = getCustomer(ctx);
  const request = parsePageRequest(ctx.query, SORTABLE);
  return ok(paginate(assignmentsOf(ctx.store, customer.id), request, assignmentView));
}

function updateAssignments(ctx: RequestContext) {
  const customer = getCustomer(ctx);
  const body = new Checker().requireObjectBody(ctx.body);
  const { assign, unassign } = checkAssignmentBody(ctx.store, body);
  const store = ctx.store;
  const current = new Set(assignmentsOf(store, customer.id).map((a) => a.assetId));
  for (const assetId of assign) {
    if (current.has(assetId)) continue;
    current.add(assetId);
    store.customerAssets.push({ customerId: customer.id, assetId });
  }
  const removing = new Set(unassign);
  store.customerAssets = store.customerAssets.filter((a) => a.customerId !== customer.id || !removing.has(a.assetId));
  store.changed();
  const all = assignmentsOf(store, customer.id);
  return ok(paginate(all, { page: 0, size: Math.max(1, all.length), sort: [] }, assignmentView));
}

export function assignmentRoutes(): RouteDef[] {
  return [
    customerRoute({ name: 'customers.listAssets', method: 'GET', path: ASSIGNMENTS, write: false, handler: listAssignments }),
    customerRoute({ name: 'customers.updateAssets', method: 'POST', path: ASSIGNMENTS, write: true, handler: updateAssignments }),
  ];
}
