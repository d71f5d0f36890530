/**
 * `--target` checks (src/plan/targets.ts): a typo in a target used to plan nothing and say "No changes",
 * exit 0. Now its form and kind are checked first, then whether it names a manifest or a live object.
 */
import { describe, expect, it } from 'vitest';
import { targetCandidates, targetProblem, unmatchedTargets } from '../../src/plan/targets.js';
import { targetMatcher } from '../../src/core/targets.js';
import { desiredObject, desiredState, emptyLiveState, liveAsset, liveCustomer, liveDefinition, liveSite } from '../core/builders.js';

const KINDS = 'the kinds are CustomFieldDefinition, Depot, Customer, Asset, Contract';

describe('targetProblem (before anything is read)', () => {
  it('accepts Kind/identity with a known kind, and wildcards in either part', () => {
    for (const ok of ['Depot/aarhus', 'Customer/*', '*/aarhus', 'Dep*/a*', 'Asset/serialNumber=WNCE05065KT800001', 'Depot/a/b']) expect(targetProblem(ok), ok).toBeUndefined();
  });

  it('refuses a target without Kind/ and names the kinds', () => {
    expect(targetProblem('garbage')).toBe(`--target "garbage" is not Kind/identity, e.g. Depot/aarhus or Customer/*; ${KINDS}`);
    expect(targetProblem('Depot')).toBe(`--target "Depot" is not Kind/identity, e.g. Depot/aarhus or Customer/* (did you mean "Depot/*"?); ${KINDS}`);
    expect(targetProblem('Depot/')).toContain('(did you mean "Depot/*"?)');
    expect(targetProblem('/aarhus')).toContain('is not Kind/identity');
  });

  it('refuses an unknown kind, naming the known ones and the likely one', () => {
    expect(targetProblem('Nope/x')).toBe(`--target "Nope/x": no kind is called "Nope"; ${KINDS}`);
    expect(targetProblem('depot/aarhus')).toBe(`--target "depot/aarhus": no kind is called "depot" (did you mean "Depot"?); ${KINDS}`);
    expect(targetProblem('Costumer/C-1')).toContain('(did you mean "Customer"?)');
    expect(targetProblem('X*/a')).toBe(`--target "X*/a": no kind is called "X*"; ${KINDS}`);
  });
});

describe('unmatchedTargets (after reading)', () => {
  const desired = desiredState(desiredObject({ kind: 'Depot', key: 'aarhus', name: 'Aarhus', address: {} } as never), desiredObject({ kind: 'Customer', externalReference: 'CUST-1001', name: 'Jensen' } as never));
  const live = {
    ...emptyLiveState(),
    sites: [liveSite({ id: 's1', name: 'Odense', externalReference: 'tug:depot/odense' }), liveSite({ id: 's2', name: 'Hand-made', externalReference: 'ERP-7' })],
    customers: [liveCustomer({ id: 'c1', name: 'Old', externalReference: 'CUST-0999' }), liveCustomer({ id: 'c2', name: 'No ref' })],
    definitions: [liveDefinition({ id: 'd1', key: 'depotManager', type: 'STRING', entityType: 'SITE' })],
    assets: [liveAsset({ id: 'a1', serialNumber: 'SN-1', externalReference: 'FLEET-1' })],
  };
  const candidates = targetCandidates(desired, live);

  it('lists manifests and live objects by the identities plans show', () => {
    expect(candidates.map((c) => `${c.kind}/${c.id}`)).toEqual([
      'Depot/aarhus',
      'Customer/CUST-1001',
      'CustomFieldDefinition/depotManager',
      'Depot/odense',
      'Customer/CUST-0999',
      'Asset/assetId=a1',
      'Asset/serialNumber=SN-1',
      'Asset/externalReference=FLEET-1',
    ]);
  });

  it('passes targets that name a manifest, a live object, or match one by wildcard', () => {
    expect(unmatchedTargets(['Depot/aarhus', 'Depot/odense', 'Customer/*', 'Asset/serialNumber=SN-*', 'CustomFieldDefinition/depotManager'], candidates)).toEqual([]);
  });

  it('reports each target that names nothing, with the closest identity of its kind', () => {
    expect(unmatchedTargets(['Depot/arhus', 'Customer/ZZ*', 'Contract/K-1', 'Depot/aarhus'], candidates)).toEqual([
      { target: 'Depot/arhus', message: '--target "Depot/arhus" matches no manifest and no live object (did you mean "Depot/aarhus"?)' },
      { target: 'Customer/ZZ*', message: '--target "Customer/ZZ*" matches no manifest and no live object' },
      { target: 'Contract/K-1', message: '--target "Contract/K-1" matches no manifest and no live object' },
    ]);
  });
});

describe('targetMatcher (what buildPlan narrows with)', () => {
  it('matches Kind/identity exactly, * as any run of characters, regex characters literally', () => {
    expect(targetMatcher('Depot/aarhus')('Depot', 'aarhus')).toBe(true);
    expect(targetMatcher('Depot/aarhus')('Depot', 'aarhus2')).toBe(false);
    expect(targetMatcher('Customer/*')('Customer', 'CUST-1')).toBe(true);
    expect(targetMatcher('Asset/serialNumber=A.1')('Asset', 'serialNumber=AB1')).toBe(false);
  });
});
