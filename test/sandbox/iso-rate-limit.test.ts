import { describe, expect, it } from 'vitest';
import { FakeClock, type SandboxHandle } from '../../src/sandbox/index.js';
import type { SandboxOptions } from '../../src/sandbox/index.js';
import { authed, caller, start, v2Token } from './helpers.js';

/**
 * The ISO export's documented limits, observed over HTTP with a fake clock: one request per full URL
 * (query included) per 15 minutes, a troubleshooting pool of extra requests per URL that comes back
 * 30 days after use, and a per-second cap per endpoint class.
 */
const ISO = '/public/api/aemp/v2/15143/-3';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const key = (pathAndQuery: string) => `GET ${ISO}${pathAndQuery}`;

async function withSandbox(options: SandboxOptions, body: (sandbox: SandboxHandle, clock: FakeClock) => Promise<void>): Promise<void> {
  const clock = new FakeClock('2026-01-15T08:00:00Z');
  const sandbox = await start({ seed: 'demo', clock, ...options });
  try {
    await body(sandbox, clock);
  } finally {
    await sandbox.close();
  }
}

describe('ISO 15143-3 export rate limits', () => {
  it('serves a repeated URL from the troubleshooting pool; another query string is another URL; 15 minutes reset it', () =>
    withSandbox({}, async (sandbox, clock) => {
      let call = await authed(sandbox);
      const first = await call('GET', `${ISO}/Fleet/1`);
      expect(first.status).toBe(200);
      expect(sandbox.isoLimiter.poolUsesTotal).toBe(0);
      expect((await call('GET', `${ISO}/Fleet/1`)).status).toBe(200);
      expect(sandbox.isoLimiter.poolUsesTotal).toBe(1);
      expect(sandbox.isoLimiter.poolUsesFor(key('/Fleet/1'))).toBe(1);

      expect((await call('GET', `${ISO}/Fleet/1?addMetadata=true`)).status).toBe(200);
      expect(sandbox.isoLimiter.poolUsesTotal).toBe(1);

      clock.advance(15 * MINUTE);
      call = await authed(sandbox);
      expect((await call('GET', `${ISO}/Fleet/1`)).status).toBe(200);
      expect(sandbox.isoLimiter.poolUsesTotal).toBe(1);

      // The documented pool holds 50: 49 more quick requests succeed, the next one is refused.
      for (let i = 0; i < 49; i += 1) expect((await call('GET', `${ISO}/Fleet/1`)).status).toBe(200);
      expect(sandbox.isoLimiter.poolUsesFor(key('/Fleet/1'))).toBe(50);
      const refused = await call('GET', `${ISO}/Fleet/1`);
      expect(refused.status).toBe(429);
      expect(sandbox.isoLimiter.poolUsesTotal).toBe(50);
    }));

  it('refuses once the pool is used up (429, Retry-After until the window ends); pool uses return after 30 days', () =>
    withSandbox({ isoLimits: { poolSize: 2 } }, async (sandbox, clock) => {
      let call = await authed(sandbox);
      const url = `${ISO}/Fleet/Equipment/ID/3400001`;
      expect((await call('GET', url)).status).toBe(200);
      expect((await call('GET', url)).status).toBe(200);
      expect((await call('GET', url)).status).toBe(200);
      const refused = await call('GET', url);
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ status: 429, code: 'too_many_requests' });
      expect(typeof refused.body.message).toBe('string');
      expect(refused.headers.get('retry-after')).toBe('900');

      clock.advance(10 * MINUTE);
      const later = await call('GET', url);
      expect(later.status).toBe(429);
      expect(later.headers.get('retry-after')).toBe('300');

      clock.advance(5 * MINUTE);
      expect((await call('GET', url)).status).toBe(200);
      expect(sandbox.isoLimiter.poolUsesFor(key('/Fleet/Equipment/ID/3400001'))).toBe(2);
      expect((await call('GET', url)).status).toBe(429); // the pool uses are still within 30 days

      clock.advance(30 * DAY);
      call = caller(sandbox, await v2Token(sandbox, ['asset.view'])); // the old token expired long ago
      expect((await call('GET', url)).status).toBe(200);
      expect((await call('GET', url)).status).toBe(200);
      expect(sandbox.isoLimiter.poolUsesFor(key('/Fleet/Equipment/ID/3400001'))).toBe(1);
      expect(sandbox.isoLimiter.poolUsesTotal).toBe(3);
    }));

  it('does not spend a URL budget on 401 or 403 answers', () =>
    withSandbox({}, async (sandbox) => {
      const anonymous = await fetch(`${sandbox.url}${ISO}/Fleet/1`);
      expect(anonymous.status).toBe(401);
      const unscoped = caller(sandbox, await v2Token(sandbox, ['account.view']));
      expect((await unscoped('GET', `${ISO}/Fleet/1`)).status).toBe(403);
      const call = await authed(sandbox);
      expect((await call('GET', `${ISO}/Fleet/1`)).status).toBe(200);
      expect(sandbox.isoLimiter.poolUsesTotal).toBe(0);
      expect((await call('GET', `${ISO}/Fleet/1`)).status).toBe(200);
      expect(sandbox.isoLimiter.poolUsesTotal).toBe(1); // the first authorized request was the normal one
    }));

  it('caps fleet pages per second per customer; the single-element endpoint has its own cap', () =>
    withSandbox({ isoLimits: { fleetPerSecond: 3 } }, async (sandbox, clock) => {
      const call = await authed(sandbox);
      for (const page of [1, 2, 3]) expect((await call('GET', `${ISO}/Fleet/${page}`)).status).toBe(200);
      const refused = await call('GET', `${ISO}/Fleet/4`);
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ status: 429, code: 'too_many_requests' });
      expect(refused.headers.get('retry-after')).toBe('1');
      expect((await call('GET', `${ISO}/Fleet/Equipment/ID/3400001`)).status).toBe(200);
      expect(sandbox.isoLimiter.poolUsesTotal).toBe(0);

      clock.advance(1000);
      expect((await call('GET', `${ISO}/Fleet/4`)).status).toBe(200);
      expect(sandbox.isoLimiter.poolUsesTotal).toBe(0); // the refused request did not use the URL's budget
    }));
});
