/**
 * `tug drift` on a schedule keeps ONE open issue labelled `tug-drift`: opened when drift appears, its body
 * replaced by each run's report while drift lasts, closed (with a comment saying so) once it is gone.
 */
import type { DriftReport } from '../drift/run-drift.js';
import { renderDriftMarkdown } from '../render/drift.js';
import { GITHUB_BODY_LIMIT } from './comments.js';
import { githubError, runUrl, type GitHubContext } from './context.js';

export const DRIFT_LABEL = 'tug-drift';

export type DriftIssueAction = { action: 'opened' | 'updated' | 'closed'; number: number } | { action: 'none' };

/** The report as an issue body, cut to GitHub's limit at a line (the counts come first). */
export function driftIssueBody(report: DriftReport, ctx: GitHubContext): string {
  const run = runUrl(ctx);
  const footer = run ? `\n\nFrom [this run](${run}).` : '';
  const body = renderDriftMarkdown(report).trimEnd();
  const room = GITHUB_BODY_LIMIT - footer.length - 200;
  if (body.length <= room) return `${body}${footer}\n`;
  const cut = body.slice(0, body.lastIndexOf('\n', room));
  return `${cut}\n\n_… the report is longer than an issue can hold; run \`tug drift\` for all of it._${footer}\n`;
}

export async function syncDriftIssue(ctx: GitHubContext, report: DriftReport): Promise<DriftIssueAction> {
  const { owner, repo, octokit } = ctx;
  try {
    const open = (await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, labels: DRIFT_LABEL, state: 'open', per_page: 100 })).filter((i) => !i.pull_request);
    const existing = open[0];
    if (report.items.length === 0) {
      if (!existing) return { action: 'none' };
      await octokit.rest.issues.createComment({ owner, repo, issue_number: existing.number, body: 'No drift any more: the account matches the manifests. Closing.' });
      await octokit.rest.issues.update({ owner, repo, issue_number: existing.number, state: 'closed' });
      return { action: 'closed', number: existing.number };
    }
    const body = driftIssueBody(report, ctx);
    const title = `tug drift: ${report.items.length} difference${report.items.length === 1 ? '' : 's'} between the account and the manifests`;
    if (existing) {
      await octokit.rest.issues.update({ owner, repo, issue_number: existing.number, title, body });
      return { action: 'updated', number: existing.number };
    }
    const created = await octokit.rest.issues.create({ owner, repo, title, body, labels: [DRIFT_LABEL] });
    return { action: 'opened', number: created.data.number };
  } catch (error) {
    throw githubError(error, 'keeping the tug-drift issue');
  }
}
