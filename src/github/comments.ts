/**
 * tug's comments on a pull request: ONE comment per purpose, found again by a hidden marker on its first
 * line and updated in place on every push (never a second one), always under GitHub's 65,536-character
 * limit. The plan comment carries the plan's digest and the commit it was made for, in a hidden line
 * apply reads after the merge (approved.ts).
 */
import type { Plan } from '../core/plan.js';
import { renderPlanMarkdown } from '../render/plan-markdown.js';
import { githubError, runUrl, type GitHubContext } from './context.js';

/** GitHub refuses a comment or issue body longer than this (characters). */
export const GITHUB_BODY_LIMIT = 65_536;

export const PLAN_MARKER = '<!-- tug-plan -->';
export const APPLY_MARKER = '<!-- tug-apply -->';
const DIGEST_LINE = /^<!-- tug-plan-digest: (sha256:[0-9a-f]{64}) commit: ([0-9a-f]{7,64}|none) -->$/m;

/** The plan comment: the plan's markdown (fitted), the digest and commit, a link to the run's artifact. */
export function planCommentBody(plan: Plan, ctx: Pick<GitHubContext, 'sha' | 'runId' | 'serverUrl' | 'owner' | 'repo'>): string {
  const run = runUrl(ctx);
  const footer = [
    '',
    `Plan digest \`${plan.digest}\`${ctx.sha ? ` for commit ${ctx.sha.slice(0, 12)}` : ''}. After the merge, \`tug github apply\` applies exactly this plan, or nothing.`,
    run ? `The full plan file is the \`tug-plan\` artifact of [this run](${run}).` : '',
    `<!-- tug-plan-digest: ${plan.digest} commit: ${ctx.sha ?? 'none'} -->`,
  ]
    .filter((l) => l !== '')
    .join('\n');
  const markdown = renderPlanMarkdown(plan, { maxChars: GITHUB_BODY_LIMIT - footer.length - 200 });
  return `${markdown}\n${footer}\n`;
}

/** What the plan comment says it approved: the digest and the commit. */
export function approvedDigest(body: string): { digest: string; commit?: string } | undefined {
  const m = DIGEST_LINE.exec(body);
  return m ? { digest: m[1]!, ...(m[2] !== 'none' ? { commit: m[2] } : {}) } : undefined;
}

interface Comment {
  id: number;
  body?: string | null;
  user?: { type?: string } | null;
}

/** Every comment of an issue or pull request (all pages). */
async function comments(ctx: GitHubContext, issue: number): Promise<Comment[]> {
  try {
    return await ctx.octokit.paginate(ctx.octokit.rest.issues.listComments, { owner: ctx.owner, repo: ctx.repo, issue_number: issue, per_page: 100 });
  } catch (error) {
    throw githubError(error, `listing the comments of #${issue}`);
  }
}

/**
 * The comment of `issue` whose first line is `marker`, if any (the first such) — posted by a bot (the
 * workflow's token): a person's comment that starts with the marker is never taken for tug's, so nobody
 * can point the apply after the merge at another plan by commenting.
 */
export async function findComment(ctx: GitHubContext, issue: number, marker: string): Promise<Comment | undefined> {
  return (await comments(ctx, issue)).find((c) => c.user?.type === 'Bot' && (c.body ?? '').startsWith(marker));
}

/** Creates the marked comment, or updates it in place; the body must start with `marker`. */
export async function upsertComment(ctx: GitHubContext, issue: number, marker: string, body: string): Promise<{ id: number; created: boolean }> {
  if (!body.startsWith(marker)) throw new Error(`internal: a comment body must start with its marker ${marker}`);
  if (body.length > GITHUB_BODY_LIMIT) throw new Error(`internal: a comment of ${body.length} characters is over GitHub's limit`);
  const existing = await findComment(ctx, issue, marker);
  try {
    if (existing) {
      await ctx.octokit.rest.issues.updateComment({ owner: ctx.owner, repo: ctx.repo, comment_id: existing.id, body });
      return { id: existing.id, created: false };
    }
    const created = await ctx.octokit.rest.issues.createComment({ owner: ctx.owner, repo: ctx.repo, issue_number: issue, body });
    return { id: created.data.id, created: true };
  } catch (error) {
    throw githubError(error, existing ? `updating comment ${existing.id}` : `commenting on #${issue}`);
  }
}
