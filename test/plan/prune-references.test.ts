/**
 * The adversarial finding, end to end against a sandbox on loopback: with Customer prune on, a customer
 * and its OPEN contract are applied, then both are removed from the manifests. runPlan must refuse the
 * customer's delete (the live contract still names it; the Rental API cannot move a contract, so the
 * account could never be restored) with a plan error and exit 1, apply must refuse the plan, and tug.yaml
 * `prune.allowDanglingReferences` must turn the error into a warning. And a contract that starts using a
 * depot between plan and apply stops the apply: its fresh re-plan has the error.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyExitCode, applyPlan } from '../../src/apply/index.js';
import { planExitCode } from '../../src/cli/commands/plan.js';
import { loadProjectConfig, type ProjectConfig } from '../../src/config/load.js';
import { TugError } from '../../src/errors.js';
import { loadManifestSet } from '../../src/manifests/index.js';
import { runPlan } from '../../src/plan/run-plan.js';
import { rentalApi } from '../../src/trackunit/endpoints/rental.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { start } from '../sandbox/helpers.js';
import { sandboxClient } from '../trackunit/helpers.js';
import { apiWrites } from '../support/api-writes.js';

let sandbox: SandboxHandle;
let dir: string;

const TUG_YAML = 'apiVersion: tug/v1\nprune:\n  kinds: [Depot, Customer]\n';
const DEPOT = 'kind: Depot\nkey: odense\nname: Nordic Rental Odense\naddress: { city: Odense, country: DK }\n';
const CUSTOMER = 'kind: Customer\nexternalReference: CUST-7001\nname: Fynsk Anlæg ApS\ntype: CONTRACTOR\n';
/** A customer that stays (else the empty-desired-state guard would refuse the plan first, exit 3). */
const OTHER = 'kind: Customer\nexternalReference: CUST-7002\nname: Horsens Maskinstation ApS\n';
const contract = (serial: string) =>
  `kind: Contract\nexternalReference: K-7001\ncustomer: CUST-7001\nstatus: OPEN\nstartDate: '2026-11-02'\nhiringDepot: odense\nitems:\n` +
  `  - externalReference: K-7001-1\n    asset: { serialNumber: '${serial}' }\n    onRentDate: '2026-11-02'\n`;

// A fresh demo sandbox and manifest repository per test: each builds its account through a real apply.
beforeEach(async () => {
  sandbox = await start();
  dir = await mkdtemp(join(tmpdir(), 'tug-prune-references-'));
  await mkdir(join(dir, 'manifests'));
});
afterEach(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

const ownedSerial = () => [...sandbox.store.assets.values()].find((a) => a.owned && a.serialNumber)!.serialNumber!;

/** Write tug.yaml and the manifests, load them as `tug plan` would, and plan against the sandbox. */
async function planWith(tugYaml: string, documents: string[]) {
  await writeFile(join(dir, 'tug.yaml'), tugYaml);
  await writeFile(join(dir, 'manifests', 'all.yaml'), documents.join('---\n'));
  const config: ProjectConfig = { ...(await loadProjectConfig({ cwd: dir, required: true })), stateDir: join(dir, 'state') };
  const manifests = await loadManifestSet(config, dir);
  expect(manifests.diagnostics).toEqual([]);
  const client = sandboxClient(sandbox);
  const { plan } = await runPlan({ client, config, manifests });
  return { plan, config, manifests, client };
}

describe('prune against a live contract', () => {
  it('refuses to delete a customer whose OPEN contract is live: plan error, exit 1, apply refuses', async () => {
    const serial = ownedSerial();
    // The account first gets the customer (marked as tug's) and its contract, through a real apply.
    const setup = await planWith(TUG_YAML, [DEPOT, OTHER, CUSTOMER, contract(serial)]);
    try {
      expect(setup.plan.problems.filter((p) => p.severity === 'error')).toEqual([]);
      const report = await applyPlan({ client: setup.client, plan: setup.plan, config: setup.config, manifests: setup.manifests });
      expect(applyExitCode(report)).toBe(0);
    } finally {
      await setup.client.close();
    }

    // Then the customer and its contract are removed from the manifests.
    const removed = await planWith(TUG_YAML, [DEPOT, OTHER]);
    try {
      expect(removed.plan.changes.map((c) => c.key)).toEqual(['delete:Customer/CUST-7001']);
      expect(removed.plan.problems).toEqual([
        expect.objectContaining({ kind: 'Customer', id: 'CUST-7001', severity: 'error', message: expect.stringContaining('is still used by 1 live object: contract K-7001 (OPEN) as customer') }),
      ]);
      expect(planExitCode(removed.plan, true)).toBe(1);
      expect(planExitCode(removed.plan, false)).toBe(1);
      const refusal = await applyPlan({ client: removed.client, plan: removed.plan, config: removed.config, manifests: removed.manifests }).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(TugError);
      expect((refusal as TugError).code).toBe('plan_has_errors');
      expect([...sandbox.store.customers.values()].some((c) => c.externalReference === 'CUST-7001')).toBe(true);
    } finally {
      await removed.client.close();
    }

    // tug.yaml may allow it: a warning naming the same contract, and the delete stays planned.
    const allowed = await planWith(`${TUG_YAML}  allowDanglingReferences: [Customer/CUST-7001]\n`, [DEPOT, OTHER]);
    try {
      expect(allowed.plan.changes.map((c) => c.key)).toEqual(['delete:Customer/CUST-7001']);
      expect(allowed.plan.problems).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('contract K-7001 (OPEN) as customer; deleted anyway') })]);
      expect(planExitCode(allowed.plan, true)).toBe(2);
    } finally {
      await allowed.client.close();
    }
  });

  it('stops an apply when a live contract starts using the depot after the plan was made', async () => {
    const NYBORG = 'kind: Depot\nkey: nyborg\nname: Nordic Rental Nyborg\naddress: { city: Nyborg, country: DK }\n';
    const setup = await planWith(TUG_YAML, [NYBORG, DEPOT]);
    try {
      expect(applyExitCode(await applyPlan({ client: setup.client, plan: setup.plan, config: setup.config, manifests: setup.manifests }))).toBe(0);
    } finally {
      await setup.client.close();
    }
    // Reviewed: odense is unused, so its delete is clean.
    const reviewed = await planWith(TUG_YAML, [NYBORG]);
    try {
      expect(reviewed.plan.changes.map((c) => c.key)).toEqual(['delete:Depot/odense']);
      expect(reviewed.plan.problems).toEqual([]);
      // Meanwhile the ERP books a contract out of odense.
      const odense = [...sandbox.store.sites.values()].find((x) => x.externalReference === 'tug:depot/odense')!;
      await apiWrites(reviewed.client).rental.synchronize({
        identifierType: 'SERIAL_NUMBER',
        identifier: ownedSerial(),
        contractItems: [{ externalReference: 'K-7101-1', onRentDate: '2026-11-27T07:00:00Z', contract: { externalReference: 'K-7101', contractStatus: 'RESERVED', hiringDepot: { siteId: odense.id }, customer: { externalReference: 'CUST-7101', name: 'Odense Kran ApS' } } }],
      });
      sandbox.requestLog.clear();
      const refusal = await applyPlan({ client: reviewed.client, plan: reviewed.plan, config: reviewed.config, manifests: reviewed.manifests }).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(TugError);
      expect((refusal as TugError).code).toBe('stale_plan');
      expect((refusal as TugError).exitCode).toBe(4);
      expect((refusal as TugError).message).toContain('contract K-7101 (RESERVED) as hiringDepot');
      expect(sandbox.requestLog.count((e) => e.write)).toBe(0);
      expect(sandbox.store.sites.has(odense.id)).toBe(true);
    } finally {
      await reviewed.client.close();
    }
  });
});
