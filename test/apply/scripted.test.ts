/**
 * Scripted applies (`tug apply --yes`) and resuming without a plan file: the journal keeps its plan, so
 * a failed or interrupted apply never blocks the next one and can be finished with `tug apply --resume`.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { project, type Project } from './project.js';

let p: Project | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

const NEW_DEPOT = '---\nkind: Depot\nkey: vejle\nname: Nordic Rental Vejle\naddress: { streetAddress: Havnevej 3, zipCode: "7100", city: Vejle, country: DK }\n';

async function converged(): Promise<Project> {
  p = await project();
  expect((await p.tug(['apply', '--yes'])).code).toBe(0);
  return p;
}

const journalDir = (project: Project) => join(project.dir, '.tug', 'journal');

describe('tug apply --yes after a failed or interrupted apply', () => {
  it('a failed --yes (exit 5) does not block the next --yes: the same plan is continued, then converges', async () => {
    const project = await converged();
    project.append('manifests/depots.yaml', NEW_DEPOT);
    project.sandbox.setFaults('sites.create:500=1');
    project.clearLog();
    const failed = await project.tug(['apply', '--yes']);
    expect(failed.code, failed.stderr).toBe(5);
    const again = await project.tug(['apply', '--yes']);
    expect(again.code, again.stderr).toBe(5);
    expect(again.stderr).toContain('Continuing the unfinished apply of this same plan');
    expect(again.stderr).not.toContain('journal_unfinished');
    project.sandbox.setFaults([]);
    const fixed = await project.tug(['apply', '--yes', '--resume']);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain('Converged: a fresh plan is empty.');
    expect(project.sandbox.requestLog.count((e) => e.route === 'sites.create' && e.status === 201)).toBe(1);
    // The journal kept its plan beside it.
    expect(readdirSync(journalDir(project)).filter((n) => n.endsWith('.plan.json')).length).toBeGreaterThan(0);
  });

  it('tug apply --resume (no plan file) finishes a failed --yes from the plan its journal kept', async () => {
    const project = await converged();
    project.append('manifests/depots.yaml', NEW_DEPOT);
    project.sandbox.setFaults('sites.create:500=1');
    expect((await project.tug(['apply', '--yes'])).code).toBe(5);
    project.sandbox.setFaults([]);
    const resumed = await project.tug(['apply', '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('Converged: a fresh plan is empty.');
    const nothing = await project.tug(['apply', '--resume']);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('[nothing_to_resume]');
  });

  /** A --yes stopped after one change, its journal's finish line cut as a kill before it would leave it. */
  async function interrupted(project: Project): Promise<void> {
    project.edit('manifests/customers.yaml', 'email: udlejning@jensen-soen.dk', 'email: booking@jensen-soen.dk');
    project.append('manifests/depots.yaml', NEW_DEPOT);
    const stopped = await project.tug(['apply', '--yes', '--max-changes', '1']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toContain('Stopped early (--max-changes 1 reached); finish with `tug apply --resume`.');
    const journals = readdirSync(journalDir(project)).filter((n) => n.endsWith('.jsonl')).map((n) => join(journalDir(project), n));
    const journal = journals.find((f) => readFileSync(f, 'utf8').includes('--max-changes 1 reached'))!;
    const lines = readFileSync(journal, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1)!).type).toBe('finish');
    writeFileSync(journal, `${lines.slice(0, -1).join('\n')}\n`);
  }

  it('an interrupted --yes is finished by tug apply --resume (no plan file) from its kept plan', async () => {
    const project = await converged();
    await interrupted(project);
    const resumed = await project.tug(['apply', '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/Apply: 1 applied, 0 failed, 1 skipped/);
    expect(resumed.stdout).toContain('Converged: a fresh plan is empty.');
  });

  it('an interrupted --yes does not block the next --yes: a fresh plan holds what is left', async () => {
    const project = await converged();
    await interrupted(project);
    project.clearLog();
    const next = await project.tug(['apply', '--yes']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toMatch(/Apply: 1 applied, 0 failed, 0 skipped/);
    expect(next.stdout).toContain('Converged: a fresh plan is empty.');
  });

  it('a saved plan whose apply failed: the hint names that plan file and --resume', async () => {
    const project = await converged();
    project.append('manifests/depots.yaml', NEW_DEPOT);
    expect((await project.tug(['plan', '--out', join(project.dir, 'reviewed.json')])).code).toBe(0);
    project.sandbox.setFaults('sites.create:500=1');
    expect((await project.tug(['apply', 'reviewed.json'])).code).toBe(5);
    const refused = await project.tug(['apply', 'reviewed.json']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('[journal_unfinished]');
    expect(refused.stderr).toContain('`tug apply reviewed.json --resume`');
    project.sandbox.setFaults([]);
    expect((await project.tug(['apply', 'reviewed.json', '--resume'])).code).toBe(0);
  });
});
