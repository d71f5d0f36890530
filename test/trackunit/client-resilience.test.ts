/**
 * Retries, rate limits and ambiguous failures: the client against a sandbox injecting faults.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { ApiError, OutcomeUnknownError } from '../../src/trackunit/errors.js';
import { sitesApi } from '../../src/trackunit/endpoints/sites.js';
import { start } from '../sandbox/helpers.js';
import { InstantClock, sandboxClient } from './helpers.js';
import { apiWrites } from '../support/api-writes.js';

const SITES = '/api/site/v1/sites';
const list = { family: 'sites' as const, method: 'GET' as const, path: SITES };
const depot = (ref: string) => ({ name: `Depot ${ref}`, type: 'DEPOT', externalReference: ref, address: { city: 'Aarhus' } });

let sandbox: SandboxHandle | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe('retries', () => {
  it('20% 429s and 10% 503s over 500 calls: every call succeeds, none exceeds max attempts, retries add up', async () => {
    sandbox = await start({ seed: 'empty', faults: 'sites.list:429=0.2,503=0.125', faultSeed: 42 });
    const clock = new InstantClock();
    const maxAttempts = 8;
    const client = sandboxClient(sandbox, { retry: { maxAttempts, baseDelayMs: 100, maxDelayMs: 5_000 } }, { clock, random: () => 0.5 });
    let ok = 0;
    for (let i = 0; i < 500; i += 1) {
      const res = await client.request(list);
      if (res.status === 200) ok += 1;
    }
    expect(ok).toBe(500);
    const entries = sandbox.requestLog.all().filter((e) => e.route === 'sites.list');
    const injected429 = entries.filter((e) => e.status === 429).length;
    const injected503 = entries.filter((e) => e.status === 503).length;
    expect(injected429).toBeGreaterThan(60);
    expect(injected503).toBeGreaterThan(30);
    // Attempts per call: count consecutive failures before each 200.
    let run = 0;
    let longest = 0;
    for (const e of entries) {
      run += 1;
      if (e.status === 200) {
        longest = Math.max(longest, run);
        run = 0;
      }
    }
    expect(longest).toBeLessThanOrEqual(maxAttempts);
    const metrics = client.metricsSnapshot().families.sites!;
    expect(metrics.requests).toBe(entries.length);
    expect(metrics.retries).toBe(injected429 + injected503);
    expect(metrics.rateLimited).toBe(injected429);
    expect(metrics.errors).toBe(0);
    await client.close();
  });

  it('gives up after max attempts with an ApiError carrying the attempt count', async () => {
    sandbox = await start({ seed: 'empty', faults: 'sites.list:503=1' });
    const client = sandboxClient(sandbox, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 10 } }, { clock: new InstantClock() });
    const error = (await client.request(list).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect([error.status, error.attempts, error.apiCode]).toEqual([503, 3, 'service_unavailable']);
    expect(error.message).toBe(`GET ${SITES} failed (503 service_unavailable) after 3 attempts: Service unavailable (injected fault)`);
    expect(sandbox.requestLog.count((e) => e.route === 'sites.list')).toBe(3);
    await client.close();
  });

  it('a 400 is not retried; its violations reach the caller', async () => {
    sandbox = await start({ seed: 'empty' });
    const client = sandboxClient(sandbox);
    const error = (await apiWrites(client).sites.create({ name: '', type: 'DEPOT' }).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect([error.status, error.apiCode, error.attempts]).toEqual([400, 'constraint_violation', 1]);
    expect(error.violations.map((v) => v.field).sort()).toEqual(['address', 'name']);
    expect(sandbox.requestLog.count((e) => e.route === 'sites.create')).toBe(1);
    await client.close();
  });

  it('dropped connections on reads are retried', async () => {
    sandbox = await start({ seed: 'empty', faults: 'sites.list:drop=0.5', faultSeed: 3 });
    const client = sandboxClient(sandbox, { retry: { maxAttempts: 10, baseDelayMs: 1, maxDelayMs: 5 } });
    for (let i = 0; i < 20; i += 1) expect((await client.request(list)).status).toBe(200);
    expect(client.metricsSnapshot().families.sites!.retries).toBeGreaterThan(0);
    await client.close();
  });
});

describe('creates after an ambiguous failure', () => {
  it('commit-then-drop on a create → OutcomeUnknownError with the lookup, exactly one object created', async () => {
    sandbox = await start({ seed: 'empty', faults: 'sites.create:commit-drop=1' });
    const client = sandboxClient(sandbox);
    const error = (await apiWrites(client).sites.create(depot('D-1')).catch((e: unknown) => e)) as OutcomeUnknownError;
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error.code).toBe('outcome_unknown');
    expect(error.lookup).toEqual({ kind: 'site', field: 'externalReference', value: 'D-1' });
    expect(sandbox.requestLog.count((e) => e.route === 'sites.create')).toBe(1);
    expect(sandbox.store.sites.size).toBe(1);
    sandbox.setFaults([]);
    const found = await sitesApi(client).list({ externalReference: 'D-1' });
    expect(found).toHaveLength(1);
    await client.close();
  });

  it('a create refused with 503 or 429 (nothing written) is retried safely', async () => {
    sandbox = await start({ seed: 'empty', faults: 'sites.create:503=0.5,429=0.3', faultSeed: 11 });
    const client = sandboxClient(sandbox, { retry: { maxAttempts: 12, baseDelayMs: 1, maxDelayMs: 5 } }, { clock: new InstantClock() });
    for (let i = 0; i < 10; i += 1) await apiWrites(client).sites.create(depot(`R-${i}`));
    expect(sandbox.store.sites.size).toBe(10);
    expect(client.metricsSnapshot().families.sites!.retries).toBeGreaterThan(0);
    await client.close();
  });
});

describe('rate limits', () => {
  it('Retry-After of 2 s pauses the whole family: the next call waits at least 2 s, other families do not', async () => {
    sandbox = await start({ seed: 'empty', faults: 'sites.list:429=1,retry-after=2' });
    const client = sandboxClient(sandbox, { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 10_000 } });
    await expect(client.request(list)).rejects.toMatchObject({ status: 429 });
    sandbox.setFaults([]);
    const t0 = performance.now();
    await client.request({ family: 'assets', method: 'GET', path: '/api/asset/v1/assets' });
    const otherFamilyMs = performance.now() - t0;
    await client.request(list);
    const sameFamilyMs = performance.now() - t0;
    expect(otherFamilyMs).toBeLessThan(1_000);
    expect(sameFamilyMs).toBeGreaterThanOrEqual(1_950);
    expect(client.metricsSnapshot().families.sites!.waitMs).toBeGreaterThanOrEqual(1_900);
    await client.close();
  });

  it('a 429 slows the family down (adaptive) and successes bring the rate back', async () => {
    sandbox = await start({ seed: 'empty', faults: 'sites.list:429=1,retry-after=0' });
    const clock = new InstantClock();
    const client = sandboxClient(sandbox, { limits: { sites: { ratePerSecond: 20, burst: 5 } }, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 10 } }, { clock });
    await expect(client.request(list)).rejects.toMatchObject({ status: 429 });
    expect(client.scheduler.currentRate('sites')).toBe(10);
    await expect(client.request(list)).rejects.toMatchObject({ status: 429 });
    expect(client.scheduler.currentRate('sites')).toBe(5);
    sandbox.setFaults([]);
    for (let i = 0; i < 60; i += 1) await client.request(list);
    expect(client.scheduler.currentRate('sites')).toBe(20);
    await client.close();
  });

  it('a Retry-After longer than we are willing to wait fails at once with the wait in the message', async () => {
    sandbox = await start({ seed: 'empty', faults: 'sites.list:429=1,retry-after=900' });
    const client = sandboxClient(sandbox, { retry: { maxAttempts: 5, baseDelayMs: 1, maxRetryAfterMs: 30_000 } });
    const error = (await client.request(list).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(429);
    expect(error.message).toContain('Retry-After 900 s is longer than the 30 s we wait');
    expect(sandbox.requestLog.count((e) => e.route === 'sites.list')).toBe(1);
    await client.close();
  });

  it('holds a family to its configured rate', async () => {
    sandbox = await start({ seed: 'empty' });
    const client = sandboxClient(sandbox, { limits: { sites: { ratePerSecond: 50, burst: 1, maxInFlight: 4 } } });
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 26 }, () => client.request(list)));
    const seconds = (performance.now() - t0) / 1000;
    // 1 immediately, then 25 more at 50/s → at least 0.5 s.
    expect(seconds).toBeGreaterThanOrEqual(0.45);
    await client.close();
  });
});
