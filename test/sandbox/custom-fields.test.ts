import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, type SandboxHandle } from '../../src/sandbox/index.js';
import { authed, caller, start, v2Token } from './helpers.js';

const DEFS = '/api/custom-fields/v1/definitions';
const VALUES = '/api/custom-fields/v1/values';
type Call = Awaited<ReturnType<typeof authed>>;

const fields = (res: { body: { violations?: Array<{ field: string }> } }) => (res.body.violations ?? []).map((v) => v.field).sort();

describe('Custom Fields API — definitions', () => {
  let sandbox: SandboxHandle;
  let call: Call;
  let assets: string[];
  const clock = new FakeClock('2026-03-01T12:00:00Z');

  beforeAll(async () => {
    sandbox = await start({ seed: 'demo', clock });
    call = await authed(sandbox);
    assets = [...sandbox.store.assets.values()].filter((a) => a.owned).map((a) => a.id);
  });
  afterAll(() => sandbox.close());

  /** Create a definition (expects 201) and return its id. */
  async function define(body: Record<string, unknown>): Promise<string> {
    const res = await call('POST', DEFS, { entityType: 'ASSET', title: 'Field', ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  }

  async function setValue(definitionId: string, entityId: string, value: Record<string, unknown>): Promise<string> {
    const res = await call('POST', VALUES, { definitionId, entityId, value });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  }

  /** The stored value of one definition on one asset, via the discovery listing. */
  async function valueOn(entityId: string, definitionId: string) {
    const res = await call('GET', `${VALUES}?entityId=${entityId}&entityType=ASSET&size=1000`);
    expect(res.status).toBe(200);
    return res.body.content.find((i: { definition: { id: string } }) => i.definition.id === definitionId).value;
  }

  it('lists the Trackunit-owned standard definitions with filters and paging; size 1001 → 400', async () => {
    const res = await call('GET', `${DEFS}?entityType=ASSET&sort=key`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ number: 0, size: 20, totalElements: 8, numberOfElements: 8 });
    expect(res.body.content.every((d: { owner: string }) => d.owner === 'TRACKUNIT')).toBe(true);
    expect(res.body.content[0].key).toBe('billingReference');
    const plate = await call('GET', `${DEFS}?key=licensePlate`);
    expect(plate.body.content).toHaveLength(1);
    expect(plate.body.content[0]).toMatchObject({ key: 'licensePlate', type: 'STRING', entityType: 'ASSET', title: 'License plate' });
    expect((await call('GET', `${DEFS}?entityType=SITE`)).body.totalElements).toBe(0);
    const page = await call('GET', `${DEFS}?size=3&page=2`);
    expect(page.body).toMatchObject({ totalPages: 3, number: 2, numberOfElements: 2 });
    const tooBig = await call('GET', `${DEFS}?size=1001`);
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.code).toBe('constraint_violation');
    expect(fields(tooBig)).toEqual(['size']);
  });

  it('creates a definition (201) owned by the account, in the full wire shape, and lists it', async () => {
    const res = await call('POST', DEFS, {
      key: 'costCentre', entityType: 'ASSET', type: 'STRING', title: 'Cost centre', maximumLength: 20, pattern: '[A-Z0-9-]+', owner: 'TRACKUNIT',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/), key: 'costCentre', entityType: 'ASSET', type: 'STRING', owner: 'ACCOUNT',
      title: 'Cost centre', description: null, translations: [], uiVisible: true, uiEditable: true, scopeType: 'ACCOUNT',
      minimum: null, maximum: null, unitSi: null, unitUs: null, isInteger: null, minimumLength: null, maximumLength: 20,
      pattern: '[A-Z0-9-]+', allValues: null, multiSelect: null, currency: null,
      createdAt: '2026-03-01T12:00:00.000Z', updatedAt: '2026-03-01T12:00:00.000Z',
    });
    const listed = await call('GET', `${DEFS}?key=costCentre`);
    expect(listed.body.content).toEqual([res.body]);
  });

  it('defaults multiSelect/isInteger and resolves the title from translations', async () => {
    const res = await call('POST', DEFS, {
      key: 'colour', entityType: 'SITE', type: 'DROPDOWN', allValues: ['Red', 'Green'],
      translations: [{ language: 'da', title: 'Farve' }, { language: 'en', title: 'Colour', description: 'Paint' }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ title: 'Colour', description: 'Paint', multiSelect: false, isInteger: null, allValues: ['Red', 'Green'] });
    expect(res.body.translations).toEqual([{ language: 'da', title: 'Farve', description: null }, { language: 'en', title: 'Colour', description: 'Paint' }]);
    const num = await call('POST', DEFS, { key: 'seats', entityType: 'ASSET', type: 'NUMBER', title: 'Seats' });
    expect(num.body).toMatchObject({ isInteger: false, multiSelect: null });
  });

  it('rejects invalid definitions with every violation at once', async () => {
    const missing = await call('POST', DEFS, { description: 'x' });
    expect(missing.status).toBe(400);
    expect(fields(missing)).toEqual(['entityType', 'type']);
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ type: 'STRING' }, ['title']],
      [{ type: 'DROPDOWN' }, ['allValues']],
      [{ type: 'DROPDOWN', allValues: [] }, ['allValues']],
      [{ type: 'DROPDOWN', allValues: ['A', 'A'] }, ['allValues']],
      [{ type: 'MONETARY' }, ['currency']],
      [{ type: 'MONETARY', currency: 'eur' }, ['currency']],
      [{ type: 'NUMBER', isInteger: true, unitSi: 'kg' }, ['isInteger']],
      [{ type: 'NUMBER', minimum: 10, maximum: 1 }, ['minimum']],
      [{ type: 'STRING', minimumLength: 5, maximumLength: 2 }, ['minimumLength']],
      [{ type: 'STRING', pattern: '([a-z' }, ['pattern']],
      [{ type: 'STRING', allValues: ['A'], currency: 'EUR', minimum: 1 }, ['allValues', 'currency', 'minimum']],
      [{ type: 'BOOLEAN', key: 'has space' }, ['key']],
      [{ type: 'COLOUR' }, ['type']],
      [{ type: 'DATE', entityType: 'TRUCK' }, ['entityType']],
      [{ type: 'DATE', translations: [{ language: 'english' }] }, ['translations[0].language', 'translations[0].title']],
    ];
    for (const [body, expected] of cases) {
      const res = await call('POST', DEFS, { entityType: 'ASSET', title: 'T', ...body, ...(expected.includes('title') ? { title: undefined } : {}) });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('constraint_violation');
      expect(fields(res), JSON.stringify(body)).toEqual(expected);
    }
    // A type-irrelevant field sent as null is an echoed wire shape, not an error.
    expect((await call('POST', DEFS, { entityType: 'ASSET', type: 'BOOLEAN', title: 'Ok', allValues: null, currency: null })).status).toBe(201);
  });

  it('keeps keys unique in the account, standard keys included', async () => {
    await define({ key: 'uniqueOne', type: 'BOOLEAN' });
    for (const key of ['uniqueOne', 'licensePlate']) {
      const dup = await call('POST', DEFS, { key, entityType: 'SITE', type: 'BOOLEAN', title: 'Dup' });
      expect(dup.status).toBe(400);
      expect(dup.body).toMatchObject({ status: 400, code: 'definition_key_already_exists' });
    }
  });

  it('PATCH changes only the fields sent; type and key are immutable', async () => {
    const id = await define({ key: 'patchMe', type: 'STRING', description: 'before' });
    clock.advance(60_000);
    const res = await call('PATCH', `${DEFS}/${id}`, { title: 'Renamed', uiVisible: false, key: 'patchMe', type: 'STRING' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: 'Renamed', description: 'before', uiVisible: false, uiEditable: true, updatedAt: '2026-03-01T12:01:00.000Z' });
    expect(res.body.createdAt).toBe('2026-03-01T12:00:00.000Z');
    const type = await call('PATCH', `${DEFS}/${id}`, { type: 'NUMBER' });
    expect(type.status).toBe(400);
    expect(type.body.code).toBe('type_immutable');
    const key = await call('PATCH', `${DEFS}/${id}`, { key: 'other' });
    expect(key.status).toBe(400);
    expect(key.body.code).toBe('key_immutable');
    const entity = await call('PATCH', `${DEFS}/${id}`, { entityType: 'SITE' });
    expect(entity.body.code).toBe('entity_type_immutable');
    const wrongField = await call('PATCH', `${DEFS}/${id}`, { allValues: ['A'] });
    expect(fields(wrongField)).toEqual(['allValues']);
    const noTitle = await call('PATCH', `${DEFS}/${id}`, { title: null });
    expect(fields(noTitle)).toEqual(['title']);
    expect((await call('PATCH', `${DEFS}/00000000-0000-4000-8000-000000000000`, { title: 'x' })).body.code).toBe('definition_not_found');
  });

  it('refuses to change or delete Trackunit-owned definitions (403) and deletes own ones with their values (204)', async () => {
    const plate = (await call('GET', `${DEFS}?key=licensePlate`)).body.content[0];
    const patch = await call('PATCH', `${DEFS}/${plate.id}`, { title: 'Mine now' });
    expect(patch.status).toBe(403);
    expect(patch.body.code).toBe('forbidden');
    expect((await call('DELETE', `${DEFS}/${plate.id}`)).status).toBe(403);
    const id = await define({ key: 'shortLived', type: 'BOOLEAN' });
    const valueId = await setValue(id, assets[0] as string, { booleanValue: true });
    expect((await call('DELETE', `${DEFS}/${id}`)).status).toBe(204);
    expect(sandbox.store.values.has(valueId)).toBe(false);
    expect((await call('GET', `${DEFS}?key=shortLived`)).body.totalElements).toBe(0);
    const again = await call('DELETE', `${DEFS}/${id}`);
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('definition_not_found');
  });

  it('dropdown: removed options need a remaining replacement; values get it', async () => {
    const id = await define({ key: 'grade', type: 'DROPDOWN', allValues: ['A', 'B', 'C'] });
    const [a1, a2] = assets as [string, string];
    await setValue(id, a1, { stringValue: 'A' });
    await setValue(id, a2, { stringValue: 'B' });
    const missing = await call('PATCH', `${DEFS}/${id}`, { allValues: ['B', 'C'] });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('missing_value_replacement');
    const notRemaining = await call('PATCH', `${DEFS}/${id}`, { allValues: ['B', 'C'], valueReplacements: { A: 'Z' } });
    expect(notRemaining.body.code).toBe('missing_value_replacement');
    const stays = await call('PATCH', `${DEFS}/${id}`, { allValues: ['B', 'C'], valueReplacements: { A: 'B', C: 'B' } });
    expect(fields(stays)).toEqual(['valueReplacements.C']);
    expect(await valueOn(a1, id)).toMatchObject({ value: { stringValue: 'A' } }); // nothing applied yet
    const res = await call('PATCH', `${DEFS}/${id}`, { allValues: ['B', 'C'], valueReplacements: { A: 'B' } });
    expect(res.status).toBe(200);
    expect(res.body.allValues).toEqual(['B', 'C']);
    expect(res.body).not.toHaveProperty('valueReplacements');
    expect(await valueOn(a1, id)).toMatchObject({ value: { stringValue: 'B' }, lastIncompatibleValue: { stringValue: 'A' } });
    expect(await valueOn(a2, id)).toMatchObject({ value: { stringValue: 'B' }, lastIncompatibleValue: null });
  });

  it('multi-select: replacement de-duplicates; multi→single clears values with several options', async () => {
    const id = await define({ key: 'uses', type: 'DROPDOWN', multiSelect: true, allValues: ['A', 'B', 'C'] });
    const [a1, a2, a3] = assets as [string, string, string];
    await setValue(id, a1, { stringArrayValue: ['A', 'B'] });
    await setValue(id, a2, { stringArrayValue: ['A', 'C'] });
    await setValue(id, a3, { stringArrayValue: ['C'] });
    expect((await call('PATCH', `${DEFS}/${id}`, { allValues: ['B', 'C'], valueReplacements: { A: 'B' } })).status).toBe(200);
    expect(await valueOn(a1, id)).toMatchObject({ value: { stringArrayValue: ['B'] }, lastIncompatibleValue: { stringArrayValue: ['A', 'B'] } });
    expect(await valueOn(a2, id)).toMatchObject({ value: { stringArrayValue: ['B', 'C'] }, lastIncompatibleValue: { stringArrayValue: ['A', 'C'] } });
    expect(await valueOn(a3, id)).toMatchObject({ value: { stringArrayValue: ['C'] }, lastIncompatibleValue: null });
    const single = await call('PATCH', `${DEFS}/${id}`, { multiSelect: false });
    expect(single.status).toBe(200);
    expect(single.body.multiSelect).toBe(false);
    expect(await valueOn(a1, id)).toMatchObject({ value: { stringValue: 'B' }, lastIncompatibleValue: { stringArrayValue: ['A', 'B'] } });
    expect(await valueOn(a2, id)).toMatchObject({ value: null, lastIncompatibleValue: { stringArrayValue: ['B', 'C'] } });
    expect(await valueOn(a3, id)).toMatchObject({ value: { stringValue: 'C' }, lastIncompatibleValue: null });
  });

  it('number: values outside a new min/max become null and keep lastIncompatibleValue', async () => {
    const id = await define({ key: 'weight', type: 'NUMBER', unitSi: 'kg' });
    const [a1, a2, a3] = assets as [string, string, string];
    await setValue(id, a1, { numberValue: 5 });
    await setValue(id, a2, { numberValue: 50 });
    await setValue(id, a3, { numberValue: 500 });
    const res = await call('PATCH', `${DEFS}/${id}`, { minimum: 10, maximum: 100 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ minimum: 10, maximum: 100 });
    expect(await valueOn(a1, id)).toMatchObject({ value: null, lastIncompatibleValue: { numberValue: 5 } });
    expect(await valueOn(a2, id)).toMatchObject({ value: { numberValue: 50 }, lastIncompatibleValue: null });
    expect(await valueOn(a3, id)).toMatchObject({ value: null, lastIncompatibleValue: { numberValue: 500 } });
  });

  it('string: a new maximum length truncates; a new pattern leaves data alone', async () => {
    const id = await define({ key: 'note', type: 'STRING' });
    const [a1, a2] = assets as [string, string];
    await setValue(id, a1, { stringValue: 'abcdefghij' });
    await setValue(id, a2, { stringValue: 'abc' });
    expect((await call('PATCH', `${DEFS}/${id}`, { maximumLength: 4 })).status).toBe(200);
    expect(await valueOn(a1, id)).toMatchObject({ value: { stringValue: 'abcd' }, lastIncompatibleValue: { stringValue: 'abcdefghij' } });
    expect(await valueOn(a2, id)).toMatchObject({ value: { stringValue: 'abc' }, lastIncompatibleValue: null });
    const pattern = await call('PATCH', `${DEFS}/${id}`, { pattern: '[0-9]+' });
    expect(pattern.status).toBe(200);
    expect(await valueOn(a1, id)).toMatchObject({ value: { stringValue: 'abcd' } });
  });

  it('v2 keys: reads with account.view, writes need account.custom-fields.manage', async () => {
    const viewer = caller(sandbox, await v2Token(sandbox, ['account.view']));
    expect((await viewer('GET', DEFS)).status).toBe(200);
    const denied = await viewer('POST', DEFS, { entityType: 'ASSET', type: 'BOOLEAN', title: 'No' });
    expect(denied.status).toBe(403);
    const manager = caller(sandbox, await v2Token(sandbox, ['account.custom-fields.manage']));
    expect((await manager('POST', DEFS, { entityType: 'ASSET', type: 'BOOLEAN', title: 'Yes' })).status).toBe(201);
  });
});

describe('Custom Fields API — definitions without IrisX', () => {
  let sandbox: SandboxHandle;
  let call: Call;

  beforeAll(async () => {
    sandbox = await start({ seed: 'empty', features: { irisx: false } });
    call = await authed(sandbox);
  });
  afterAll(() => sandbox.close());

  it('forbids definition writes (403) but serves reads', async () => {
    const list = await call('GET', DEFS);
    expect(list.status).toBe(200);
    expect(list.body.totalElements).toBe(8);
    const create = await call('POST', DEFS, { entityType: 'ASSET', type: 'BOOLEAN', title: 'Nope' });
    expect(create.status).toBe(403);
    expect(create.body).toMatchObject({ status: 403, code: 'forbidden' });
    const id = list.body.content[0].id as string;
    expect((await call('PATCH', `${DEFS}/${id}`, { title: 'x' })).status).toBe(403);
    expect((await call('DELETE', `${DEFS}/${id}`)).status).toBe(403);
    expect(sandbox.store.definitions.size).toBe(8);
  });
});
