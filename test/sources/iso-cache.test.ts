/**
 * The per-URL budget (pure decision) and the cache files: the 15-minute rule, the pool only when
 * allowed, --max-age, refused URLs, and damaged files (warning, and the rule still holds where the
 * index survives).
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decide, ISO_POOL_SIZE, type CachePolicy, type UrlEntry } from '../../src/sources/iso15143/request-windows.js';
import { CACHE_FORMAT_VERSION, IsoCache, cacheDirFor } from '../../src/sources/iso15143/cache.js';
import { account } from '../../src/trackunit/account.js';
import { MINUTE, tempDir } from './helpers.js';

const T0 = Date.parse('2026-01-15T08:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * MINUTE).toISOString();
const NORMAL: CachePolicy = { maxAgeMs: 15 * MINUTE, allowPool: false };
const POOL: CachePolicy = { maxAgeMs: 0, allowPool: true };
const fetched = (minutes: number): UrlEntry => ({
  requests: [{ at: at(minutes), status: 200 }],
  response: { status: 200, fetchedAt: at(minutes), file: 'f', sha256: 'x', bytes: 1 },
});

describe('decide: the per-URL rules', () => {
  it('requests a URL never asked for, normally', () => {
    expect(decide(undefined, T0, NORMAL)).toEqual({ action: 'request', pool: false });
  });

  it('serves a response younger than 15 minutes, refetches an older one', () => {
    expect(decide(fetched(0), T0 + 14 * MINUTE, NORMAL)).toMatchObject({ action: 'serve', ageMs: 14 * MINUTE });
    expect(decide(fetched(0), T0 + 15 * MINUTE, NORMAL)).toEqual({ action: 'request', pool: false });
  });

  it('applies --max-age, but never below 15 minutes without the pool', () => {
    expect(decide(fetched(0), T0 + 90 * MINUTE, { maxAgeMs: 120 * MINUTE, allowPool: false })).toMatchObject({ action: 'serve' });
    expect(decide(fetched(0), T0 + 10 * MINUTE, { maxAgeMs: 0, allowPool: false })).toMatchObject({ action: 'serve' });
    expect(decide(fetched(0), T0 + 10 * MINUTE, POOL)).toEqual({ action: 'request', pool: true });
  });

  it('refuses a URL requested < 15 minutes ago without a usable response, naming when it may be asked again', () => {
    const failed: UrlEntry = { requests: [{ at: at(0), status: 503 }] };
    expect(decide(failed, T0 + 5 * MINUTE, NORMAL)).toEqual({ action: 'refuse', reason: 'cooling-down', retryAt: T0 + 15 * MINUTE, lastRequest: failed.requests[0] });
    expect(decide(failed, T0 + 15 * MINUTE, NORMAL)).toEqual({ action: 'request', pool: false });
    expect(decide(failed, T0 + 5 * MINUTE, { ...NORMAL, allowPool: true })).toEqual({ action: 'request', pool: true });
    // A stale response is mentioned (a longer --max-age would serve it).
    const staleThenFailed: UrlEntry = { ...fetched(-60), requests: [{ at: at(-60), status: 200 }, { at: at(0), status: 0 }] };
    expect(decide(staleThenFailed, T0 + MINUTE, NORMAL)).toMatchObject({ action: 'refuse', reason: 'cooling-down', stale: { fetchedAt: at(-60) } });
  });

  it('does not count 429s; counts pool uses for 30 days and stops at 50', () => {
    const refused: UrlEntry = { requests: [{ at: at(0), status: 429 }] };
    expect(decide(refused, T0 + MINUTE, NORMAL)).toEqual({ action: 'request', pool: false });
    const pools = Array.from({ length: ISO_POOL_SIZE }, (_, i) => ({ at: at(-40 * 24 * 60 + i), status: 200, pool: true as const }));
    const old: UrlEntry = { requests: [...pools, { at: at(0), status: 200 }] };
    expect(decide(old, T0 + MINUTE, POOL)).toEqual({ action: 'request', pool: true }); // pool uses older than 30 days are back
    const recent: UrlEntry = { requests: [{ at: at(-1), status: 200 }, ...pools.map((p, i) => ({ ...p, at: at(i / 100) }))] };
    expect(decide(recent, T0 + MINUTE, POOL)).toMatchObject({ action: 'refuse', reason: 'pool-exhausted', retryAt: T0 + 14 * MINUTE });
  });

  it('refuses a URL the server refused until its Retry-After, even with the pool', () => {
    const entry: UrlEntry = { requests: [{ at: at(0), status: 429 }], notBefore: at(12) };
    expect(decide(entry, T0 + MINUTE, POOL)).toMatchObject({ action: 'refuse', reason: 'server-refused', retryAt: T0 + 12 * MINUTE });
    expect(decide(entry, T0 + 12 * MINUTE, NORMAL)).toEqual({ action: 'request', pool: false });
  });
});

describe('IsoCache files', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let warnings: string[];
  const url = 'http://127.0.0.1:1/public/api/aemp/v2/15143/-3/Fleet/1?addMetadata=true';
  const open = () => IsoCache.open(dir.path, (w) => warnings.push(w));
  beforeEach(async () => {
    dir = await tempDir();
    warnings = [];
  });
  afterEach(() => dir.remove());

  async function cacheOnePage(text = '{"equipment":[]}') {
    const cache = await open();
    const record = await cache.beginRequest(url, T0, false);
    // The request is on disk before any response: a run that dies here still blocks the URL.
    const onDisk = JSON.parse(await readFile(join(dir.path, 'index.json'), 'utf8'));
    expect(onDisk).toMatchObject({ kind: 'tug/iso15143-cache', formatVersion: CACHE_FORMAT_VERSION, urls: { [url]: { requests: [{ at: at(0), status: 0 }] } } });
    await cache.finishRequest(url, record, 200, T0, { status: 200, text, contentType: 'application/json' });
    return cache;
  }

  it('keeps the response by full URL and serves it after reopening', async () => {
    await cacheOnePage();
    const cache = await open();
    const decision = cache.decide(url, T0 + 5 * MINUTE, NORMAL);
    expect(decision).toMatchObject({ action: 'serve' });
    if (decision.action !== 'serve') throw new Error('unreachable');
    expect(await cache.read(url, decision.response)).toEqual({ status: 200, text: '{"equipment":[]}', contentType: 'application/json' });
    expect(cache.decide(`${url}&addExtendedData=true`, T0, NORMAL)).toEqual({ action: 'request', pool: false });
    expect(await readdir(join(dir.path, 'responses'))).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it('drops a damaged response with a warning; its request time still holds the 15-minute rule', async () => {
    await cacheOnePage();
    const [file] = await readdir(join(dir.path, 'responses'));
    await writeFile(join(dir.path, 'responses', file!), '{"equipment":[tampered');
    const cache = await open();
    const decision = cache.decide(url, T0 + 5 * MINUTE, NORMAL);
    if (decision.action !== 'serve') throw new Error('expected a cached response');
    expect(await cache.read(url, decision.response)).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining('is damaged; dropped')]);
    expect(cache.decide(url, T0 + 5 * MINUTE, NORMAL)).toMatchObject({ action: 'refuse', reason: 'cooling-down', retryAt: T0 + 15 * MINUTE });
    expect((await open()).entry(url)?.response).toBeUndefined();
  });

  it('sets a corrupt index aside with a warning and starts empty', async () => {
    await cacheOnePage();
    await writeFile(join(dir.path, 'index.json'), '{"kind": "tug/iso15143-cache", "urls": {');
    const cache = await open();
    expect(warnings).toEqual([expect.stringMatching(/index.*is corrupt; moved to index.json.corrupt/)]);
    expect(cache.entry(url)).toBeUndefined();
    expect(await readdir(dir.path)).toContain('index.json.corrupt');
  });

  it('refuses another format version with a warning', async () => {
    await writeFile(join(dir.path, 'index.json'), JSON.stringify({ kind: 'tug/iso15143-cache', formatVersion: 99, urls: {} }));
    const cache = await open();
    expect(warnings).toEqual([expect.stringContaining('format version 99')]);
    expect(cache.entry(url)).toBeUndefined();
  });

  it('coalesces concurrent index writes and ends with the latest state', async () => {
    const cache = await open();
    await Promise.all(Array.from({ length: 50 }, (_, i) => cache.beginRequest(`${url}&n=${i}`, T0, false)));
    const onDisk = JSON.parse(await readFile(join(dir.path, 'index.json'), 'utf8'));
    expect(Object.keys(onDisk.urls)).toHaveLength(50);
  });

  it('gives each account its own directory, named by host', () => {
    const a = cacheDirFor('/s', account('https://iris.trackunit.com', 'client-a'));
    expect(a).toMatch(/^\/s\/iso15143\/iris\.trackunit\.com-[0-9a-f]{12}$/);
    expect(cacheDirFor('/s', account('https://iris.trackunit.com', 'client-b'))).not.toBe(a);
    expect(cacheDirFor('/s', account('http://127.0.0.1:8787', 'client-a'))).toMatch(/127\.0\.0\.1_8787-/);
  });
});
