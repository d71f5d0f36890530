import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, type SandboxHandle } from '../../src/sandbox/index.js';
import { authed, start } from './helpers.js';

const BASE = '/api/site/v1/sites';
const depot = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: 'DEPOT',
  externalReference: `tug:${name.toLowerCase()}`,
  address: { streetAddress: 'Industrivej 1', zipCode: '8000', city: 'Aarhus', country: 'DK' },
  ...extra,
});

describe('Sites API', () => {
  let sandbox: SandboxHandle;
  let call: Awaited<ReturnType<typeof authed>>;
  const clock = new FakeClock('2026-03-01T12:00:00Z');

  beforeAll(async () => {
    sandbox = await start({ seed: 'empty', clock });
    call = await authed(sandbox);
  });
  afterAll(() => sandbox.close());

  it('creates a depot (201), gets it, and lists it with a type filter', async () => {
    const res = await call('POST', BASE, depot('Aarhus'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Aarhus', type: 'DEPOT', status: 'ACTIVE', externalReference: 'tug:aarhus' });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const got = await call('GET', `${BASE}/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
    await call('POST', BASE, { name: 'Harbour job', type: 'CONSTRUCTION_SITE', address: { city: 'Vejle' } });
    const depots = await call('GET', `${BASE}?type=DEPOT`);
    expect(depots.body.content.map((s: { name: string }) => s.name)).toEqual(['Aarhus']);
    const all = await call('GET', `${BASE}?type=DEPOT,CONSTRUCTION_SITE&sort=-name`);
    expect(all.body.content.map((s: { name: string }) => s.name)).toEqual(['Harbour job', 'Aarhus']);
  });

  it('rejects invalid bodies with every violation at once', async () => {
    const res = await call('POST', BASE, { name: '', type: 'CLASSIC_ZONE', endDate: 'yesterday' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('constraint_violation');
    expect(res.body.message).toBe('Constraint violation');
    const fields = res.body.violations.map((v: { field: string }) => v.field).sort();
    expect(fields).toEqual(['address', 'endDate', 'name', 'type']);
    expect(res.body.violations.find((v: { field: string }) => v.field === 'name').message).toBe("value '' was rejected: must not be empty");
  });

  it('validates polygons and fills an address from the polygon centre', async () => {
    const open = await call('POST', BASE, depot('Open ring', { address: undefined, area: { type: 'Polygon', coordinates: [[[9.9, 57], [9.91, 57], [9.91, 57.01], [9.9, 57.02]]] } }));
    expect(open.status).toBe(400);
    expect(open.body.violations[0].field).toBe('area');
    const ok = await call('POST', BASE, depot('Closed ring', { address: undefined, area: { type: 'Polygon', coordinates: [[[9.9, 57], [9.91, 57], [9.91, 57.01], [9.9, 57]]] } }));
    expect(ok.status).toBe(201);
    expect(ok.body.address.streetAddress).toMatch(/^Geocoded/);
  });

  it('derives status from dates with the injected clock; ARCHIVED overrides; derived ones cannot be written', async () => {
    const planned = await call('POST', BASE, depot('Future', { startDate: '2026-06-01T00:00:00Z' }));
    expect(planned.body.status).toBe('PLANNED');
    clock.set('2026-07-01T00:00:00Z');
    call = await authed(sandbox);
    expect((await call('GET', `${BASE}/${planned.body.id}`)).body.status).toBe('ACTIVE');
    const bad = await call('PATCH', `${BASE}/${planned.body.id}`, { status: 'FINISHED' });
    expect(bad.status).toBe(400);
    const archived = await call('PATCH', `${BASE}/${planned.body.id}`, { status: 'ARCHIVED' });
    expect(archived.body.status).toBe('ARCHIVED');
    clock.set('2026-03-01T12:00:00Z');
    call = await authed(sandbox); // the old token expired when the clock jumped
  });

  it('patches only the fields sent, ignores unknown fields, keeps externalReference unique', async () => {
    const a = await call('POST', BASE, depot('Patchme'));
    const res = await call('PATCH', `${BASE}/${a.body.id}`, { name: 'Patched', someUnknownField: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Patched', type: 'DEPOT', externalReference: 'tug:patchme' });
    expect(res.body).not.toHaveProperty('someUnknownField');
    const dup = await call('POST', BASE, depot('Other', { externalReference: 'tug:patchme' }));
    expect(dup.status).toBe(400);
    expect(dup.body.violations[0].field).toBe('externalReference');
  });

  it('deletes (204) and then answers 404 with the error object', async () => {
    const a = await call('POST', BASE, depot('Short lived'));
    expect((await call('DELETE', `${BASE}/${a.body.id}`)).status).toBe(204);
    const gone = await call('GET', `${BASE}/${a.body.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ status: 404, code: 'site_not_found', message: `Site ${a.body.id} not found` });
    expect((await call('DELETE', `${BASE}/${a.body.id}`)).status).toBe(404);
  });
});
