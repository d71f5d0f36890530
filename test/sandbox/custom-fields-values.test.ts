import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { authed, caller, start, v2Token } from './helpers.js';

const DEFS = '/api/custom-fields/v1/definitions';
const VALUES = '/api/custom-fields/v1/values';
const SET = '/api/custom-fields/v1/set-values/';
type Call = Awaited<ReturnType<typeof authed>>;

const fields = (res: { body: { violations?: Array<{ field: string }> } }) => (res.body.violations ?? []).map((v) => v.field).sort();

/** Per type: a definition body, a good value, a bad value and the violation field of the bad one. */
const TYPES: Array<{ key: string; def: Record<string, unknown>; good: Record<string, unknown>; bad: Record<string, unknown>; badField: string }> = [
  { key: 'tBoolean', def: { type: 'BOOLEAN' }, good: { booleanValue: false }, bad: { booleanValue: 'yes' }, badField: 'value.booleanValue' },
  { key: 'tDate', def: { type: 'DATE' }, good: { dateValue: '2026-06-30' }, bad: { dateValue: '30/06/2026' }, badField: 'value.dateValue' },
  { key: 'tDropdown', def: { type: 'DROPDOWN', allValues: ['Diesel', 'HVO100'] }, good: { stringValue: 'HVO100' }, bad: { stringValue: 'Coal' }, badField: 'value.stringValue' },
  { key: 'tMulti', def: { type: 'DROPDOWN', multiSelect: true, allValues: ['A', 'B'] }, good: { stringArrayValue: ['A', 'B'] }, bad: { stringArrayValue: ['A', 'X'] }, badField: 'value.stringArrayValue' },
  { key: 'tEmail', def: { type: 'EMAIL' }, good: { stringValue: 'ops@rental.example' }, bad: { stringValue: 'ops at rental' }, badField: 'value.stringValue' },
  { key: 'tNumber', def: { type: 'NUMBER', minimum: 0, maximum: 10, isInteger: true }, good: { numberValue: 7 }, bad: { numberValue: 7.5 }, badField: 'value.numberValue' },
  { key: 'tRange', def: { type: 'NUMBER', minimum: 0, maximum: 10 }, good: { numberValue: 10 }, bad: { numberValue: 11 }, badField: 'value.numberValue' },
  { key: 'tPhone', def: { type: 'PHONE_NUMBER' }, good: { stringValue: '+4512345678' }, bad: { stringValue: '12 34 56 78' }, badField: 'value.stringValue' },
  { key: 'tString', def: { type: 'STRING', minimumLength: 2, maximumLength: 6, pattern: '[A-Z]+' }, good: { stringValue: 'ABC' }, bad: { stringValue: 'abc' }, badField: 'value.stringValue' },
  { key: 'tLength', def: { type: 'STRING', maximumLength: 3 }, good: { stringValue: 'abc' }, bad: { stringValue: 'abcd' }, badField: 'value.stringValue' },
  { key: 'tWeb', def: { type: 'WEB_ADDRESS' }, good: { stringValue: 'https://rental.example/x' }, bad: { stringValue: 'ftp://rental.example' }, badField: 'value.stringValue' },
  { key: 'tJson', def: { type: 'JSON' }, good: { jsonValue: { a: [1, 2] } }, bad: { stringValue: '{}' }, badField: 'value.jsonValue' },
  { key: 'tMoney', def: { type: 'MONETARY', currency: 'EUR', minimum: 0 }, good: { monetaryValue: { amount: 99.5, currency: 'EUR' } }, bad: { monetaryValue: { amount: 5, currency: 'DKK' } }, badField: 'value.monetaryValue.currency' },
  { key: 'tMoneyRange', def: { type: 'MONETARY', currency: 'EUR', minimum: 0 }, good: { monetaryValue: { amount: 0, currency: 'EUR' } }, bad: { monetaryValue: { amount: -1, currency: 'EUR' } }, badField: 'value.monetaryValue.amount' },
];

describe('Custom Fields API — values', () => {
  let sandbox: SandboxHandle;
  let call: Call;
  let asset: string;
  let asset2: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    sandbox = await start({ seed: 'demo' });
    call = await authed(sandbox);
    [asset, asset2] = [...sandbox.store.assets.keys()] as [string, string];
    for (const t of TYPES) {
      const res = await call('POST', DEFS, { key: t.key, entityType: 'ASSET', title: t.key, ...t.def });
      if (res.status !== 201) throw new Error(`${t.key}: ${res.text}`);
      ids[t.key] = res.body.id;
    }
  });
  afterAll(() => sandbox.close());

  it('GET values discovers every field of the entity, standard fields with value null', async () => {
    const res = await call('GET', `${VALUES}?entityId=${asset2}&size=100`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalElements: 8 + TYPES.length, number: 0 });
    const plate = res.body.content.find((i: { definition: { key: string } }) => i.definition.key === 'licensePlate');
    expect(plate).toMatchObject({ definition: { owner: 'TRACKUNIT', type: 'STRING', entityType: 'ASSET' }, value: null });
    expect(res.body.content.every((i: { value: unknown }) => i.value === null)).toBe(true);
    const paged = await call('GET', `${VALUES}?entityId=${asset2}&entityType=ASSET&size=5&page=1`);
    expect(paged.body).toMatchObject({ size: 5, number: 1, numberOfElements: 5 });
    const tooBig = await call('GET', `${VALUES}?entityId=${asset2}&size=1001`);
    expect(tooBig.status).toBe(400);
    expect(fields(tooBig)).toEqual(['size']);
  });

  it('GET values: unknown or mistyped entity → 404 entity_not_found; missing entityId → 400', async () => {
    const unknown = await call('GET', `${VALUES}?entityId=00000000-0000-4000-8000-000000000001`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 404, code: 'entity_not_found' });
    const wrongType = await call('GET', `${VALUES}?entityId=${asset}&entityType=SITE`);
    expect(wrongType.status).toBe(404);
    expect(wrongType.body.code).toBe('entity_not_found');
    const missing = await call('GET', `${VALUES}?entityType=FLEET`);
    expect(missing.status).toBe(400);
    expect(fields(missing)).toEqual(['entityId', 'entityType']);
  });

  it.each(TYPES)('validates $key values against the definition (one good 201, one bad 400)', async (t) => {
    const bad = await call('POST', VALUES, { definitionId: ids[t.key], entityId: asset, value: t.bad });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('constraint_violation');
    expect(fields(bad)).toContain(t.badField);
    const good = await call('POST', VALUES, { definitionId: ids[t.key], entityId: asset, entityType: 'ASSET', value: t.good });
    expect(good.status, good.text).toBe(201);
    expect(good.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/), definitionId: ids[t.key], definitionKey: t.key, entityId: asset,
      entityType: 'ASSET', value: t.good, lastIncompatibleValue: null, valueEditable: true,
    });
  });

  it('rejects the wrong member, a missing value and a mismatched entity type', async () => {
    const asNumber = await call('POST', VALUES, { definitionId: ids.tEmail, entityId: asset2, value: { numberValue: 1 } });
    expect(fields(asNumber)).toEqual(['value.numberValue', 'value.stringValue']);
    const noValue = await call('POST', VALUES, { definitionId: ids.tEmail, entityId: asset2 });
    expect(fields(noValue)).toEqual(['value']);
    const wrongType = await call('POST', VALUES, { definitionId: ids.tEmail, entityId: asset2, entityType: 'SITE', value: { stringValue: 'a@b.dk' } });
    expect(fields(wrongType)).toEqual(['entityType']);
    const noDef = await call('POST', VALUES, { definitionId: '00000000-0000-4000-8000-000000000002', entityId: asset2, value: { stringValue: 'x' } });
    expect(noDef.status).toBe(400);
    expect(noDef.body.code).toBe('definition_not_found');
    const noEntity = await call('POST', VALUES, { definitionId: ids.tEmail, entityId: '00000000-0000-4000-8000-000000000003', value: { stringValue: 'a@b.dk' } });
    expect(noEntity.status).toBe(404);
    expect(noEntity.body.code).toBe('entity_not_found');
  });

  it('create, duplicate (400), update (200), delete (204), then 404', async () => {
    const created = await call('POST', VALUES, { definitionId: ids.tString, entityId: asset2, value: { stringValue: 'AB' } });
    expect(created.status).toBe(201);
    const dup = await call('POST', VALUES, { definitionId: ids.tString, entityId: asset2, value: { stringValue: 'CD' } });
    expect(dup.status).toBe(400);
    expect(dup.body.code).toBe('value_already_exists');
    const url = `${VALUES}/${created.body.id}`;
    const updated = await call('PATCH', url, { value: { stringValue: 'XYZ' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: created.body.id, value: { stringValue: 'XYZ' } });
    const invalid = await call('PATCH', url, { value: { stringValue: 'TOOLONGX' } });
    expect(invalid.status).toBe(400);
    expect(fields(invalid)).toEqual(['value.stringValue']);
    const listed = await call('GET', `${VALUES}?entityId=${asset2}&entityType=ASSET&size=100`);
    const item = listed.body.content.find((i: { definition: { key: string } }) => i.definition.key === 'tString');
    expect(item.value).toEqual(updated.body);
    expect((await call('DELETE', url)).status).toBe(204);
    const gone = await call('PATCH', url, { value: { stringValue: 'AB' } });
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe('value_not_found');
    expect((await call('DELETE', url)).status).toBe(404);
  });

  it('set-values upserts by key (and id) and null clears', async () => {
    const first = await call('POST', SET, {
      entityId: asset2, entityType: 'ASSET',
      values: [{ definitionKey: 'licensePlate', value: { stringValue: 'AB 12 345' } }, { definitionId: ids.tBoolean, value: { booleanValue: true } }],
    });
    expect(first.status, first.text).toBe(200);
    expect(first.body.entityId).toBe(asset2);
    const byKey = (res: { body: { values: Array<{ definitionKey: string }> } }, key: string) => res.body.values.find((v) => v.definitionKey === key);
    expect(byKey(first, 'licensePlate')).toMatchObject({ entityType: 'ASSET', value: { stringValue: 'AB 12 345' } });
    expect(byKey(first, 'tBoolean')).toMatchObject({ value: { booleanValue: true } });
    const plateId = (byKey(first, 'licensePlate') as unknown as { id: string }).id;
    const second = await call('POST', SET.slice(0, -1), {
      entityId: asset2,
      values: [{ definitionKey: 'licensePlate', value: { stringValue: 'CD 98 765' } }, { definitionKey: 'tBoolean', value: null }],
    });
    expect(second.status).toBe(200);
    expect(byKey(second, 'licensePlate')).toMatchObject({ id: plateId, value: { stringValue: 'CD 98 765' } });
    expect(byKey(second, 'tBoolean')).toBeUndefined();
    const discovered = await call('GET', `${VALUES}?entityId=${asset2}&size=100`);
    const boolItem = discovered.body.content.find((i: { definition: { key: string } }) => i.definition.key === 'tBoolean');
    expect(boolItem.value).toBeNull();
  });

  it('set-values is all-or-nothing: an unknown key or one bad value writes nothing', async () => {
    const before = sandbox.store.values.size;
    const unknown = await call('POST', SET, {
      entityId: asset2, entityType: 'ASSET',
      values: [{ definitionKey: 'engineModel', value: { stringValue: 'D24' } }, { definitionKey: 'noSuchField', value: { stringValue: 'x' } }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('definition_not_found');
    expect(unknown.body.message).toContain('noSuchField');
    const bad = await call('POST', SET, {
      entityId: asset2, entityType: 'ASSET',
      values: [{ definitionKey: 'engineModel', value: { stringValue: 'D24' } }, { definitionKey: 'tNumber', value: { numberValue: 99 } }],
    });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['values[1].value.numberValue']);
    const missing = await call('POST', SET, { entityId: asset2, values: [{ definitionKey: 'engineModel' }, { value: { stringValue: 'x' } }] });
    expect(fields(missing)).toEqual(['values[0].value', 'values[1].definitionKey']);
    expect(sandbox.store.values.size).toBe(before);
    const engine = await call('GET', `${VALUES}?entityId=${asset2}&size=100`);
    expect(engine.body.content.find((i: { definition: { key: string } }) => i.definition.key === 'engineModel').value).toBeNull();
  });

  it('values on sites, customers, the account and groups; definitions must match the entity type', async () => {
    const site = [...sandbox.store.sites.keys()][0] as string;
    const customer = [...sandbox.store.customers.keys()][0] as string;
    for (const [entityType, entityId] of [['SITE', site], ['CUSTOMER', customer], ['ACCOUNT', sandbox.store.account.id], ['GROUP', '5f0c4a52-1d2e-4b7a-9c1e-2f3a4b5c6d7e']] as const) {
      const def = await call('POST', DEFS, { key: `note${entityType}`, entityType, type: 'STRING', title: 'Note' });
      const set = await call('POST', SET, { entityId, entityType, values: [{ definitionKey: `note${entityType}`, value: { stringValue: entityType } }] });
      expect(set.status, set.text).toBe(200);
      expect(set.body.values).toEqual([expect.objectContaining({ definitionId: def.body.id, entityType, value: { stringValue: entityType } })]);
    }
    const groupWithoutType = await call('GET', `${VALUES}?entityId=5f0c4a52-1d2e-4b7a-9c1e-2f3a4b5c6d7e`);
    expect(groupWithoutType.status).toBe(404);
    const siteDiscovery = await call('GET', `${VALUES}?entityId=${site}`);
    expect(siteDiscovery.body.content.map((i: { definition: { key: string } }) => i.definition.key)).toEqual(['noteSITE']);
    const mismatch = await call('POST', SET, { entityId: site, entityType: 'SITE', values: [{ definitionKey: 'licensePlate', value: { stringValue: 'x' } }] });
    expect(mismatch.status).toBe(400);
    expect(fields(mismatch)).toEqual(['values[0].definitionKey']);
  });

  it('v2 keys: value writes need the scope of the entity type', async () => {
    const siteKey = caller(sandbox, await v2Token(sandbox, ['account.site.manage', 'asset.view']));
    expect((await siteKey('GET', `${VALUES}?entityId=${asset}`)).status).toBe(200);
    const denied = await siteKey('POST', SET, { entityId: asset, values: [{ definitionKey: 'engineModel', value: { stringValue: 'x' } }] });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('forbidden');
    const site = [...sandbox.store.sites.keys()][0] as string;
    const allowed = await siteKey('POST', SET, { entityId: site, values: [{ definitionKey: 'noteSITE', value: { stringValue: 'v2' } }] });
    expect(allowed.status).toBe(200);
    const assetKey = caller(sandbox, await v2Token(sandbox, ['account.asset.manage']));
    expect((await assetKey('GET', `${VALUES}?entityId=${asset}`)).status).toBe(403);
    expect((await assetKey('POST', SET, { entityId: asset, values: [{ definitionKey: 'engineModel', value: { stringValue: 'D24' } }] })).status).toBe(200);
  });
});
