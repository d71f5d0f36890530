/**
 * How a command gets a Trackunit client: base URLs from flags, then TRACKUNIT_IRIS_URL /
 * TRACKUNIT_AUTH_URL, then the real Trackunit hosts; credentials from environment variables only.
 * `--sandbox` starts an embedded sandbox (demo seed) and uses its built-in credentials instead.
 */
import { TugError } from '../errors.js';
import { DEFAULT_CREDENTIALS, startSandbox, type SandboxHandle } from '../sandbox/index.js';
import { TrackunitClient } from '../trackunit/client.js';
import { DEFAULT_AUTH_URL, DEFAULT_IRIS_URL, authFromEnv, clientConfig, type AuthConfig, type ClientConfigInput } from '../trackunit/config.js';
import type { ProjectConfig } from '../config/load.js';

export interface ConnectFlags {
  irisUrl?: string;
  authUrl?: string;
  sandbox?: boolean;
}

export interface Connection {
  client: TrackunitClient;
  /** Set when --sandbox started an embedded one. */
  sandbox?: SandboxHandle;
  close(): Promise<void>;
}

function sandboxAuth(): AuthConfig {
  const key = DEFAULT_CREDENTIALS.apiKeys[0];
  if (!key) throw new TugError('internal_error', 'the sandbox has no default API key');
  return { flow: 'v2', clientId: key.clientId, clientSecret: key.clientSecret, scopes: key.allowedScopes };
}

export async function connect(flags: ConnectFlags, env: NodeJS.ProcessEnv, extra: Omit<ClientConfigInput, 'auth'> = {}, scopes?: string[]): Promise<Connection> {
  if (flags.sandbox) {
    const sandbox = await startSandbox({ port: 0, seed: 'demo' });
    const client = new TrackunitClient(clientConfig({ ...extra, irisUrl: sandbox.url, authUrl: sandbox.url, auth: sandboxAuth() }));
    return {
      client,
      sandbox,
      close: async () => {
        await client.close();
        await sandbox.close();
      },
    };
  }
  const client = new TrackunitClient(
    clientConfig({
      ...extra,
      irisUrl: flags.irisUrl ?? env.TRACKUNIT_IRIS_URL ?? extra.irisUrl ?? DEFAULT_IRIS_URL,
      authUrl: flags.authUrl ?? env.TRACKUNIT_AUTH_URL ?? extra.authUrl ?? DEFAULT_AUTH_URL,
      auth: authFromEnv(env, scopes),
    }),
  );
  return { client, close: () => client.close() };
}

/**
 * A client for a project: tug.yaml's trackunit section and rate limits, overridden by flags and the
 * TRACKUNIT_* variables. `irisUrl: sandbox` (or --sandbox) runs against an embedded sandbox with the demo
 * seed — fresh on every run, for demos and trials.
 */
export async function connectProject(
  config: ProjectConfig,
  flags: ConnectFlags,
  env: NodeJS.ProcessEnv,
  overrides: Pick<ClientConfigInput, 'retry' | 'timeouts'> = {},
): Promise<Connection> {
  const extra: Omit<ClientConfigInput, 'auth'> = {
    ...overrides,
    limits: config.rateLimits,
    ...(config.trackunit.irisUrl ? { irisUrl: config.trackunit.irisUrl } : {}),
    ...(config.trackunit.authUrl ? { authUrl: config.trackunit.authUrl } : {}),
  };
  // `irisUrl: sandbox` is tug.yaml's choice of URL: --iris-url and TRACKUNIT_IRIS_URL override it, as they
  // override any other irisUrl there.
  const urlGiven = Boolean(flags.irisUrl ?? env.TRACKUNIT_IRIS_URL);
  return connect({ ...flags, sandbox: flags.sandbox || (config.trackunit.sandbox && !urlGiven) }, env, extra, config.trackunit.scopes);
}
