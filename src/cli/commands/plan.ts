/**
 * `tug plan`: what would apply change? Reads the manifests and the live account, prints the minimal
 * changes (text for people, markdown for pull requests, JSON = the plan file), optionally saves the plan
 * for `tug apply plan.json`. Never writes to Trackunit.
 *
 * Exit codes: 0 no changes (or changes without --detailed-exitcode) · 1 the plan has errors ·
 * 2 changes (with --detailed-exitcode) · 3 a safety breach (the full plan is shown first).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { writeFileAtomic } from '../../state/atomic-write.js';
import { LocalStateStore, openStateStore, type StateStore } from '../../state/index.js';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, ExitCode } from '../../errors.js';
import { loadProjectConfig } from '../../config/load.js';
import { loadManifestSet } from '../../manifests/index.js';
import type { Plan } from '../../core/plan.js';
import { REFRESH_MODES, type RefreshMode } from '../../core/inventory.js';
import { accountOf } from '../../trackunit/account.js';
import { runPlan } from '../../plan/run-plan.js';
import { targetProblem } from '../../plan/targets.js';
import { renderPlanJson } from '../../render/plan-json.js';
import { renderPlanMarkdown } from '../../render/plan-markdown.js';
import { renderPlanText } from '../../render/plan-text.js';
import { connectProject, type ConnectFlags } from '../connect.js';
import { writeLine, type RunContext } from '../context.js';

export interface PlanFlags extends ConnectFlags {
  config?: string;
  out?: string;
  format: string;
  detailedExitcode: boolean;
  target?: string[];
  refresh?: string;
}

/** Exit code of a finished plan (see the module comment). */
export function planExitCode(plan: Plan, detailed: boolean): number {
  if (!plan.safety.ok) return ExitCode.unsafe;
  if (plan.problems.some((p) => p.severity === 'error')) return ExitCode.error;
  return detailed && plan.changes.length > 0 ? ExitCode.changes : ExitCode.ok;
}

function targetError(code: string, messages: string[], hint: string): ConfigError {
  return new ConfigError(code, messages.join('; '), { hint, meta: { targets: messages } });
}

/** Before reading anything: every --target is Kind/identity with a known kind (else a typo plans nothing). */
function checkTargetForms(targets: string[]): void {
  const problems = targets.map(targetProblem).filter((p): p is string => p !== undefined);
  if (problems.length > 0) throw targetError('invalid_target', problems, 'Write a target as Kind/identity, e.g. --target Depot/aarhus or --target \'Customer/*\'.');
}

export async function runPlanCommand(flags: PlanFlags, ctx: RunContext): Promise<number> {
  if (!['text', 'markdown', 'json'].includes(flags.format)) {
    throw new ConfigError('invalid_option', `--format must be text, markdown or json, got "${flags.format}"`);
  }
  checkTargetForms(flags.target ?? []);
  const refresh = (flags.refresh ?? 'auto') as RefreshMode;
  if (!REFRESH_MODES.includes(refresh)) throw new ConfigError('invalid_option', `--refresh must be auto, full or none, got "${flags.refresh}"`);
  const config = await loadProjectConfig({ cwd: ctx.cwd, configPath: flags.config });
  const manifests = await loadManifestSet(config, ctx.cwd);
  const connection = await connectProject(config, flags, ctx.env);
  // An embedded sandbox is a fresh account every run: its ISO cache must not land in the project's state.
  const throwAway = connection.sandbox ? await mkdtemp(join(tmpdir(), 'tug-plan-iso-')) : undefined;
  let state: StateStore | undefined;
  try {
    state = throwAway ? new LocalStateStore(throwAway) : await openStateStore(config, ctx.env);
    const { plan, liveRequests: metrics, durationMs, warnings, unmatchedTargets } = await runPlan({
      client: connection.client,
      config,
      manifests,
      targets: flags.target,
      now: ctx.now,
      state,
      inventory: state.account(accountOf(connection.client.config)).kv,
      refresh,
    });
    if (unmatchedTargets) throw targetError('unknown_target', unmatchedTargets.map((u) => u.message), 'A target is Kind/identity as a plan shows it: a manifest\'s identity, or a live object\'s (* matches any characters).');
    for (const warning of warnings ?? []) writeLine(ctx.stderr, ctx.color.yellow(`warning: ${warning}`));
    if (flags.out) await writeFileAtomic(resolve(ctx.cwd, flags.out), renderPlanJson(plan));
    if (flags.format === 'json') ctx.stdout.write(renderPlanJson(plan));
    else if (flags.format === 'markdown') ctx.stdout.write(renderPlanMarkdown(plan));
    else {
      ctx.stdout.write(renderPlanText(plan, ctx.color));
      const reads = metrics.totals.requests;
      writeLine(ctx.stderr, ctx.color.dim(`Read the account with ${reads} API request${reads === 1 ? '' : 's'} in ${(durationMs / 1000).toFixed(1)} s.${flags.out ? ` Plan saved to ${flags.out}.` : ''}`));
    }
    return planExitCode(plan, flags.detailedExitcode);
  } finally {
    await connection.close();
    await state?.close();
    if (throwAway) await rm(throwAway, { recursive: true, force: true });
  }
}
