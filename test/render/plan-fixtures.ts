/**
 * Hand-built Plans for the renderer tests: renderers only present, so their tests build the data
 * directly (patches via fast-json-patch `compare`, as the planners do) instead of running buildPlan.
 */
import jsonPatch from 'fast-json-patch';
import { Chalk } from 'chalk';
import type { KindName } from '../../src/config/project.js';
import { KIND_NAMES } from '../../src/config/project.js';
import type { Json } from '../../src/core/canonical.js';
import { changeKey, PLAN_FORMAT_VERSION, type Change, type Op, type Plan, type PlannedRequest } from '../../src/core/plan.js';
import type { ApiFamily } from '../../src/trackunit/config.js';

export const plain = new Chalk({ level: 0 });
export const coloured = new Chalk({ level: 1 });

const FAMILY: Record<KindName, ApiFamily> = {
  CustomFieldDefinition: 'custom-fields',
  Depot: 'sites',
  Customer: 'customers',
  Asset: 'rental',
  Contract: 'rental',
};
const METHOD: Record<Op, PlannedRequest['method']> = { create: 'POST', update: 'PATCH', sync: 'POST', delete: 'DELETE' };
const LEVEL: Record<KindName, number> = { CustomFieldDefinition: 0, Depot: 0, Customer: 1, Asset: 2, Contract: 3 };

export interface ChangeSpec {
  before?: Json;
  after?: Json;
  reason?: string;
  notes?: string[];
  liveId?: string;
}

/** A change with its patch computed like the planners do (creates from {}, deletes to {}). */
export function makeChange(op: Op, kind: KindName, id: string, spec: ChangeSpec = {}): Change {
  const before = op === 'create' ? undefined : (spec.before ?? {});
  const after = op === 'delete' ? undefined : (spec.after ?? {});
  const patch = jsonPatch.compare((before ?? {}) as object, (after ?? {}) as object);
  const change: Change = {
    key: changeKey(op, kind, id),
    op,
    kind,
    id,
    patch,
    requests: [{ family: FAMILY[kind], method: METHOD[op], path: `/${kind.toLowerCase()}/{id}` }],
    level: LEVEL[kind],
    dependsOn: [],
    notes: spec.notes ?? [],
  };
  if (before !== undefined) change.before = before;
  if (after !== undefined) change.after = after;
  if (op !== 'create') {
    change.liveId = spec.liveId ?? `live-${id}`;
    change.fingerprint = 'sha256:0123456789abcdef';
  }
  if (spec.reason !== undefined) change.reason = spec.reason;
  return change;
}

/** A plan around the changes: summary and budget counted from them (10 requests per second). */
export function makePlan(changes: Change[], extra: Partial<Omit<Plan, 'changes'>> = {}): Plan {
  const summary = Object.fromEntries(KIND_NAMES.map((k) => [k, {}])) as Plan['summary'];
  const requests: Partial<Record<ApiFamily, number>> = {};
  for (const c of changes) {
    summary[c.kind][c.op] = (summary[c.kind][c.op] ?? 0) + 1;
    for (const r of c.requests) requests[r.family] = (requests[r.family] ?? 0) + 1;
  }
  const totalRequests = Object.values(requests).reduce((a, b) => a + (b ?? 0), 0);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    fingerprint: 'sha256:fedcba9876543210',
    changes,
    unmanaged: [],
    problems: [],
    safety: { ok: (extra.safety?.breaches.length ?? 0) === 0, breaches: [] },
    budget: { requests, totalRequests, predictedSeconds: totalRequests / 10 },
    summary,
    ...extra,
  };
}

/** A small plan with one change of every op and the field shapes the renderers must handle. */
export function samplePlan(): Plan {
  return makePlan([
    makeChange('create', 'Depot', 'aarhus', {
      after: { name: 'Aarhus', address: { city: 'Aarhus', country: 'DK', streetAddress: null, zipCode: '8000' } },
      reason: 'manifests/depots.yaml:12',
    }),
    makeChange('update', 'CustomFieldDefinition', 'machineType', {
      before: { title: 'Machine type', options: ['Digger', 'Loader', 'Lift'], description: 'x' },
      after: { title: 'Machine type', options: ['Digger', 'Loader', 'Lift', 'Crane'] },
      reason: 'manifests/fields.yaml:3',
      notes: ['no existing values change'],
    }),
    makeChange('update', 'Customer', 'CUST-1001', {
      before: { name: 'Old', address: { city: 'Vejle', country: 'DK' } },
      after: { name: 'New', address: { city: 'Aarhus', country: 'DK' } },
      reason: 'manifests/customers.yaml:7',
    }),
    makeChange('sync', 'Asset', 'serialNumber=SN-1', {
      before: { rentalStatus: 'AVAILABLE', items: [] },
      after: { rentalStatus: 'ON_RENT', items: [{ contract: 'C-1', onRent: '2025-01-01T00:00:00.000Z' }] },
      reason: 'manifests/contracts.yaml:20',
    }),
    makeChange('delete', 'Depot', 'old', { before: { name: 'Old depot' } }),
  ]);
}

/** Ids padded to a fixed width, so sizes in the big-plan tests are predictable. */
export function padded(prefix: string, n: number, width = 6): string {
  return `${prefix}${String(n).padStart(width, '0')}`;
}

/**
 * A 10,000-change plan: 2,500 deletes (Customers and Depots, ~20-character identities), 4,000 Customer
 * updates, 2,000 Asset syncs and 1,500 creates.
 */
export function hugePlan(): Plan {
  const changes: Change[] = [];
  for (let i = 0; i < 1500; i++) changes.push(makeChange('create', 'Contract', padded('CONTRACT-2025-', i), { after: { status: 'ACTIVE', customer: 'CUST-1' }, reason: `manifests/contracts.yaml:${i + 1}` }));
  for (let i = 0; i < 4000; i++) changes.push(makeChange('update', 'Customer', padded('CUSTOMER-KEEP-', i), { before: { name: `Old ${i}` }, after: { name: `New ${i}` }, reason: `manifests/customers.yaml:${i + 1}` }));
  for (let i = 0; i < 2000; i++) changes.push(makeChange('sync', 'Asset', padded('serialNumber=SN-', i), { before: { rentalStatus: 'AVAILABLE' }, after: { rentalStatus: 'ON_RENT' } }));
  for (let i = 0; i < 2000; i++) changes.push(makeChange('delete', 'Customer', padded('CUSTOMER-GONE-', i), { before: { name: `Gone ${i}` } }));
  for (let i = 0; i < 500; i++) changes.push(makeChange('delete', 'Depot', padded('depot-closed-', i), { before: { name: `Closed ${i}` } }));
  return makePlan(changes, {
    safety: {
      ok: false,
      breaches: [{ rule: 'max-deletes', kind: 'Customer', message: 'too many Customer deletes: 2000 of 6000 (33 %) > 30 %', changes: [] }],
    },
  });
}

/** A Contract manifest with `items: []`: a warning, no change (the contract never reaches Trackunit). */
export function warningOnlyPlan(): Plan {
  return makePlan([], {
    problems: [
      {
        kind: 'Contract',
        id: 'K-2025-0099',
        message: "a contract reaches Trackunit only through its items' synchronization; this one has none",
        location: 'manifests/contracts.yaml:60:3',
        severity: 'warning',
      },
    ],
  });
}
