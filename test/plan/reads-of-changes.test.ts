/**
 * Which per-object reads a change was planned from (readsOfChanges, the kinds' detailsOf) and what apply
 * will read of what a change creates (createdReads): the plan reads the first live before it offers the
 * change, and counts the second in apply's budget.
 */
import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/core/plan.js';
import type { LiveState } from '../../src/core/state.js';
import { contractKind } from '../../src/kinds/contract/index.js';
import { emptyLiveState } from '../../src/kinds/registry.js';
import { readsOfChanges } from '../../src/plan/read-live.js';

function live(): LiveState {
  const state = emptyLiveState();
  state.contracts = [
    { id: 'c1', externalReference: 'K-1', contractStatus: 'OPEN', startDate: null, endDate: null, customerId: 'u1', hiringDepotId: null },
    { id: 'c2', externalReference: 'K-2', contractStatus: 'OPEN', startDate: null, endDate: null, customerId: 'u1', hiringDepotId: null },
    { id: 'c3', externalReference: 'K-3', contractStatus: 'OPEN', startDate: null, endDate: null, customerId: 'u1', hiringDepotId: null },
  ];
  const item = (id: string, contractId: string, assetId: string | null) =>
    ({ id, contractId, assetId, externalReference: id, onRentDate: '2026-01-01T00:00:00.000Z', offRentDate: null }) as LiveState['contractItems'][number];
  // K-2 has an item on asset a1 that no manifest places there any more; K-3 is on another asset.
  state.contractItems = [item('i1', 'c1', 'a1'), item('i2', 'c2', 'a1'), item('i3', 'c3', 'a2'), item('i4', 'c3', null)];
  return state;
}

const sync = (assetId: string, references: string[]): Change =>
  ({
    key: `sync:Asset/${assetId}`,
    op: 'sync',
    kind: 'Asset',
    id: assetId,
    liveId: assetId,
    after: { contractItems: references.map((r) => ({ contract: { externalReference: r } })) },
    patch: [],
    requests: [],
    level: 3,
    dependsOn: [],
    notes: [],
  }) as unknown as Change;

describe('reads a change was planned from', () => {
  it('a sync: its asset, every contract with a live item on the asset, and every live contract its payload names', () => {
    expect([...readsOfChanges([sync('a1', ['K-1', 'K-3'])], live())].sort()).toEqual(['a1', 'c1', 'c2', 'c3']);
    expect([...readsOfChanges([sync('a2', [])], live())].sort()).toEqual(['a2', 'c3']);
  });

  it('what a sync creates: the items of the contracts it names that are not live yet, read by the convergence check', () => {
    expect(contractKind.createdReads!(sync('a1', ['K-1', 'K-9', 'K-10']), live())).toEqual(['rental:contractItems:K-9', 'rental:contractItems:K-10']);
  });
});
