/**
 * The Asset planner, pure: externalReference (Assets API PATCH) and ASSET custom field values in one
 * update per asset; problems for manifests that name no (owned, single) asset.
 */
import { describe, expect, it } from 'vitest';
import { planAssets } from '../../src/kinds/asset/plan.js';
import type { AssetManifest } from '../../src/kinds/asset/manifest.js';
import type { Asset } from '../../src/trackunit/endpoints/assets.js';
import { desiredObject, entityField, liveDefinition, planInput } from './builders.js';

const HOME = 'acc-home';

function liveAsset(over: Partial<Asset> & Pick<Asset, 'id'>): Asset {
  return {
    name: `Asset ${over.id}`,
    assetType: 'MACHINE',
    type: null,
    brand: null,
    model: null,
    serialNumber: null,
    productionYear: null,
    externalReference: null,
    telematicsDevices: [],
    ownerAccountId: HOME,
    rentalStatus: null,
    owningDepotId: null,
    ...over,
  };
}

const asset = (manifest: Omit<AssetManifest, 'kind'>, line = 1) =>
  desiredObject<AssetManifest>({ kind: 'Asset', ...manifest }, 'manifests/assets.yaml', line, { serialNumber: `${line}:15`, externalReference: `${line + 1}:20` });

const categoryDef = liveDefinition({ id: 'def-cat', key: 'rentalCategory', type: 'STRING', entityType: 'ASSET' });
const a1 = liveAsset({ id: 'a1', serialNumber: 'S1', externalReference: 'ERP-1' });
const a2 = liveAsset({ id: 'a2', serialNumber: 'S2' });

describe('planAssets', () => {
  it('plans nothing when externalReference and custom fields already match', () => {
    const [input, refs] = planInput([asset({ serialNumber: 's1 ', externalReference: 'ERP-1', customFields: { rentalCategory: 'Earthmoving' } })], {
      assets: [a1, a2],
      definitions: [categoryDef],
      values: { a1: [entityField(categoryDef, 'a1', { stringValue: 'Earthmoving' })] },
    });
    const plan = planAssets(input, refs);
    expect(plan.changes).toEqual([]);
    expect(plan.problems).toEqual([]);
    // Live assets no manifest names are neither changed nor listed; only manifests' assets count.
    expect(plan.unmanaged).toEqual([]);
    expect(plan.managed).toEqual({ Asset: 1 });
  });

  it('sets a changed externalReference with one PATCH, normalised before/after and a fingerprint', () => {
    const [input, refs] = planInput([asset({ serialNumber: 'S1', externalReference: 'ERP-9' }, 7)], { assets: [a1, a2] });
    const [change, ...rest] = planAssets(input, refs).changes;
    expect(rest).toEqual([]);
    expect(change).toMatchObject({
      key: 'update:Asset/serialNumber=S1',
      op: 'update',
      kind: 'Asset',
      id: 'serialNumber=S1',
      liveId: 'a1',
      before: { externalReference: 'ERP-1' },
      after: { externalReference: 'ERP-9' },
      patch: [{ op: 'replace', path: '/externalReference', value: 'ERP-9' }],
      requests: [{ family: 'assets', method: 'PATCH', idempotent: true, path: '/api/asset/v1/assets/a1', body: { externalReference: 'ERP-9' } }],
      reason: 'manifests/assets.yaml:7',
      level: 2,
      dependsOn: [],
    });
    expect(change!.fingerprint).toMatch(/^sha256:/);
  });

  it('puts the PATCH and the set-values request in the same single change', () => {
    const [input, refs] = planInput([asset({ serialNumber: 'S2', externalReference: 'ERP-2', customFields: { rentalCategory: 'Lifting' } })], {
      assets: [a1, a2],
      definitions: [categoryDef],
      values: { a2: [] },
    });
    const { changes } = planAssets(input, refs);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.before).toEqual({ externalReference: null, customFields: { rentalCategory: null } });
    expect(changes[0]!.after).toEqual({ externalReference: 'ERP-2', customFields: { rentalCategory: 'Lifting' } });
    expect(changes[0]!.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['PATCH /api/asset/v1/assets/a2', 'POST /api/custom-fields/v1/set-values/']);
    expect(changes[0]!.requests[1]!.body).toEqual({ entityId: 'a2', entityType: 'ASSET', values: [{ definitionKey: 'rentalCategory', value: { stringValue: 'Lifting' } }] });
  });

  it('plans an asset whose externalReference is "" (Trackunit\'s unset) exactly like one without', () => {
    const blank = liveAsset({ id: 'a2', serialNumber: 'S2', externalReference: '' });
    const plans = [a2, blank].map((live) => {
      const [input, refs] = planInput([asset({ serialNumber: 'S2', externalReference: 'ERP-2' })], { assets: [a1, live] });
      return planAssets(input, refs).changes.map((c) => ({ before: c.before, after: c.after, patch: c.patch, requests: c.requests }));
    });
    expect(plans[1]).toEqual(plans[0]);
    expect(plans[1]![0]!.before).toEqual({ externalReference: null });
  });

  it('waits for the definition a custom field value needs when this plan creates it', () => {
    const definition = desiredObject({ kind: 'CustomFieldDefinition', key: 'rentalCategory', entityType: 'ASSET', type: 'STRING', title: 'Category' } as const);
    const [input, refs] = planInput([definition, asset({ serialNumber: 'S2', customFields: { rentalCategory: 'Lifting' } })], { assets: [a1, a2] });
    expect(planAssets(input, refs).changes[0]!.dependsOn).toEqual(['create:CustomFieldDefinition/rentalCategory']);
  });

  it('reports an asset reference that resolves to nothing at the identity field', () => {
    const [input, refs] = planInput([asset({ serialNumber: 'NOPE', externalReference: 'ERP-5' }, 3)], { assets: [a1] });
    const plan = planAssets(input, refs);
    expect(plan.changes).toEqual([]);
    expect(plan.problems).toEqual([
      { kind: 'Asset', id: 'serialNumber=NOPE', message: 'no asset with serial number NOPE', location: 'manifests/assets.yaml:3:15', severity: 'error' },
    ]);
    expect(plan.managed).toEqual({ Asset: 0 });
  });

  it('refuses an externalReference another asset holds, unless that asset moves off it first', () => {
    const taken = planInput([asset({ serialNumber: 'S2', externalReference: 'ERP-1' }, 4)], { assets: [a1, a2] });
    const refused = planAssets(...taken);
    expect(refused.changes).toEqual([]);
    expect(refused.problems[0]).toMatchObject({ id: 'serialNumber=S2', severity: 'error', location: 'manifests/assets.yaml:5:20' });
    expect(refused.problems[0]!.message).toContain('externalReference ERP-1 is already on asset Asset a1');

    const moved = planInput([asset({ serialNumber: 'S1', externalReference: 'ERP-X' }), asset({ serialNumber: 'S2', externalReference: 'ERP-1' }, 10)], { assets: [a1, a2] });
    const plan = planAssets(...moved);
    expect(plan.problems).toEqual([]);
    expect(plan.changes.find((c) => c.id === 'serialNumber=S2')!.dependsOn).toEqual(['update:Asset/serialNumber=S1']);
  });

  it('refuses a swap of externalReferences (it would wait on itself)', () => {
    const b = liveAsset({ id: 'a2', serialNumber: 'S2', externalReference: 'ERP-2' });
    const [input, refs] = planInput([asset({ serialNumber: 'S1', externalReference: 'ERP-2' }), asset({ serialNumber: 'S2', externalReference: 'ERP-1' }, 10)], { assets: [a1, b] });
    const plan = planAssets(input, refs);
    expect(plan.changes).toEqual([]);
    expect(plan.problems).toHaveLength(2);
    expect(plan.problems[0]!.message).toContain('temporary value');
  });

  it('refuses assets shared in from another account, and two manifests naming one asset', () => {
    const shared = liveAsset({ id: 'a3', serialNumber: 'S3', ownerAccountId: 'acc-other' });
    const [input, refs] = planInput(
      [asset({ serialNumber: 'S3', externalReference: 'ERP-3' }), asset({ assetId: 'a1', externalReference: 'ERP-1' }, 5), asset({ externalReference: 'ERP-1', customFields: {} }, 9)],
      { assets: [a1, a2, shared] },
    );
    const plan = planAssets(input, refs);
    expect(plan.changes).toEqual([]);
    expect(plan.problems.map((p) => [p.id, p.message.split(';')[0]])).toEqual([
      ['serialNumber=S3', 'asset Asset a3 (a3) is shared in from account acc-other'],
      ['externalReference=ERP-1', 'asset Asset a1 (a1) is also described by Asset/assetId=a1 at manifests/assets.yaml:5'],
    ]);
  });

  it('lists protected Asset manifests', () => {
    const [input, refs] = planInput([asset({ serialNumber: 'S1', protected: true })], { assets: [a1] });
    expect(planAssets(input, refs).protectedIdentities).toEqual(['Asset/serialNumber=S1']);
  });
});
