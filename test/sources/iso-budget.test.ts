/**
 * The per-URL budget against the sandbox (250 assets, 3 pages, FakeClock shared by sandbox, cache and
 * client): a failed page is not asked again within 15 minutes unless the pool is allowed; the pool
 * flag spends the pool; a 429 names the time the URL may be asked again; requests that never left
 * (bad credentials) do not count; single elements and 404s are cached the same way; XML and JSON give
 * the same records.
 */
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, type SandboxHandle, type SandboxOptions } from '../../src/sandbox/index.js';
import { fetchIsoElement, fetchIsoSnapshot, type IsoSourceOptions } from '../../src/sources/iso15143/fetch.js';
import type { TrackunitClient } from '../../src/trackunit/client.js';
import { start } from '../sandbox/helpers.js';
import { sandboxClient, V2_AUTH } from '../trackunit/helpers.js';
import { bridgedClock, MINUTE, tempDir } from './helpers.js';
import { LocalStateStore } from '../../src/state/local-store.js';

const T0 = '2026-01-15T08:00:00Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * MINUTE).toISOString().replace('.000Z', 'Z');

let fake: FakeClock;
let sandbox: SandboxHandle;
let client: TrackunitClient;
let state: Awaited<ReturnType<typeof tempDir>>;
let source: IsoSourceOptions;
const isoRequests = () => sandbox.requestLog.count((e) => e.family === 'iso-fleet' || e.family === 'iso-single');

async function setup(options: SandboxOptions = {}, auth = V2_AUTH) {
  fake = new FakeClock(T0);
  sandbox = await start({ seed: 'empty', assets: 250, clock: fake, ...options });
  client = sandboxClient(sandbox, { auth }, { clock: bridgedClock(fake) });
  state = await tempDir();
  source = { client, state: new LocalStateStore(state.path), now: () => fake.now() };
}

beforeEach(() => setup());
afterEach(async () => {
  await client.close();
  await sandbox.close();
  await state.remove();
});

describe('the per-URL budget across runs', () => {
  it('does not ask a failed page again within 15 minutes; the pool flag does, once', async () => {
    sandbox.setFaults('iso-fleet:503=1');
    await expect(fetchIsoSnapshot(source)).rejects.toMatchObject({
      code: 'iso_request_failed',
      message: expect.stringContaining('503'),
      hint: expect.stringContaining(`from ${at(15)} (in 15 minutes)`),
    });
    expect(isoRequests()).toBe(1); // one attempt: a retry would have spent the pool
    sandbox.setFaults([]);

    fake.advance(5 * MINUTE);
    const error = await fetchIsoSnapshot(source).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'iso_url_cooling_down', meta: { retryAt: at(15) } });
    expect((error as Error).message).toMatch(new RegExp(`Fleet/1\\?addMetadata=true was requested at ${at(0)} \\(HTTP 503\\).*may be asked again at ${at(15)} \\(in 10 minutes\\)`));
    expect(isoRequests()).toBe(1);
    expect(sandbox.isoLimiter.poolUsesTotal).toBe(0);

    const recovered = await fetchIsoSnapshot({ ...source, allowPool: true });
    expect(recovered.records).toHaveLength(250);
    expect(recovered.stats).toMatchObject({ requests: 3, poolRequests: 1, fromCache: 0 });
    expect(sandbox.isoLimiter.poolUsesTotal).toBe(1);
  });

  it('serves a partial earlier run from the cache and asks only for what is missing', async () => {
    await fetchIsoSnapshot(source);
    const before = isoRequests();
    // Page 3's cached response is lost (the run died before writing it, or the file was deleted).
    const [accountDir] = await readdir(join(state.path, 'iso15143'));
    const dir = join(state.path, 'iso15143', accountDir!);
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { urls: Record<string, { response: { file: string } }> };
    const [, page3] = Object.entries(index.urls).find(([url]) => url.includes('/Fleet/3?'))!;
    await rm(join(dir, page3.response.file));
    const warnings: string[] = [];
    fake.advance(16 * MINUTE);
    const rerun = await fetchIsoSnapshot({ ...source, maxAgeMs: 60 * MINUTE, warn: (w) => warnings.push(w) });
    expect(rerun.stats).toMatchObject({ requests: 1, fromCache: 2, poolRequests: 0 });
    expect(isoRequests() - before).toBe(1);
    expect(rerun.records).toHaveLength(250);
    expect(warnings).toEqual([expect.stringMatching(/Fleet\/3\?addMetadata=true is missing; dropped/)]);
  });

  it('spends the pool for a forced refetch inside 15 minutes only with the flag', async () => {
    await fetchIsoSnapshot(source);
    fake.advance(MINUTE);
    const cached = await fetchIsoSnapshot({ ...source, maxAgeMs: 0 }); // the 15-minute floor still serves the cache
    expect(cached.stats).toMatchObject({ requests: 0, fromCache: 3 });
    expect(sandbox.isoLimiter.poolUsesTotal).toBe(0);
    const forced = await fetchIsoSnapshot({ ...source, maxAgeMs: 0, allowPool: true });
    expect(forced.stats).toMatchObject({ requests: 3, poolRequests: 3, fromCache: 0 });
    expect(sandbox.isoLimiter.poolUsesTotal).toBe(3);
  });

  it('reports a 429 with the absolute time the URL may be asked again, and remembers it', async () => {
    await afterEachCleanup();
    await setup({ isoLimits: { poolSize: 0 } });
    await fetchIsoSnapshot(source);
    fake.advance(5 * MINUTE);
    const error = await fetchIsoSnapshot({ ...source, maxAgeMs: 0, allowPool: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'iso_rate_limited', meta: { retryAt: at(15), reason: 'server-refused' } });
    expect((error as Error).message).toContain(`Trackunit refused it (429); it may be asked again at ${at(15)} (in 10 minutes)`);
    const before = isoRequests();
    await expect(fetchIsoSnapshot({ ...source, maxAgeMs: 0, allowPool: true })).rejects.toMatchObject({ code: 'iso_rate_limited' });
    expect(isoRequests()).toBe(before);
    expect(sandbox.isoLimiter.poolUsesTotal).toBe(0);
  });

  it('waits out a per-second 429 and asks again: refused requests use neither allowance nor pool', async () => {
    await afterEachCleanup();
    await setup({ isoLimits: { fleetPerSecond: 1 } });
    const snapshot = await fetchIsoSnapshot(source);
    expect(snapshot.records).toHaveLength(250);
    expect(snapshot.stats.throttled).toBeGreaterThanOrEqual(1);
    expect(snapshot.stats).toMatchObject({ requests: 3 + snapshot.stats.throttled, poolRequests: 0 });
    expect(sandbox.requestLog.count((e) => e.family === 'iso-fleet' && e.status === 429)).toBe(snapshot.stats.throttled);
    expect(sandbox.isoLimiter.poolUsesTotal).toBe(0);
  });

  it('does not count a request that never left (bad credentials)', async () => {
    await afterEachCleanup();
    await setup({}, { ...V2_AUTH, clientSecret: 'wrong' });
    await expect(fetchIsoSnapshot(source)).rejects.toMatchObject({ code: 'auth_failed' });
    await client.close();
    client = sandboxClient(sandbox, {}, { clock: bridgedClock(fake) });
    const snapshot = await fetchIsoSnapshot({ ...source, client });
    expect(snapshot.stats).toMatchObject({ requests: 3, poolRequests: 0 });
  });
});

describe('single elements and wire formats', () => {
  it('caches a single element and a 404 like any URL', async () => {
    const asset = [...sandbox.store.assets.values()].find((a) => /^0\d+$/.test(a.telemetry.pin ?? ''))!;
    const found = await fetchIsoElement({ ...source, identifier: asset.telemetry.pin! });
    expect(found.record).toMatchObject({ pin: asset.telemetry.pin, pinKey: asset.telemetry.pin, metadata: { machineId: asset.id } });
    expect(await fetchIsoElement({ ...source, identifier: 'NO-SUCH-PIN' })).toMatchObject({ record: undefined, stats: { requests: 1 } });
    fake.advance(5 * MINUTE);
    const again = await fetchIsoElement({ ...source, identifier: asset.telemetry.pin! });
    expect(again).toEqual({ record: found.record, stats: expect.objectContaining({ requests: 0, fromCache: 1 }) });
    expect(await fetchIsoElement({ ...source, identifier: 'NO-SUCH-PIN' })).toMatchObject({ record: undefined, stats: { requests: 0, fromCache: 1 } });
    expect(sandbox.requestLog.count((e) => e.family === 'iso-single')).toBe(2);
    expect(sandbox.isoLimiter.poolUsesTotal).toBe(0);
  });

  it('reads XML and JSON to the same records; the cache serves either (one URL, one budget)', async () => {
    const json = await fetchIsoSnapshot(source);
    const fromCache = await fetchIsoSnapshot({ ...source, format: 'xml' });
    expect(fromCache.stats.requests).toBe(0);
    fake.advance(15 * MINUTE);
    const xml = await fetchIsoSnapshot({ ...source, format: 'xml' });
    expect(xml.stats).toMatchObject({ requests: 3, fromCache: 0 });
    expect(sandbox.requestLog.all().slice(-3).every((e) => e.responseBytes > 0)).toBe(true);
    expect(xml.records).toEqual(json.records);
    expect(json.records.filter((r) => r.pin !== null && r.pin !== r.pin.toUpperCase()).length).toBeGreaterThan(0);
  });
});

async function afterEachCleanup() {
  await client.close();
  await sandbox.close();
  await state.remove();
}
