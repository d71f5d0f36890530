/**
 * readLiveState against the sandbox, counted from the sandbox's own request log: five lists (one page
 * each for the demo account) and one token, then per-object reads only where a manifest can make a
 * difference — never for unmanaged contracts, customers without contacts in their manifest, or
 * customers no prune setting could ever delete.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProjectConfig } from '../../src/config/load.js';
import { CUSTOMER_MARKER_DEFINITION, customerMarker, depotExternalReference } from '../../src/kinds/ownership.js';
import type { DesiredState } from '../../src/core/state.js';
import { loadManifestSet } from '../../src/manifests/index.js';
import { toDesiredState } from '../../src/plan/desired.js';
import { readLiveState } from '../../src/plan/read-live.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { customFieldsApi } from '../../src/trackunit/endpoints/custom-fields.js';
import { customersApi } from '../../src/trackunit/endpoints/customers.js';
import { rentalApi } from '../../src/trackunit/endpoints/rental.js';
import { sitesApi } from '../../src/trackunit/endpoints/sites.js';
import { start } from '../sandbox/helpers.js';
import { sandboxClient } from '../trackunit/helpers.js';
import { apiWrites } from '../support/api-writes.js';

const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/', import.meta.url));

let desired: DesiredState;

beforeAll(async () => {
  const config = await loadProjectConfig({ cwd: EXAMPLES_DIR, required: true });
  desired = toDesiredState((await loadManifestSet(config, EXAMPLES_DIR)).documents);
});

describe('toDesiredState', () => {
  it('keeps every document with its identity, file:line, and file:line:col of any path in it', () => {
    expect(desired.objects).toHaveLength(71);
    const aarhus = desired.objects.find((o) => o.manifest.kind === 'Depot' && o.identity === 'aarhus')!;
    expect(aarhus.location).toBe('manifests/depots.yaml:6');
    expect(aarhus.locate(['address', 'city'])).toBe('manifests/depots.yaml:13:9');
    expect(JSON.parse(JSON.stringify(aarhus))).toMatchObject({ identity: 'aarhus', location: 'manifests/depots.yaml:6' });
  });
});

/** Requests per sandbox route (token requests under `auth`). */
function routes(sandbox: SandboxHandle): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of sandbox.requestLog.all()) {
    const name = e.route?.startsWith('auth.') ? 'auth' : (e.route ?? `${e.method} ${e.path}`);
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

const LISTS = {
  'sites.list': 1,
  'customers.list': 1,
  'custom-fields.definitions.list': 1,
  'assets.list': 1,
  'rental.contracts': 1,
};

describe('readLiveState: examples/ against the demo seed', () => {
  let sandbox: SandboxHandle;

  beforeAll(async () => {
    sandbox = await start();
  });
  afterAll(() => sandbox.close());

  it('makes 5 list requests + 1 token + one values read per Asset manifest with customFields, nothing else', async () => {
    sandbox.requestLog.clear();
    const client = sandboxClient(sandbox);
    const { live, requests } = await readLiveState(client, desired, { prune: ['Contract'] });
    await client.close();
    // No live depot is bound, no live customer has a manifest, the account has no contracts: the only
    // per-object reads are the 30 assets' custom field values (every asset manifest sets some).
    expect(routes(sandbox)).toEqual({ ...LISTS, auth: 1, 'custom-fields.values.list': 30 });
    expect(sandbox.requestLog.count((e) => e.write)).toBe(0);
    expect(requests.tokenRequests).toBe(1);
    expect(Object.fromEntries(Object.entries(requests.families).map(([f, m]) => [f, m.requests]))).toEqual({
      sites: 1,
      customers: 1,
      'custom-fields': 31,
      assets: 1,
      rental: 1,
    });
    expect(live.assets).toHaveLength(32);
    expect(live.contracts).toEqual([]);
    expect(live.contractItems).toEqual([]);
    expect(Object.keys(live.values)).toHaveLength(30);
    expect(live.contacts).toEqual({});
    expect(live.customerMarkers).toEqual({});
    expect(live.pins).toEqual({});
    const serials = new Set(desired.objects.flatMap((o) => (o.manifest.kind === 'Asset' ? [o.manifest.serialNumber] : [])));
    expect(new Set(live.assets.filter((a) => live.values[a.id]).map((a) => a.serialNumber))).toEqual(serials);
  });

  it('pages at the client page size, fetching the pages after the first in parallel', async () => {
    sandbox.requestLog.clear();
    const client = sandboxClient(sandbox, { pageSize: 10 });
    const { live } = await readLiveState(client, { objects: [] }, { prune: [] });
    await client.close();
    // 32 assets → 4 pages; nothing desired → no per-object read at all.
    expect(routes(sandbox)).toEqual({ ...LISTS, 'assets.list': 4, 'custom-fields.definitions.list': 1, auth: 1 });
    expect(live.assets).toHaveLength(32);
  });
});

describe('readLiveState: per-object reads only for managed objects', () => {
  let sandbox: SandboxHandle;
  let ids: { aarhus: string; cust1001: string; cust1011: string; old: string; managedContract: string; foreignContract: string };

  beforeAll(async () => {
    sandbox = await start();
    const setup = sandboxClient(sandbox);
    const address = { streetAddress: 'Hasselager Centervej 31', zipCode: '8260', city: 'Viby J', country: 'DK' };
    const aarhus = await apiWrites(setup).sites.create({ name: 'Nordic Rental Aarhus', type: 'DEPOT', address, externalReference: depotExternalReference('aarhus') });
    await apiWrites(setup).sites.create({ name: 'Hand-made depot', type: 'DEPOT', address, externalReference: 'ERP-DEPOT-9' });
    const cust1001 = await apiWrites(setup).customers.create({ name: 'Hansen Byg ApS', externalReference: 'CUST-1001' });
    await apiWrites(setup).customers.createContact(cust1001.id, { name: 'Mette Hansen' });
    // CUST-1011's manifest has neither contacts nor customFields.
    const cust1011 = await apiWrites(setup).customers.create({ name: 'Køge Bugt Montage ApS', externalReference: 'CUST-1011' });
    const old = await apiWrites(setup).customers.create({ name: 'Former customer', externalReference: 'OLD-1' });
    const sync = (serial: string, item: string, contract: string, customer: string) =>
      apiWrites(setup).rental.synchronize({
        identifierType: 'SERIAL_NUMBER',
        identifier: serial,
        contractItems: [{ externalReference: item, onRentDate: '2026-03-09T00:00:00.000Z', contract: { externalReference: contract, contractStatus: 'COMPLETED', customer: { externalReference: customer } } }],
      });
    await sync('WNCE05065KT800001', 'K-2026-0002-1', 'K-2026-0002', 'CUST-1001');
    await sync('JCB3CX4TVD4X00002', 'ERP-OLD-1', 'K-OLD-1', 'OLD-1');
    const contracts = await rentalApi(setup).listContracts();
    await setup.close();
    const contractId = (ref: string) => contracts.find((c) => c.externalReference === ref)!.id;
    ids = { aarhus: aarhus.id, cust1001: cust1001.id, cust1011: cust1011.id, old: old.id, managedContract: contractId('K-2026-0002'), foreignContract: contractId('K-OLD-1') };
  });
  afterAll(() => sandbox.close());

  async function read(prune: Parameters<typeof readLiveState>[2]['prune']) {
    sandbox.requestLog.clear();
    const client = sandboxClient(sandbox);
    const result = await readLiveState(client, desired, { prune });
    await client.close();
    return result;
  }

  it('reads items of managed contracts only, contacts and values of managed objects only', async () => {
    const { live } = await read(['Contract']);
    // values: depot aarhus, customer CUST-1001, contract K-2026-0002 (purchaseOrder) and the 30 assets.
    expect(routes(sandbox)).toEqual({ ...LISTS, auth: 1, 'rental.contractItems': 1, 'customers.listContacts': 1, 'custom-fields.values.list': 33 });
    expect(sandbox.requestLog.all().find((e) => e.route === 'rental.contractItems')?.query).toContain(ids.managedContract);
    expect(live.contracts.map((c) => c.externalReference).sort()).toEqual(['K-2026-0002', 'K-OLD-1']);
    expect(live.contractItems.map((i) => i.externalReference)).toEqual(['K-2026-0002-1']);
    expect(Object.keys(live.contacts)).toEqual([ids.cust1001]);
    expect(live.contacts[ids.cust1001]?.map((c) => c.name)).toEqual(['Mette Hansen']);
    for (const id of [ids.aarhus, ids.cust1001, ids.managedContract]) expect(live.values[id]).toBeDefined();
    expect(live.values[ids.foreignContract]).toBeUndefined();
    expect(live.customerMarkers).toEqual({});
  });

  it('with Customer pruned but no tugManaged definition: no marker reads (no customer can be managed)', async () => {
    await read(['Customer', 'Contract']);
    expect(routes(sandbox)['custom-fields.values.list']).toBe(33);
  });

  it('with Customer pruned and the marker definition present: reads the marker of every customer with an externalReference', async () => {
    const setup = sandboxClient(sandbox);
    await apiWrites(setup).customFields.createDefinition({ ...CUSTOMER_MARKER_DEFINITION });
    await apiWrites(setup).customFields.setValues(ids.old, 'CUSTOMER', [{ definitionKey: 'tugManaged', value: { stringValue: customerMarker('OLD-1') } }]);
    await setup.close();

    const { live } = await read(['Customer', 'Contract']);
    // Two more values reads: OLD-1, a prune candidate, and CUST-1011, which the customer planner will
    // mark (CUST-1001's values are read anyway; the walk-in customer has no externalReference, so it can
    // carry no valid marker).
    expect(routes(sandbox)).toEqual({ ...LISTS, auth: 1, 'rental.contractItems': 1, 'customers.listContacts': 1, 'custom-fields.values.list': 35 });
    expect(live.customerMarkers).toEqual({ [ids.old]: customerMarker('OLD-1'), [ids.cust1001]: null, [ids.cust1011]: null });

    await read(['Contract']);
    expect(routes(sandbox)['custom-fields.values.list']).toBe(33);
  });
});
