/**
 * One measured step of bench/plan.ts in a process of its own, so its peak RSS is tug's alone (the
 * account the orchestrator built stays in the orchestrator). Prints one JSON line.
 *
 *   node --import tsx bench/lib/plan-worker.ts '{"step":"plan","dir":…,"url":…,"nowMs":…,"refresh":"auto"}'
 *
 * Steps: `plan` (runPlan with the inventory in <dir>/state), `apply` (a plan, then applyPlan of it),
 * `lists` (the lists only), `naive` (every object and each per-object detail by its own GET, at the
 * same per-family limits as tug: what a Terraform REST provider does on refresh), `export` (`tug export`
 * into <dir>/export), `roundtrip` (validate the export, then a cold plan of it: only adoptions expected).
 */
import pLimit from 'p-limit';
import { applyPlan } from '../../src/apply/index.js';
import { defaultProjectConfig } from '../../src/config/load.js';
import type { RefreshMode } from '../../src/core/inventory.js';
import { loadManifestSet } from '../../src/manifests/index.js';
import { runPlan } from '../../src/plan/run-plan.js';
import { runExport } from '../../src/export/run-export.js';
import { layoutFiles, writeExport } from '../../src/export/files.js';
import { REGISTRY, emptyLiveState } from '../../src/kinds/registry.js';
import { toDesiredState } from '../../src/plan/desired.js';
import { LocalStateStore } from '../../src/state/local-store.js';
import { accountOf } from '../../src/trackunit/account.js';
import { TrackunitClient } from '../../src/trackunit/client.js';
import { API_FAMILIES, clientConfig, DEFAULT_LIMITS, type ApiFamily, type FamilyLimit } from '../../src/trackunit/config.js';
import { assetsApi } from '../../src/trackunit/endpoints/assets.js';
import { customFieldsApi, DEFINITIONS_PATH } from '../../src/trackunit/endpoints/custom-fields.js';
import { customersApi } from '../../src/trackunit/endpoints/customers.js';
import { rentalApi } from '../../src/trackunit/endpoints/rental.js';
import { sitesApi } from '../../src/trackunit/endpoints/sites.js';
import type { LiveState } from '../../src/core/state.js';

export interface WorkerInput {
  step: 'plan' | 'apply' | 'lists' | 'naive' | 'export' | 'roundtrip';
  dir: string;
  url: string;
  /** The run's clock for the inventory (the bench's simulated hour). */
  nowMs?: number;
  refresh?: RefreshMode;
  /** REST families' req/s; default the shipped defaults. */
  rate?: number;
}

const auth = {
  flow: 'v2' as const,
  clientId: 'sandbox-key',
  clientSecret: 'sandbox-key-secret',
  scopes: ['asset.view', 'account.view', 'account.asset.manage', 'account.site.manage', 'account.customer.manage', 'account.custom-fields.manage'],
};

const input = JSON.parse(process.argv[2] ?? '{}') as WorkerInput;

function limits(): Record<ApiFamily, FamilyLimit> {
  if (input.rate === undefined) return DEFAULT_LIMITS;
  const rate = input.rate;
  return Object.fromEntries(API_FAMILIES.map((f) => [f, f.startsWith('iso') ? DEFAULT_LIMITS[f] : { ...DEFAULT_LIMITS[f], ratePerSecond: rate, burst: rate }])) as Record<
    ApiFamily,
    FamilyLimit
  >;
}

/** Wall, CPU and peak RSS (sampled every 20 ms) of `work`. */
async function measured<T>(work: () => Promise<T>) {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  try {
    const value = await work();
    const used = process.cpuUsage(cpu);
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, wallMs: Math.round(performance.now() - t0), cpuMs: Math.round((used.user + used.system) / 1000), peakRssMb: Math.round(peak / 1024 / 1024) };
  } finally {
    clearInterval(timer);
  }
}

const perFamily = (client: TrackunitClient) => Object.fromEntries(Object.entries(client.metricsSnapshot().families).map(([f, m]) => [f, m.requests]));

/** Every object and each of its per-object details by its own GET, as a provider's state file lists them. */
async function naive(client: TrackunitClient, live: LiveState): Promise<number> {
  const [sites, customers, assets, rental, fields] = [sitesApi(client), customersApi(client), assetsApi(client), rentalApi(client), customFieldsApi(client)];
  // Per API family, as tug reads: the families in parallel, each queued for the client's scheduler (the
  // same per-family rate and in-flight limits as tug's). Sequential families would be a straw man.
  const definitionPages = Array.from(
    { length: Math.ceil(live.definitions.length / 50) },
    (_, page) => () => client.request({ family: 'custom-fields', method: 'GET', path: DEFINITIONS_PATH, query: { page, size: 50 } }),
  );
  const families: Array<Array<() => Promise<unknown>>> = [
    live.sites.map((s) => () => sites.get(s.id)),
    live.customers.flatMap((c) => [() => customers.get(c.id), () => customers.listContacts(c.id)]),
    [
      ...live.sites.map((s) => () => fields.getValues(s.id, 'SITE')),
      ...live.customers.map((c) => () => fields.getValues(c.id, 'CUSTOMER')),
      ...live.assets.map((a) => () => fields.getValues(a.id, 'ASSET')),
      // No GET by id for definitions: the list, 50 per page.
      ...definitionPages,
    ],
    live.assets.map((a) => () => assets.get(a.id)),
    live.contracts.flatMap((c) => [() => rental.getContract(c.id), () => rental.listContractItems(c.id)]),
  ];
  await Promise.all(
    families.map((jobs) => {
      const limit = pLimit(16);
      return Promise.all(jobs.map((job) => limit(job)));
    }),
  );
  return families.reduce((n, jobs) => n + jobs.length, 0);
}

async function main(): Promise<unknown> {
  const config = { ...defaultProjectConfig(input.dir), stateDir: `${input.dir}/state` };
  const client = new TrackunitClient(clientConfig({ irisUrl: input.url, authUrl: input.url, auth, limits: limits() }));
  const store = new LocalStateStore(config.stateDir);
  const inventory = store.account(accountOf(client.config)).kv;
  const now = () => input.nowMs ?? Date.now();
  try {
    if (input.step === 'lists' || input.step === 'naive') {
      const manifests = await measured(() => loadManifestSet(config, input.dir));
      const desired = toDesiredState(manifests.value.documents);
      const lists = await measured(
        async () => Object.assign(emptyLiveState(), ...(await Promise.all(REGISTRY.kinds.map((k) => k.readLists(client, desired, { prune: [] }))))) as LiveState,
      );
      const listRequests = client.metricsSnapshot().totals.requests;
      if (input.step === 'lists') return { manifestsMs: manifests.wallMs, ...lists, value: undefined, requests: listRequests, perFamily: perFamily(client) };
      const run = await measured(() => naive(client, lists.value));
      return { ...run, value: undefined, gets: run.value, requests: client.metricsSnapshot().totals.requests - listRequests };
    }
    if (input.step === 'export') {
      const run = await measured(async () => {
        const result = await runExport({ client, prune: [], now });
        const files = layoutFiles(result.objects, 'kind');
        await writeExport(`${input.dir}/export`, files, { irisUrl: input.url, account: 'bench', at: 'bench' }, { force: true });
        return { objects: result.objects.length, skipped: result.skipped.length, files: files.length, reads: result.reads };
      });
      return { ...run, value: undefined, ...run.value, requests: client.metricsSnapshot().totals.requests, tokenRequests: client.metricsSnapshot().tokenRequests, perFamily: perFamily(client) };
    }
    if (input.step === 'roundtrip') {
      const exported = { ...config, manifests: ['export/**/*.yaml'] };
      const set = await loadManifestSet(exported, input.dir);
      const errors = set.diagnostics.filter((d) => d.severity === 'error').length;
      const run = await measured(() => runPlan({ client, config: exported, manifests: set, now }));
      const planned = run.value.plan;
      const ops: Record<string, number> = {};
      for (const c of planned.changes) ops[c.op] = (ops[c.op] ?? 0) + 1;
      return {
        wallMs: run.wallMs,
        peakRssMb: run.peakRssMb,
        documents: set.documents.length,
        validateErrors: errors,
        ops,
        planErrors: planned.problems.filter((p) => p.severity === 'error').length,
        requests: run.value.liveRequests.totals.requests,
      };
    }
    const manifests = await loadManifestSet(config, input.dir);
    const plan = await measured(() => runPlan({ client, config, manifests, now, inventory, ...(input.refresh ? { refresh: input.refresh } : {}) }));
    const planned = plan.value.plan;
    const read = {
      wallMs: plan.wallMs,
      cpuMs: plan.cpuMs,
      peakRssMb: plan.peakRssMb,
      requests: plan.value.liveRequests.totals.requests,
      tokenRequests: plan.value.liveRequests.tokenRequests,
      perFamily: perFamily(client),
    };
    const summary = {
      changes: planned.changes.length,
      problems: planned.problems.length,
      freshness: planned.freshness,
      budget: planned.budget,
      warnings: plan.value.warnings ?? [],
    };
    if (input.step === 'plan') return { ...read, ...summary };
    const before = client.metricsSnapshot().totals.requests;
    const apply = await measured(() => applyPlan({ client, plan: planned, config, manifests, state: store, now }));
    return {
      plan: { ...read, ...summary },
      apply: {
        wallMs: apply.wallMs,
        cpuMs: apply.cpuMs,
        peakRssMb: apply.peakRssMb,
        requests: client.metricsSnapshot().totals.requests - before,
        reportRequests: apply.value.requests,
        converged: apply.value.convergence.ok,
        counts: apply.value.counts,
      },
      predictedSeconds: planned.budget.predictedSeconds,
      predictedRequests: planned.budget.totalRequests,
    };
  } finally {
    await client.close();
    await store.close();
  }
}

console.log(JSON.stringify(await main()));
