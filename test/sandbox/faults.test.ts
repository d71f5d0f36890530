import { describe, expect, it } from 'vitest';
import { parseFaults } from '../../src/sandbox/index.js';
import { authed, start } from './helpers.js';

const SITES = '/api/site/v1/sites';
const body = (name: string) => ({ name, type: 'DEPOT', externalReference: name, address: { city: 'Aarhus' } });

describe('fault injection', () => {
  it('parses the --faults text form and names the bad part on error', () => {
    expect(parseFaults('rental:429=0.1,503=0.05;writes:commit-drop=0.02;*:latency=30')).toEqual([
      { match: 'rental', rates: { '429': 0.1, '503': 0.05 } },
      { match: 'writes', commitDrop: 0.02 },
      { match: '*', latencyMs: 30 },
    ]);
    expect(() => parseFaults('rental')).toThrow(/selector:key=value/);
    expect(() => parseFaults('rental:429=2')).toThrow(/between 0 and 1/);
    expect(() => parseFaults('rental:teapot=0.5')).toThrow(/unknown fault "teapot"/);
  });

  it('times=N: a rule injects N faults, then is spent (latency still applies)', async () => {
    expect(parseFaults('sites.create:drop=1,times=1')).toEqual([{ match: 'sites.create', drop: 1, times: 1 }]);
    const sandbox = await start({ seed: 'empty', faults: 'sites.create:500=1,times=2' });
    try {
      const call = await authed(sandbox);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await call('POST', SITES, body(`site-${i}`))).status);
      expect(statuses).toEqual([500, 500, 201, 201]);
      expect(sandbox.faults.injected['500']).toBe(2);
    } finally {
      await sandbox.close();
    }
  });

  it('injects statuses at the configured rate, per route selector, reproducibly, without handling the request', async () => {
    const sandbox = await start({ seed: 'empty', faults: 'sites.list:503=0.3,429=0.2,retry-after=2', faultSeed: 7 });
    try {
      const call = await authed(sandbox);
      const statuses: number[] = [];
      for (let i = 0; i < 200; i += 1) statuses.push((await call('GET', SITES)).status);
      const count = (s: number) => statuses.filter((x) => x === s).length;
      // 30% 503, then 20% of the remaining 70% → 14% 429: wide bounds, fixed seed.
      expect(count(503)).toBeGreaterThan(40);
      expect(count(503)).toBeLessThan(80);
      expect(count(429)).toBeGreaterThan(12);
      expect(count(429)).toBeLessThan(45);
      expect(count(200) + count(503) + count(429)).toBe(200);
      expect(sandbox.faults.injected['503']).toBe(count(503));
      const limited = sandbox.requestLog.all().find((e) => e.status === 429);
      expect(limited?.fault).toBe('429');
      // Writes are not selected by `sites.list`.
      expect((await call('POST', SITES, body('untouched'))).status).toBe(201);

      // Same seed, same pattern.
      sandbox.setFaults('sites.list:503=0.3,429=0.2', 7);
      const again: number[] = [];
      for (let i = 0; i < 200; i += 1) again.push((await call('GET', SITES)).status);
      expect(again).toEqual(statuses);
    } finally {
      await sandbox.close();
    }
  });

  it('an injected 429 carries Retry-After', async () => {
    const sandbox = await start({ seed: 'empty', faults: 'sites:429=1,retry-after=2' });
    try {
      const call = await authed(sandbox);
      const res = await call('GET', SITES);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(res.body).toMatchObject({ status: 429, code: 'too_many_requests' });
    } finally {
      await sandbox.close();
    }
  });

  it('drop: the connection dies before handling and nothing is written', async () => {
    const sandbox = await start({ seed: 'empty', faults: 'sites.create:drop=1' });
    try {
      const call = await authed(sandbox);
      await expect(call('POST', SITES, body('dropped'))).rejects.toThrow();
      expect(sandbox.store.sites.size).toBe(0);
      expect(sandbox.requestLog.all().at(-1)).toMatchObject({ route: 'sites.create', status: 0, fault: 'drop' });
    } finally {
      await sandbox.close();
    }
  });

  it('commit-drop: the write happens but the client never hears; selector "writes" spares reads', async () => {
    const sandbox = await start({ seed: 'empty', faults: 'writes:commit-drop=1' });
    try {
      const call = await authed(sandbox);
      await expect(call('POST', SITES, body('committed'))).rejects.toThrow();
      expect([...sandbox.store.sites.values()].map((s) => s.externalReference)).toEqual(['committed']);
      expect(sandbox.requestLog.all().at(-1)).toMatchObject({ route: 'sites.create', status: 0, fault: 'commit-drop' });
      const list = await call('GET', `${SITES}?externalReference=committed`);
      expect(list.status).toBe(200);
      expect(list.body.totalElements).toBe(1);
    } finally {
      await sandbox.close();
    }
  });

  it('latency is added per selector and globally', async () => {
    const sandbox = await start({ seed: 'empty', latencyMs: 20, faults: 'sites.list:latency=60' });
    try {
      const call = await authed(sandbox);
      const t0 = performance.now();
      await call('GET', SITES);
      const listMs = performance.now() - t0;
      expect(listMs).toBeGreaterThanOrEqual(75);
      const entry = sandbox.requestLog.all().at(-1);
      expect(entry?.durationMs).toBeGreaterThanOrEqual(75);
    } finally {
      await sandbox.close();
    }
  });

  it('hang: the request never answers and the client times out; nothing is written', async () => {
    const sandbox = await start({ seed: 'empty', faults: 'sites.create:hang=1' });
    try {
      const call = await authed(sandbox);
      const res = fetch(`${sandbox.url}${SITES}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' },
        body: JSON.stringify(body('hung')),
        signal: AbortSignal.timeout(200),
      });
      await expect(res).rejects.toThrow();
      expect(sandbox.store.sites.size).toBe(0);
      expect((await call('GET', SITES)).status).toBe(200);
    } finally {
      await sandbox.close();
    }
  });
});
