import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('tug demo', () => {
  it('validates, plans and applies examples/ against the embedded sandbox; the second plan is empty', async () => {
    const { code, stdout } = await runCli(['demo']);
    expect(code).toBe(0);
    expect(stdout).toContain('Validated examples/: 71 manifests in 5 files, 0 errors');
    expect(stdout).toContain('Plan: 28 to create, 30 to update, 30 to sync, 0 to delete.');
    expect(stdout).toMatch(/Applied: 88 changes applied, 0 failed — \d+ API requests/);
    expect(stdout).toContain('5. Planned again: No changes. The account matches the manifests. The sandbox saw 139 writes in all.');
  }, 30_000);
});
