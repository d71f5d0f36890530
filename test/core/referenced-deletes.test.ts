/**
 * Prune must not delete what live rental data still uses (adversarial finding: removing a customer and
 * its OPEN contract from the manifests deleted the customer under the live contract, and restoring the
 * manifests then failed forever). Through buildPlan, so the kind planners, --target and the check meet:
 * a Customer or Depot delete that a live contract or asset references is an error; the plan's own syncs
 * may move an asset or contract to another depot first; tug.yaml can allow the delete (a warning).
 */
import { describe, expect, it } from 'vitest';
import type { KindName } from '../../src/config/project.js';
import { buildPlan } from '../../src/core/build-plan.js';
import { REGISTRY } from '../../src/kinds/registry.js';
import { customerMarker } from '../../src/kinds/ownership.js';
import type { Plan } from '../../src/core/plan.js';
import type { PlanOptions } from '../../src/core/planner.js';
import type { DesiredObject, LiveState } from '../../src/core/state.js';
import type { AssetManifest } from '../../src/kinds/asset/manifest.js';
import type { ContractManifest } from '../../src/kinds/contract/manifest.js';
import type { CustomerManifest } from '../../src/kinds/customer/manifest.js';
import type { DepotManifest } from '../../src/kinds/depot/manifest.js';
import type { ContractStatus } from '../../src/trackunit/endpoints/rental.js';
import { desiredObject, emptyLiveState, liveAsset, liveContract, liveCustomer, liveSite, planOptions } from './builders.js';

const depot = (key: string) => desiredObject<DepotManifest>({ kind: 'Depot', key, name: key, address: { city: key } }, 'manifests/depots.yaml');
const customer = (ref: string) => desiredObject<CustomerManifest>({ kind: 'Customer', externalReference: ref, name: `Customer ${ref}` }, 'manifests/customers.yaml');
const asset = (m: Omit<AssetManifest, 'kind'>) => desiredObject<AssetManifest>({ kind: 'Asset', ...m }, 'manifests/assets.yaml');
const contract = (m: Omit<ContractManifest, 'kind'>) => desiredObject<ContractManifest>({ kind: 'Contract', ...m }, 'manifests/contracts.yaml');

const site = (key: string) => liveSite({ id: `site-${key}`, name: key, externalReference: `tug:depot/${key}`, address: { streetAddress: null, zipCode: null, city: key, country: null } });
/** A live customer tug manages (its marker names its own externalReference). */
const managed = (ref: string) => ({ customer: liveCustomer({ id: `cust-${ref}`, name: `Customer ${ref}`, externalReference: ref }), marker: customerMarker(ref) });

/** The live account: two managed depots (aarhus, odense), two managed customers (CUST-1, CUST-9). */
function account(over: Partial<LiveState> = {}): LiveState {
  const customers = [managed('CUST-1'), managed('CUST-9')];
  return {
    ...emptyLiveState(),
    sites: [site('aarhus'), site('odense')],
    customers: customers.map((c) => c.customer),
    customerMarkers: Object.fromEntries(customers.map((c) => [c.customer.id, c.marker])),
    ...over,
  };
}

/** The manifests keep aarhus and CUST-1; odense and CUST-9 are gone, so prune deletes them. */
function plan(live: LiveState, extra: DesiredObject[] = [], options: Partial<PlanOptions> = {}, prune: KindName[] = ['Depot', 'Customer']): Plan {
  const desired = { objects: [depot('aarhus'), customer('CUST-1'), ...extra] };
  return buildPlan({ desired, live, options: planOptions({ prune, ...options }) }, REGISTRY);
}

const problemsOf = (p: Plan, kind: KindName) => p.problems.filter((x) => x.kind === kind);

describe('a planned delete that live rental data still uses', () => {
  it.each<ContractStatus | null>(['OPEN', 'RESERVED', 'CANCELLED', 'COMPLETED', 'ON_HOLD', null])('refuses a customer a live %s contract names', (status) => {
    const p = plan(account({ contracts: [liveContract({ id: 'c9', externalReference: 'K-9', customerId: 'cust-CUST-9', contractStatus: status })] }));
    expect(p.changes.map((c) => c.key)).toContain('delete:Customer/CUST-9');
    expect(problemsOf(p, 'Customer')).toEqual([
      {
        kind: 'Customer',
        id: 'CUST-9',
        severity: 'error',
        message:
          `Customer CUST-9 is still used by 1 live object: contract K-9 (${status ?? 'no status'}) as customer; deleting it would leave 1 reference pointing at a customer ` +
          'that no longer exists — keep the Customer manifest (the Rental API cannot move a contract to another customer), or list Customer/CUST-9 in tug.yaml prune.allowDanglingReferences',
      },
    ]);
  });

  it("refuses a depot that an asset's owningDepotId or a contract's hiringDepotId names", () => {
    const p = plan(
      account({
        assets: [liveAsset({ id: 'a1', serialNumber: 'S1', externalReference: 'EQ-1', owningDepotId: 'site-odense' }), liveAsset({ id: 'a2', serialNumber: 'S2', owningDepotId: 'site-odense' })],
        contracts: [liveContract({ id: 'c1', externalReference: 'K-1', customerId: 'cust-CUST-1', hiringDepotId: 'site-odense', contractStatus: 'COMPLETED' })],
      }),
    );
    expect(p.changes.map((c) => c.key)).toContain('delete:Depot/odense');
    const [problem] = problemsOf(p, 'Depot');
    expect(problem).toMatchObject({ kind: 'Depot', id: 'odense', severity: 'error' });
    expect(problem?.message).toMatch(/^Depot odense is still used by 3 live objects: asset EQ-1 as owningDepot, asset serialNumber=S2 as owningDepot, contract K-1 \(COMPLETED\) as hiringDepot; /);
    expect(problem?.message).toContain('move them to another depot first (owningDepot, hiringDepot), or list Depot/odense in tug.yaml prune.allowDanglingReferences');
    // Each reference alone is enough.
    expect(problemsOf(plan(account({ assets: [liveAsset({ id: 'a1', owningDepotId: 'site-odense' })] })), 'Depot')).toHaveLength(1);
    expect(problemsOf(plan(account({ contracts: [liveContract({ id: 'c1', externalReference: 'K-1', customerId: 'cust-CUST-1', hiringDepotId: 'site-odense' })] })), 'Depot')).toHaveLength(1);
  });

  it('names five references and counts the rest', () => {
    const contracts = Array.from({ length: 20 }, (_, i) => liveContract({ id: `c${i}`, externalReference: `K-${String(i).padStart(2, '0')}`, customerId: 'cust-CUST-1', hiringDepotId: 'site-odense' }));
    const [problem] = problemsOf(plan(account({ contracts })), 'Depot');
    expect(problem?.message).toMatch(/^Depot odense is still used by 20 live objects: contract K-00 \(OPEN\) as hiringDepot, .*contract K-04 \(OPEN\) as hiringDepot, and 15 more; /);
  });

  it('leaves alone what nothing references, and deletes that prune does not plan', () => {
    expect(plan(account()).problems).toEqual([]);
    const used = account({ contracts: [liveContract({ id: 'c9', externalReference: 'K-9', customerId: 'cust-CUST-9', hiringDepotId: 'site-odense' })] });
    expect(plan(used, [], {}, []).problems).toEqual([]);
  });
});

describe('references the same plan moves away first', () => {
  const a1 = liveAsset({ id: 'a1', serialNumber: 'S1', owningDepotId: 'site-odense' });

  it("do not count: the asset's sync moves its owningDepot, and the delete waits for that sync", () => {
    const p = plan(account({ assets: [a1] }), [asset({ serialNumber: 'S1', owningDepot: 'aarhus' })]);
    const sync = p.changes.find((c) => c.op === 'sync');
    expect(sync).toMatchObject({ kind: 'Asset', liveId: 'a1', after: { owningDepot: { siteId: 'site-aarhus' } } });
    expect(problemsOf(p, 'Depot')).toEqual([]);
    expect(p.changes.find((c) => c.key === 'delete:Depot/odense')?.dependsOn).toEqual([sync?.key]);
  });

  it("do not count: a managed contract's sync sets another hiringDepot", () => {
    const live = account({
      assets: [liveAsset({ id: 'a1', serialNumber: 'S1' })],
      contracts: [liveContract({ id: 'c1', externalReference: 'K-1', customerId: 'cust-CUST-1', hiringDepotId: 'site-odense' })],
    });
    const k1 = contract({ externalReference: 'K-1', customer: 'CUST-1', status: 'OPEN', hiringDepot: 'aarhus', items: [{ externalReference: 'K-1-1', asset: { serialNumber: 'S1' }, onRentDate: '2026-05-01' }] });
    const p = plan(live, [k1]);
    expect(problemsOf(p, 'Depot')).toEqual([]);
    expect(p.changes.find((c) => c.key === 'delete:Depot/odense')?.dependsOn).toEqual(['sync:Asset/serialNumber=S1']);
  });

  it('still count when the sync does not name another depot, or is left out by --target', () => {
    // A sync that does not set owningDepot leaves the asset where it is.
    expect(problemsOf(plan(account({ assets: [a1] }), [asset({ serialNumber: 'S1', rentalStatus: 'AVAILABLE' })]), 'Depot')).toMatchObject([{ severity: 'error' }]);
    // A contract sync whose manifest drops hiringDepot sends null: clearing is assumed API behaviour, so it counts.
    const live = account({
      assets: [liveAsset({ id: 'a1', serialNumber: 'S1' })],
      contracts: [liveContract({ id: 'c1', externalReference: 'K-1', customerId: 'cust-CUST-1', hiringDepotId: 'site-odense' })],
    });
    const cleared = contract({ externalReference: 'K-1', customer: 'CUST-1', status: 'OPEN', items: [{ externalReference: 'K-1-1', asset: { serialNumber: 'S1' }, onRentDate: '2026-05-01' }] });
    const p = plan(live, [cleared]);
    expect(p.changes.some((c) => c.op === 'sync')).toBe(true);
    expect(problemsOf(p, 'Depot')).toMatchObject([{ severity: 'error' }]);
    // Targeting the delete alone leaves out the sync that would have moved the asset.
    const targeted = plan(account({ assets: [a1] }), [asset({ serialNumber: 'S1', owningDepot: 'aarhus' })], { targets: ['Depot/odense'] });
    expect(targeted.changes.map((c) => c.key)).toEqual(['delete:Depot/odense']);
    expect(problemsOf(targeted, 'Depot')).toMatchObject([{ severity: 'error' }]);
  });

  it('a customer never moves: its contract counts even when the plan syncs it', () => {
    const live = account({
      assets: [liveAsset({ id: 'a1', serialNumber: 'S1' })],
      contracts: [liveContract({ id: 'c9', externalReference: 'K-9', customerId: 'cust-CUST-9' })],
    });
    // The manifest says CUST-1, but the live contract stays bound to CUST-9 (the Contract planner says so too).
    const k9 = contract({ externalReference: 'K-9', customer: 'CUST-1', status: 'OPEN', items: [{ externalReference: 'K-9-1', asset: { serialNumber: 'S1' }, onRentDate: '2026-05-01' }] });
    expect(problemsOf(plan(live, [k9]), 'Customer')).toMatchObject([{ id: 'CUST-9', severity: 'error' }]);
  });
});

describe('tug.yaml prune.allowDanglingReferences', () => {
  const live = account({
    assets: [liveAsset({ id: 'a1', externalReference: 'EQ-1', owningDepotId: 'site-odense' })],
    contracts: [liveContract({ id: 'c9', externalReference: 'K-9', customerId: 'cust-CUST-9', hiringDepotId: 'site-odense' })],
  });

  it('turns the error into a warning that still names the references, and keeps the delete', () => {
    const p = plan(live, [], { allowDanglingReferences: ['Depot/odense', 'Customer/CUST-9*'] });
    expect(p.changes.map((c) => c.key)).toEqual(expect.arrayContaining(['delete:Depot/odense', 'delete:Customer/CUST-9']));
    expect(p.problems.map((x) => [x.kind, x.severity, x.message])).toEqual([
      [
        'Customer',
        'warning',
        'Customer CUST-9 is still used by 1 live object: contract K-9 (OPEN) as customer; deleted anyway (tug.yaml prune.allowDanglingReferences: Customer/CUST-9*): 1 reference will point at a customer that no longer exists',
      ],
      [
        'Depot',
        'warning',
        'Depot odense is still used by 2 live objects: asset EQ-1 as owningDepot, contract K-9 (OPEN) as hiringDepot; deleted anyway (tug.yaml prune.allowDanglingReferences: Depot/odense): 2 references will point at a site that no longer exists',
      ],
    ]);
  });

  it('allows only what its patterns match', () => {
    const p = plan(live, [], { allowDanglingReferences: ['Depot/aarhus', 'Customer/CUST-1'] });
    expect(p.problems.map((x) => [x.kind, x.severity])).toEqual([
      ['Customer', 'error'],
      ['Depot', 'error'],
    ]);
  });
});
