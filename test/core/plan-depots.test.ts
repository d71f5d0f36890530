/**
 * planDepots: create (with custom field values by reference), no-op, single field PATCH, rename as an
 * update, custom field value change, prune off vs on, protected and unmanaged sites.
 */
import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/core/plan.js';
import type { KindName } from '../../src/config/project.js';
import type { DepotManifest } from '../../src/kinds/depot/manifest.js';
import { planDepots } from '../../src/kinds/depot/plan.js';
import type { EntityField } from '../../src/trackunit/endpoints/custom-fields.js';
import type { Site } from '../../src/trackunit/endpoints/sites.js';
import { desiredObject, entityField, liveDefinition, liveSite, planInput } from './builders.js';

const FILE = 'manifests/depots.yaml';
const manager = liveDefinition({ id: 'def-mgr', key: 'depotManager', type: 'STRING', entityType: 'SITE' });

const aarhus = (over: Partial<DepotManifest> = {}): DepotManifest => ({
  kind: 'Depot',
  key: 'aarhus',
  name: 'Nordic Rental Aarhus',
  description: 'Head office',
  address: { streetAddress: 'Hasselager Centervej 31', zipCode: '8260', city: 'Viby J', country: 'DK' },
  ...over,
});

const area = { type: 'Polygon' as const, coordinates: [[[10.1, 56.1], [10.2, 56.1], [10.2, 56.2], [10.1, 56.1]]] };

/** The live site the create of `m` would leave behind (status and timestamps are the server's). */
function siteFrom(m: DepotManifest, over: Partial<Site> = {}): Site {
  const [input, refs] = planInput([desiredObject(m)], { definitions: [manager] });
  const body = (planDepots(input, refs).changes[0] as Change).requests[0]!.body as unknown as Site;
  return liveSite({ ...body, id: 'site-1', status: 'PLANNED', createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-02-01T00:00:00Z', ...over });
}

interface RunOptions {
  values?: Record<string, EntityField[]>;
  prune?: KindName[];
}

const run = (manifests: DepotManifest[], sites: Site[], opts: RunOptions = {}) => {
  const docs = manifests.map((m, i) => desiredObject(m, FILE, 1 + i * 20));
  const [input, refs] = planInput(docs, { sites, definitions: [manager], values: opts.values ?? {} }, { prune: opts.prune ?? [] });
  return planDepots(input, refs);
};

describe('planDepots', () => {
  it('creates a depot bound by its externalReference, then sets its values by reference', () => {
    const plan = run([aarhus({ customFields: { depotManager: 'Mette' } })], []);
    expect(plan.changes).toHaveLength(1);
    const change = plan.changes[0]!;
    expect(change).toMatchObject({ key: 'create:Depot/aarhus', op: 'create', level: 0, reason: `${FILE}:1` });
    expect(change.requests).toEqual([
      {
        family: 'sites',
        method: 'POST',
        idempotent: false,
        path: '/api/site/v1/sites',
        body: {
          name: 'Nordic Rental Aarhus',
          type: 'DEPOT',
          description: 'Head office',
          address: { streetAddress: 'Hasselager Centervej 31', zipCode: '8260', city: 'Viby J', country: 'DK' },
          externalReference: 'tug:depot/aarhus',
        },
      },
      {
        family: 'custom-fields',
        method: 'POST',
        idempotent: true,
        path: '/api/custom-fields/v1/set-values/',
        body: { entityId: { $ref: 'Depot/aarhus' }, entityType: 'SITE', values: [{ definitionKey: 'depotManager', value: { stringValue: 'Mette' } }] },
      },
    ]);
    expect(change.after).toMatchObject({ area: null, customFields: { depotManager: 'Mette' } });
  });

  it('plans nothing for a live site built from the desired state (status and timestamps ignored)', () => {
    const manifest = aarhus({ area, customFields: { depotManager: 'Mette' } });
    const values = { 'site-1': [entityField(manager, 'site-1', { stringValue: 'Mette' })] };
    const plan = run([manifest], [siteFrom(manifest)], { values });
    expect(plan.changes).toEqual([]);
    expect(plan.managed).toEqual({ Depot: 1 });
  });

  it('does not compare the address the server derives for a polygon-only depot', () => {
    const manifest = aarhus({ address: undefined, area });
    const live = siteFrom(manifest, { address: { streetAddress: 'Geocoded 56.1, 10.1', zipCode: null, city: null, country: null } });
    expect(run([manifest], [live]).changes).toEqual([]);
  });

  it('PATCHes a single changed field', () => {
    const plan = run([aarhus({ description: 'Main yard' })], [siteFrom(aarhus())]);
    const change = plan.changes[0]!;
    expect(change).toMatchObject({ key: 'update:Depot/aarhus', liveId: 'site-1' });
    expect(change.patch).toEqual([{ op: 'replace', path: '/description', value: 'Main yard' }]);
    expect(change.requests).toEqual([{ family: 'sites', method: 'PATCH', idempotent: true, path: '/api/site/v1/sites/site-1', body: { description: 'Main yard' } }]);
    expect(change.fingerprint).toMatch(/^sha256:/);
  });

  it('renames a depot as an update of the same site, never delete + create', () => {
    const plan = run([aarhus({ name: 'Nordic Rental Østjylland' })], [siteFrom(aarhus())], { prune: ['Depot'] });
    expect(plan.changes.map((c) => c.key)).toEqual(['update:Depot/aarhus']);
    expect(plan.changes[0]!.requests[0]!.body).toEqual({ name: 'Nordic Rental Østjylland' });
  });

  it('sets a changed custom field value with one set-values call on the live id', () => {
    const values = { 'site-1': [entityField(manager, 'site-1', { stringValue: 'Mette' })] };
    const plan = run([aarhus({ customFields: { depotManager: 'Jonas' } })], [siteFrom(aarhus())], { values });
    const change = plan.changes[0]!;
    expect(change.requests).toEqual([
      {
        family: 'custom-fields',
        method: 'POST',
        idempotent: true,
        path: '/api/custom-fields/v1/set-values/',
        body: { entityId: 'site-1', entityType: 'SITE', values: [{ definitionKey: 'depotManager', value: { stringValue: 'Jonas' } }] },
      },
    ]);
    expect(change.patch).toEqual([{ op: 'replace', path: '/customFields/depotManager', value: 'Jonas' }]);
  });

  it('deletes a managed depot no manifest names only when Depot is pruned', () => {
    const old = siteFrom(aarhus({ key: 'odense', name: 'Odense' }), { id: 'site-9' });
    expect(run([], [old]).changes).toEqual([]);
    const plan = run([], [old], { prune: ['Depot'] });
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]).toMatchObject({
      key: 'delete:Depot/odense',
      op: 'delete',
      liveId: 'site-9',
      requests: [{ family: 'sites', method: 'DELETE', idempotent: true, path: '/api/site/v1/sites/site-9' }],
      notes: ['deleting a site makes its history unavailable'],
    });
    expect(plan.changes[0]!.after).toBeUndefined();
    expect(plan.changes[0]!.patch.every((op) => op.op === 'remove')).toBe(true);
    expect(plan.managed).toEqual({ Depot: 1 });
  });

  it('lists protected depots and leaves sites without the binding unmanaged', () => {
    const byHand = liveSite({ id: 'site-5', name: 'Big Bridge', type: 'CONSTRUCTION_SITE' });
    const lookalike = liveSite({ id: 'site-6', name: 'Nordic Rental Aarhus', externalReference: 'ERP-7' });
    const plan = run([aarhus({ protected: true })], [byHand, lookalike], { prune: ['Depot'] });
    expect(plan.protectedIdentities).toEqual(['Depot/aarhus']);
    expect(plan.unmanaged).toEqual([
      { kind: 'Depot', liveId: 'site-5', label: 'Big Bridge (CONSTRUCTION_SITE)' },
      { kind: 'Depot', liveId: 'site-6', label: 'Nordic Rental Aarhus (DEPOT)' },
    ]);
    expect(plan.changes.map((c) => c.key)).toEqual(['create:Depot/aarhus']);
    expect(plan.managed).toEqual({ Depot: 0 });
  });

  it('makes values of a definition created in the same plan depend on its create', () => {
    const m = aarhus({ customFields: { openingHours: '7-16' } });
    const def = desiredObject({ kind: 'CustomFieldDefinition', key: 'openingHours', entityType: 'SITE', type: 'STRING', title: 'Opening hours' });
    const [input, refs] = planInput([desiredObject(m), def], { sites: [siteFrom(aarhus())] });
    const change = planDepots(input, refs).changes[0]!;
    expect(change.dependsOn).toEqual(['create:CustomFieldDefinition/openingHours']);
  });
});
