/**
 * A refused connection: a wrong Iris URL (or a sandbox not started) took 10 attempts and ~70 s of
 * backoff to say so. A host that never answered now gets UNREACHABLE_ATTEMPTS quick attempts and an error
 * naming the URL; a host that did answer keeps the full budget (a restart). Real sockets on loopback, a
 * closed port made by binding and closing a server; time is the InstantClock's, so nothing waits.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { TrackunitClient } from '../../src/trackunit/client.js';
import { clientConfig } from '../../src/trackunit/config.js';
import { ApiError, AuthError } from '../../src/trackunit/errors.js';
import { attemptsAfterNetworkError, UNREACHABLE_ATTEMPTS } from '../../src/trackunit/retry.js';
import { start } from '../sandbox/helpers.js';
import { FAST_LIMITS, InstantClock, V2_AUTH, sandboxClient } from './helpers.js';

const list = { family: 'sites' as const, method: 'GET' as const, path: '/api/site/v1/sites' };
/** The production retry budget: 10 attempts, 200 ms doubling to 30 s. */
const PRODUCTION_RETRY = { maxAttempts: 10, baseDelayMs: 200, maxDelayMs: 30_000 };

/** A loopback URL where nothing listens: a port that was just free. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

let sandbox: SandboxHandle | undefined;
let client: TrackunitClient | undefined;
afterEach(async () => {
  await client?.close();
  await sandbox?.close();
  client = undefined;
  sandbox = undefined;
});

describe('a refused connection', () => {
  it('to an Iris URL that never answered fails after a few quick attempts, naming the URL', async () => {
    sandbox = await start({ seed: 'empty' }); // the authorization server works; only Iris is wrong
    const iris = await closedPortUrl();
    const clock = new InstantClock();
    client = new TrackunitClient(clientConfig({ irisUrl: iris, authUrl: sandbox.url, auth: V2_AUTH, limits: FAST_LIMITS, retry: PRODUCTION_RETRY }), { clock, random: () => 1 });
    const error = (await client.request(list).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.attempts).toBe(UNREACHABLE_ATTEMPTS);
    expect(UNREACHABLE_ATTEMPTS).toBe(3);
    expect(client.metricsSnapshot().families.sites!.requests).toBe(3);
    expect(clock.slept).toBeLessThan(1_000); // backoff between the attempts: 200 + 400 ms at most
    expect(error.message).toBe(`GET /api/site/v1/sites failed (no response ECONNREFUSED) after 3 attempts: connection refused at ${iris}`);
    expect(error.hint).toContain('TRACKUNIT_IRIS_URL');
  });

  it('to an Iris host that answered before keeps the full retry budget (a restart, not a wrong URL)', async () => {
    sandbox = await start({ seed: 'empty' });
    const clock = new InstantClock();
    client = sandboxClient(sandbox, {}, { clock });
    expect((await client.request(list)).status).toBe(200);
    await sandbox.close();
    sandbox = undefined;
    const error = (await client.request(list).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.apiCode).toBe('ECONNREFUSED');
    expect(error.attempts).toBe(6); // sandboxClient's maxAttempts
  });

  it('to the authorization server names its URL', async () => {
    const auth = await closedPortUrl();
    client = new TrackunitClient(clientConfig({ irisUrl: auth, authUrl: auth, auth: V2_AUTH, limits: FAST_LIMITS, retry: PRODUCTION_RETRY }), { clock: new InstantClock() });
    const error = (await client.request(list).catch((e: unknown) => e)) as AuthError;
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toBe(`POST /token/v2 failed after 4 attempts (no response ECONNREFUSED): no response from the authorization server at ${auth}`);
  });
});

describe('attemptsAfterNetworkError', () => {
  it('caps refused and unresolvable hosts that never answered; everything else keeps its budget', () => {
    expect(attemptsAfterNetworkError('ECONNREFUSED', false, 10)).toBe(3);
    expect(attemptsAfterNetworkError('ENOTFOUND', false, 10)).toBe(3);
    expect(attemptsAfterNetworkError('ECONNREFUSED', true, 10)).toBe(10);
    expect(attemptsAfterNetworkError('ECONNRESET', false, 10)).toBe(10);
    expect(attemptsAfterNetworkError('UND_ERR_CONNECT_TIMEOUT', false, 10)).toBe(10);
    expect(attemptsAfterNetworkError('ECONNREFUSED', false, 1)).toBe(1); // the ISO export's single attempt stays single
  });
});
