/**
 * `tug sandbox`: run the Trackunit emulator in the foreground so a rental company can rehearse its
 * integration offline (and so `tug` itself can be pointed at it). Stops on Ctrl-C, saving `--data`.
 */
import { ConfigError } from '../../errors.js';
import { plural } from '../../render/count.js';
import { DEFAULT_CREDENTIALS, FakeClock, parseFaults, startSandbox, type SandboxOptions } from '../../sandbox/index.js';
import { FAMILIES, type Family } from '../../sandbox/router.js';
import type { RateLimits } from '../../sandbox/rate-limit.js';
import { writeLine, type RunContext } from '../context.js';

/** Raw commander options of `tug sandbox`. */
export interface SandboxFlags {
  port: string;
  host: string;
  data?: string;
  seed: string;
  assets?: string;
  customers?: string;
  latencyMs?: string;
  faults?: string;
  faultSeed?: string;
  rateLimit?: string[];
  tokenTtl?: string;
  clock?: string;
  irisx: boolean;
  format: string;
}

function integer(flag: string, raw: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new ConfigError('invalid_option', `${flag} must be a whole number between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function rateLimits(specs: string[] | undefined): RateLimits | undefined {
  if (!specs || specs.length === 0) return undefined;
  const limits: RateLimits = {};
  for (const spec of specs) {
    const m = /^([a-z-]+)=(\d+(?:\.\d+)?)(?:\/(\d+))?$/.exec(spec.trim());
    if (!m || !FAMILIES.includes(m[1] as Family)) {
      throw new ConfigError('invalid_option', `--rate-limit "${spec}" must be FAMILY=RATE[/BURST] with FAMILY one of ${FAMILIES.join(', ')}`, {
        hint: 'Example: --rate-limit rental=10 --rate-limit customers=20/40',
      });
    }
    limits[m[1] as Family] = { ratePerSecond: Number(m[2]), ...(m[3] ? { burst: Number(m[3]) } : {}) };
  }
  return limits;
}

/** Turn flags into typed sandbox options; every mistake names its flag. */
export function parseSandboxFlags(flags: SandboxFlags): SandboxOptions {
  if (flags.seed !== 'demo' && flags.seed !== 'empty') {
    throw new ConfigError('invalid_option', `--seed must be "demo" or "empty", got "${flags.seed}"`);
  }
  if (flags.format !== 'text' && flags.format !== 'json') {
    throw new ConfigError('invalid_option', `--format must be "text" or "json", got "${flags.format}"`);
  }
  let faults;
  try {
    faults = flags.faults ? parseFaults(flags.faults) : undefined;
  } catch (error) {
    throw new ConfigError('invalid_option', `--faults: ${(error as Error).message}`);
  }
  let clock;
  if (flags.clock !== undefined) {
    const at = flags.clock === 'fake' ? Date.now() : Date.parse(flags.clock);
    if (Number.isNaN(at)) throw new ConfigError('invalid_option', `--clock must be "fake" or an ISO 8601 date-time, got "${flags.clock}"`);
    clock = new FakeClock(at);
  }
  const ttl = integer('--token-ttl', flags.tokenTtl, 1, 86_400);
  return {
    port: integer('--port', flags.port, 0, 65_535),
    host: flags.host,
    dataFile: flags.data,
    seed: flags.seed,
    assets: integer('--assets', flags.assets, 0, 1_000_000),
    customers: integer('--customers', flags.customers, 0, 1_000_000),
    latencyMs: integer('--latency-ms', flags.latencyMs, 0, 60_000),
    faults,
    faultSeed: flags.faultSeed,
    rateLimits: rateLimits(flags.rateLimit),
    tokenLifetimes: ttl === undefined ? undefined : { v1Seconds: ttl, v2Seconds: ttl },
    clock,
    features: { irisx: flags.irisx },
  };
}

/**
 * The sign-in lines of the banner. The sandbox's default credentials are fixed and public (README,
 * "Sandbox"), so they are printed with the variables that point tug at it; credentials a caller passed
 * in are theirs and are never printed.
 */
export function credentialLines(url: string, options: Pick<SandboxOptions, 'credentials'>): string[] {
  const key = DEFAULT_CREDENTIALS.apiKeys[0];
  const user = DEFAULT_CREDENTIALS.apiUsers[0];
  if ((options.credentials !== undefined && options.credentials !== DEFAULT_CREDENTIALS) || !key || !user) {
    return ['  sign-in   the credentials this sandbox was started with (not shown)'];
  }
  return [
    `  API key   ${key.clientId} / ${key.clientSecret} (v2, every scope)`,
    `  API user  client ${user.clientId} / ${user.clientSecret}, user ${user.username} / ${user.password} (v1)`,
    '  These are the sandbox\'s fixed, public demo credentials. To point tug at this sandbox:',
    `    export TRACKUNIT_IRIS_URL=${url} TRACKUNIT_AUTH_URL=${url} TRACKUNIT_CLIENT_ID=${key.clientId} TRACKUNIT_CLIENT_SECRET=${key.clientSecret}`,
  ];
}

export async function runSandbox(options: SandboxOptions, format: 'text' | 'json', ctx: RunContext): Promise<void> {
  let sandbox;
  try {
    sandbox = await startSandbox(options);
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') {
      throw new ConfigError('port_in_use', `port ${options.port} is already in use`, { hint: 'Pick another with --port, or --port 0 for any free port.' });
    }
    throw new ConfigError('sandbox_start_failed', err.message, { cause: error });
  }
  const counts = sandbox.store.summary();
  if (format === 'json') {
    writeLine(ctx.stdout, JSON.stringify({ event: 'listening', url: sandbox.url, port: sandbox.port, objects: counts }));
  } else {
    const c = ctx.color;
    writeLine(ctx.stdout, `${c.bold('tug sandbox')} listening on ${c.cyan(sandbox.url)}`);
    const count = (key: string, noun: string) => plural(counts[key] ?? 0, noun);
    const objects = [count('assets', 'asset'), count('sites', 'site'), count('customers', 'customer'), count('definitions', 'custom field definition')];
    writeLine(ctx.stdout, `  account   ${sandbox.store.account.name}: ${objects.join(', ')}`);
    writeLine(ctx.stdout, `  auth      POST ${sandbox.url}/token (v1) and ${sandbox.url}/token/v2 (v2)`);
    writeLine(ctx.stdout, `  APIs      ${sandbox.url}/api/...   ISO export ${sandbox.url}/public/api/aemp/v2/15143/-3/Fleet/1`);
    writeLine(ctx.stdout, `  control   ${sandbox.url}/_sandbox/stats`);
    for (const line of credentialLines(sandbox.url, options)) writeLine(ctx.stdout, line);
    if (options.dataFile) writeLine(ctx.stdout, `  data      ${options.dataFile} (saved on every change)`);
    writeLine(ctx.stdout, c.dim('  Ctrl-C to stop'));
  }
  await new Promise<void>((resolve) => {
    ctx.onInterrupt(() => {
      void sandbox.close().then(resolve);
    });
  });
  if (format === 'text') writeLine(ctx.stdout, 'sandbox stopped');
}
