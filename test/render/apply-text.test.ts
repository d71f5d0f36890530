import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { ApplyReport } from '../../src/apply/report.js';
import { renderApplyText } from '../../src/render/apply-text.js';

const plain = new Chalk({ level: 0 });

const report = (over: Partial<ApplyReport> = {}): ApplyReport => ({
  planFingerprint: 'sha256:0123456789abcdef',
  journal: 'state/journal/0123456789abcdef.jsonl',
  outcomes: [{ key: 'create:Depot/aarhus', kind: 'Depot', op: 'create', id: 'aarhus', status: 'applied' }],
  counts: { Depot: { create: { applied: 1 } } },
  requests: 1,
  retries: 1,
  rateLimited: 0,
  wallMs: 1200,
  resumed: false,
  convergence: { ok: true, checked: true, remaining: [], pending: 0 },
  ...over,
});

describe('apply report as text', () => {
  it('counts requests and retries with a noun that agrees', () => {
    expect(renderApplyText(report(), plain)).toContain('Apply: 1 applied, 0 failed, 0 skipped — 1 request, 1 retry, 0 × 429, 1.2 s.');
    expect(renderApplyText(report({ requests: 1234, retries: 0 }), plain)).toContain('— 1,234 requests, 0 retries, 0 × 429, 1.2 s.');
  });
});
