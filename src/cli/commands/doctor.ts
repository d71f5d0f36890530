/**
 * `tug doctor`: can tug work with this Trackunit account? Checks configuration, credentials, clock
 * skew, per API the entitlement and the response shapes tug relies on, and the state store (reachable,
 * schema current). Exit 0 when nothing failed.
 */
import { ConfigError, toTugError } from '../../errors.js';
import { openStateStore, type StateStore } from '../../state/index.js';
import { LATEST_VERSION } from '../../state/postgres/index.js';
import { runDoctor, type CheckResult, type CheckStatus, type DoctorReport } from '../../trackunit/doctor.js';
import { ENDPOINT_PROBES } from '../../trackunit/endpoints/index.js';
import type { MetricsSnapshot } from '../../trackunit/metrics.js';
import { formatCount, plural } from '../../render/count.js';
import { loadProjectConfig, type ProjectConfig } from '../../config/load.js';
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

/** The state store tug.yaml chooses: reachable, and its schema current (postgres); never creates anything. */
async function stateCheck(config: ProjectConfig, env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const name = 'state store';
  let store: StateStore | undefined;
  try {
    store = await openStateStore(config, env, { migrate: false });
    if (store.backend === 'local') return { name, status: 'ok', detail: `${store.description} (local backend: this machine only)` };
    const version = await store.schemaVersion();
    if (version === 0) return { name, status: 'warn', detail: `${store.description}: reachable, no tables yet (the first plan or apply creates them, or \`tug state migrate\`)` };
    if (version < LATEST_VERSION) return { name, status: 'warn', detail: `${store.description}: schema version ${version}, this tug migrates it to ${LATEST_VERSION} on first use (or \`tug state migrate\`)` };
    if (version > LATEST_VERSION) return { name, status: 'fail', detail: `${store.description}: schema version ${version} is newer than this tug knows (${LATEST_VERSION}): upgrade tug` };
    return { name, status: 'ok', detail: `${store.description}: reachable, schema version ${version}` };
  } catch (error) {
    return { name, status: 'fail', detail: toTugError(error).message };
  } finally {
    await store?.close();
  }
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
    const api = await runDoctor(connection.client, ENDPOINT_PROBES, ctx.now);
    const state = await stateCheck(config, ctx.env);
    const report: DoctorReport = { ...api, checks: [...api.checks, state], ok: api.ok && state.status !== 'fail' };
    if (flags.format === 'json') writeLine(ctx.stdout, JSON.stringify(report, null, 2));
    else renderText(report, ctx);
    return report.ok ? 0 : 1;
  } finally {
    await connection.close();
  }
}
