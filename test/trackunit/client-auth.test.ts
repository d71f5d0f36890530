/**
 * The client's token handling against the sandbox's authorization server: renewal before expiry,
 * 401 mid-run → exactly one renewal, single-flight under concurrency, both flows, clear auth errors.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { AuthError, ApiError } from '../../src/trackunit/errors.js';
import { start } from '../sandbox/helpers.js';
import { InstantClock, V1_AUTH, V2_AUTH, sandboxClient } from './helpers.js';

const SITES = '/api/site/v1/sites';
const list = { family: 'sites' as const, method: 'GET' as const, path: SITES };

let sandbox: SandboxHandle | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe('client authentication', () => {
  it('renews the token shortly before it expires, without ever meeting a 401', async () => {
    sandbox = await start({ seed: 'empty', tokenLifetimes: { v2Seconds: 100 } });
    const clock = new InstantClock();
    const client = sandboxClient(sandbox, {}, { clock });
    await client.request(list);
    expect(sandbox.tokens.issued.v2).toBe(1);
    clock.advance(85_000); // renewal margin for a 100 s token is 10 s: still fresh
    await client.request(list);
    expect(sandbox.tokens.issued.v2).toBe(1);
    clock.advance(6_000); // 91 s: inside the margin → renewed before use
    await client.request(list);
    expect(sandbox.tokens.issued.v2).toBe(2);
    expect(sandbox.requestLog.count((e) => e.status === 401)).toBe(0);
    expect(client.metricsSnapshot().tokenRequests).toBe(2);
    await client.close();
  });

  it('on a 401 mid-run (token revoked or expired early) renews once and retries once', async () => {
    sandbox = await start({ seed: 'empty' });
    const client = sandboxClient(sandbox);
    await client.request(list);
    sandbox.tokens.expireAll();
    const res = await client.request(list);
    expect(res.status).toBe(200);
    expect(sandbox.tokens.issued.v2).toBe(2);
    const statuses = sandbox.requestLog.all().filter((e) => e.route === 'sites.list').map((e) => e.status);
    expect(statuses).toEqual([200, 401, 200]);
    expect(client.metricsSnapshot().families.sites?.retries).toBe(1);
    await client.close();
  });

  it('a 401 that persists after the renewal is an ApiError, not a loop', async () => {
    sandbox = await start({ seed: 'empty', tokenLifetimes: { v2Seconds: 1 } });
    const clock = new InstantClock();
    const client = sandboxClient(sandbox, {}, { clock });
    // Every token the sandbox issues is revoked before use.
    const original = sandbox.tokens.issueAccess.bind(sandbox.tokens);
    sandbox.tokens.issueAccess = (principal, seconds) => {
      const token = original(principal, seconds);
      queueMicrotask(() => sandbox?.tokens.expireAll());
      return token;
    };
    const error = await client.request(list).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(sandbox.tokens.issued.v2).toBe(2);
    await client.close();
  });

  it('100 concurrent calls cause exactly one token request (single flight)', async () => {
    sandbox = await start({ seed: 'empty' });
    const client = sandboxClient(sandbox);
    const results = await Promise.all(Array.from({ length: 100 }, () => client.request(list)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(sandbox.tokens.issued.v2).toBe(1);
    expect(sandbox.requestLog.count((e) => e.route === 'auth.token-v2')).toBe(1);
    expect(client.metricsSnapshot().tokenRequests).toBe(1);
    await client.close();
  });

  it('v1: password grant with offline_access, then the refresh token instead of the password', async () => {
    sandbox = await start({ seed: 'empty', tokenLifetimes: { v1Seconds: 100 } });
    const clock = new InstantClock();
    const client = sandboxClient(sandbox, { auth: V1_AUTH }, { clock });
    await client.request(list);
    clock.advance(95_000);
    await client.request(list);
    expect(sandbox.tokens.issued.v1).toBe(2);
    expect(sandbox.tokens.issued.refresh).toBe(1);
    await client.close();
  });

  it('refused credentials give an AuthError naming the OAuth error and the variables to check', async () => {
    sandbox = await start({ seed: 'empty' });
    const client = sandboxClient(sandbox, { auth: { ...V2_AUTH, clientSecret: 'wrong-secret-value' } });
    const error = (await client.request(list).catch((e: unknown) => e)) as AuthError;
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toBe('POST /token/v2 refused to issue a token (401 invalid_client): Invalid client credentials.');
    expect(error.hint).toContain('TRACKUNIT_CLIENT_ID');
    const scoped = sandboxClient(sandbox, { auth: { ...V2_AUTH, scopes: ['asset.view', 'fleet.teleport'] } });
    const scopeError = (await scoped.request(list).catch((e: unknown) => e)) as AuthError;
    expect(scopeError.meta).toMatchObject({ oauthError: 'invalid_scope', status: 400 });
    await client.close();
    await scoped.close();
  });
});
