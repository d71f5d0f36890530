/**
 * Apply does exactly what was reviewed, or nothing: every way the account (or the files) can move
 * between `tug plan --out plan.json` and `tug apply plan.json`, through the real CLI against a sandbox
 * on loopback. Each case asserts the exit code, what the message names, and — from the sandbox's request
 * log — that apply wrote nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sealOf, unsealed } from '../../src/core/plan-digest.js';
import type { Plan } from '../../src/core/plan.js';
import { renderPlanJson } from '../../src/render/plan-json.js';
import { customersApi, sitesApi } from '../../src/trackunit/endpoints/index.js';
import { project, type Project } from './project.js';
import { apiWrites } from '../support/api-writes.js';

let p: Project | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

/** The example repository applied to the demo account: the starting point of every case. */
async function converged(): Promise<Project> {
  p = await project();
  const first = await p.tug(['apply', '--yes']);
  expect(first.code, first.stderr).toBe(0);
  return p;
}

/** `tug plan --out plan.json` → the plan file's path (the plan must have changes). */
async function planOut(project: Project): Promise<string> {
  const file = join(project.dir, 'plan.json');
  const result = await project.tug(['plan', '--out', file, '--detailed-exitcode']);
  expect(result.code, result.stderr).toBe(2);
  return file;
}

async function applyRefused(project: Project, file: string, exit: number) {
  project.clearLog();
  const result = await project.tug(['apply', file]);
  expect(result.code, result.stdout + result.stderr).toBe(exit);
  expect(project.writes(), 'writes sent to Trackunit').toBe(0);
  return result.stderr;
}

const siteOf = async (project: Project, key: string) => (await sitesApi(project.hand).list()).find((s) => s.externalReference === `tug:depot/${key}`)!;
const customerOf = async (project: Project, ref: string) => (await customersApi(project.hand).findByExternalReference(ref))!;

describe('apply refuses a plan the account moved under (exit 4, nothing written)', () => {
  it('a field of a planned object changed by hand', async () => {
    const project = await converged();
    project.edit('manifests/customers.yaml', 'email: udlejning@jensen-soen.dk', 'email: booking@jensen-soen.dk');
    const file = await planOut(project);
    await apiWrites(project.hand).customers.update((await customerOf(project, 'CUST-1002')).id, { name: 'Jensen & Søn (renamed in Manager)' });
    const stderr = await applyRefused(project, file, 4);
    expect(stderr).toContain('[stale_plan]');
    expect(stderr).toContain('Customer/CUST-1002 (update): changed in Trackunit since the plan: /name');
  });

  it('the planned object deleted by hand: a depot rename whose site is gone', async () => {
    const project = await converged();
    project.edit('manifests/depots.yaml', 'name: Nordic Rental Odense', 'name: Nordic Rental Odense M');
    const file = await planOut(project);
    await apiWrites(project.hand).sites.remove((await siteOf(project, 'odense')).id);
    const stderr = await applyRefused(project, file, 4);
    expect(stderr).toContain('Depot/odense (update): deleted in Trackunit since the plan (reviewed: update; a fresh plan would create it)');
  });

  it('an object with the planned identity created by hand (other name, type, e-mail)', async () => {
    const project = await converged();
    project.append('manifests/customers.yaml', '---\nkind: Customer\nexternalReference: CUST-2001\nname: Vestjysk Byg ApS\ntype: CONTRACTOR\nemail: info@vestjysk-byg.dk\n');
    const file = await planOut(project);
    await apiWrites(project.hand).customers.create({ externalReference: 'CUST-2001', name: 'Someone else', type: 'OTHER', email: 'x@example.com' });
    const stderr = await applyRefused(project, file, 4);
    expect(stderr).toMatch(/Customer\/CUST-2001 \(create\): created in Trackunit since the plan \(reviewed: create; a fresh plan would update it: \/email, \/name, \/type\)/);
  });

  it('what a planned change depends on deleted by hand: the depot an asset moves to', async () => {
    const project = await converged();
    project.edit('manifests/assets.yaml', 'owningDepot: aarhus', 'owningDepot: odense');
    const file = await planOut(project);
    await apiWrites(project.hand).sites.remove((await siteOf(project, 'odense')).id);
    const stderr = await applyRefused(project, file, 4);
    expect(stderr).toMatch(/Asset\/\S+ \(sync\): what it depends on moved since the plan: the requests differ from the reviewed ones: requests\/0\/body\/owningDepot\/siteId/);
    expect(stderr).toContain('Depot/odense (create): not in the reviewed plan: a fresh plan would create it');
  });

  it('an object the plan does not touch changed by hand: a fresh plan would also revert it', async () => {
    const project = await converged();
    project.edit('manifests/customers.yaml', 'email: udlejning@jensen-soen.dk', 'email: booking@jensen-soen.dk');
    const file = await planOut(project);
    await apiWrites(project.hand).customers.update((await customerOf(project, 'CUST-1003')).id, { phoneNumber: '+4599999999' });
    const stderr = await applyRefused(project, file, 4);
    expect(stderr).toContain('Customer/CUST-1003 (update): not in the reviewed plan: a fresh plan would update it: /phoneNumber');
  });

  it('the manifests edited after the plan: exit 4 naming the files, not a convergence failure', async () => {
    const project = await converged();
    project.edit('manifests/customers.yaml', 'email: udlejning@jensen-soen.dk', 'email: booking@jensen-soen.dk');
    const file = await planOut(project);
    project.edit('manifests/customers.yaml', 'email: booking@jensen-soen.dk', 'email: leje@jensen-soen.dk');
    project.append('manifests/extra.yaml', '# notes for the next change\n');
    const stderr = await applyRefused(project, file, 4);
    expect(stderr).toContain('[manifests_changed]');
    expect(stderr).toContain('changed: manifests/customers.yaml');
    expect(stderr).toContain('added:   manifests/extra.yaml');
  });
});

describe('apply refuses an edited plan file', () => {
  it('a body edited in plan.json: plan_tampered (exit 1); with the digest recomputed: stale (exit 4)', async () => {
    const project = await converged();
    project.edit('manifests/customers.yaml', 'email: udlejning@jensen-soen.dk', 'email: booking@jensen-soen.dk');
    const file = await planOut(project);
    const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
    const change = plan.changes.find((c) => c.key === 'update:Customer/CUST-1002')!;
    change.requests[0]!.body = { name: 'Evil Corp', email: 'evil@example.com' };
    writeFileSync(file, renderPlanJson(plan));
    const tampered = await applyRefused(project, file, 1);
    expect(tampered).toContain('[plan_tampered]');
    // Whoever edits a plan can recompute its digest: apply's fresh plan still refuses the edited body.
    writeFileSync(file, renderPlanJson({ ...plan, ...sealOf(unsealed(plan)) }));
    const resealed = await applyRefused(project, file, 4);
    expect(resealed).toContain('Customer/CUST-1002 (update): what it depends on moved since the plan: the requests differ from the reviewed ones: requests/0/body/email, requests/0/body/name');
  });
  it('a create re-sealed as idempotent (so it would be re-sent blindly): stale (exit 4), nothing written (applyRefused counts the writes)', async () => {
    const project = await converged();
    project.append('manifests/customers.yaml', '---\nkind: Customer\nexternalReference: CUST-9001\nname: Flag Flippers ApS\n');
    const file = await planOut(project);
    const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
    const create = plan.changes.find((c) => c.key === 'create:Customer/CUST-9001')!;
    expect(create.requests[0]!.idempotent).toBe(false);
    create.requests[0]!.idempotent = true;
    writeFileSync(file, renderPlanJson({ ...plan, ...sealOf(unsealed(plan)) }));
    const stderr = await applyRefused(project, file, 4);
    expect(stderr).toContain('Customer/CUST-9001 (create): what it depends on moved since the plan: the requests differ from the reviewed ones: requests/0/idempotent');
  });
});

describe('what apply still does', () => {
  it('skips a planned create someone made identical by hand, applies the rest, converges (exit 0)', async () => {
    const project = await converged();
    project.append('manifests/customers.yaml', '---\nkind: Customer\nexternalReference: CUST-2002\nname: Thy Entreprenør A/S\ntype: CONTRACTOR\n');
    project.edit('manifests/customers.yaml', 'email: udlejning@jensen-soen.dk', 'email: booking@jensen-soen.dk');
    const file = await planOut(project);
    await apiWrites(project.hand).customers.create({ externalReference: 'CUST-2002', name: 'Thy Entreprenør A/S', type: 'CONTRACTOR' });
    project.clearLog();
    const result = await project.tug(['apply', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Converged: a fresh plan is empty.');
    expect(project.sandbox.requestLog.count((e) => e.route === 'customers.create')).toBe(0);
    expect(project.sandbox.requestLog.count((e) => e.route === 'customers.update')).toBe(1);
  });

  it('a --target plan is re-planned with its targets: the rest of the manifests is not "new"', async () => {
    const project = await converged();
    project.edit('manifests/customers.yaml', 'email: udlejning@jensen-soen.dk', 'email: booking@jensen-soen.dk');
    project.edit('manifests/depots.yaml', 'name: Nordic Rental Odense', 'name: Nordic Rental Odense M');
    const file = join(project.dir, 'plan.json');
    expect((await project.tug(['plan', '--target', 'Depot/odense', '--out', file])).code).toBe(0);
    const result = await project.tug(['apply', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Apply: 1 applied, 0 failed, 0 skipped/);
    expect(result.stdout).toContain('Converged: a fresh plan is empty.');
  });
});
