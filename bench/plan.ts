/**
 * `tug plan` on a large account: 10,000 assets, 2,000 customers, 50 depots, 25 custom field
 * definitions and 20,000 contracts (one item each, two per asset), served by `tug sandbox` in a child
 * process with 30 ms added to every request, planned against manifests that describe exactly that
 * account — a no-change plan. The account is built in-process (sandbox Store + seed) and handed to the
 * child as a `--data` file; building it and loading the manifests are not timed.
 *
 * Timed: runPlan (wall, CPU of this process, peak RSS sampled every 20 ms, requests); then, in the same
 * run, a naive planner reading every object one GET at a time with 10 in flight — what a Terraform
 * REST provider does on refresh — over the same ids, and the ratio of the two wall times.
 *
 *   npm run bench -- plan     env: BENCH_RATE=200 BENCH_IN_FLIGHT=32 (tug's client, per REST family)
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import pLimit from 'p-limit';
import { defaultProjectConfig } from '../src/config/load.js';
import { depotExternalReference } from '../src/kinds/ownership.js';
import type { LiveState } from '../src/core/state.js';
import { loadManifestSet } from '../src/manifests/index.js';
import { readLiveState, runPlan, toDesiredState } from '../src/plan/index.js';
import { seedStore } from '../src/sandbox/seed.js';
import { blankDefinition, Store, type CustomerRecord } from '../src/sandbox/store.js';
import { TrackunitClient } from '../src/trackunit/client.js';
import { API_FAMILIES, clientConfig, DEFAULT_LIMITS, type ApiFamily, type FamilyLimit } from '../src/trackunit/config.js';
import { assetsApi } from '../src/trackunit/endpoints/assets.js';
import { customFieldsApi, DEFINITIONS_PATH } from '../src/trackunit/endpoints/custom-fields.js';
import { customersApi } from '../src/trackunit/endpoints/customers.js';
import { rentalApi } from '../src/trackunit/endpoints/rental.js';
import { sitesApi } from '../src/trackunit/endpoints/sites.js';
import { figures, round, table } from './lib/report.js';
import { spawnSandbox } from './lib/sandbox-process.js';

/** BENCH_SCALE=0.1 for a quick rehearsal of the harness. */
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SIZES = { assets: 10_000 * SCALE, customers: 2_000 * SCALE, depots: 50, definitions: 25, contracts: 20_000 * SCALE };
const LATENCY_MS = 30;
const NAIVE_IN_FLIGHT = 10;
const RATE = Number(process.env.BENCH_RATE ?? 200);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 32);
const STAMP = '2026-01-01T00:00:00.000Z';
const auth = {
  flow: 'v2' as const,
  clientId: 'sandbox-key',
  clientSecret: 'sandbox-key-secret',
  scopes: ['asset.view', 'account.view', 'account.asset.manage', 'account.site.manage', 'account.customer.manage', 'account.custom-fields.manage'],
};

type Doc = Record<string, unknown>;
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const day = (offsetDays: number) => new Date(Date.parse('2026-01-05T00:00:00Z') + offsetDays * 86_400_000).toISOString();
const DEFINITION_TYPES = ['SITE', 'SITE', 'CUSTOMER', 'ASSET', 'ASSET', 'RENTAL_CONTRACT'] as const;

/** The account (into `store`) and the manifests describing it exactly, kind by kind. */
function buildFleet(store: Store): Record<string, Doc[]> {
  seedStore(store, { kind: 'empty', assets: SIZES.assets, customers: SIZES.customers, seed: 'plan-bench' });
  const docs: Record<string, Doc[]> = { definitions: [], depots: [], customers: [], assets: [], contracts: [] };
  const defIds = new Map<string, string>();
  for (let i = 0; i < SIZES.definitions; i += 1) {
    const key = i === 0 ? 'depotManager' : `field${pad(i, 2)}`;
    const entityType = DEFINITION_TYPES[i % DEFINITION_TYPES.length]!;
    const def = blankDefinition({ id: store.newId(), key, entityType, type: 'STRING', owner: 'ACCOUNT', title: `Field ${i}` }, STAMP);
    store.definitions.set(def.id, def);
    defIds.set(key, def.id);
    docs.definitions!.push({ kind: 'CustomFieldDefinition', key, entityType, type: 'STRING', title: `Field ${i}` });
  }
  const depotIds: string[] = [];
  for (let i = 0; i < SIZES.depots; i += 1) {
    const key = `depot-${pad(i + 1, 2)}`;
    const address = { streetAddress: `Depotvej ${i + 1}`, zipCode: String(8000 + i), city: 'Aarhus', country: 'DK' };
    const id = store.newId();
    depotIds.push(id);
    store.sites.set(id, { id, name: `Depot ${i + 1}`, type: 'DEPOT', description: null, externalReference: depotExternalReference(key), startDate: null, endDate: null, address, area: null, archived: false, createdAt: STAMP, updatedAt: STAMP });
    const valueId = store.newId();
    const manager = `Manager ${i + 1}`;
    store.values.set(valueId, { id: valueId, definitionId: defIds.get('depotManager')!, entityId: id, entityType: 'SITE', value: { stringValue: manager }, lastIncompatibleValue: null, createdAt: STAMP, updatedAt: STAMP });
    docs.depots!.push({ kind: 'Depot', key, name: `Depot ${i + 1}`, address, customFields: { depotManager: manager } });
  }
  const customers = [...store.customers.values()] as CustomerRecord[];
  for (const c of customers) {
    const doc: Doc = { kind: 'Customer', externalReference: c.externalReference, name: c.name, type: c.type, address: c.address, phoneNumber: c.phoneNumber, email: c.email };
    docs.customers!.push(doc);
  }
  const assets = [...store.assets.values()];
  assets.forEach((asset, k) => {
    asset.externalReference = `ERP-A-${pad(k + 1, 5)}`;
    asset.rentalStatus = 'ON_RENT';
    asset.owningDepotId = depotIds[k % SIZES.depots]!;
    docs.assets!.push({ kind: 'Asset', serialNumber: asset.serialNumber, externalReference: asset.externalReference, rentalStatus: 'ON_RENT', owningDepot: `depot-${pad((k % SIZES.depots) + 1, 2)}` });
  });
  for (let j = 0; j < SIZES.contracts; j += 1) {
    // Asset k: a completed contract (January–February), then an open one (March–December).
    const k = Math.floor(j / 2);
    const open = j % 2 === 1;
    const [start, end] = open ? [day(56), day(347)] : [day(0), day(53)];
    const ref = `K-${pad(j + 1, 6)}`;
    const customer = customers[j % customers.length]!;
    const depot = k % SIZES.depots;
    const rate = { currency: 'DKK', unitPrice: 500 + (j % 50) * 10, period: 'DAILY' };
    const contractId = store.newId();
    store.contracts.set(contractId, { id: contractId, externalReference: ref, contractStatus: open ? 'OPEN' : 'COMPLETED', startDate: start, endDate: end, customerId: customer.id, hiringDepotId: depotIds[depot]!, createdAt: STAMP, updatedAt: STAMP });
    const itemId = store.newId();
    store.contractItems.set(itemId, { id: itemId, contractId, assetId: assets[k]!.id, externalReference: `${ref}-1`, onRentDate: start, offRentDate: end, rentalRate: rate, deliveryAddress: null, deliveryDate: null, pickupAddress: null, pickupDate: null, createdAt: STAMP, updatedAt: STAMP });
    docs.contracts!.push({
      kind: 'Contract', externalReference: ref, customer: customer.externalReference, status: open ? 'OPEN' : 'COMPLETED', startDate: start.slice(0, 10), endDate: end.slice(0, 10),
      hiringDepot: `depot-${pad(depot + 1, 2)}`,
      items: [{ externalReference: `${ref}-1`, asset: { externalReference: assets[k]!.externalReference }, onRentDate: start.slice(0, 10), offRentDate: end.slice(0, 10), rentalRate: { unitPrice: rate.unitPrice, currency: 'DKK', period: 'DAILY' } }],
    });
  }
  return docs;
}

/** Manifest files of at most 5,000 documents each (well under the 10 MiB per-file limit). */
async function writeManifests(dir: string, docs: Record<string, Doc[]>): Promise<void> {
  await mkdir(join(dir, 'manifests'), { recursive: true });
  for (const [name, list] of Object.entries(docs)) {
    for (let part = 0; part * 5000 < list.length; part += 1) {
      const text = list.slice(part * 5000, (part + 1) * 5000).map((d) => jsYaml.dump(d, { lineWidth: -1 })).join('---\n');
      await writeFile(join(dir, 'manifests', `${name}-${part + 1}.yaml`), text);
    }
  }
}

function limitsOf(rate: number, inFlight: number): Record<ApiFamily, FamilyLimit> {
  const rest = (f: ApiFamily) => !f.startsWith('iso');
  return Object.fromEntries(API_FAMILIES.map((f) => [f, rest(f) ? { ratePerSecond: rate, burst: rate, maxInFlight: inFlight } : DEFAULT_LIMITS[f]])) as Record<ApiFamily, FamilyLimit>;
}

async function serverRequests(url: string): Promise<number> {
  return ((await (await fetch(`${url}/_sandbox/stats`)).json()) as { requests: number }).requests;
}

/** Sample this process's RSS every 20 ms while `work` runs. */
async function measured<T>(work: () => Promise<T>) {
  let peakRss = process.memoryUsage().rss;
  const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  try {
    const value = await work();
    const wallMs = performance.now() - t0;
    const used = process.cpuUsage(cpu);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return { value, wallMs, cpuMs: (used.user + used.system) / 1000, peakRssMb: round(peakRss / 1024 / 1024, 0) };
  } finally {
    clearInterval(timer);
  }
}

/** Every object by its own GET, 10 in flight, ids as a provider's state file would hold them. */
async function naivePlan(url: string, live: LiveState, valueSites: string[]): Promise<number> {
  const unlimited = Object.fromEntries(API_FAMILIES.map((f) => [f, { ratePerSecond: 1e6, burst: 1e6, maxInFlight: NAIVE_IN_FLIGHT }])) as Record<ApiFamily, FamilyLimit>;
  const client = new TrackunitClient(clientConfig({ irisUrl: url, authUrl: url, auth, limits: unlimited }));
  const [sites, customers, assets, rental, fields] = [sitesApi(client), customersApi(client), assetsApi(client), rentalApi(client), customFieldsApi(client)];
  const definitionPages = Math.ceil(live.definitions.length / 50);
  const jobs: Array<() => Promise<unknown>> = [
    ...live.sites.map((s) => () => sites.get(s.id)),
    ...live.customers.map((c) => () => customers.get(c.id)),
    // No GET by id for definitions: the list, 50 per page.
    ...Array.from({ length: definitionPages }, (_, page) => () => client.request({ family: 'custom-fields', method: 'GET', path: DEFINITIONS_PATH, query: { page, size: 50 } })),
    ...live.assets.map((a) => () => assets.get(a.id)),
    ...live.contracts.map((c) => () => rental.getContract(c.id)),
    ...live.contracts.map((c) => () => rental.listContractItems(c.id)),
    ...valueSites.map((id) => () => fields.getValues(id, 'SITE')),
  ];
  const limit = pLimit(NAIVE_IN_FLIGHT);
  try {
    await Promise.all(jobs.map((job) => limit(job)));
  } finally {
    await client.close();
  }
  return jobs.length;
}

const work = await mkdtemp(join(tmpdir(), 'tug-bench-plan-'));
try {
  let t0 = performance.now();
  const store = new Store('sandbox:plan-bench');
  const docs = buildFleet(store);
  const dataFile = join(work, 'account.json');
  await writeFile(dataFile, JSON.stringify(store.toSnapshot()));
  await writeManifests(work, docs);
  const buildMs = performance.now() - t0;
  t0 = performance.now();
  const config = { ...defaultProjectConfig(work), stateDir: join(work, 'state') };
  const manifests = await loadManifestSet(config, work);
  const loadMs = performance.now() - t0;
  if (manifests.diagnostics.some((d) => d.severity === 'error')) throw new Error(`generated manifests are invalid: ${JSON.stringify(manifests.diagnostics.slice(0, 3))}`);

  const sandbox = await spawnSandbox(['--seed', 'empty', '--assets', String(SIZES.assets), '--customers', String(SIZES.customers), '--latency-ms', String(LATENCY_MS), '--data', dataFile]);
  try {
    const limits = limitsOf(RATE, IN_FLIGHT);
    const client = new TrackunitClient(clientConfig({ irisUrl: sandbox.url, authUrl: sandbox.url, auth, limits }));
    const serverBefore = await serverRequests(sandbox.url);
    const tug = await measured(() => runPlan({ client, config, manifests }));
    const tugServer = (await serverRequests(sandbox.url)) - serverBefore;
    await client.close();
    const { plan, liveRequests } = tug.value;

    // The ids a provider would hold in its state: taken from what tug read (not timed).
    const idsClient = new TrackunitClient(clientConfig({ irisUrl: sandbox.url, authUrl: sandbox.url, auth, limits }));
    const { live } = await readLiveState(idsClient, toDesiredState(manifests.documents), { prune: [] });
    await idsClient.close();
    const valueSites = Object.keys(live.values);
    const naiveBefore = await serverRequests(sandbox.url);
    const naive = await measured(() => naivePlan(sandbox.url, live, valueSites));
    const naiveServer = (await serverRequests(sandbox.url)) - naiveBefore;

    const perFamily = Object.fromEntries(Object.entries(liveRequests.families).map(([f, m]) => [f, m.requests]));
    const ratio = naive.wallMs / tug.wallMs;
    console.log(`Plan of ${SIZES.assets} assets, ${SIZES.customers} customers, ${SIZES.depots} depots, ${SIZES.definitions} definitions, ${SIZES.contracts} contracts; ${LATENCY_MS} ms added latency per request`);
    console.log(`tug client limits: REST families ${RATE} req/s (burst ${RATE}), ${IN_FLIGHT} in flight each; ISO families at their documented defaults`);
    table([
      ['account build + manifest write (ms, untimed)', round(buildMs, 0)],
      [`manifests load + validate (ms, untimed; ${manifests.documentCount} documents)`, round(loadMs, 0)],
      ['plan changes (expected 0)', plan.changes.length],
      ['plan problems', plan.problems.length],
      ['tug: wall time (ms)', round(tug.wallMs, 0)],
      ['tug: CPU time (ms, this process)', round(tug.cpuMs, 0)],
      ['tug: peak RSS (MB)', tug.peakRssMb],
      ['tug: API requests (+ token)', `${liveRequests.totals.requests} + ${liveRequests.tokenRequests}`],
      ['tug: requests per family', JSON.stringify(perFamily)],
      ['tug: requests seen by the server', tugServer],
      [`naive: GETs, ${NAIVE_IN_FLIGHT} in flight`, naive.value],
      ['naive: requests seen by the server (incl. token)', naiveServer],
      ['naive: wall time (ms)', round(naive.wallMs, 0)],
      ['naive: CPU time (ms, this process)', round(naive.cpuMs, 0)],
      ['ratio naive / tug wall time', `${round(ratio, 1)}x`],
    ]);
    if (plan.changes.length > 0) console.log(`first changes: ${plan.changes.slice(0, 5).map((c) => c.key).join(', ')}`);
    figures('plan', {
      sizes: SIZES,
      latencyMs: LATENCY_MS,
      limits: { rest: { ratePerSecond: RATE, burst: RATE, maxInFlight: IN_FLIGHT } },
      changes: plan.changes.length,
      problems: plan.problems.length,
      tugWallMs: round(tug.wallMs, 0),
      tugCpuMs: round(tug.cpuMs, 0),
      tugPeakRssMb: tug.peakRssMb,
      tugRequests: liveRequests.totals.requests,
      tugTokenRequests: liveRequests.tokenRequests,
      tugRequestsPerFamily: perFamily,
      naiveRequests: naive.value,
      naiveInFlight: NAIVE_IN_FLIGHT,
      naiveWallMs: round(naive.wallMs, 0),
      ratio: round(ratio, 1),
    });
  } finally {
    await sandbox.stop();
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
