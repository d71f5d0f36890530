/**
 * Where `tug github …` runs: a GitHub Actions job, read from the environment Actions sets — the token
 * (`GITHUB_TOKEN`, never printed), the repository (`GITHUB_REPOSITORY`), the API and web URLs
 * (`GITHUB_API_URL`, `GITHUB_SERVER_URL`: GitHub Enterprise works), the run (`GITHUB_RUN_ID`), the event
 * (`GITHUB_EVENT_PATH`: the pull request, or the pushed commit) and the job summary file
 * (`GITHUB_STEP_SUMMARY`). The GitHub REST API goes through Octokit, the one client for it.
 */
import { readFile } from 'node:fs/promises';
import { Octokit } from '@octokit/rest';
import { ConfigError, TugError } from '../errors.js';

export interface GitHubContext {
  owner: string;
  repo: string;
  apiUrl: string;
  serverUrl: string;
  runId?: string;
  /** The pull request of a `pull_request` event. */
  pullNumber?: number;
  /** The pull request's head commit, or the pushed commit. */
  sha?: string;
  stepSummary?: string;
  octokit: Octokit;
}

const need = (env: NodeJS.ProcessEnv, name: string): string => {
  const value = env[name];
  if (!value)
    throw new ConfigError('github_env', `${name} is not set; \`tug github\` runs in a GitHub Actions job`, {
      hint: 'Run it from a workflow (examples/.github/workflows/), which sets it.',
    });
  return value;
};

interface GitHubEvent {
  number?: number;
  pull_request?: { number?: number; head?: { sha?: string } };
  after?: string;
}

export async function githubContext(env: NodeJS.ProcessEnv): Promise<GitHubContext> {
  const token = need(env, 'GITHUB_TOKEN');
  const [owner, repo, ...rest] = need(env, 'GITHUB_REPOSITORY').split('/');
  if (!owner || !repo || rest.length > 0) throw new ConfigError('github_env', `GITHUB_REPOSITORY must be owner/name, got "${env.GITHUB_REPOSITORY}"`);
  let event: GitHubEvent = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) as GitHubEvent;
    } catch (error) {
      throw new ConfigError('github_env', `cannot read the event GITHUB_EVENT_PATH names (${env.GITHUB_EVENT_PATH}): ${(error as Error).message}`);
    }
  }
  const apiUrl = (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, '');
  const pullNumber = event.pull_request?.number ?? event.number;
  const sha = event.pull_request?.head?.sha ?? event.after ?? env.GITHUB_SHA;
  return {
    owner,
    repo,
    apiUrl,
    serverUrl: (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, ''),
    ...(env.GITHUB_RUN_ID ? { runId: env.GITHUB_RUN_ID } : {}),
    ...(pullNumber !== undefined ? { pullNumber } : {}),
    ...(sha ? { sha } : {}),
    ...(env.GITHUB_STEP_SUMMARY ? { stepSummary: env.GITHUB_STEP_SUMMARY } : {}),
    // No retries or throttling plugins: a comment is posted once per run, and an error says what failed.
    octokit: new Octokit({ auth: token, baseUrl: apiUrl, userAgent: 'trackunit-gitops' }),
  };
}

/** The run's page, where its artifacts are (absent outside Actions). */
export function runUrl(ctx: Pick<GitHubContext, 'runId' | 'serverUrl' | 'owner' | 'repo'>): string | undefined {
  return ctx.runId ? `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/actions/runs/${ctx.runId}` : undefined;
}

/** A GitHub API failure as tug's error: method, path and status, never the token. */
export function githubError(error: unknown, what: string): TugError {
  const e = error as { status?: number; message?: string; request?: { method?: string; url?: string } };
  const where = e.request?.url ? `${e.request.method ?? ''} ${new URL(e.request.url).pathname}`.trim() : what;
  const hint =
    e.status === 403
      ? 'The token may lack a permission: the workflow job needs `pull-requests: write` (comments) or `issues: write` (the drift issue).'
      : e.status === 404
        ? 'Check GITHUB_REPOSITORY and the pull request number (and that the token can see the repository).'
        : undefined;
  return new TugError('github_api', `GitHub API: ${where} failed${e.status ? ` with ${e.status}` : ''}: ${e.message ?? String(error)} (while ${what})`, {
    ...(hint ? { hint } : {}),
    meta: { status: e.status ?? null, request: where },
  });
}
