/**
 * `tug drift`: a full, read-only comparison of the account with the manifests, each difference in one
 * of five classes (src/core/drift.ts), as text, markdown or JSON.
 *
 * Exit codes: 0 no drift in the `--fail-on` classes (default: all five) · 1 an error, or a manifest the
 * plan could not compare · 2 drift found.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ExitCode } from '../../errors.js';
import { loadProjectConfig } from '../../config/load.js';
import { loadManifestSet } from '../../manifests/index.js';
import { parseFailOn, runDrift, type DriftReport } from '../../drift/run-drift.js';
import type { DriftClass } from '../../core/drift.js';
import { renderDriftJson, renderDriftMarkdown, renderDriftText } from '../../render/drift.js';
import { LocalStateStore, openStateStore, type StateStore } from '../../state/index.js';
import { accountOf } from '../../trackunit/account.js';
import { connectProject, type ConnectFlags } from '../connect.js';
import { writeLine, type RunContext } from '../context.js';

export interface DriftFlags extends ConnectFlags {
  config?: string;
  format: string;
  failOn?: string[];
}

export function driftExitCode(report: DriftReport, failOn: readonly DriftClass[]): number {
  if (report.items.some((i) => failOn.includes(i.class))) return ExitCode.changes;
  return report.errors.length > 0 ? ExitCode.error : ExitCode.ok;
}

export async function runDriftCommand(flags: DriftFlags, ctx: RunContext): Promise<number> {
  if (!['text', 'markdown', 'json'].includes(flags.format)) throw new ConfigError('invalid_option', `--format must be text, markdown or json, got "${flags.format}"`);
  const failOn = flags.failOn === undefined ? ([1, 2, 3, 4, 5] as DriftClass[]) : parseFailOn(flags.failOn);
  if (!failOn) {
    throw new ConfigError(
      'invalid_option',
      `--fail-on takes classes 1–5 or their names (live-changed, git-ahead, deleted, unmanaged, irreversible), got "${flags.failOn!.join(',')}"`,
    );
  }
  const config = await loadProjectConfig({ cwd: ctx.cwd, configPath: flags.config });
  const manifests = await loadManifestSet(config, ctx.cwd);
  const errors = manifests.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) {
    throw new ConfigError('invalid_manifests', `the manifests have ${errors} error${errors === 1 ? '' : 's'}; drift was not checked`, {
      hint: 'Run `tug validate` to see each one.',
    });
  }
  const connection = await connectProject(config, flags, ctx.env);
  const throwAway = connection.sandbox ? await mkdtemp(join(tmpdir(), 'tug-drift-')) : undefined;
  let state: StateStore | undefined;
  try {
    state = throwAway ? new LocalStateStore(throwAway) : await openStateStore(config, ctx.env);
    const report = await runDrift({ client: connection.client, config, manifests, state, inventory: state.account(accountOf(connection.client.config)).kv, now: ctx.now });
    for (const warning of report.warnings) writeLine(ctx.stderr, ctx.color.yellow(`warning: ${warning}`));
    if (flags.format === 'json') ctx.stdout.write(renderDriftJson(report));
    else if (flags.format === 'markdown') ctx.stdout.write(renderDriftMarkdown(report));
    else ctx.stdout.write(renderDriftText(report, ctx.color));
    writeLine(
      ctx.stderr,
      ctx.color.dim(`Compared every object live with ${report.requests} API request${report.requests === 1 ? '' : 's'} in ${(report.durationMs / 1000).toFixed(1)} s.`),
    );
    return driftExitCode(report, failOn);
  } finally {
    await connection.close();
    await state?.close();
    if (throwAway) await rm(throwAway, { recursive: true, force: true });
  }
}
