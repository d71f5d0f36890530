/**
 * `tug github …` through the CLI, with Octokit talking to a GitHub REST API on loopback
 * (test/support/github-server.ts) and tug to the sandbox: one plan comment per pull request updated in
 * place, under the body limit for a 10,000-change plan; the approved plan applied after the merge, and
 * refused (exit 4, nothing written, the reason on the pull request) when it changed since approval or
 * another pull request merged first; concurrent applies; the drift issue opened, updated, closed; what
 * GitHub refuses (a read-only token, an unknown pull request) as clear errors without the token.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GITHUB_BODY_LIMIT, planCommentBody, upsertComment } from '../../src/github/comments.js';
import { githubContext } from '../../src/github/context.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { hugePlan } from '../render/plan-fixtures.js';
import { start, V2 } from '../sandbox/helpers.js';
import { startGitHub, TOKENS, type GitHubFake } from '../support/github-server.js';
import { runCli } from './run-cli.js';
import { outsideCode } from '../support/markdown.js';

const EXAMPLES = join(import.meta.dirname, '../../examples');
let sandbox: SandboxHandle;
let github: GitHubFake;
let dir: string;
let base: Record<string, string>;
let sha = 0;
const nextSha = () => (sha += 1).toString(16).padStart(40, 'a');

/** The environment of a job for `event`, written to a file as Actions does. */
function job(event: object, token = TOKENS.write): Record<string, string> {
  const file = join(dir, `.event-${(sha += 1)}.json`);
  writeFileSync(file, JSON.stringify(event));
  return { ...base, GITHUB_TOKEN: token, GITHUB_EVENT_PATH: file, GITHUB_STEP_SUMMARY: join(dir, '.summary.md') };
}

const tug = (argv: string[], env: Record<string, string> = base) => runCli(argv, { cwd: dir, env });

/** A pull request's plan job: plan --out, then the comment. */
async function planJob(pull: number, head: string) {
  const planned = await tug(['plan', '--out', 'plan.json']);
  expect(planned.code, planned.stderr).toBe(0);
  return tug(['github', 'comment', '--plan', 'plan.json'], job({ pull_request: { number: pull, head: { sha: head } } }));
}

/** Sets Depot/odense's description in the manifests (as a pull request's commit would). */
const describeOdense = (text: string) => {
  const file = join(dir, 'manifests', 'depots.yaml');
  const before = readFileSync(file, 'utf8');
  const after = before.replace(/description: Funen branch[^\n]*/, `description: ${text}`);
  expect(after).not.toBe(before);
  writeFileSync(file, after);
};

beforeAll(async () => {
  sandbox = await start();
  github = await startGitHub();
  dir = mkdtempSync(join(tmpdir(), 'tug-github-'));
  cpSync(EXAMPLES, dir, { recursive: true });
  writeFileSync(join(dir, 'tug.yaml'), readFileSync(join(dir, 'tug.yaml'), 'utf8').replaceAll('ratePerSecond: 20, burst: 10', 'ratePerSecond: 1000, burst: 1000'));
  base = {
    TRACKUNIT_CLIENT_ID: V2.clientId,
    TRACKUNIT_CLIENT_SECRET: V2.clientSecret,
    TRACKUNIT_IRIS_URL: sandbox.url,
    TRACKUNIT_AUTH_URL: sandbox.url,
    GITHUB_REPOSITORY: github.repo,
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_RUN_ID: '4242',
  };
  const applied = await tug(['apply', '--yes']); // main as it is: the account matches it
  expect(applied.code, applied.stderr).toBe(0);
}, 60_000);
afterAll(async () => {
  await sandbox?.close();
  await github?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  github.log.length = 0;
});

describe('the plan comment', () => {
  it('is created on the first push and updated in place on the next (never a second one)', async () => {
    const pr = github.pull(nextSha());
    describeOdense('Funen branch, new workshop.');
    const first = await planJob(pr.number, pr.pull!.headSha);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Posted the plan comment on #${pr.number}`);
    expect(pr.comments).toHaveLength(1);
    const body = pr.comments[0]!.body;
    expect(body.startsWith('<!-- tug-plan -->\n## tug plan: 0 to create, 1 to update')).toBe(true);
    expect(body).toMatch(/<!-- tug-plan-digest: sha256:[0-9a-f]{64} commit: a+1 -->/);
    expect(body).toContain('[this run](https://github.example/acme/fleet/actions/runs/4242)');
    expect(readFileSync(join(dir, '.summary.md'), 'utf8')).toContain('## tug plan: 0 to create, 1 to update');

    describeOdense('Funen branch, bigger workshop.');
    pr.pull!.headSha = nextSha();
    github.log.length = 0;
    const second = await planJob(pr.number, pr.pull!.headSha);
    expect(second.stdout).toContain(`Updated the plan comment on #${pr.number}`);
    expect(pr.comments).toHaveLength(1);
    expect(pr.comments[0]!.body).not.toBe(body);
    expect(pr.comments[0]!.body).toContain('bigger workshop');
    expect(github.log.filter((l) => l.method === 'POST')).toHaveLength(0);
    expect(github.log.filter((l) => l.method === 'PATCH')).toHaveLength(1);
    describeOdense('Funen branch.');
  }, 60_000);

  it('finds its comment among hundreds (pages of 100) and updates it: never a second one', async () => {
    const pr = github.pull(nextSha());
    for (let i = 0; i < 250; i++) {
      const body = i === 180 ? '<!-- tug-plan -->\nan older plan' : `review comment ${i} mentioning <!-- tug-plan --> in passing`;
      pr.comments.push({ id: 50_000 + i, body, user: i === 180 ? { login: 'github-actions[bot]', type: 'Bot' } : { login: i % 2 ? 'alice' : 'bob', type: 'User' } });
    }
    const r = await planJob(pr.number, pr.pull!.headSha);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Updated the plan comment');
    expect(pr.comments).toHaveLength(250);
    expect(pr.comments[180]!.body).toMatch(/^<!-- tug-plan -->\n## tug plan/);
    const reads = github.log.filter((l) => l.method === 'GET' && l.path.includes(`/issues/${pr.number}/comments`));
    expect(reads.map((l) => new URL(l.path, 'http://x').searchParams.get('page') ?? '1')).toEqual(['1', '2', '3']);
    expect(github.log.filter((l) => l.method === 'POST')).toEqual([]);
  }, 60_000);

  it("keeps a 10,000-change plan under GitHub's limit, every delete named; GitHub accepts it", async () => {
    const plan = hugePlan();
    const body = planCommentBody(plan, { sha: 'f'.repeat(40), runId: '1', serverUrl: 'https://github.example', owner: 'acme', repo: 'fleet' });
    expect(body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    const lines = new Set(body.split('\n'));
    expect(plan.changes.filter((c) => c.op === 'delete' && !lines.has(c.id))).toEqual([]);
    const pr = github.pull(nextSha());
    const ctx = await githubContext(job({ pull_request: { number: pr.number } }));
    await upsertComment(ctx, pr.number, '<!-- tug-plan -->', body);
    expect(pr.comments).toHaveLength(1);
  });

  it('text from manifests cannot break the comment or mention anyone', async () => {
    const file = join(dir, 'manifests', 'customers.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, `${original}\n---\nkind: Customer\nexternalReference: CUST-EVIL\nname: "@acme/everyone </details> <img src=x onerror=alert(1)> #1"\n`);
    try {
      const pr = github.pull(nextSha());
      const r = await planJob(pr.number, pr.pull!.headSha);
      expect(r.code, r.stderr).toBe(0);
      const body = pr.comments[0]!.body;
      expect(body).toContain('CUST-EVIL');
      const prose = outsideCode(body);
      expect(prose).not.toMatch(/@acme/);
      expect(prose).not.toContain('<img');
      expect(prose.match(/<\/details>/g)?.length).toBe(prose.match(/<details>/g)?.length);
    } finally {
      writeFileSync(file, original);
    }
  }, 60_000);

  it('a read-only token (403) and an unknown pull request (404) are clear errors that never show the token', async () => {
    const planned = await tug(['plan', '--out', 'plan.json']);
    expect(planned.code).toBe(0);
    const pr = github.pull(nextSha());
    const readOnly = await tug(['github', 'comment', '--plan', 'plan.json'], job({ pull_request: { number: pr.number } }, TOKENS.readOnly));
    expect(readOnly.code).toBe(1);
    expect(readOnly.stderr).toMatch(/GitHub API: POST \/repos\/acme\/fleet\/issues\/\d+\/comments failed with 403: Resource not accessible by integration/);
    expect(readOnly.stderr).toContain('pull-requests: write');
    const unknown = await tug(['github', 'comment', '--plan', 'plan.json'], job({ pull_request: { number: 999 } }));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/GitHub API: GET \/repos\/acme\/fleet\/issues\/999\/comments.* failed with 404/);
    for (const r of [readOnly, unknown]) expect(r.stdout + r.stderr).not.toContain(TOKENS.readOnly.slice(4));
    const noToken = await tug(['github', 'comment', '--plan', 'plan.json'], { ...base });
    expect(noToken.stderr).toContain('GITHUB_TOKEN is not set');
  }, 60_000);
});

describe('the apply after the merge', () => {
  it('applies the approved plan, and says so on the pull request', async () => {
    const pr = github.pull(nextSha());
    describeOdense('Funen branch (approved).');
    expect((await planJob(pr.number, pr.pull!.headSha)).code).toBe(0);
    const merge = nextSha();
    github.merge(pr.number, merge);
    const writes = sandbox.requestLog.count((e) => e.write);
    const applied = await tug(['github', 'apply'], job({ after: merge }));
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`Applied the approved plan of #${pr.number}: 1 changes applied.`);
    expect(sandbox.requestLog.count((e) => e.write) - writes).toBe(1);
    expect(pr.comments.map((c) => c.body.split('\n')[0])).toEqual(['<!-- tug-plan -->', '<!-- tug-apply -->']);
    expect((await tug(['plan', '--detailed-exitcode'])).code).toBe(0);
  }, 60_000);

  it("never takes a person's comment for the plan comment: a digest pasted by hand is ignored", async () => {
    const pr = github.pull(nextSha());
    describeOdense('Funen branch (pasted).');
    expect((await planJob(pr.number, pr.pull!.headSha)).code).toBe(0);
    const forged = pr.comments[0]!.body.replace(/sha256:[0-9a-f]{64}/g, `sha256:${'0'.repeat(64)}`);
    pr.comments.unshift({ id: 1, body: forged, user: { login: 'mallory', type: 'User' } });
    const merge = nextSha();
    github.merge(pr.number, merge);
    const applied = await tug(['github', 'apply'], job({ after: merge }));
    expect(applied.code, applied.stderr).toBe(0);
    expect(pr.comments[0]!.body).toBe(forged); // untouched
  }, 60_000);

  it('a GitHub failure after the apply wrote is reported as such, never as "nothing was written"', async () => {
    const pr = github.pull(nextSha());
    describeOdense('Funen branch (read-only).');
    expect((await planJob(pr.number, pr.pull!.headSha)).code).toBe(0);
    const merge = nextSha();
    github.merge(pr.number, merge);
    const writes = sandbox.requestLog.count((e) => e.write);
    const env = job({ after: merge }, TOKENS.readOnly); // may read the comments, may not post the result
    writeFileSync(env.GITHUB_STEP_SUMMARY!, '');
    const r = await tug(['github', 'apply'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failed with 403/);
    expect(sandbox.requestLog.count((e) => e.write) - writes).toBe(1);
    expect(readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8')).not.toContain('Nothing was written');
  }, 60_000);

  it('refuses a plan that changed since approval (the account moved): exit 4, nothing written, the reason posted', async () => {
    const pr = github.pull(nextSha());
    describeOdense('Funen branch (second).');
    expect((await planJob(pr.number, pr.pull!.headSha)).code).toBe(0);
    const site = [...sandbox.store.sites.values()].find((s) => s.externalReference === 'tug:depot/odense')!;
    site.name = 'Odense, renamed in Manager';
    const merge = nextSha();
    github.merge(pr.number, merge);
    const writes = sandbox.requestLog.count((e) => e.write);
    const refused = await tug(['github', 'apply'], job({ after: merge }));
    expect(refused.code).toBe(4);
    expect(sandbox.requestLog.count((e) => e.write)).toBe(writes);
    const comment = pr.comments.find((c) => c.body.startsWith('<!-- tug-apply -->'))!;
    expect(comment.body).toContain('the approved plan was not applied');
    expect(comment.body).toContain('Nothing was written.');
    expect(comment.body).toMatch(/Depot\/odense/);
    site.name = 'Nordic Rental Odense';
    expect((await tug(['apply', '--yes'])).code).toBe(0); // main applied by hand, as an operator would
  }, 60_000);

  it('of two pull requests touching the same depot, the second merged is refused until planned again', async () => {
    const file = join(dir, 'manifests', 'depots.yaml');
    const main = readFileSync(file, 'utf8');
    const renamed = (text: string) => text.replace('name: Nordic Rental Odense', 'name: Nordic Rental Fyn');
    // A edits Odense's description, B its name; both are planned from the same main.
    const a = github.pull(nextSha());
    describeOdense('Funen branch (A).');
    const withA = readFileSync(file, 'utf8');
    expect((await planJob(a.number, a.pull!.headSha)).code).toBe(0);
    const b = github.pull(nextSha());
    writeFileSync(file, renamed(main));
    expect((await planJob(b.number, b.pull!.headSha)).code).toBe(0);
    try {
      writeFileSync(file, withA);
      const mergeA = nextSha();
      github.merge(a.number, mergeA);
      expect((await tug(['github', 'apply'], job({ after: mergeA }))).code).toBe(0);
      // B merges on top of A without a conflict: main now holds both, which B's plan never saw.
      writeFileSync(file, renamed(withA));
      const mergeB = nextSha();
      github.merge(b.number, mergeB);
      const writes = sandbox.requestLog.count((e) => e.write);
      const refused = await tug(['github', 'apply'], job({ after: mergeB }));
      expect(refused.code).toBe(4);
      expect(refused.stderr).toContain('The manifests changed since the plan was made; nothing was written.');
      expect(sandbox.requestLog.count((e) => e.write)).toBe(writes);
      expect(b.comments.find((c) => c.body.startsWith('<!-- tug-apply -->'))!.body).toContain('changed: manifests/depots.yaml');
    } finally {
      writeFileSync(file, withA);
    }
  }, 60_000);

  it('concurrent applies of one approved plan serialise on the apply lock: its writes are made once', async () => {
    const pr = github.pull(nextSha());
    describeOdense('Funen branch (C).');
    expect((await planJob(pr.number, pr.pull!.headSha)).code).toBe(0);
    const merge = nextSha();
    github.merge(pr.number, merge);
    const writes = sandbox.requestLog.count((e) => e.write);
    const results = await Promise.all([tug(['github', 'apply'], job({ after: merge })), tug(['github', 'apply'], job({ after: merge }))]);
    expect(sandbox.requestLog.count((e) => e.write) - writes).toBe(1);
    expect(results.map((r) => r.code).sort()).toEqual(results.some((r) => r.code === 1) ? [0, 1] : [0, 0]);
    expect((await tug(['plan', '--detailed-exitcode'])).code).toBe(0);
  }, 60_000);

  it("a push that is no pull request's merge has no approved plan: exit 4, nothing written", async () => {
    const refused = await tug(['github', 'apply'], job({ after: nextSha() }));
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('is not the merge of a pull request: there is no approved plan to apply');
  });
});

describe('the drift issue', () => {
  it('is opened when drift appears, updated while it lasts, closed when it is gone', async () => {
    const site = [...sandbox.store.sites.values()].find((s) => s.externalReference === 'tug:depot/aarhus')!;
    const saved = site.description;
    site.description = 'edited in Manager';
    const opened = await tug(['github', 'drift'], job({}));
    expect(opened.code, opened.stderr).toBe(0);
    const issue = [...github.issues.values()].find((i) => i.labels.some((l) => l.name === 'tug-drift'))!;
    expect(opened.stdout).toBe(`Opened tug-drift issue #${issue.number}.\n`);
    expect(issue.body).toContain('| 1 live-changed |');
    expect(issue.body).toContain('`Depot/aarhus`');
    const again = await tug(['github', 'drift'], job({}));
    expect(again.stdout).toBe(`Updated tug-drift issue #${issue.number}.\n`);
    expect([...github.issues.values()].filter((i) => i.labels.some((l) => l.name === 'tug-drift'))).toHaveLength(1);
    site.description = saved;
    const closed = await tug(['github', 'drift'], job({}));
    expect(closed.stdout).toBe(`Closed tug-drift issue #${issue.number}.\n`);
    expect(issue.state).toBe('closed');
    expect(issue.comments.at(-1)!.body).toContain('No drift any more');
    expect((await tug(['github', 'drift'], job({}))).stdout).toBe('No drift, and no open tug-drift issue.\n');
  }, 60_000);
});
