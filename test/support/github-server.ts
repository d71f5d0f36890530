/**
 * A GitHub REST API on loopback for the `tug github` tests: the handful of endpoints tug uses (issue
 * comments with pagination, issues by label, the pull requests of a commit), checking what GitHub checks —
 * the Authorization header (401 for an unknown token, 403 for a read-only one on writes), JSON bodies, the
 * 65,536-character body limit (422), 404 for an unknown repository, issue or comment. Octokit talks to it
 * as to api.github.com (`GITHUB_API_URL`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
}
export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: Array<{ name: string }>;
  comments: FakeComment[];
  pull?: { headSha: string; mergedAt: string | null; mergeSha: string | null };
}

export interface GitHubFake {
  url: string;
  repo: string;
  issues: Map<number, FakeIssue>;
  /** Every request: method, path (with query) and status. */
  log: Array<{ method: string; path: string; status: number }>;
  pull(headSha: string): FakeIssue;
  merge(number: number, mergeSha: string): void;
  close(): Promise<void>;
}

export const TOKENS = { write: 'ghs_write_token', readOnly: 'ghs_read_only_token' };
const LIMIT = 65_536;

export async function startGitHub(repo = 'acme/fleet'): Promise<GitHubFake> {
  const issues = new Map<number, FakeIssue>();
  const log: GitHubFake['log'] = [];
  let nextNumber = 1;
  let nextComment = 1000;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      log.push({ method: req.method ?? '', path: `${url.pathname}${url.search}`, status });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const auth = req.headers.authorization ?? '';
    const token = auth.replace(/^(token|bearer)\s+/i, '');
    if (token !== TOKENS.write && token !== TOKENS.readOnly) return send(401, { message: 'Bad credentials' });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> = {};
    if (req.method !== 'GET') {
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return send(415, { message: 'Unsupported Media Type' });
      try {
        body = JSON.parse(raw || '{}') as Record<string, unknown>;
      } catch {
        return send(400, { message: 'Problems parsing JSON' });
      }
      if (token === TOKENS.readOnly) return send(403, { message: 'Resource not accessible by integration' });
      if (typeof body.body === 'string' && body.body.length > LIMIT) {
        return send(422, {
          message: 'Validation Failed',
          errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: `body is too long (maximum is ${LIMIT} characters)` }],
        });
      }
    }
    const prefix = `/repos/${repo}/`;
    if (!url.pathname.startsWith(prefix)) return send(404, { message: 'Not Found' });
    const rest = url.pathname.slice(prefix.length);
    const page = (list: unknown[]) => {
      const per = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
      const at = Number(url.searchParams.get('page') ?? 1);
      const last = Math.max(1, Math.ceil(list.length / per));
      const link: Record<string, string> =
        at < last ? { link: `<${new URL(`${url.pathname}?per_page=${per}&page=${at + 1}`, `http://${req.headers.host}`).href}>; rel="next"` } : {};
      return send(200, list.slice((at - 1) * per, at * per), link);
    };
    let m: RegExpExecArray | null;
    if ((m = /^issues\/(\d+)\/comments$/.exec(rest))) {
      const issue = issues.get(Number(m[1]));
      if (!issue) return send(404, { message: 'Not Found' });
      if (req.method === 'GET') return page(issue.comments);
      if (req.method === 'POST' && typeof body.body === 'string') {
        const comment: FakeComment = { id: nextComment++, body: body.body, user: { login: 'github-actions[bot]', type: 'Bot' } };
        issue.comments.push(comment);
        return send(201, comment);
      }
    }
    if ((m = /^issues\/comments\/(\d+)$/.exec(rest)) && req.method === 'PATCH') {
      const comment = [...issues.values()].flatMap((i) => i.comments).find((c) => c.id === Number(m![1]));
      if (!comment) return send(404, { message: 'Not Found' });
      if (typeof body.body !== 'string') return send(422, { message: 'Validation Failed' });
      comment.body = body.body;
      return send(200, comment);
    }
    if ((m = /^commits\/([0-9a-f]+)\/pulls$/.exec(rest)) && req.method === 'GET') {
      const sha = m[1]!;
      const pulls = [...issues.values()].filter((i) => i.pull && (i.pull.mergeSha === sha || i.pull.headSha === sha));
      return send(
        200,
        pulls.map((i) => ({ number: i.number, state: i.state, merged_at: i.pull!.mergedAt, head: { sha: i.pull!.headSha } })),
      );
    }
    if (rest === 'issues' && req.method === 'GET') {
      const state = url.searchParams.get('state') ?? 'open';
      const labels = (url.searchParams.get('labels') ?? '').split(',').filter((l) => l !== '');
      const list = [...issues.values()].filter((i) => (state === 'all' || i.state === state) && labels.every((l) => i.labels.some((x) => x.name === l)));
      return page(list.map((i) => ({ number: i.number, title: i.title, body: i.body, state: i.state, labels: i.labels, ...(i.pull ? { pull_request: {} } : {}) })));
    }
    if (rest === 'issues' && req.method === 'POST') {
      if (typeof body.title !== 'string') return send(422, { message: 'Validation Failed' });
      const issue: FakeIssue = {
        number: nextNumber++,
        title: body.title,
        body: String(body.body ?? ''),
        state: 'open',
        labels: ((body.labels as string[]) ?? []).map((name) => ({ name })),
        comments: [],
      };
      issues.set(issue.number, issue);
      return send(201, { number: issue.number });
    }
    if ((m = /^issues\/(\d+)$/.exec(rest)) && req.method === 'PATCH') {
      const issue = issues.get(Number(m[1]));
      if (!issue) return send(404, { message: 'Not Found' });
      if (typeof body.title === 'string') issue.title = body.title;
      if (typeof body.body === 'string') issue.body = body.body;
      if (body.state === 'open' || body.state === 'closed') issue.state = body.state;
      return send(200, { number: issue.number, state: issue.state });
    }
    return send(404, { message: 'Not Found' });
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    repo,
    issues,
    log,
    pull(headSha) {
      const issue: FakeIssue = { number: nextNumber++, title: 'A change', body: '', state: 'open', labels: [], comments: [], pull: { headSha, mergedAt: null, mergeSha: null } };
      issues.set(issue.number, issue);
      return issue;
    },
    merge(number, mergeSha) {
      const issue = issues.get(number)!;
      issue.state = 'closed';
      issue.pull = { ...issue.pull!, mergedAt: '2026-12-05T00:00:00Z', mergeSha };
    },
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
