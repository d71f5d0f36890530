/**
 * After the merge, apply exactly the plan reviewers approved — or nothing.
 *
 * The pull request's plan comment names the plan's digest and the commit it was made for; the plan file
 * itself was kept in the state store when the comment was posted (shared by PostgreSQL between the plan
 * and apply runners). Apply then runs that plan against main's manifests and the account as they are:
 * the manifests must be byte-identical to the ones the plan was made from, and a fresh plan must hold the
 * same changes on the same live objects (apply's stale check, src/apply/stale.ts). So a plan that changed
 * since approval — another pull request merged first and touched the same files or objects, or the account
 * moved — is refused with exit 4, nothing written, and the difference is posted on the pull request.
 * Concurrent applies serialise on the state store's apply lock.
 */
import type { Plan } from '../core/plan.js';
import { StalePlanError } from '../errors.js';
import { readPlanFile } from '../state/plan-file.js';
import type { JournalStore } from '../state/store.js';
import { findComment, PLAN_MARKER, approvedDigest } from './comments.js';
import { githubError, type GitHubContext } from './context.js';

export interface ApprovedPlan {
  pullNumber: number;
  plan: Plan;
}

/** Refused: nothing is written (exit 4, like any plan that is not the one reviewed). */
const refuse = (code: string, message: string, hint: string, pullNumber?: number) =>
  new StalePlanError(code, message, { hint, meta: pullNumber !== undefined ? { pullNumber } : {} });

/** The merged pull request of the pushed commit. */
async function mergedPull(ctx: GitHubContext): Promise<{ number: number; headSha: string }> {
  if (!ctx.sha) throw refuse('no_approved_plan', 'no pushed commit in the event (GITHUB_EVENT_PATH `after`, or GITHUB_SHA)', 'Run `tug github apply` on a push to main.');
  let pulls;
  try {
    pulls = (await ctx.octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner: ctx.owner, repo: ctx.repo, commit_sha: ctx.sha })).data;
  } catch (error) {
    throw githubError(error, `finding the pull request of commit ${ctx.sha.slice(0, 12)}`);
  }
  const merged = pulls.find((p) => p.merged_at);
  if (!merged) {
    throw refuse(
      'no_approved_plan',
      `commit ${ctx.sha.slice(0, 12)} is not the merge of a pull request: there is no approved plan to apply`,
      'Changes reach the account through a reviewed pull request; push to a branch and open one.',
    );
  }
  return { number: merged.number, headSha: merged.head.sha };
}

/** Finds the approved plan of the merged pull request, from its plan comment and the state store. */
export async function findApprovedPlan(ctx: GitHubContext, journals: JournalStore): Promise<ApprovedPlan> {
  const pull = await mergedPull(ctx);
  const comment = await findComment(ctx, pull.number, PLAN_MARKER);
  const approved = comment ? approvedDigest(comment.body ?? '') : undefined;
  if (!approved) {
    throw refuse(
      'no_approved_plan',
      `pull request #${pull.number} has no tug plan comment: nothing was reviewed, so nothing is applied`,
      'Let the tug-plan workflow comment on the pull request before merging.',
      pull.number,
    );
  }
  if (approved.commit !== undefined && !pull.headSha.startsWith(approved.commit) && !approved.commit.startsWith(pull.headSha)) {
    throw refuse(
      'plan_not_current',
      `the plan on #${pull.number} was made for commit ${approved.commit.slice(0, 12)}, but the pull request merged ${pull.headSha.slice(0, 12)}: the merged manifests were never planned`,
      'Wait for the plan of the last push before merging; now, plan main again in a new pull request.',
      pull.number,
    );
  }
  const fingerprint = approved.digest.slice(0, 'sha256:'.length + 16); // the plan's fingerprint: its short digest
  const text = await journals.readKeptPlan(fingerprint);
  if (text === undefined) {
    throw refuse(
      'approved_plan_missing',
      `the plan ${approved.digest} approved on #${pull.number} is not in the state store`,
      'The plan workflow keeps it there (`tug github comment`); check that both workflows use the same state backend.',
      pull.number,
    );
  }
  const plan = readPlanFile(text);
  if (plan.digest !== approved.digest) {
    throw refuse('approved_plan_missing', `the kept plan ${plan.digest} is not the approved ${approved.digest}`, 'Plan again.', pull.number);
  }
  return { pullNumber: pull.number, plan };
}
