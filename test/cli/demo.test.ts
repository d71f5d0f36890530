import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const ROOT = join(import.meta.dirname, '../..');

describe('tug demo', () => {
  it('validates, plans and applies examples/ against the embedded sandbox; the second plan is empty', async () => {
    const { code, stdout } = await runCli(['demo']);
    expect(code).toBe(0);
    expect(stdout).toContain('Validated examples/: 71 manifests in 5 files, 0 errors');
    expect(stdout).toMatch(/^3\. Planned against the live account \(36 read requests and 1 token request, \d+\.\d s\):$/m);
    expect(stdout).toContain('Plan: 28 to create, 30 to update, 30 to sync, 0 to delete.');
    expect(stdout).toMatch(/Applied: 88 changes applied, 0 failed — \d+ API requests/);
    expect(stdout).toContain('5. Planned again: No changes. The account matches the manifests. The sandbox saw 139 writes in all.');
    // An edit behind tug's back, which drift classifies as changed in Trackunit (apply recorded what it applied).
    expect(stdout).toMatch(/^6\. Edited Depot\/aarhus's description in Trackunit behind tug's back; `tug drift` read everything live \(\d+ requests\):\n {5}\(1\) live-changed: update Depot\/aarhus \(description\)$/m);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(
      'Next: `npx tug plan --config examples/tug.yaml` (the same plan against a fresh sandbox), `npx tug sandbox` for a sandbox that keeps running, `npx tug doctor --sandbox`.',
    );

    // README's count of a demo plan's requests is the one the demo prints.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ');
    const claim = /= (\d+) read requests, plus (\d+) token request/.exec(readme);
    expect(claim, 'README states the demo plan\'s requests').not.toBeNull();
    expect(stdout).toContain(`(${claim![1]} read requests and ${claim![2]} token request,`);
  }, 30_000);

  it('suggests a plan command that works from the repository root, where `npm run demo` runs', async () => {
    const { code, stdout } = await runCli(['plan', '--config', 'examples/tug.yaml'], { cwd: ROOT });
    expect(code).toBe(0);
    expect(stdout).toContain('Plan: 28 to create, 30 to update, 30 to sync, 0 to delete.');
    const bare = await runCli(['plan', '--sandbox'], { cwd: ROOT });
    expect(bare.code).toBe(1); // what the demo used to suggest
  }, 30_000);
});
