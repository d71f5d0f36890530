/**
 * The whole-fleet snapshot against a 20,000-asset sandbox on a FakeClock shared by the sandbox, the
 * cache and the client: 200 pages fetched completely at ≤ 50 req/s, a repeat within 15 minutes makes
 * zero requests, a run after 15 minutes refetches — and the troubleshooting pool is never touched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/trackunit/config.js';
import { FakeClock, type SandboxHandle } from '../../src/sandbox/index.js';
import { fetchIsoSnapshot, type IsoProgress, type IsoSourceOptions } from '../../src/sources/iso15143/fetch.js';
import type { TrackunitClient } from '../../src/trackunit/client.js';
import { start } from '../sandbox/helpers.js';
import { FAST_LIMITS, sandboxClient } from '../trackunit/helpers.js';
import { bridgedClock, MINUTE, tempDir } from './helpers.js';
import { LocalStateStore } from '../../src/state/local-store.js';

describe('fetchIsoSnapshot: 20,000 assets (200 pages)', () => {
  const fake = new FakeClock('2026-01-15T08:00:00Z');
  let sandbox: SandboxHandle;
  let client: TrackunitClient;
  let state: Awaited<ReturnType<typeof tempDir>>;
  let source: IsoSourceOptions;
  const fleetRequests = () => sandbox.requestLog.count((e) => e.family === 'iso-fleet');

  beforeAll(async () => {
    sandbox = await start({ seed: 'empty', assets: 20_000, clock: fake });
    // Fast everywhere except fleet pages: the documented 50 req/s, evenly spaced.
    client = sandboxClient(sandbox, { limits: { ...FAST_LIMITS, 'iso-fleet': DEFAULT_LIMITS['iso-fleet'] } }, { clock: bridgedClock(fake) });
    state = await tempDir();
    source = { client, state: new LocalStateStore(state.path), now: () => fake.now() };
  }, 30_000);
  afterAll(async () => {
    await client.close();
    await sandbox.close();
    await state.remove();
  });

  it('fetches every page once, 20,000 distinct records with asset ids; then serves a repeat from the cache with zero requests', async () => {
    const progress: IsoProgress[] = [];
    const first = await fetchIsoSnapshot({ ...source, onProgress: (p) => progress.push(p) });
    expect(first.pages).toBe(200);
    expect(first.records).toHaveLength(20_000);
    expect(new Set(first.records.map((r) => r.metadata?.machineId)).size).toBe(20_000);
    expect(new Set(first.records.map((r) => r.metadata?.machineId))).toEqual(new Set(sandbox.store.assets.keys()));
    expect(first.duplicates).toBe(0);
    expect(progress).toHaveLength(200);
    expect(progress.at(-1)).toEqual({ pagesDone: 200, pagesTotal: 200 });
    // One request per page (plus any per-second 429 that was waited out, never counted by the server).
    const ok = sandbox.requestLog.count((e) => e.family === 'iso-fleet' && e.status === 200);
    expect(ok).toBe(200);
    expect(fleetRequests()).toBe(200 + first.stats.throttled);
    expect(first.stats).toMatchObject({ requests: 200 + first.stats.throttled, poolRequests: 0, fromCache: 0 });
    expect(sandbox.requestLog.all().filter((e) => e.family === 'iso-fleet').every((e) => e.query === '?addMetadata=true')).toBe(true);
    expect(sandbox.isoLimiter.poolUsesTotal).toBe(0);

    fake.advance(10 * MINUTE);
    const logged = sandbox.requestLog.count();
    const second = await fetchIsoSnapshot(source);
    expect(sandbox.requestLog.count()).toBe(logged); // not even a token request
    expect(second.stats).toEqual({ requests: 0, poolRequests: 0, throttled: 0, fromCache: 200, oldestCachedAt: expect.any(Number) });
    expect(fake.now() - second.stats.oldestCachedAt!).toBeGreaterThanOrEqual(10 * MINUTE);
    expect(second.records).toEqual(first.records);
    expect(sandbox.isoLimiter.poolUsesTotal).toBe(0);
  }, 30_000);

  it('refetches after 15 minutes (token renewed by the fake clock as needed), still without the pool', async () => {
    fake.advance(15 * MINUTE);
    const before = fleetRequests();
    const third = await fetchIsoSnapshot(source);
    expect(sandbox.requestLog.count((e) => e.family === 'iso-fleet' && e.status === 200)).toBe(400);
    expect(fleetRequests() - before).toBe(200 + third.stats.throttled);
    expect(third.stats).toMatchObject({ fromCache: 0, poolRequests: 0 });
    expect(third.records).toHaveLength(20_000);
    expect(sandbox.isoLimiter.poolUsesTotal).toBe(0);
  }, 30_000);
});
