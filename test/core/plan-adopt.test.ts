/**
 * Adoption: a Depot manifest's `adopt.siteId` binds an existing, unmanaged DEPOT site to its key as an
 * explicit `adopt` change (the binding written, never a delete-and-create), and every way the named
 * site can be wrong is a problem at the manifest's `adopt.siteId`. Customers with Customer prune on are
 * adopted by writing their marker. Prune never touches a site before it is adopted.
 */
import { describe, expect, it } from 'vitest';
import type { DepotManifest } from '../../src/kinds/depot/manifest.js';
import { planDepots } from '../../src/kinds/depot/plan.js';
import { planCustomers } from '../../src/kinds/customer/plan.js';
import { CUSTOMER_MARKER_DEFINITION, customerMarker } from '../../src/kinds/ownership.js';
import type { Site } from '../../src/trackunit/endpoints/sites.js';
import { desiredObject, entityField, liveCustomer, liveDefinition, liveSite, planInput } from './builders.js';

const address = { streetAddress: 'Industrivej 12', zipCode: '8200', city: 'Aarhus N', country: 'Denmark' };
const depot = (over: Partial<DepotManifest> = {}): DepotManifest => ({ kind: 'Depot', key: 'aarhus', name: 'Aarhus Depot', address, ...over });
const site = (over: Partial<Site> & Pick<Site, 'id'>): Site => liveSite({ name: 'Aarhus Depot', type: 'DEPOT', address, externalReference: null, ...over });

const run = (manifests: DepotManifest[], sites: Site[], prune = true) => {
  const [input, refs] = planInput(
    manifests.map((m, i) => desiredObject(m, 'manifests/depots.yaml', 1 + i * 10)),
    { sites },
    { prune: prune ? ['Depot'] : [] },
  );
  return planDepots(input, refs);
};

describe('adopting a depot', () => {
  it('binds the named site with one PATCH of its externalReference, shown as adopt', () => {
    const plan = run([depot({ adopt: { siteId: 's-1' } })], [site({ id: 's-1', externalReference: 'DEP-7' })]);
    expect(plan.problems).toEqual([]);
    expect(plan.changes).toHaveLength(1);
    const change = plan.changes[0]!;
    expect(change).toMatchObject({ key: 'adopt:Depot/aarhus', op: 'adopt', liveId: 's-1' });
    expect(change.requests.map((r) => [r.method, r.path, r.body])).toEqual([['PATCH', '/api/site/v1/sites/s-1', { externalReference: 'tug:depot/aarhus' }]]);
    expect(change.notes).toEqual(['the site\'s externalReference "DEP-7" is replaced by the binding']);
    expect(plan.unmanaged).toEqual([]);
  });

  it('carries other differences in the same change, and is a plain no-op once bound', () => {
    const adopted = run([depot({ adopt: { siteId: 's-1' }, description: 'Main yard' })], [site({ id: 's-1' })]);
    expect(adopted.changes[0]!.patch.map((p) => p.path).sort()).toEqual(['/description', '/externalReference']);
    const bound = run([depot({ adopt: { siteId: 's-1' } })], [site({ id: 's-1', externalReference: 'tug:depot/aarhus' })]);
    expect(bound.changes).toEqual([]);
    expect(bound.problems).toEqual([]);
  });

  it('without adopt, an unmanaged site of the same name is left alone and the depot is created', () => {
    const plan = run([depot()], [site({ id: 's-1' })]);
    expect(plan.changes.map((c) => c.key)).toEqual(['create:Depot/aarhus']);
    expect(plan.unmanaged.map((u) => u.liveId)).toEqual(['s-1']);
  });

  it('prune never deletes an unmanaged site, adopted or not', () => {
    const plan = run([], [site({ id: 's-1' }), site({ id: 's-2', name: 'Odense' })]);
    expect(plan.changes).toEqual([]);
    expect(plan.unmanaged.map((u) => u.liveId)).toEqual(['s-1', 's-2']);
  });

  it('names what is wrong with the site to adopt, at adopt.siteId', () => {
    const cases: Array<[string, Site[], DepotManifest[], string, 'error' | 'warning', string[]]> = [
      ['missing', [], [depot({ adopt: { siteId: 's-9' } })], 'site s-9 to adopt does not exist; the depot is created as a new site', 'warning', ['create:Depot/aarhus']],
      ['not a depot', [site({ id: 's-1', type: 'CUSTOMER' } as Partial<Site> & { id: string })], [depot({ adopt: { siteId: 's-1' } })], 'is not a DEPOT site', 'error', []],
      [
        'bound elsewhere',
        [site({ id: 's-1', externalReference: 'tug:depot/odense' })],
        [depot({ adopt: { siteId: 's-1' } })],
        'is bound to Depot/odense already',
        'error',
        ['delete:Depot/odense'],
      ],
      [
        'key bound to another site',
        [site({ id: 's-1', externalReference: 'tug:depot/aarhus' }), site({ id: 's-2' })],
        [depot({ adopt: { siteId: 's-2' } })],
        'adopt names another site, s-2',
        'error',
        [],
      ],
      [
        'adopted twice',
        [site({ id: 's-1' })],
        [depot({ adopt: { siteId: 's-1' } }), depot({ key: 'aarhus-2', adopt: { siteId: 's-1' } })],
        'is adopted by Depot/aarhus already',
        'error',
        ['adopt:Depot/aarhus'],
      ],
    ];
    for (const [name, sites, manifests, message, severity, changes] of cases) {
      const plan = run(manifests, sites);
      expect(plan.problems, name).toHaveLength(1);
      expect(plan.problems[0]!.message, name).toContain(message);
      expect(plan.problems[0]!.severity, name).toBe(severity);
      expect(plan.problems[0]!.location, name).toMatch(/^manifests\/depots\.yaml:\d+/);
      expect(
        plan.changes.map((c) => c.key),
        name,
      ).toEqual(changes);
    }
  });
});

describe('adopting a customer (Customer prune on)', () => {
  const marker = liveDefinition({ id: 'def-marker', ...CUSTOMER_MARKER_DEFINITION });
  const manifest = { kind: 'Customer' as const, externalReference: 'CUST-1', name: 'Hansen Byg' };
  const customer = liveCustomer({ id: 'c-1', name: 'Hansen Byg', externalReference: 'CUST-1' });
  const plan = (value: string | null) => {
    const values = { 'c-1': value === null ? [] : [entityField(marker, 'c-1', { stringValue: value })] };
    const [input, refs] = planInput([desiredObject(manifest)], { customers: [customer], definitions: [marker], values }, { prune: ['Customer'] });
    return planCustomers(input, refs);
  };

  it('writes the marker as adopt, and nothing once it is there', () => {
    expect(plan(null).changes.map((c) => c.key)).toEqual(['adopt:Customer/CUST-1']);
    expect(plan(customerMarker('CUST-1')).changes).toEqual([]);
  });
});
