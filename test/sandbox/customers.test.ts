import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, type SandboxHandle } from '../../src/sandbox/index.js';
import { authed, caller, start, v2Token } from './helpers.js';

const BASE = '/api/customer/v1/customers';
const ASSETS = '/api/asset/v1/assets';
const acme = (extra: Record<string, unknown> = {}) => ({
  name: 'Acme Construction A/S',
  type: 'CONTRACTOR',
  externalReference: 'CUST-1001',
  address: { streetAddress: 'Industrivej 1', zipCode: '8000', city: 'Aarhus', country: 'DK' },
  phoneNumber: '+4512345678',
  email: 'orders@acme.example',
  website: 'https://acme.example',
  ...extra,
});
const fields = (body: { violations: Array<{ field: string }> }) => body.violations.map((v) => v.field).sort();

describe('Customer API', () => {
  let sandbox: SandboxHandle;
  let call: Awaited<ReturnType<typeof authed>>;
  const clock = new FakeClock('2026-03-01T12:00:00Z');

  beforeAll(async () => {
    sandbox = await start({ seed: 'demo', clock });
    call = await authed(sandbox);
  });
  afterAll(() => sandbox.close());

  it('creates a customer (201), gets it, and lists it with filters', async () => {
    const res = await call('POST', BASE, acme());
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ...acme(),
      createdAt: '2026-03-01T12:00:00.000Z',
      updatedAt: '2026-03-01T12:00:00.000Z',
    });
    const got = await call('GET', `${BASE}/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);

    const other = await call('POST', BASE, { name: 'Beta Dealer', type: 'DEALER', externalReference: 'CUST-2002' });
    expect(other.status).toBe(201);
    const names = (r: { body: { content: Array<{ name: string }> } }) => r.body.content.map((c) => c.name);
    // The demo seed holds one hand-made "Walk-in customer".
    expect(names(await call('GET', `${BASE}?sort=name`))).toEqual(['Acme Construction A/S', 'Beta Dealer', 'Walk-in customer']);
    expect(names(await call('GET', `${BASE}?type=DEALER`))).toEqual(['Beta Dealer']);
    expect(names(await call('GET', `${BASE}?type=DEALER&type=CONTRACTOR&sort=-name`))).toEqual(['Beta Dealer', 'Acme Construction A/S']);
    expect(names(await call('GET', `${BASE}?externalReference=CUST-1001`))).toEqual(['Acme Construction A/S']);
    expect(names(await call('GET', `${BASE}?externalReference=CUST-10`))).toEqual([]);
    expect(names(await call('GET', `${BASE}?name=ACME`))).toEqual(['Acme Construction A/S']);
    expect(names(await call('GET', `${BASE}?ids=${res.body.id},${other.body.id}&sort=-name`))).toEqual(['Beta Dealer', 'Acme Construction A/S']);
  });

  it('defaults type to OTHER and optional fields to null', async () => {
    const res = await call('POST', BASE, { name: 'Minimal' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Minimal', type: 'OTHER', externalReference: null, address: null, phoneNumber: null, email: null, website: null });
  });

  it('rejects invalid bodies with every violation at once', async () => {
    const res = await call('POST', BASE, { name: '', type: 'FRIEND', email: 'not-an-email', address: { city: 42 }, website: 7 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('constraint_violation');
    expect(fields(res.body)).toEqual(['address.city', 'email', 'name', 'type', 'website']);
    expect(res.body.violations.find((v: { field: string }) => v.field === 'name').message).toBe("value '' was rejected: must not be empty");
    const missing = await call('POST', BASE, { type: 'OEM' });
    expect(missing.status).toBe(400);
    expect(missing.body.violations).toEqual([{ field: 'name', message: "value '' was rejected: must not be null" }]);
    const notObject = await call('POST', BASE, ['x']);
    expect(notObject.status).toBe(400);
    expect(notObject.body.code).toBe('constraint_violation');
  });

  it('keeps externalReference unique per account on create and update', async () => {
    const a = await call('POST', BASE, { name: 'Unique A', externalReference: 'UNIQ-1' });
    const b = await call('POST', BASE, { name: 'Unique B', externalReference: 'UNIQ-2' });
    const dup = await call('POST', BASE, { name: 'Unique C', externalReference: 'UNIQ-1' });
    expect(dup.status).toBe(400);
    expect(dup.body.code).toBe('external_reference_already_exists');
    expect(dup.body.violations).toEqual([{ field: 'externalReference', message: expect.stringContaining("value 'UNIQ-1' was rejected") }]);
    const patchDup = await call('PATCH', `${BASE}/${b.body.id}`, { externalReference: 'UNIQ-1' });
    expect(patchDup.status).toBe(400);
    expect(patchDup.body.code).toBe('external_reference_already_exists');
    // Re-sending its own reference is not a conflict.
    const same = await call('PATCH', `${BASE}/${a.body.id}`, { externalReference: 'UNIQ-1', name: 'Unique A2' });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ name: 'Unique A2', externalReference: 'UNIQ-1' });
  });

  it('patches only the fields sent (200) and refuses a null name', async () => {
    const a = await call('POST', BASE, acme({ externalReference: 'PATCH-1' }));
    clock.advance(60_000);
    const res = await call('PATCH', `${BASE}/${a.body.id}`, { type: 'RENTAL', phoneNumber: null, address: { city: 'Vejle' }, unknownField: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ...a.body,
      type: 'RENTAL',
      phoneNumber: null,
      address: { streetAddress: null, zipCode: null, city: 'Vejle', country: null },
      updatedAt: '2026-03-01T12:01:00.000Z',
    });
    const bad = await call('PATCH', `${BASE}/${a.body.id}`, { name: null, email: 'x@' });
    expect(bad.status).toBe(400);
    expect(fields(bad.body)).toEqual(['email', 'name']);
    expect((await call('GET', `${BASE}/${a.body.id}`)).body.name).toBe('Acme Construction A/S');
  });

  it('answers 404 customer_not_found for unknown customers', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const got = await call('GET', `${BASE}/${id}`);
    expect(got.status).toBe(404);
    expect(got.body).toEqual({ status: 404, code: 'customer_not_found', message: `Customer ${id} not found` });
    expect((await call('PATCH', `${BASE}/${id}`, { name: 'x' })).status).toBe(404);
    expect((await call('DELETE', `${BASE}/${id}`)).body.code).toBe('customer_not_found');
    expect((await call('GET', `${BASE}/${id}/contacts`)).body.code).toBe('customer_not_found');
    expect((await call('POST', `${BASE}/${id}/assets`, { assetIds: [] })).body.code).toBe('customer_not_found');
  });

  it('manages contacts: create 201, list, get, patch 200, delete 204, 404 contact_not_found', async () => {
    const customer = await call('POST', BASE, { name: 'Contacts Co' });
    const contacts = `${BASE}/${customer.body.id}/contacts`;
    const jane = await call('POST', contacts, { name: 'Jane Doe', email: 'jane@contacts.example', title: 'Site manager' });
    expect(jane.status).toBe(201);
    expect(jane.body).toEqual({ id: expect.any(String), customerId: customer.body.id, name: 'Jane Doe', email: 'jane@contacts.example', phoneNumber: null, title: 'Site manager' });
    const desk = await call('POST', contacts, { name: 'Call centre', phoneNumber: '+4570000000' });
    expect(desk.status).toBe(201);
    const invalid = await call('POST', contacts, { name: ' ', email: 'nope' });
    expect(invalid.status).toBe(400);
    expect(fields(invalid.body)).toEqual(['email', 'name']);

    const list = await call('GET', `${contacts}?sort=name`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ totalElements: 2, totalPages: 1, number: 0, size: 20, numberOfElements: 2 });
    expect(list.body.content.map((c: { name: string }) => c.name)).toEqual(['Call centre', 'Jane Doe']);
    const byId = await call('GET', `${contacts}?ids=${desk.body.id}`);
    expect(byId.body.content).toEqual([desk.body]);

    expect((await call('GET', `${contacts}/${jane.body.id}`)).body).toEqual(jane.body);
    const patched = await call('PATCH', `${contacts}/${jane.body.id}`, { title: null, phoneNumber: '+4511111111' });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ ...jane.body, title: null, phoneNumber: '+4511111111' });

    // A contact is only found under its own customer.
    const elsewhere = await call('POST', BASE, { name: 'Someone else' });
    const wrong = await call('GET', `${BASE}/${elsewhere.body.id}/contacts/${jane.body.id}`);
    expect(wrong.status).toBe(404);
    expect(wrong.body.code).toBe('contact_not_found');

    expect((await call('DELETE', `${contacts}/${jane.body.id}`)).status).toBe(204);
    const gone = await call('GET', `${contacts}/${jane.body.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe('contact_not_found');
    expect((await call('GET', contacts)).body.totalElements).toBe(1);
  });

  it('assigns assets add-only, unassigns, validates ids, and pages the list', async () => {
    const customer = await call('POST', BASE, { name: 'Assigned Co' });
    const url = `${BASE}/${customer.body.id}/assets`;
    const assets = (await call('GET', `${ASSETS}?size=4`)).body.content.map((a: { id: string }) => a.id) as string[];
    const [a, b, c, d] = assets as [string, string, string, string];
    const empty = await call('GET', url);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ totalElements: 0, numberOfElements: 0, content: [] });

    const first = await call('POST', url, { assetIds: [a, b] });
    expect(first.status).toBe(200);
    expect(first.body.content).toEqual([{ assetId: a, customerId: customer.body.id }, { assetId: b, customerId: customer.body.id }]);
    const second = await call('POST', url, { assetIds: [b, c] });
    expect(second.body.content.map((x: { assetId: string }) => x.assetId)).toEqual([a, b, c]);
    const third = await call('POST', url, { assetIds: [d], unassignAssetIds: [a] });
    expect(third.body.content.map((x: { assetId: string }) => x.assetId)).toEqual([b, c, d]);

    const unknown = '00000000-0000-4000-8000-000000000001';
    const bad = await call('POST', url, { assetIds: [a, unknown], unassignAssetIds: [42] });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('constraint_violation');
    expect(bad.body.violations).toEqual([
      { field: 'assetIds[1]', message: `value '${unknown}' was rejected: asset not found` },
      { field: 'unassignAssetIds[0]', message: "value '42' was rejected: must be a string (asset id)" },
    ]);
    expect((await call('POST', url, {})).status).toBe(400);
    expect((await call('GET', url)).body.totalElements).toBe(3); // nothing changed by rejected requests

    const page = await call('GET', `${url}?size=2&page=1`);
    expect(page.body).toMatchObject({ totalElements: 3, totalPages: 2, number: 1, size: 2, numberOfElements: 1 });
    expect(page.body.content).toEqual([{ assetId: d, customerId: customer.body.id }]);
  });

  it('deletes a customer (204) together with its contacts and asset assignments', async () => {
    const customer = await call('POST', BASE, { name: 'Doomed', externalReference: 'DOOMED-1' });
    const id = customer.body.id as string;
    await call('POST', `${BASE}/${id}/contacts`, { name: 'Doomed contact' });
    const asset = (await call('GET', `${ASSETS}?size=1`)).body.content[0].id as string;
    await call('POST', `${BASE}/${id}/assets`, { assetIds: [asset] });
    expect(sandbox.store.customerAssets.some((x) => x.customerId === id)).toBe(true);

    const del = await call('DELETE', `${BASE}/${id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await call('GET', `${BASE}/${id}`)).status).toBe(404);
    expect([...sandbox.store.contacts.values()].some((x) => x.customerId === id)).toBe(false);
    expect(sandbox.store.customerAssets.some((x) => x.customerId === id)).toBe(false);
    expect((await call('DELETE', `${BASE}/${id}`)).status).toBe(404);
    // Its externalReference is free again.
    expect((await call('POST', BASE, { name: 'Reborn', externalReference: 'DOOMED-1' })).status).toBe(201);
  });

  it('enforces v2 scopes: asset.view may not write or read customers; account.customer.manage may', async () => {
    const assetViewer = caller(sandbox, await v2Token(sandbox, ['asset.view']));
    const write = await assetViewer('POST', BASE, { name: 'Scoped' });
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ status: 403, code: 'forbidden' });
    expect((await assetViewer('GET', BASE)).status).toBe(403);
    expect((await assetViewer('GET', ASSETS)).status).toBe(200);

    const viewer = caller(sandbox, await v2Token(sandbox, ['account.view']));
    expect((await viewer('GET', BASE)).status).toBe(200);
    expect((await viewer('POST', BASE, { name: 'Scoped' })).status).toBe(403);

    const manager = caller(sandbox, await v2Token(sandbox, ['account.customer.manage']));
    const made = await manager('POST', BASE, { name: 'Scoped' });
    expect(made.status).toBe(201);
    expect((await manager('POST', `${BASE}/${made.body.id}/contacts`, { name: 'Scoped contact' })).status).toBe(201);
  });
});

describe('Customer API without IrisX', () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    sandbox = await start({ seed: 'demo', features: { irisx: false } });
  });
  afterAll(() => sandbox.close());

  it('answers 403 on every customer operation while the Assets API still works', async () => {
    const call = await authed(sandbox);
    const list = await call('GET', BASE);
    expect(list.status).toBe(403);
    expect(list.body).toMatchObject({ status: 403, code: 'forbidden' });
    expect((await call('POST', BASE, { name: 'No IrisX' })).status).toBe(403);
    const walkIn = [...sandbox.store.customers.values()][0]!;
    expect((await call('GET', `${BASE}/${walkIn.id}/contacts`)).status).toBe(403);
    expect(sandbox.store.customers.size).toBe(1);
    const assets = await call('GET', ASSETS);
    expect(assets.status).toBe(200);
    expect(assets.body.totalElements).toBe(32);
  });
});

describe('Customer API pagination', () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    sandbox = await start({ seed: 'empty', customers: 2500 });
  });
  afterAll(() => sandbox.close());

  it('pages 2500 customers at size 1000: 3 pages, 500 on the last, empty past the end', async () => {
    const call = await authed(sandbox);
    const first = await call('GET', `${BASE}?size=1000`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ totalPages: 3, totalElements: 2500, number: 0, size: 1000, numberOfElements: 1000 });
    expect(first.body.content[0].name).toBe('Generated Customer 1 ApS');
    const last = await call('GET', `${BASE}?size=1000&page=2`);
    expect(last.body).toMatchObject({ totalPages: 3, number: 2, numberOfElements: 500 });
    expect(last.body.content).toHaveLength(500);
    expect(last.body.content[499].name).toBe('Generated Customer 2500 ApS');
    const past = await call('GET', `${BASE}?size=1000&page=3`);
    expect(past.status).toBe(200);
    expect(past.body).toMatchObject({ totalPages: 3, totalElements: 2500, number: 3, numberOfElements: 0, content: [] });

    const defaults = await call('GET', BASE);
    expect(defaults.body).toMatchObject({ size: 20, totalPages: 125, numberOfElements: 20 });

    const tooBig = await call('GET', `${BASE}?size=1001`);
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.code).toBe('constraint_violation');
    expect(tooBig.body.violations.map((v: { field: string }) => v.field)).toEqual(['size']);
    const badSort = await call('GET', `${BASE}?sort=phoneNumber`);
    expect(badSort.status).toBe(400);
    expect(badSort.body.violations[0].field).toBe('sort');
  });
});
