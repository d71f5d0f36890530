/**
 * A customer contact has no identity of its own, so the look-up after an ambiguous contact create must
 * use every field the create sets (title included) and never count a contact that existed before.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { customersApi } from '../../src/trackunit/endpoints/index.js';
import { project, type Project } from './project.js';

let p: Project | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

const OPS_DESK = (shift: string) => `  - name: Ops desk\n    title: ${shift}\n    email: ops@hansen-byg.dk\n    phoneNumber: '+4586174599'\n`;
const AFTER_LARS = "  - name: Lars Hansen\n    title: Owner\n    phoneNumber: '+4540556677'\n";

/** The examples applied with CUST-1001's "Ops desk / Day shift"; then `then` written after it, and `faults` set. */
async function dayShiftThen(then: string, faults: string): Promise<Project> {
  const repo = (p = await project());
  repo.edit('manifests/customers.yaml', AFTER_LARS, AFTER_LARS + OPS_DESK('Day shift'));
  expect((await repo.tug(['apply', '--yes'])).code).toBe(0);
  repo.edit('manifests/customers.yaml', OPS_DESK('Day shift'), OPS_DESK('Day shift') + then);
  repo.sandbox.setFaults(faults);
  repo.clearLog();
  return repo;
}

async function opsDesks(repo: Project) {
  const customer = (await customersApi(repo.hand).findByExternalReference('CUST-1001'))!;
  return (await customersApi(repo.hand).listContacts(customer.id)).filter((c) => c.name === 'Ops desk');
}

describe('contact creates whose response was lost', () => {
  it('"Ops desk / Night shift" dropped next to an identical "Ops desk / Day shift": sent again, not mistaken for it', async () => {
    // The connection is closed before the server handles the create: nothing was written.
    const repo = await dayShiftThen(OPS_DESK('Night shift'), 'customers.createContact:drop=1,times=1');
    const result = await repo.tug(['apply', '--yes']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('Converged: a fresh plan is empty.');
    expect(repo.sandbox.requestLog.count((e) => e.route === 'customers.createContact')).toBe(2);
    expect(repo.sandbox.requestLog.count((e) => e.route === 'customers.createContact' && e.fault === 'drop')).toBe(1);
    expect((await opsDesks(repo)).map((c) => c.title).sort()).toEqual(['Day shift', 'Night shift']);
  });

  it('a second identical contact dropped: the one that existed when planned is not taken for it', async () => {
    const repo = await dayShiftThen(OPS_DESK('Day shift'), 'customers.createContact:drop=1,times=1');
    const result = await repo.tug(['apply', '--yes']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(repo.sandbox.requestLog.count((e) => e.route === 'customers.createContact')).toBe(2);
    expect(await opsDesks(repo)).toHaveLength(2);
  });

  it('a dropped create committed after all (commit-drop) is found, not sent twice', async () => {
    const repo = await dayShiftThen(OPS_DESK('Night shift'), 'customers.createContact:commit-drop=1,times=1');
    const result = await repo.tug(['apply', '--yes']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(repo.sandbox.requestLog.count((e) => e.route === 'customers.createContact')).toBe(1);
    expect((await opsDesks(repo)).map((c) => c.title).sort()).toEqual(['Day shift', 'Night shift']);
  });
});

describe('a create whose connection keeps breaking', () => {
  // The client tries a request 10 times by default (retry.maxAttempts); a create is sent as often.
  it('committed on its last send (nine drops, then a commit-drop): found by the last look-up, reported applied', async () => {
    const repo = await dayShiftThen(OPS_DESK('Night shift'), 'customers.createContact:drop=1,times=9;customers.createContact:commit-drop=1,times=1');
    const result = await repo.tug(['apply', '--yes']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(repo.sandbox.requestLog.count((e) => e.route === 'customers.createContact')).toBe(10);
    expect((await opsDesks(repo)).map((c) => c.title).sort()).toEqual(['Day shift', 'Night shift']);
  });

  it('never written (every send dropped): a failure saying so after 10 sends; --resume then creates it once', async () => {
    const repo = await dayShiftThen(OPS_DESK('Night shift'), 'customers.createContact:drop=1');
    const failed = await repo.tug(['apply', '--yes']);
    expect(failed.code).toBe(5);
    expect(failed.stdout + failed.stderr).toContain('failed (no response UND_ERR_SOCKET) after 10 attempts: a look-up after each attempt found nothing written');
    expect(repo.sandbox.requestLog.count((e) => e.route === 'customers.createContact')).toBe(10);
    expect(await opsDesks(repo)).toHaveLength(1);
    repo.sandbox.setFaults([]);
    const resumed = await repo.tug(['apply', '--resume']);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect((await opsDesks(repo)).map((c) => c.title).sort()).toEqual(['Day shift', 'Night shift']);
  });
});
