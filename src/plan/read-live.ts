/**
 * Reading the live account for a plan with as few requests as the APIs allow:
 *
 * 1. the five lists — sites, customers, definitions, assets, contracts — at the client's page size
 *    (1000, the documented maximum), all five at once, each fetching its pages after the first in
 *    parallel (paginate.ts);
 * 2. then the per-object reads that have no list form, only where a manifest can make a difference
 *    (read-live-targets.ts), all at once: the client's rate scheduler bounds requests in flight per
 *    API family, and a queue per family keeps only a few times that many pending so 20,000 reads do
 *    not sit in memory as 20,000 waiting requests.
 *
 * The result is plain data for buildPlan, plus the requests this read made per API family.
 */
import pLimit from 'p-limit';
import type { KindName } from '../config/project.js';
import { CUSTOMER_MARKER_KEY } from '../core/ownership.js';
import { emptyLiveState, type DesiredState, type LiveState, type PinResolution } from '../core/state.js';
import type { TrackunitClient } from '../trackunit/client.js';
import type { ApiFamily } from '../trackunit/config.js';
import { assetsApi } from '../trackunit/endpoints/assets.js';
import { customFieldsApi, type EntityField } from '../trackunit/endpoints/custom-fields.js';
import { customersApi, type CustomerContact } from '../trackunit/endpoints/customers.js';
import { rentalApi, type ContractItem } from '../trackunit/endpoints/rental.js';
import { sitesApi } from '../trackunit/endpoints/sites.js';
import type { FamilyMetrics, MetricsSnapshot } from '../trackunit/metrics.js';
import { perObjectReads, type PerObjectReads } from './read-live-targets.js';

export interface ReadLiveOptions {
  /** tug.yaml prune.kinds: with Customer, the managed-by-tug markers of prune candidates are read. */
  prune: KindName[];
  /**
   * Per-object reads queued at once per API family (default: twice the family's maxInFlight). The
   * scheduler still bounds what is in flight; this only bounds what waits for it.
   */
  concurrency?: number;
  /** PIN resolutions (resolve-pins.ts), needed to find the assets `pin:` manifests name. */
  pins?: Record<string, PinResolution> | Promise<Record<string, PinResolution>>;
}

export interface LiveRead {
  live: LiveState;
  /** What this read cost, per API family (a delta of the client's metrics). */
  requests: MetricsSnapshot;
}

/** Metrics of the requests made between two snapshots of the same client. */
export function metricsDelta(before: MetricsSnapshot, after: MetricsSnapshot): MetricsSnapshot {
  const minus = (a: FamilyMetrics, b: FamilyMetrics | undefined): FamilyMetrics =>
    Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - (b?.[k as keyof FamilyMetrics] ?? 0)])) as unknown as FamilyMetrics;
  const families: Record<string, FamilyMetrics> = {};
  for (const [name, m] of Object.entries(after.families)) {
    const d = minus(m, before.families[name]);
    if (Object.values(d).some((v) => v !== 0)) families[name] = d;
  }
  return { families, totals: minus(after.totals, before.totals), tokenRequests: after.tokenRequests - before.tokenRequests, tokenRetries: after.tokenRetries - before.tokenRetries };
}

async function readLists(client: TrackunitClient): Promise<LiveState> {
  const [sites, customers, definitions, assets, contracts] = await Promise.all([
    sitesApi(client).list(),
    customersApi(client).list(),
    customFieldsApi(client).listDefinitions(),
    assetsApi(client).list(),
    rentalApi(client).listContracts(),
  ]);
  return { ...emptyLiveState(), sites, customers, definitions, assets, contracts };
}

function markerOf(fields: EntityField[]): string | null {
  const value = fields.find((f) => f.definition.key === CUSTOMER_MARKER_KEY)?.value?.value;
  return value && 'stringValue' in value && typeof value.stringValue === 'string' ? value.stringValue : null;
}

interface PerObjectResults {
  contractItems: ContractItem[][];
  values: EntityField[][];
  contacts: CustomerContact[][];
  markers: EntityField[][];
}

async function runReads(client: TrackunitClient, reads: PerObjectReads, concurrency: number | undefined): Promise<PerObjectResults> {
  const queue = (family: ApiFamily) => pLimit(concurrency ?? Math.max(1, (client.config.limits[family].maxInFlight ?? 8) * 2));
  const rental = queue('rental');
  const fields = queue('custom-fields');
  const customers = queue('customers');
  const rentalEndpoints = rentalApi(client);
  const fieldEndpoints = customFieldsApi(client);
  const customerEndpoints = customersApi(client);
  const [contractItems, values, contacts, markers] = await Promise.all([
    Promise.all(reads.contractItems.map((id) => rental(() => rentalEndpoints.listContractItems(id)))),
    Promise.all(reads.values.map((r) => fields(() => fieldEndpoints.getValues(r.entityId, r.entityType)))),
    Promise.all(reads.contacts.map((id) => customers(() => customerEndpoints.listContacts(id)))),
    Promise.all(reads.markers.map((id) => fields(() => fieldEndpoints.getValues(id, 'CUSTOMER')))),
  ]);
  return { contractItems, values, contacts, markers };
}

function merge(lists: LiveState, reads: PerObjectReads, results: PerObjectResults): LiveState {
  const live: LiveState = { ...lists, contractItems: results.contractItems.flat() };
  reads.values.forEach((r, i) => {
    const fields = results.values[i] ?? [];
    live.values[r.entityId] = fields;
    // Values read for a customer carry its marker too: free to keep, and the customer planner may use it.
    if (r.entityType === 'CUSTOMER' && fields.some((f) => f.definition.key === CUSTOMER_MARKER_KEY)) live.customerMarkers[r.entityId] = markerOf(fields);
  });
  reads.contacts.forEach((id, i) => (live.contacts[id] = results.contacts[i] ?? []));
  reads.markers.forEach((id, i) => (live.customerMarkers[id] = markerOf(results.markers[i] ?? [])));
  return live;
}

export async function readLiveState(client: TrackunitClient, desired: DesiredState, options: ReadLiveOptions): Promise<LiveRead> {
  const before = client.metricsSnapshot();
  const lists = await readLists(client);
  lists.pins = (await options.pins) ?? {};
  const reads = perObjectReads(desired, lists, options.prune);
  const results = await runReads(client, reads, options.concurrency);
  return { live: merge(lists, reads, results), requests: metricsDelta(before, client.metricsSnapshot()) };
}
