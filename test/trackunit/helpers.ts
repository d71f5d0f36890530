/**
 * Helpers for client tests: a TrackunitClient pointed at a sandbox on loopback with the sandbox's
 * default credentials, exactly as a user would configure it through environment variables.
 */
import { TrackunitClient, type ClientDeps } from '../../src/trackunit/client.js';
import { clientConfig, type AuthConfig, type ClientConfig, type ClientConfigInput } from '../../src/trackunit/config.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import type { SchedulerClock } from '../../src/trackunit/rate-scheduler.js';

export const V2_AUTH: Extract<AuthConfig, { flow: 'v2' }> = {
  flow: 'v2',
  clientId: 'sandbox-key',
  clientSecret: 'sandbox-key-secret',
  scopes: ['asset.view', 'account.view', 'account.asset.manage', 'account.site.manage', 'account.customer.manage', 'account.custom-fields.manage'],
};

export const V1_AUTH: AuthConfig = {
  flow: 'v1',
  clientId: 'sandbox-client',
  clientSecret: 'sandbox-client-secret',
  username: 'sandbox-user',
  password: 'sandbox-password',
  offlineAccess: true,
};

/** Generous limits so tests are not slowed by the polite production defaults. */
export const FAST_LIMITS = Object.fromEntries(
  ['sites', 'customers', 'custom-fields', 'assets', 'rental', 'iso-fleet', 'iso-single'].map((f) => [f, { ratePerSecond: 10_000, burst: 10_000, maxInFlight: 16 }]),
) as ClientConfig['limits'];

export function sandboxClient(
  sandbox: SandboxHandle,
  overrides: Partial<ClientConfigInput> = {},
  deps: ClientDeps = {},
): TrackunitClient {
  return new TrackunitClient(
    clientConfig({
      irisUrl: sandbox.url,
      authUrl: sandbox.url,
      auth: V2_AUTH,
      limits: FAST_LIMITS,
      retry: { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 2_000 },
      ...overrides,
    }),
    deps,
  );
}

/**
 * A clock whose sleeps return at once and move virtual time forward: retry and rate-limit logic runs
 * unchanged, tests do not wait.
 */
export class InstantClock implements SchedulerClock {
  private t: number;
  slept = 0;
  constructor(start = Date.parse('2026-01-15T08:00:00Z')) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
  async sleep(ms: number): Promise<void> {
    this.t += ms;
    this.slept += ms;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
