/**
 * `tug apply` through the CLI entry against the example repository's embedded sandbox.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const EXAMPLES = join(import.meta.dirname, '../../examples');

/** A copy of examples/ so the apply's state directory (.tug) lands in a temporary place. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tug-apply-cli-'));
  cpSync(EXAMPLES, dir, { recursive: true, filter: (src) => !src.includes('.tug') });
  return dir;
}

describe('tug apply', () => {
  it('without a plan file or --yes explains both ways', async () => {
    const { code, stderr } = await runCli(['apply'], { cwd: project() });
    expect(code).toBe(1);
    expect(stderr).toContain('give a plan file, or --yes to plan and apply in one go');
  });

  it('--yes on a safety breach speaks of the plan it just made, not of a saved one', async () => {
    const cwd = project();
    const config = join(cwd, 'tug.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('default: { count: 100 }', 'default: { count: 1 }'));
    const { code, stdout, stderr } = await runCli(['apply', '--yes'], { cwd });
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'Error: The plan --yes made breaches the safety policy: too many Asset updates: 30 > 1; nothing was written [unsafe_plan]\n' +
        'Hint: See the whole plan with `tug plan`; change the manifests or the safety settings in tug.yaml, then run `tug apply --yes` again.\n',
    );
    expect(existsSync(join(cwd, '.tug', 'journal'))).toBe(false);
  }, 30_000);

  it('applies a saved plan file and reports as JSON; --yes plans and applies in one go', async () => {
    const cwd = project();
    // absolute: `tug plan --out` resolves against the process cwd, not the run context's
    expect((await runCli(['plan', '--out', join(cwd, 'plan.json')], { cwd })).code).toBe(0);
    const saved = await runCli(['apply', 'plan.json', '--format', 'json'], { cwd });
    expect(saved.stderr).toBe('');
    expect(saved.code).toBe(0);
    const report = JSON.parse(saved.stdout);
    expect(report.outcomes.filter((o: { status: string }) => o.status === 'applied')).toHaveLength(88);
    expect(report.convergence.ok).toBe(true);
    const yes = await runCli(['apply', '--yes', '--max-changes', '5'], { cwd });
    expect(yes.code).toBe(0);
    expect(yes.stdout).toMatch(/Apply: 5 applied, 0 failed, 83 skipped/);
    expect(yes.stdout).toContain('Stopped early (--max-changes 5 reached)');
  }, 30_000);
});
