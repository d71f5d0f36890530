import { describe, expect, it } from 'vitest';
import type { ApplyReport } from '../../src/apply/report.js';
import { renderApplyMarkdown } from '../../src/render/apply-markdown.js';

const report = (over: Partial<ApplyReport> = {}): ApplyReport => ({
  planFingerprint: 'sha256:0123456789abcdef',
  journal: 'state/journal/0123456789abcdef.jsonl',
  outcomes: [
    { key: 'create:Depot/aarhus', kind: 'Depot', op: 'create', id: 'aarhus', status: 'applied' },
    { key: 'create:Customer/<b>@ops', kind: 'Customer', op: 'create', id: '<b>@ops', status: 'failed', error: { code: 'api_error', message: 'POST failed (500) **boom** @here' } },
    { key: 'sync:Asset/x', kind: 'Asset', op: 'sync', id: 'x', status: 'skipped', reason: 'depends on failed create:Customer/<b>@ops' },
  ],
  counts: { Depot: { create: { applied: 1 } }, Customer: { create: { failed: 1 } }, Asset: { sync: { skipped: 1 } } },
  requests: 12,
  retries: 2,
  rateLimited: 1,
  wallMs: 3456,
  resumed: false,
  convergence: { ok: true, checked: true, remaining: [], pending: 0 },
  ...over,
});

describe('apply report as markdown', () => {
  it('leads with the totals, lists failures, tables counts, folds skips — user strings inert', () => {
    const md = renderApplyMarkdown(report());
    expect(md.startsWith('<!-- tug-apply -->\n### tug apply: 1 applied, 1 failed, 1 skipped\n')).toBe(true);
    expect(md).toContain('12 API requests, 2 retries, 1 × 429, 3.5 s.');
    expect(renderApplyMarkdown(report({ requests: 1, retries: 1 }))).toContain('\n1 API request, 1 retry, 1 × 429, 3.5 s.\n');
    expect(md).toContain('| Customer | create | 0 | 1 | 0 |');
    expect(md).toContain('<details><summary>1 skipped</summary>');
    expect(md).toContain('Converged: a fresh plan is empty.');
    // The failure message is escaped: no bold, no live mention, no raw tag outside code spans.
    const failure = md.split('\n').find((l) => l.startsWith('- create'))!;
    expect(failure).toContain('`Customer/<b>@ops`');
    expect(failure).not.toContain('**boom**');
    expect(failure).not.toMatch(/(^|[^`])@here/);
  });

  it('names what did not converge and a stop at a change boundary', () => {
    const remaining = [
      { kind: 'Depot', id: 'odense', op: 'update' as const, fields: ['/name'], cause: 'applied' as const },
      { kind: 'Customer', id: 'CUST-9', op: 'update' as const, fields: ['/email'], cause: 'outside' as const },
    ];
    const md = renderApplyMarkdown(report({ stoppedEarly: '--max-changes 5', convergence: { ok: false, checked: true, remaining, pending: 0 } }));
    expect(md).toMatch(/\*\*Stopped early\*\* \(.*max.*changes 5\): finish with `tug apply --resume`/);
    expect(md).toContain('**Not converged:**');
    expect(md).toContain('- `Depot/odense` still differs after apply (update: `/name`) — the object changed in Trackunit during the apply, or tug has a normalisation bug');
    expect(md).toContain('- `Customer/CUST-9` differs from the manifests (update: `/email`) — not in this plan: it changed in Trackunit during the apply');
  });

  it('says how many changes a converged but partial run left', () => {
    expect(renderApplyMarkdown(report({ convergence: { ok: true, checked: true, remaining: [], pending: 3 } }))).toContain(
      'Converged as far as applied: a fresh plan holds only the 3 changes this run did not apply.',
    );
  });
});
