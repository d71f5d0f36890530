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

describe('contact creates whose response was lost', () => {
  it('"Ops desk / Night shift" dropped next to an identical "Ops desk / Day shift": sent again, not mistaken for it', async () => {
    p = await project();
    p.edit('manifests/customers.yaml', AFTER_LARS, AFTER_LARS + OPS_DESK('Day shift'));
    expect((await p.tug(['apply', '--yes'])).code).toBe(0);
    p.edit('manifests/customers.yaml', OPS_DESK('Day shift'), OPS_DESK('Day shift') + OPS_DESK('Night shift'));
    // The connection is closed before the server handles the create: nothing was written.
    p.sandbox.setFaults('customers.createContact:drop=1,times=1');
    p.clearLog();
    const result = await p.tug(['apply', '--yes']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('Converged: a fresh plan is empty.');
    expect(p.sandbox.requestLog.count((e) => e.route === 'customers.createContact')).toBe(2);
    expect(p.sandbox.requestLog.count((e) => e.route === 'customers.createContact' && e.fault === 'drop')).toBe(1);
    const customer = (await customersApi(p.hand).findByExternalReference('CUST-1001'))!;
    const desks = (await customersApi(p.hand).listContacts(customer.id)).filter((c) => c.name === 'Ops desk');
    expect(desks.map((c) => c.title).sort()).toEqual(['Day shift', 'Night shift']);
  });

  it('a second identical contact dropped: the one that existed when planned is not taken for it', async () => {
    p = await project();
    p.edit('manifests/customers.yaml', AFTER_LARS, AFTER_LARS + OPS_DESK('Day shift'));
    expect((await p.tug(['apply', '--yes'])).code).toBe(0);
    p.edit('manifests/customers.yaml', OPS_DESK('Day shift'), OPS_DESK('Day shift') + OPS_DESK('Day shift'));
    p.sandbox.setFaults('customers.createContact:drop=1,times=1');
    const result = await p.tug(['apply', '--yes']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const customer = (await customersApi(p.hand).findByExternalReference('CUST-1001'))!;
    expect((await customersApi(p.hand).listContacts(customer.id)).filter((c) => c.name === 'Ops desk')).toHaveLength(2);
  });

  it('a dropped create committed after all (commit-drop) is found, not sent twice', async () => {
    p = await project();
    p.edit('manifests/customers.yaml', AFTER_LARS, AFTER_LARS + OPS_DESK('Day shift'));
    expect((await p.tug(['apply', '--yes'])).code).toBe(0);
    p.edit('manifests/customers.yaml', OPS_DESK('Day shift'), OPS_DESK('Day shift') + OPS_DESK('Night shift'));
    p.sandbox.setFaults('customers.createContact:commit-drop=1,times=1');
    p.clearLog();
    const result = await p.tug(['apply', '--yes']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(p.sandbox.requestLog.count((e) => e.route === 'customers.createContact')).toBe(1);
    const customer = (await customersApi(p.hand).findByExternalReference('CUST-1001'))!;
    expect((await customersApi(p.hand).listContacts(customer.id)).filter((c) => c.name === 'Ops desk')).toHaveLength(2);
  });
});
