/**
 * The drift classes of a plan's changes (src/core/drift.ts): live drift only when every manifest a change
 * comes from is what tug last applied; a sync comes from its Asset manifest and its contracts' manifests.
 */
import { describe, expect, it } from 'vitest';
import { agreedObjects, classifyChanges } from '../../src/core/drift.js';
import type { Change } from '../../src/core/plan.js';
import { sourcesOfChange } from '../../src/kinds/registry.js';

const change = (over: Partial<Change>): Change => ({
  key: `${over.op}:${over.kind}/${over.id}`,
  op: 'update',
  kind: 'Depot',
  id: 'aarhus',
  patch: [{ op: 'replace', path: '/name', value: 'x' }],
  requests: [],
  level: 0,
  dependsOn: [],
  notes: [],
  ...over,
});
const sync = change({
  op: 'sync',
  kind: 'Asset',
  id: 'serialNumber=SN-1',
  liveId: 'a-1',
  after: { contractItems: [{ externalReference: 'K-1-1', contract: { externalReference: 'K-1' } }] } as never,
});

describe('drift classes', () => {
  const current = new Map([
    ['Depot/aarhus', 'p1'],
    ['Asset/serialNumber=SN-1', 'a1'],
    ['Contract/K-1', 'k1'],
    ['Customer/C-1', 'c1'],
  ]);

  it("names a sync's manifests: its asset and the contracts of its items", () => {
    expect(sourcesOfChange(sync)).toEqual(['Asset/serialNumber=SN-1', 'Contract/K-1']);
    expect(sourcesOfChange(change({}))).toEqual(['Depot/aarhus']);
  });

  it('1 when every source is as last applied, 2 when one changed or was never applied, 3 for a create of what was applied', () => {
    const applied = new Map([
      ['Depot/aarhus', 'p1'],
      ['Asset/serialNumber=SN-1', 'a1'],
      ['Contract/K-1', 'k0'],
      ['Customer/C-1', 'c1'],
    ]);
    const items = classifyChanges(
      [change({}), sync, change({ op: 'create', kind: 'Customer', id: 'C-1' }), change({ op: 'create', kind: 'Customer', id: 'C-2' })],
      current,
      applied,
      sourcesOfChange,
    );
    expect(items.map((i) => [i.kind, i.id, i.class])).toEqual([
      ['Depot', 'aarhus', 1],
      ['Asset', 'serialNumber=SN-1', 2], // Contract/K-1 changed since it was applied
      ['Customer', 'C-1', 3],
      ['Customer', 'C-2', 2],
    ]);
    expect(classifyChanges([change({ op: 'delete' }), change({ op: 'adopt' })], current, applied, sourcesOfChange).map((i) => i.class)).toEqual([2, 2]);
    expect(classifyChanges([change({})], current, new Map(), sourcesOfChange)[0]!.class).toBe(2);
  });

  it('records after an apply only the manifests the convergence plan neither changes nor faults', () => {
    const agreed = agreedObjects(
      {
        changes: [sync],
        problems: [
          { kind: 'Customer', id: 'C-1', message: 'x', severity: 'error' },
          { kind: 'Depot', id: 'aarhus', message: 'y', severity: 'warning' },
        ],
      },
      current,
      sourcesOfChange,
    );
    expect([...agreed.keys()]).toEqual(['Depot/aarhus']);
  });
});
