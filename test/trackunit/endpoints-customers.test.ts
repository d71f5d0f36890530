import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import type { TrackunitClient } from '../../src/trackunit/client.js';
import { ApiError, OutcomeUnknownError } from '../../src/trackunit/errors.js';
import { UndiciTransport, type HttpRequest } from '../../src/trackunit/http.js';
import { DEFAULT_TIMEOUTS } from '../../src/trackunit/config.js';
import { shapeMismatches } from '../../src/trackunit/shapes.js';
import { customerAssetSchema, customerContactSchema, customerSchema, customersApi, customersProbe, type CustomerInput } from '../../src/trackunit/endpoints/customers.js';
import { start } from '../sandbox/helpers.js';
import { sandboxClient } from './helpers.js';
import { apiWrites } from '../support/api-writes.js';

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

const acme: CustomerInput = {
  name: 'Acme Construction A/S',
  type: 'CONTRACTOR',
  externalReference: 'CUST-1001',
  address: { streetAddress: 'Industrivej 1', zipCode: '8000', city: 'Aarhus', country: 'DK' },
  phoneNumber: '+4512345678',
  email: 'orders@acme.example',
  website: 'https://acme.example',
};

describe('customersApi against the sandbox', () => {
  let sandbox: SandboxHandle;
  let client: TrackunitClient;
  let api: ReturnType<typeof customersApi>;
  let writes: ReturnType<typeof apiWrites>['customers'];
  const listRequests = () => sandbox.requestLog.count((e) => e.route === 'customers.list');
  const storeIds = () => [...sandbox.store.customers.values()].map((c) => c.id);

  beforeAll(async () => {
    // Demo seed: one hand-made walk-in customer; 23 generated ones make 24, not a multiple of 7.
    sandbox = await start({ customers: 23 });
    client = sandboxClient(sandbox);
    api = customersApi(client);
    writes = apiWrites(client).customers;
  });
  afterAll(async () => {
    await client.close();
    await sandbox.close();
  });

  it('lists every customer at page size 1000 in one request, with the wire fields', async () => {
    sandbox.requestLog.clear();
    const customers = await api.list();
    expect(customers.map((c) => c.id)).toEqual(storeIds());
    expect(customers).toHaveLength(24);
    expect(listRequests()).toBe(1);
    expect(customers[0]).toMatchObject({ name: 'Walk-in customer', type: 'OTHER', externalReference: null, address: null });
    expect(customers[1]).toMatchObject({ name: 'Generated Customer 1 ApS', externalReference: 'GEN-000001', address: { city: 'Aarhus', country: 'DK' } });
    for (const c of customers) expect(shapeMismatches(customerSchema, c)).toEqual([]);
  });

  it('lists at page size 7: every customer once, in order, in ceil(n/7) requests', async () => {
    const small = sandboxClient(sandbox, { pageSize: 7 });
    try {
      sandbox.requestLog.clear();
      const ids = (await customersApi(small).list()).map((c) => c.id);
      expect(ids).toEqual(storeIds());
      expect(new Set(ids).size).toBe(ids.length);
      expect(listRequests()).toBe(Math.ceil(ids.length / 7));
      expect(listRequests()).toBe(4);
      expect(sandbox.requestLog.all().filter((e) => e.route === 'customers.list').every((e) => /(^|&)size=7(&|$)/.test(e.query))).toBe(true);
    } finally {
      await small.close();
    }
  });

  it('filters by type, externalReference and name', async () => {
    const dealers = await api.list({ type: 'DEALER' });
    expect(dealers.map((c) => c.id)).toEqual([...sandbox.store.customers.values()].filter((c) => c.type === 'DEALER').map((c) => c.id));
    const two = await api.list({ type: ['DEALER', 'OEM'] });
    expect(two.every((c) => c.type === 'DEALER' || c.type === 'OEM')).toBe(true);
    expect(two.length).toBeGreaterThanOrEqual(dealers.length);
    expect((await api.list({ externalReference: 'GEN-000003' })).map((c) => c.name)).toEqual(['Generated Customer 3 ApS']);
    expect((await api.list({ name: 'WALK-IN' })).map((c) => c.name)).toEqual(['Walk-in customer']);
  });

  it('creates, gets, updates and removes a customer', async () => {
    const created = await writes.create(acme);
    expect(created).toMatchObject({ ...acme, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(await api.get(created.id)).toEqual(created);

    const updated = await writes.update(created.id, { name: 'Acme Group A/S', website: null, type: 'DEALER' });
    expect(updated).toMatchObject({ id: created.id, name: 'Acme Group A/S', website: null, type: 'DEALER', externalReference: 'CUST-1001' });
    expect(sandbox.store.customers.get(created.id)?.name).toBe('Acme Group A/S');

    await writes.remove(created.id);
    expect(sandbox.store.customers.has(created.id)).toBe(false);
    const error = await rejection(api.get(created.id));
    expect(error.status).toBe(404);
    expect(error.apiCode).toBe('customer_not_found');
    expect((await rejection(writes.remove(created.id))).status).toBe(404);
  });

  it('surfaces constraint violations on the ApiError', async () => {
    const error = await rejection(writes.create({ name: '', email: 'not-an-email' }));
    expect(error.status).toBe(400);
    expect(error.apiCode).toBe('constraint_violation');
    expect(error.violations.map((v) => v.field).sort()).toEqual(['email', 'name']);
    expect(error.attempts).toBe(1);

    const duplicate = await rejection(writes.create({ name: 'Copycat', externalReference: 'GEN-000001' }));
    expect(duplicate.status).toBe(400);
    expect(duplicate.apiCode).toBe('external_reference_already_exists');
    expect(duplicate.violations.map((v) => v.field)).toEqual(['externalReference']);
  });

  it('finds a customer by external reference with one GET, hit and miss', async () => {
    sandbox.requestLog.clear();
    const hit = await api.findByExternalReference('GEN-000005');
    expect(hit).toMatchObject({ name: 'Generated Customer 5 ApS', externalReference: 'GEN-000005' });
    expect(await api.findByExternalReference('GEN-999999')).toBeUndefined();
    expect(await api.findByExternalReference('GEN-00000')).toBeUndefined(); // exact, not a prefix
    expect(listRequests()).toBe(3);
  });

  it('does not answer a false miss when the server ignores the externalReference filter', async () => {
    // A transport that drops the filter, as a server that does not know it would.
    const real = new UndiciTransport(DEFAULT_TIMEOUTS);
    const ignoring = sandboxClient(sandbox, { pageSize: 7 }, {
      transport: {
        send: (request: HttpRequest) => {
          request.url.searchParams.delete('externalReference');
          return real.send(request);
        },
        close: () => real.close(),
      },
    });
    try {
      const ignoringApi = customersApi(ignoring);
      sandbox.requestLog.clear();
      expect(await ignoringApi.findByExternalReference('GEN-000020')).toMatchObject({ name: 'Generated Customer 20 ApS' });
      // The first page held other customers: the filter was ignored, so every page was read.
      expect(listRequests()).toBe(1 + Math.ceil(storeIds().length / 7));
      expect(await ignoringApi.findByExternalReference('GEN-999999')).toBeUndefined();
    } finally {
      await ignoring.close();
    }
  });

  it('re-reads by external reference after an outcome-unknown create', async () => {
    sandbox.setFaults([{ match: 'customers.create', commitDrop: 1 }]);
    let error: unknown;
    try {
      await writes.create({ name: 'Lost Response ApS', externalReference: 'CUST-LOST' });
    } catch (e) {
      error = e;
    } finally {
      sandbox.setFaults([]);
    }
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    const lookup = (error as OutcomeUnknownError).lookup;
    expect(lookup).toEqual({ kind: 'customer', field: 'externalReference', value: 'CUST-LOST' });
    expect(sandbox.requestLog.count((e) => e.route === 'customers.create' && e.fault === 'commit-drop')).toBe(1);
    const found = await api.findByExternalReference(lookup!.value);
    expect(found).toMatchObject({ name: 'Lost Response ApS' });
    expect([...sandbox.store.customers.values()].filter((c) => c.externalReference === 'CUST-LOST')).toHaveLength(1);
    await writes.remove(found!.id);
  });

  it('creates, lists, gets, updates and removes contacts', async () => {
    const customer = await writes.create({ name: 'Contact Holder ApS', externalReference: 'CUST-CONTACTS' });
    const jane = await writes.createContact(customer.id, { name: 'Jane Doe', email: 'jane@holder.example', title: 'Site manager' });
    expect(jane).toEqual({ id: expect.any(String), customerId: customer.id, name: 'Jane Doe', email: 'jane@holder.example', phoneNumber: null, title: 'Site manager' });
    const desk = await writes.createContact(customer.id, { name: 'Service desk', phoneNumber: '+4570000000' });
    expect((await api.listContacts(customer.id)).map((c) => c.name)).toEqual(['Jane Doe', 'Service desk']);
    expect(await api.getContact(customer.id, jane.id)).toEqual(jane);
    for (const c of await api.listContacts(customer.id)) expect(shapeMismatches(customerContactSchema, c)).toEqual([]);

    expect(await writes.updateContact(customer.id, jane.id, { title: null, phoneNumber: '+4512121212' })).toMatchObject({ title: null, phoneNumber: '+4512121212' });
    await writes.removeContact(customer.id, desk.id);
    expect((await api.listContacts(customer.id)).map((c) => c.id)).toEqual([jane.id]);

    const missing = await rejection(api.getContact(customer.id, desk.id));
    expect([missing.status, missing.apiCode]).toEqual([404, 'contact_not_found']);
    const invalid = await rejection(writes.createContact(customer.id, { name: '' }));
    expect(invalid.violations.map((v) => v.field)).toEqual(['name']);
    await writes.remove(customer.id);
    expect([...sandbox.store.contacts.values()].some((c) => c.customerId === customer.id)).toBe(false);
  });

  it('assigns and unassigns assets', async () => {
    const customer = await writes.create({ name: 'Renter ApS', externalReference: 'CUST-RENTER' });
    const [a, b, c] = [...sandbox.store.assets.keys()];
    expect(await api.listAssignedAssets(customer.id)).toEqual([]);
    expect(await writes.assignAssets(customer.id, { assetIds: [a!, b!] })).toEqual([
      { assetId: a, customerId: customer.id },
      { assetId: b, customerId: customer.id },
    ]);
    // Add-only: b is kept, a repeat is a no-op.
    const after = await writes.assignAssets(customer.id, { assetIds: [c!, b!], unassignAssetIds: [a!] });
    expect(after.map((x) => x.assetId)).toEqual([b, c]);
    expect((await api.listAssignedAssets(customer.id)).map((x) => x.assetId)).toEqual([b, c]);
    for (const x of after) expect(shapeMismatches(customerAssetSchema, x)).toEqual([]);

    const bad = await rejection(writes.assignAssets(customer.id, { assetIds: ['00000000-0000-4000-8000-000000000000'] }));
    expect([bad.status, bad.violations.map((v) => v.field)]).toEqual([400, ['assetIds[0]']]);
    const unknown = await rejection(api.listAssignedAssets('00000000-0000-4000-8000-000000000000'));
    expect([unknown.status, unknown.apiCode]).toEqual([404, 'customer_not_found']);
    await writes.remove(customer.id);
  });

  it('probe: the read matches its schema', async () => {
    expect(customersProbe).toMatchObject({ family: 'customers', entitlement: 'IrisX' });
    const body = (await customersProbe.read(client)) as { content: unknown[] };
    expect(body.content).toHaveLength(5);
    expect(shapeMismatches(customersProbe.schema, body)).toEqual([]);
    expect(shapeMismatches(customersProbe.schema, { content: [{ id: 'x' }] }).length).toBeGreaterThan(0);
  });
});

describe('customersApi on an account without IrisX', () => {
  it('answers ApiError 403 for reads and writes', async () => {
    const sandbox = await start({ features: { irisx: false } });
    const client = sandboxClient(sandbox);
    try {
      const api = customersApi(client);
      const writes = apiWrites(client).customers;
      for (const call of [() => api.list(), () => writes.create({ name: 'Nope' }), () => customersProbe.read(client)]) {
        const error = await rejection(call());
        expect(error.status).toBe(403);
        expect(error.apiCode).toBe('forbidden');
        expect(error.hint).toContain('IrisX');
      }
      expect([...sandbox.store.customers.values()].some((c) => c.name === 'Nope')).toBe(false);
    } finally {
      await client.close();
      await sandbox.close();
    }
  });
});
