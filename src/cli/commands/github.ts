/**
 * `tug github …`: the GitOps loop's steps in GitHub Actions (src/github/, workflows in
 * examples/.github/workflows/):
 *
 *   comment  (pull_request)  post the plan file as the pull request's one plan comment, updated in place on
 *                            every push; keep the plan in the state store for the apply after the merge;
 *                            write the job summary. Exit: the plan's (0, 3 unsafe, 1 plan errors).
 *   apply    (push to main)  apply exactly the merged pull request's approved plan, or refuse with exit 4
 *                            and post why on the pull request; exit codes as `tug apply`.
 *   drift    (schedule)      `tug drift`, then open, update or close the one `tug-drift` issue. Exit 0
 *                            when the issue says what was found; 1 on an error.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { applyExitCode, applyPlan } from '../../apply/index.js';
import { loadProjectConfig } from '../../config/load.js';
import { runDrift } from '../../drift/run-drift.js';
import { ExitCode, TugError, toTugError } from '../../errors.js';
import type { ApplyReport } from '../../apply/report.js';
import { findApprovedPlan } from '../../github/approved.js';
import { APPLY_MARKER, GITHUB_BODY_LIMIT, PLAN_MARKER, planCommentBody, upsertComment } from '../../github/comments.js';
import { githubContext, runUrl, type GitHubContext } from '../../github/context.js';
import { syncDriftIssue } from '../../github/drift-issue.js';
import { loadManifestSet } from '../../manifests/index.js';
import { renderApplyMarkdown } from '../../render/apply-markdown.js';
import { escapeMarkdown, fencedBlock } from '../../render/escape-markdown.js';
import { renderPlanMarkdown } from '../../render/plan-markdown.js';
import { renderDriftMarkdown } from '../../render/drift.js';
import { openStateStore } from '../../state/index.js';
import { readPlanFile } from '../../state/plan-file.js';
import { accountOf } from '../../trackunit/account.js';
import { connectProject, type ConnectFlags } from '../connect.js';
import { writeLine, type RunContext } from '../context.js';
import { planExitCode } from './plan.js';

export interface GitHubFlags extends ConnectFlags {
  config?: string;
  plan?: string;
}

async function summary(ctx: GitHubContext, markdown: string): Promise<void> {
  if (ctx.stepSummary) await appendFile(ctx.stepSummary, `${markdown.trimEnd()}\n\n`);
}

/** `tug github comment --plan plan.json` */
export async function runGitHubComment(flags: GitHubFlags, ctx: RunContext): Promise<number> {
  if (!flags.plan) throw new TugError('missing_argument', '--plan <file> is required: the plan file `tug plan --out` wrote');
  const text = await readFile(resolve(ctx.cwd, flags.plan), 'utf8').catch((error: Error) => {
    throw new TugError('plan_unreadable', `Cannot read the plan file ${flags.plan}: ${error.message}`);
  });
  const plan = readPlanFile(text);
  const gh = await githubContext(ctx.env);
  if (gh.pullNumber === undefined) throw new TugError('github_env', 'the event is not a pull request: `tug github comment` runs on pull_request');
  const config = await loadProjectConfig({ cwd: ctx.cwd, configPath: flags.config });
  const connection = await connectProject(config, flags, ctx.env);
  const store = await openStateStore(config, ctx.env);
  try {
    // Kept where the apply after the merge finds it (a shared state store: PostgreSQL).
    await store.account(accountOf(connection.client.config)).journals.keepPlan(plan.fingerprint, text);
    const posted = await upsertComment(gh, gh.pullNumber, PLAN_MARKER, planCommentBody(plan, gh));
    await summary(gh, renderPlanMarkdown(plan));
    writeLine(ctx.stdout, `${posted.created ? 'Posted' : 'Updated'} the plan comment on #${gh.pullNumber} (plan ${plan.digest}).`);
    return planExitCode(plan, false);
  } finally {
    await store.close();
    await connection.close();
  }
}

/** `tug github apply` */
export async function runGitHubApply(flags: GitHubFlags, ctx: RunContext): Promise<number> {
  const gh = await githubContext(ctx.env);
  const config = await loadProjectConfig({ cwd: ctx.cwd, configPath: flags.config });
  const manifests = await loadManifestSet(config, ctx.cwd);
  const store = await openStateStore(config, ctx.env);
  const connection = await connectProject(config, flags, ctx.env);
  let pullNumber: number | undefined;
  let report: ApplyReport | undefined;
  try {
    const account = store.account(accountOf(connection.client.config));
    const approved = await findApprovedPlan(gh, account.journals);
    pullNumber = approved.pullNumber;
    writeLine(ctx.stderr, `Applying the plan approved on #${pullNumber} (${approved.plan.digest}).`);
    report = await applyPlan({ client: connection.client, plan: approved.plan, config, manifests, state: store, now: ctx.now });
  } catch (error) {
    const tug = toTugError(error);
    const pull = pullNumber ?? (typeof tug.meta?.pullNumber === 'number' ? tug.meta.pullNumber : undefined);
    if (pull !== undefined) await postFailure(gh, pull, tug);
    await Promise.all([connection.close(), store.close()]);
    throw tug;
  }
  try {
    const markdown = renderApplyMarkdown(report);
    await upsertComment(gh, pullNumber, APPLY_MARKER, `${APPLY_MARKER}\n${markdown}`);
    await summary(gh, markdown);
    writeLine(ctx.stdout, `Applied the approved plan of #${pullNumber}: ${report.outcomes.filter((o) => o.status === 'applied').length} changes applied.`);
    return applyExitCode(report);
  } finally {
    await connection.close();
    await store.close();
  }
}

/**
 * Why the apply did not happen, on the pull request. A refusal (stale, unsafe, no approved plan) comes
 * before any write; any other failure may come after some (an interrupted apply keeps its journal).
 */
async function postFailure(gh: GitHubContext, pull: number, error: TugError): Promise<void> {
  const refused = error.exitCode === ExitCode.stale || error.exitCode === ExitCode.unsafe;
  const run = runUrl(gh);
  const body = [
    APPLY_MARKER,
    refused ? '## ⛔ tug apply: the approved plan was not applied' : '## ❌ tug apply failed',
    '',
    refused ? 'Nothing was written.' : 'The apply stopped; what it wrote is in its journal, and `tug apply --resume` finishes it.',
    '',
    fencedBlock(error.message.split('\n')),
    ...(error.hint ? ['', escapeMarkdown(error.hint)] : []),
    ...(run ? ['', `See [the run](${run}).`] : []),
  ].join('\n');
  // A failure to say so must not hide the error itself.
  await upsertComment(gh, pull, APPLY_MARKER, body.slice(0, GITHUB_BODY_LIMIT)).catch(() => undefined);
  await summary(gh, body);
}

/** `tug github drift` */
export async function runGitHubDrift(flags: GitHubFlags, ctx: RunContext): Promise<number> {
  const gh = await githubContext(ctx.env);
  const config = await loadProjectConfig({ cwd: ctx.cwd, configPath: flags.config });
  const manifests = await loadManifestSet(config, ctx.cwd);
  const store = await openStateStore(config, ctx.env);
  const connection = await connectProject(config, flags, ctx.env);
  try {
    const report = await runDrift({ client: connection.client, config, manifests, state: store, inventory: store.account(accountOf(connection.client.config)).kv, now: ctx.now });
    const action = await syncDriftIssue(gh, report);
    await summary(gh, renderDriftMarkdown(report));
    writeLine(
      ctx.stdout,
      action.action === 'none' ? 'No drift, and no open tug-drift issue.' : `${action.action[0]!.toUpperCase()}${action.action.slice(1)} tug-drift issue #${action.number}.`,
    );
    return report.errors.length > 0 ? 1 : 0;
  } finally {
    await connection.close();
    await store.close();
  }
}
