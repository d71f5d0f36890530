/**
 * `tug doctor`: can tug work with this Trackunit account? Checks configuration, credentials, clock
 * skew, and per API the entitlement and the response shapes tug relies on. Exit 0 when nothing failed.
 */
import { ConfigError, TugError } from '../../errors.js';
import { DEFAULT_CREDENTIALS, startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { TrackunitClient } from '../../trackunit/client.js';
import { DEFAULT_AUTH_URL, DEFAULT_IRIS_URL, authFromEnv, clientConfig, type AuthConfig } from '../../trackunit/config.js';
import { runDoctor, type CheckStatus, type DoctorReport } from '../../trackunit/doctor.js';
import { ENDPOINT_PROBES } from '../../trackunit/endpoints/index.js';
import { writeLine, type RunContext } from '../context.js';

export interface DoctorFlags {
  irisUrl?: string;
  authUrl?: string;
  sandbox: boolean;
  format: string;
}

/** Base URLs: flag, then TRACKUNIT_IRIS_URL / TRACKUNIT_AUTH_URL, then the real Trackunit hosts. */
function baseUrls(flags: DoctorFlags, env: NodeJS.ProcessEnv): { irisUrl: string; authUrl: string } {
  return {
    irisUrl: flags.irisUrl ?? env.TRACKUNIT_IRIS_URL ?? DEFAULT_IRIS_URL,
    authUrl: flags.authUrl ?? env.TRACKUNIT_AUTH_URL ?? DEFAULT_AUTH_URL,
  };
}

function sandboxAuth(): AuthConfig {
  const key = DEFAULT_CREDENTIALS.apiKeys[0];
  if (!key) throw new TugError('internal_error', 'the sandbox has no default API key');
  return { flow: 'v2', clientId: key.clientId, clientSecret: key.clientSecret, scopes: key.allowedScopes };
}

const MARK: Record<CheckStatus, string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', skip: 'skip' };

function renderText(report: DoctorReport, ctx: RunContext): void {
  const c = ctx.color;
  const paint: Record<CheckStatus, (s: string) => string> = { ok: c.green, warn: c.yellow, fail: c.red, skip: c.dim };
  const width = Math.max(...report.checks.map((check) => check.name.length));
  for (const check of report.checks) {
    writeLine(ctx.stdout, `${paint[check.status](MARK[check.status])}  ${check.name.padEnd(width)}  ${check.detail}`);
    for (const mismatch of check.mismatches ?? []) writeLine(ctx.stdout, `${' '.repeat(width + 8)}- ${mismatch}`);
  }
  const { totals, tokenRequests } = report.metrics;
  writeLine(ctx.stdout, c.dim(`${totals.requests} API requests, ${tokenRequests} token request${tokenRequests === 1 ? '' : 's'}, ${totals.retries} retries, ${totals.rateLimited} rate-limited (the ISO check spends one of page 1's per-URL requests)`));
  writeLine(ctx.stdout, report.ok ? c.green('tug can work with this account.') : c.red('Some checks failed: see above.'));
}

export async function runDoctorCommand(flags: DoctorFlags, ctx: RunContext): Promise<number> {
  if (flags.format !== 'text' && flags.format !== 'json') {
    throw new ConfigError('invalid_option', `--format must be "text" or "json", got "${flags.format}"`);
  }
  let sandbox: SandboxHandle | undefined;
  let client: TrackunitClient | undefined;
  try {
    if (flags.sandbox) {
      sandbox = await startSandbox({ port: 0, seed: 'demo' });
      client = new TrackunitClient(clientConfig({ irisUrl: sandbox.url, authUrl: sandbox.url, auth: sandboxAuth() }));
    } else {
      client = new TrackunitClient(clientConfig({ ...baseUrls(flags, ctx.env), auth: authFromEnv(ctx.env) }));
    }
    const report = await runDoctor(client, ENDPOINT_PROBES, ctx.now);
    if (flags.format === 'json') writeLine(ctx.stdout, JSON.stringify(report, null, 2));
    else renderText(report, ctx);
    return report.ok ? 0 : 1;
  } finally {
    await client?.close();
    await sandbox?.close();
  }
}
