/**
 * Pure parts of the client: configuration from the environment, URL safety, retry classification,
 * backoff, Retry-After parsing, path redaction and the rate scheduler on a virtual clock.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { DEFAULT_LIMITS, authFromEnv, checkBaseUrl, clientConfig } from '../../src/trackunit/config.js';
import { safePath } from '../../src/trackunit/errors.js';
import { RateScheduler } from '../../src/trackunit/rate-scheduler.js';
import { backoffMs, classifyNetworkError, classifyStatus, parseRetryAfter } from '../../src/trackunit/retry.js';
import { InstantClock } from './helpers.js';

describe('configuration', () => {
  it('reads v2 credentials from the environment, v1 when a username is set', () => {
    expect(authFromEnv({ TRACKUNIT_CLIENT_ID: 'id', TRACKUNIT_CLIENT_SECRET: 's', TRACKUNIT_SCOPES: 'asset.view, account.view' })).toEqual({
      flow: 'v2',
      clientId: 'id',
      clientSecret: 's',
      scopes: ['asset.view', 'account.view'],
    });
    expect(authFromEnv({ TRACKUNIT_CLIENT_ID: 'id', TRACKUNIT_CLIENT_SECRET: 's', TRACKUNIT_USERNAME: 'u', TRACKUNIT_PASSWORD: 'p' })).toMatchObject({
      flow: 'v1',
      username: 'u',
      offlineAccess: true,
    });
  });

  it('names every missing variable', () => {
    expect(() => authFromEnv({})).toThrow('missing environment variables TRACKUNIT_CLIENT_ID, TRACKUNIT_CLIENT_SECRET');
    expect(() => authFromEnv({ TRACKUNIT_CLIENT_ID: 'id', TRACKUNIT_CLIENT_SECRET: 's', TRACKUNIT_USERNAME: 'u' })).toThrow(
      'missing environment variable TRACKUNIT_PASSWORD',
    );
  });

  it('requires TLS except on loopback', () => {
    expect(checkBaseUrl('iris URL', 'https://iris.trackunit.com').origin).toBe('https://iris.trackunit.com');
    expect(checkBaseUrl('iris URL', 'http://127.0.0.1:8787').port).toBe('8787');
    expect(checkBaseUrl('iris URL', 'http://[::1]:8787').hostname).toBe('[::1]');
    expect(() => checkBaseUrl('iris URL', 'http://iris.example.com')).toThrow(ConfigError);
    expect(() => checkBaseUrl('iris URL', 'http://iris.example.com')).toThrow(/must use https/);
    expect(() => checkBaseUrl('auth URL', 'not a url')).toThrow('auth URL "not a url" is not a URL');
  });

  it('fills defaults and refuses impossible values', () => {
    const config = clientConfig({ auth: { flow: 'v2', clientId: 'a', clientSecret: 'b', scopes: [] }, limits: { rental: { ratePerSecond: 3 } } });
    expect(config.irisUrl).toBe('https://iris.trackunit.com');
    expect(config.limits.rental).toEqual({ ...DEFAULT_LIMITS.rental, ratePerSecond: 3 });
    expect(config.limits['iso-fleet'].ratePerSecond + (config.limits['iso-fleet'].burst ?? 0)).toBeLessThanOrEqual(50);
    expect(config.pageSize).toBe(1000);
    expect(() => clientConfig({ auth: config.auth, pageSize: 1001 })).toThrow(/between 1 and 1000/);
    expect(() => clientConfig({ auth: config.auth, limits: { sites: { ratePerSecond: 0 } } })).toThrow(/must be > 0/);
  });
});

describe('retry classification', () => {
  it('retries 429/502/503/504 for idempotent requests and never other 4xx or 500', () => {
    for (const status of [429, 502, 503, 504]) expect(classifyStatus(status, true).action).toBe('retry');
    for (const status of [400, 401, 403, 404, 409, 422, 500]) expect(classifyStatus(status, true).action).toBe('fail');
  });

  it('for creates, only failures that certainly wrote nothing are retried', () => {
    expect(classifyStatus(429, false).action).toBe('retry');
    expect(classifyStatus(503, false).action).toBe('retry');
    expect(classifyStatus(502, false).action).toBe('unknown-outcome');
    expect(classifyStatus(504, false).action).toBe('unknown-outcome');
    expect(classifyNetworkError('ECONNREFUSED', false).action).toBe('retry');
    expect(classifyNetworkError('UND_ERR_SOCKET', false).action).toBe('unknown-outcome');
    expect(classifyNetworkError('UND_ERR_HEADERS_TIMEOUT', false).action).toBe('unknown-outcome');
    expect(classifyNetworkError('ECONNRESET', true).action).toBe('retry');
  });

  it('backs off exponentially with jitter, capped', () => {
    const config = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 60_000 };
    expect(backoffMs(1, config, () => 0)).toBe(50);
    expect(backoffMs(1, config, () => 1)).toBe(100);
    expect(backoffMs(3, config, () => 1)).toBe(400);
    expect(backoffMs(9, config, () => 1)).toBe(1000);
    expect(backoffMs(9, config, () => 0)).toBe(500);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('redacts secret-looking query parameters in error paths', () => {
    expect(safePath(new URL('https://x/api/a?size=5&access_token=abc&clientSecret=s'))).toBe('/api/a?size=5&access_token=REDACTED&clientSecret=REDACTED');
    expect(safePath(new URL('https://x/api/a'))).toBe('/api/a');
  });
});

describe('rate scheduler (virtual clock)', () => {
  const limits = { ...DEFAULT_LIMITS, sites: { ratePerSecond: 10, burst: 2, maxInFlight: 100 } };

  it('lets a burst through, then spaces requests at the configured rate', async () => {
    const clock = new InstantClock(0);
    const scheduler = new RateScheduler(limits, clock);
    const times: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      const slot = await scheduler.acquire('sites');
      times.push(clock.now());
      slot.release();
    }
    expect(times.slice(0, 2)).toEqual([0, 0]);
    // 10 more at 10/s → the 12th at ~1 s.
    expect(times[11]).toBeGreaterThanOrEqual(990);
    expect(times[11]).toBeLessThanOrEqual(1010);
  });

  it('pauses for Retry-After, or 1 s, 2 s, 4 s … without it, and halves the rate down to a floor', async () => {
    const clock = new InstantClock(0);
    const scheduler = new RateScheduler(limits, clock);
    expect(scheduler.onRateLimited('sites', 2000)).toBe(2000);
    const slot = await scheduler.acquire('sites');
    expect(clock.now()).toBeGreaterThanOrEqual(2000);
    slot.release();
    scheduler.onSuccess('sites'); // a success resets the exponential pause
    expect(scheduler.onRateLimited('sites', undefined)).toBe(1000);
    expect(scheduler.onRateLimited('sites', undefined)).toBe(2000);
    expect(scheduler.onRateLimited('sites', undefined)).toBe(4000);
    for (let i = 0; i < 10; i += 1) scheduler.onRateLimited('sites', 0);
    expect(scheduler.currentRate('sites')).toBe(0.5);
  });

  it('caps requests in flight per family', async () => {
    const clock = new InstantClock(0);
    const scheduler = new RateScheduler({ ...DEFAULT_LIMITS, sites: { ratePerSecond: 1000, burst: 1000, maxInFlight: 2 } }, clock);
    const a = await scheduler.acquire('sites');
    const b = await scheduler.acquire('sites');
    let third = false;
    const c = scheduler.acquire('sites').then((slot) => {
      third = true;
      return slot;
    });
    await new Promise((r) => setImmediate(r));
    expect(third).toBe(false);
    a.release();
    (await c).release();
    expect(third).toBe(true);
    b.release();
  });

  it('predicts the duration of a request budget from the configured rate', () => {
    const scheduler = new RateScheduler({ ...DEFAULT_LIMITS, rental: { ratePerSecond: 10, burst: 10 } });
    expect(Math.round(scheduler.predictSeconds('rental', 10_000) / 60)).toBe(17);
  });
});
