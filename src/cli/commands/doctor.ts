/**
 * `tug doctor`: can tug work with this Trackunit account? Checks configuration, credentials, clock
 * skew, and per API the entitlement and the response shapes tug relies on. Exit 0 when nothing failed.
 */
import { ConfigError } from '../../errors.js';
import { runDoctor, type CheckStatus, type DoctorReport } from '../../trackunit/doctor.js';
import { ENDPOINT_PROBES } from '../../trackunit/endpoints/index.js';
import type { MetricsSnapshot } from '../../trackunit/metrics.js';
import { formatCount, plural } from '../../render/count.js';
import { loadProjectConfig } from '../../config/load.js';
import { connectProject, type ConnectFlags } from '../connect.js';
import { writeLine, type RunContext } from '../context.js';

export interface DoctorFlags extends ConnectFlags {
  format: string;
}

const MARK: Record<CheckStatus, string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', skip: 'skip' };

/** Token and API requests alike are made at most this often: a check, not a job. */
export const DOCTOR_MAX_ATTEMPTS = 3;

/**
 * What the checks cost, as measured: retries include repeated token requests, and the note on the ISO
 * export's scarce per-URL budget appears only when the ISO check actually sent a request.
 */
export function requestsLine(metrics: MetricsSnapshot): string {
  const { totals, tokenRequests, tokenRetries } = metrics;
  const iso = metrics.families['iso-fleet']?.requests ?? 0;
  const isoNote = iso === 0 ? '' : ` (the ISO check spent ${iso === 1 ? 'one' : formatCount(iso)} of page 1's per-URL requests)`;
  return `${plural(totals.requests, 'API request')}, ${plural(tokenRequests, 'token request')}, ${plural(totals.retries + tokenRetries, 'retry', 'retries')}, ${formatCount(totals.rateLimited)} rate-limited${isoNote}`;
}

function renderText(report: DoctorReport, ctx: RunContext): void {
  const c = ctx.color;
  const paint: Record<CheckStatus, (s: string) => string> = { ok: c.green, warn: c.yellow, fail: c.red, skip: c.dim };
  const width = Math.max(...report.checks.map((check) => check.name.length));
  for (const check of report.checks) {
    writeLine(ctx.stdout, `${paint[check.status](MARK[check.status])}  ${check.name.padEnd(width)}  ${check.detail}`);
    for (const mismatch of check.mismatches ?? []) writeLine(ctx.stdout, `${' '.repeat(width + 8)}- ${mismatch}`);
  }
  writeLine(ctx.stdout, c.dim(requestsLine(report.metrics)));
  writeLine(ctx.stdout, report.ok ? c.green('tug can work with this account.') : c.red('Some checks failed: see above.'));
}

export async function runDoctorCommand(flags: DoctorFlags, ctx: RunContext): Promise<number> {
  if (flags.format !== 'text' && flags.format !== 'json') {
    throw new ConfigError('invalid_option', `--format must be "text" or "json", got "${flags.format}"`);
  }
  // Like plan and apply: tug.yaml here (if any) says where Trackunit is — `irisUrl: sandbox` included.
  const config = await loadProjectConfig({ cwd: ctx.cwd });
  // A check, not a job: a failing API is reported after a few attempts rather than retried for minutes.
  const connection = await connectProject(config, flags, ctx.env, { retry: { maxAttempts: DOCTOR_MAX_ATTEMPTS } });
  try {
    const report = await runDoctor(connection.client, ENDPOINT_PROBES, ctx.now);
    if (flags.format === 'json') writeLine(ctx.stdout, JSON.stringify(report, null, 2));
    else renderText(report, ctx);
    return report.ok ? 0 : 1;
  } finally {
    await connection.close();
  }
}
