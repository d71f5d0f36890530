/**
 * Hand-built Plans for the renderer tests: renderers only present, so their tests build the data
 * directly (patches via fast-json-patch `compare`, as the planners do) instead of running buildPlan.
 */
import jsonPatch from 'fast-json-patch';
import { Chalk } from 'chalk';
import type { KindName } from '../../src/config/project.js';
import { KIND_NAMES } from '../../src/kinds/registry.js';
import type { Json } from '../../src/core/canonical.js';
import { changeKey, PLAN_FORMAT_VERSION, type Change, type Op, type Plan, type PlannedRequest } from '../../src/core/plan.js';
import { canonicalize } from '../../src/core/canonical.js';
import { sealOf, type UnsealedPlan } from '../../src/core/plan-digest.js';
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
const METHOD: Record<Op, PlannedRequest['method']> = { adopt: 'PATCH', create: 'POST', update: 'PATCH', sync: 'POST', delete: 'DELETE' };
const LEVEL: Record<KindName, number> = { CustomFieldDefinition: 0, Depot: 0, Customer: 1, Asset: 2, Contract: 3 };

export interface ChangeSpec {
  before?: Json;
  after?: Json;
  reason?: string;
  notes?: string[];
  liveId?: string;
  /** The change's API requests (default: one request of the op's method). */
  requests?: PlannedRequest[];
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
    requests: spec.requests ?? [{ family: FAMILY[kind], method: METHOD[op], path: `/${kind.toLowerCase()}/{id}`, idempotent: op !== 'create' }],
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
  const body: UnsealedPlan = {
    formatVersion: PLAN_FORMAT_VERSION,
    source: { digest: 'sha256:0000000000000000000000000000000000000000000000000000000000000000', files: [], targets: [] },
    changes,
    unmanaged: [],
    problems: [],
    safety: { ok: (extra.safety?.breaches.length ?? 0) === 0, breaches: [] },
    budget: { requests, totalRequests, predictedSeconds: totalRequests / 10 },
    summary,
    ...extra,
  };
  // Sealed like buildPlan seals (canonical JSON round trip, then the digest), so readPlanFile accepts it.
  const { formatVersion, ...rest } = canonicalize(body) as unknown as UnsealedPlan;
  return { formatVersion, ...sealOf({ formatVersion, ...rest }), ...rest };
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

// ---- lists: entries named by identity (see src/render/list-match.ts) ------------------------------------

const CONTACTS = '/api/customer/v1/customers/cust-7/contacts';

/** Normalised contacts (src/kinds/customer/normalize.ts), listed here already sorted by name, e-mail, … */
export const CONTACT = {
  mette: { name: 'Mette Hansen', email: 'mette@hansen-byg.dk', phoneNumber: '+4540000001', title: 'Site manager' },
  opsNight: { name: 'Ops desk', email: 'ops-night@hansen-byg.dk', phoneNumber: '+4540000003', title: 'Night shift' },
  opsDay: { name: 'Ops desk', email: 'ops@hansen-byg.dk', phoneNumber: '+4540000002', title: 'Day shift' },
  opsWeekend: { name: 'Ops desk', email: 'weekend@hansen-byg.dk', phoneNumber: null, title: 'Weekend' },
  jens: { name: 'Jens Holm', email: 'jens@hansen-byg.dk', phoneNumber: null, title: null },
} satisfies Record<string, Json>;

const customerUpdate = (before: Json[], after: Json[], requests: PlannedRequest[]) =>
  makeChange('update', 'Customer', 'CUST-1001', { before: { name: 'Hansen Byg', contacts: before }, after: { name: 'Hansen Byg', contacts: after }, requests, reason: 'manifests/customers.yaml:1' });

/** The night-shift "Ops desk" removed: one DELETE, nothing else (positionally: contacts[1] "changes", contacts[2] goes). */
export function contactRemoved(): Change {
  return customerUpdate([CONTACT.mette, CONTACT.opsNight, CONTACT.opsDay], [CONTACT.mette, CONTACT.opsDay], [
    { family: 'customers', method: 'DELETE', path: `${CONTACTS}/contact-night`, idempotent: true },
  ]);
}

/** A weekend "Ops desk" added next to the day one: one POST. */
export function contactAddedBesideNamesake(): Change {
  const { opsWeekend } = CONTACT;
  return customerUpdate([CONTACT.mette, CONTACT.opsDay], [CONTACT.mette, CONTACT.opsDay, opsWeekend], [
    { family: 'customers', method: 'POST', path: CONTACTS, body: { name: opsWeekend.name, email: opsWeekend.email, title: opsWeekend.title }, idempotent: false },
  ]);
}

/** Mette's e-mail changes and Jens Holm (sorting before her) joins: one PATCH, one POST. */
export function contactFieldChanged(): Change {
  const mette = { ...CONTACT.mette, email: 'mette.hansen@hansen-byg.dk' };
  return customerUpdate([CONTACT.mette, CONTACT.opsNight, CONTACT.opsDay], [CONTACT.jens, mette, CONTACT.opsNight, CONTACT.opsDay], [
    { family: 'customers', method: 'PATCH', path: `${CONTACTS}/contact-mette`, body: { email: mette.email }, idempotent: true },
    { family: 'customers', method: 'POST', path: CONTACTS, body: { name: 'Jens Holm', email: 'jens@hansen-byg.dk' }, idempotent: false },
  ]);
}

const contract = (externalReference: string, customer: string) => ({
  externalReference,
  contractStatus: 'OPEN',
  startDate: '2025-03-01T00:00:00.000Z',
  endDate: null,
  hiringDepot: { siteId: 'site-aarhus' },
  customer: { externalReference: customer },
});

const item = (externalReference: string, onContract: Json) => ({
  externalReference,
  onRentDate: '2025-03-03T00:00:00.000Z',
  offRentDate: null,
  rentalRate: null,
  deliveryAddress: null,
  deliveryDate: null,
  pickupAddress: null,
  pickupDate: null,
  contract: onContract,
});

/**
 * Item K-2025-0042-1 moves from contract K-2025-0042 (Hansen Byg) to K-2025-0057 (SJ Lift), and its
 * off-rent date is set; item K-2025-0031-1 stays. Positionally this reads as contract K-2025-0042
 * changing customer.
 */
export function contractItemMoved(): Change {
  const stays = item('K-2025-0031-1', contract('K-2025-0031', 'CUST-1001'));
  const before = { rentalStatus: 'ON_RENT', contractItems: [stays, item('K-2025-0042-1', contract('K-2025-0042', 'CUST-1001'))] };
  const moved = { ...item('K-2025-0042-1', contract('K-2025-0057', 'CUST-1002')), offRentDate: '2025-06-30T00:00:00.000Z' };
  const after = { rentalStatus: 'ON_RENT', contractItems: [stays, moved] };
  return makeChange('sync', 'Asset', 'serialNumber=SN-7', {
    before,
    after,
    requests: [{ family: 'rental', method: 'POST', path: '/api/rental/v1/synchronization', body: { identifierType: 'ASSET_ID', identifier: 'asset-7', ...after }, idempotent: true }],
    reason: 'manifests/contracts.yaml:40',
  });
}

/** Option "Compact" removed (its values become "Access") and "Lifting" added: one PATCH. */
export function optionsChanged(): Change {
  return makeChange('update', 'CustomFieldDefinition', 'rentalCategory', {
    before: { key: 'rentalCategory', type: 'DROPDOWN', allValues: ['Earthmoving', 'Compact', 'Access'] },
    after: { key: 'rentalCategory', type: 'DROPDOWN', allValues: ['Earthmoving', 'Access', 'Lifting'] },
    notes: ['values holding "Compact" become "Access"'],
    requests: [
      { family: 'custom-fields', method: 'PATCH', path: '/api/custom-fields/v1/definitions/def-3', body: { allValues: ['Earthmoving', 'Access', 'Lifting'], valueReplacements: { Compact: 'Access' } }, idempotent: true },
    ],
    reason: 'manifests/custom-fields.yaml:30',
  });
}

/** A depot's polygon: one corner moved north, one corner added. Coordinates have no identity. */
export function areaChanged(): Change {
  const ring = [[10.1, 56.1], [10.2, 56.1], [10.2, 56.2], [10.1, 56.1]];
  const moved = [[10.1, 56.1], [10.2, 56.1], [10.2, 56.25], [10.15, 56.3], [10.1, 56.1]];
  return makeChange('update', 'Depot', 'aarhus', {
    before: { name: 'Aarhus', area: { type: 'Polygon', coordinates: [ring] } },
    after: { name: 'Aarhus', area: { type: 'Polygon', coordinates: [moved] } },
    reason: 'manifests/depots.yaml:1',
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
