/**
 * Cross-cutting conventions every emulated API shares: pagination, the error object, unknown routes,
 * malformed bodies, REST rate limits with Retry-After, and the request log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, type SandboxHandle } from '../../src/sandbox/index.js';
import { authed, start } from './helpers.js';

const SITES = '/api/site/v1/sites';

describe('page-based pagination', () => {
  let sandbox: SandboxHandle;
  let call: Awaited<ReturnType<typeof authed>>;
  beforeAll(async () => {
    sandbox = await start({ seed: 'empty' });
    call = await authed(sandbox);
    for (let i = 0; i < 45; i += 1) {
      const res = await call('POST', SITES, { name: `Depot ${String(i).padStart(2, '0')}`, type: 'DEPOT', address: { city: 'Aarhus' } });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => sandbox.close());

  it('defaults to page 0 of size 20 with the documented page object', async () => {
    const res = await call('GET', SITES);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['content', 'number', 'numberOfElements', 'size', 'totalElements', 'totalPages']);
    expect(res.body).toMatchObject({ totalPages: 3, totalElements: 45, number: 0, size: 20, numberOfElements: 20 });
  });

  it('serves the last partial page and an empty page past the end', async () => {
    const last = await call('GET', `${SITES}?page=2&size=20`);
    expect(last.body).toMatchObject({ number: 2, numberOfElements: 5 });
    expect(last.body.content.at(-1).name).toBe('Depot 44');
    const past = await call('GET', `${SITES}?page=3&size=20`);
    expect(past.status).toBe(200);
    expect(past.body).toMatchObject({ number: 3, numberOfElements: 0, content: [], totalPages: 3 });
  });

  it('accepts size 1000 and refuses 1001, 0, negative pages and garbage with constraint violations', async () => {
    const max = await call('GET', `${SITES}?size=1000`);
    expect(max.body).toMatchObject({ totalPages: 1, numberOfElements: 45, size: 1000 });
    const over = await call('GET', `${SITES}?size=1001`);
    expect(over.status).toBe(400);
    expect(over.body).toEqual({
      status: 400,
      code: 'constraint_violation',
      message: 'Constraint violation',
      violations: [{ field: 'size', message: "value '1001' was rejected: must be between 1 and 1000" }],
    });
    expect((await call('GET', `${SITES}?size=0`)).status).toBe(400);
    expect((await call('GET', `${SITES}?page=-1`)).body.violations[0].field).toBe('page');
    expect((await call('GET', `${SITES}?size=ten`)).status).toBe(400);
  });

  it('sorts by allowed attributes (comma list or repeated, - descending) and refuses others', async () => {
    const desc = await call('GET', `${SITES}?sort=-name&size=3`);
    expect(desc.body.content.map((s: { name: string }) => s.name)).toEqual(['Depot 44', 'Depot 43', 'Depot 42']);
    const repeated = await call('GET', `${SITES}?sort=type&sort=%2Bname&size=2`);
    expect(repeated.body.content.map((s: { name: string }) => s.name)).toEqual(['Depot 00', 'Depot 01']);
    const bad = await call('GET', `${SITES}?sort=password`);
    expect(bad.status).toBe(400);
    expect(bad.body.violations[0].field).toBe('sort');
  });
});

describe('errors and routing', () => {
  let sandbox: SandboxHandle;
  let call: Awaited<ReturnType<typeof authed>>;
  beforeAll(async () => {
    sandbox = await start({ seed: 'empty' });
    call = await authed(sandbox);
  });
  afterAll(() => sandbox.close());

  it('404 for unknown paths and 405 with Allow for a wrong method, both as error objects', async () => {
    const unknown = await call('GET', '/api/nothing/v1/here');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('not_found');
    const wrong = await call('PUT', SITES, {});
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toContain('GET');
  });

  it('400 for malformed JSON and for a body that is not an object', async () => {
    const res = await fetch(`${sandbox.url}${SITES}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await (await import('./helpers.js')).v1Token(sandbox)}`, 'Content-Type': 'application/json' },
      body: '{"name": ',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('malformed_request');
    const array = await call('POST', SITES, [1, 2]);
    expect(array.status).toBe(400);
    expect(array.body.code).toBe('constraint_violation');
  });
});

describe('REST rate limits', () => {
  it('answers 429 with the error object and Retry-After once a family bucket is empty; other families are unaffected', async () => {
    const clock = new FakeClock();
    const sandbox = await start({ seed: 'empty', clock, rateLimits: { sites: { ratePerSecond: 2, burst: 3 } } });
    try {
      const call = await authed(sandbox);
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await call('GET', SITES)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await call('GET', SITES);
      expect(limited.body).toMatchObject({ status: 429, code: 'too_many_requests' });
      expect(limited.headers.get('retry-after')).toBe('1');
      expect((await call('GET', '/api/asset/v1/assets')).status).toBe(200);
      clock.advance(500); // 2 req/s → one token back after 500 ms
      expect((await call('GET', SITES)).status).toBe(200);
      expect((await call('GET', SITES)).status).toBe(429);
      sandbox.setRateLimits({});
      expect((await call('GET', SITES)).status).toBe(200);
    } finally {
      await sandbox.close();
    }
  });
});

describe('request log', () => {
  it('records method, path, route, family, status, fault and timing; writes are flagged', async () => {
    const sandbox = await start({ seed: 'empty' });
    try {
      const call = await authed(sandbox);
      sandbox.requestLog.clear();
      await call('GET', `${SITES}?size=5`);
      await call('POST', SITES, { name: 'Logged', type: 'DEPOT', address: { city: 'Odense' } });
      await call('GET', `${SITES}/00000000-0000-4000-8000-000000000000`);
      const entries = sandbox.requestLog.all();
      expect(entries.map((e) => [e.method, e.path, e.route, e.family, e.status, e.write])).toEqual([
        ['GET', SITES, 'sites.list', 'sites', 200, false],
        ['POST', SITES, 'sites.create', 'sites', 201, true],
        ['GET', `${SITES}/00000000-0000-4000-8000-000000000000`, 'sites.get', 'sites', 404, false],
      ]);
      expect(entries[0]?.query).toBe('?size=5');
      expect(entries.every((e) => e.durationMs >= 0 && e.responseBytes > 0)).toBe(true);
      expect(sandbox.requestLog.count((e) => e.write)).toBe(1);
      const overHttp = (await (await fetch(`${sandbox.url}/_sandbox/requests?since=${entries[0]?.seq}`)).json()) as { entries: unknown[] };
      expect(overHttp.entries).toHaveLength(2);
      // Admin calls are not Trackunit API calls and are not logged.
      expect(sandbox.requestLog.count()).toBe(3);
    } finally {
      await sandbox.close();
    }
  });
});
