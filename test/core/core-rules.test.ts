/**
 * Pure core rules: canonical JSON and fingerprints, execution order, safety policy, request budget.
 */
import { describe, expect, it } from 'vitest';
import { computeBudget, describeDuration } from '../../src/core/budget.js';
import { canonicalJson, fingerprint } from '../../src/core/canonical.js';
import { executionBatches, orderChanges } from '../../src/core/order.js';
import { changeKey, type Change, type Op } from '../../src/core/plan.js';
import { checkSafety, type SafetyPolicy } from '../../src/core/safety.js';
import type { KindName } from '../../src/config/project.js';
import { DEFAULT_LIMITS } from '../../src/trackunit/config.js';

function change(op: Op, kind: KindName, id: string, level: number, requests = 1): Change {
  return {
    key: changeKey(op, kind, id),
    op,
    kind,
    id,
    patch: [],
    requests: Array.from({ length: requests }, () => ({ family: kind === 'Depot' ? 'sites' : 'rental', method: 'POST', path: '/x', idempotent: false })),
    level,
    dependsOn: [],
    notes: [],
  };
}

const policy = (over: Partial<SafetyPolicy> = {}): SafetyPolicy => ({ maxDeletes: {}, maxUpdates: {}, guardEmptyDesiredState: true, protect: [], ...over });

describe('canonical JSON', () => {
  it('sorts keys recursively, keeps array order, drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: undefined, b: null } })).toBe('{"a":{"b":null,"d":[3,1]},"b":1}');
    expect(fingerprint({ x: 1, y: 2 })).toBe(fingerprint({ y: 2, x: 1 }));
    expect(fingerprint({ x: 1 })).not.toBe(fingerprint({ x: 2 }));
    expect(fingerprint({ x: 1 })).toMatch(/^sha256:[0-9a-f]{16}$/);
  });
});

describe('order', () => {
  it('runs creates/updates/syncs top-down, then deletes bottom-up, deterministically', () => {
    const changes = [
      change('delete', 'Depot', 'old', 0),
      change('sync', 'Asset', 'a2', 3),
      change('create', 'Customer', 'C-2', 1),
      change('delete', 'Customer', 'C-9', 1),
      change('create', 'Depot', 'aarhus', 0),
      change('update', 'CustomFieldDefinition', 'k', 0),
      change('create', 'Customer', 'C-1', 1),
    ];
    expect(orderChanges(changes).map((c) => c.key)).toEqual([
      'update:CustomFieldDefinition/k',
      'create:Depot/aarhus',
      'create:Customer/C-1',
      'create:Customer/C-2',
      'sync:Asset/a2',
      'delete:Customer/C-9',
      'delete:Depot/old',
    ]);
    expect(executionBatches(changes).map((b) => b.map((c) => c.id))).toEqual([['k', 'aarhus'], ['C-1', 'C-2'], ['a2'], ['C-9'], ['old']]);
  });
});

describe('safety', () => {
  const deletes = (n: number) => Array.from({ length: n }, (_, i) => change('delete', 'Customer', `C-${i}`, 1));
  const input = (changes: Change[], managed: number, desired = 5) => ({ changes, managedCounts: { Customer: managed }, desiredCounts: { Customer: desired }, protectedIdentities: new Set<string>() });

  it('default: more than 30 % of at least 10 managed objects is a breach; small sets are not judged by percent', () => {
    expect(checkSafety(policy(), input(deletes(3), 10))).toEqual([]);
    const breach = checkSafety(policy(), input(deletes(4), 10));
    expect(breach).toHaveLength(1);
    expect(breach[0]).toMatchObject({ rule: 'max-deletes', kind: 'Customer', message: "too many Customer deletes: 4 of 10 (40 %) > 30 % (tug's default; set safety.maxDeletes in tug.yaml to change it)" });
    expect(breach[0]?.changes).toHaveLength(4);
    expect(checkSafety(policy(), input(deletes(2), 3))).toEqual([]);
  });

  it('default: more than 5 deletes of a kind is a breach at any size, so a small account is not bare', () => {
    // The finding: a bare tug.yaml deleted 8 of 9 depots with exit 0 (the percentage needs 10 objects).
    const breach = checkSafety(policy(), input(deletes(8), 9));
    expect(breach.map((b) => b.message)).toEqual(["too many Customer deletes: 8 > 5 (tug's default; set safety.maxDeletes in tug.yaml to change it)"]);
    expect(checkSafety(policy(), input(deletes(5), 9))).toEqual([]);
    expect(checkSafety(policy(), input(deletes(6), 10_000))[0]?.message).toMatch(/^too many Customer deletes: 6 > 5 /);
  });

  it("combines tug.yaml with the defaults field by field: a kind's entry over `default` over the built-in", () => {
    // Only a percentage in tug.yaml: the built-in count still holds.
    expect(checkSafety(policy({ maxDeletes: { default: { percent: 50 } } }), input(deletes(8), 9))[0]?.message).toMatch(/^too many Customer deletes: 8 > 5 \(tug's default/);
    expect(checkSafety(policy({ maxDeletes: { Customer: { percent: 50 } } }), input(deletes(6), 100))[0]?.message).toMatch(/^too many Customer deletes: 6 > 5 /);
    // Only a count: the built-in percentage still holds (and a user's own number carries no note).
    expect(checkSafety(policy({ maxDeletes: { default: { count: 20 } } }), input(deletes(8), 9))).toEqual([]);
    expect(checkSafety(policy({ maxDeletes: { default: { count: 20 } } }), input(deletes(8), 20))[0]?.message).toMatch(/^too many Customer deletes: 8 of 20 \(40 %\) > 30 % \(tug's default/);
    // A kind's entry inherits what it leaves out from `default`, not from the built-in.
    expect(checkSafety(policy({ maxDeletes: { default: { count: 2 }, Customer: { percent: 90 } } }), input(deletes(3), 100))[0]?.message).toBe('too many Customer deletes: 3 > 2');
    // Updates follow the same rule (there is no built-in update limit).
    const updates = Array.from({ length: 6 }, (_, i) => change('update', 'Customer', `U-${i}`, 1));
    expect(checkSafety(policy({ maxUpdates: { default: { count: 5 }, Customer: { percent: 90 } } }), input(updates, 10))[0]?.message).toBe('too many Customer updates: 6 > 5');
    expect(checkSafety(policy(), input(updates, 10))).toEqual([]);
  });

  it('per-kind and absolute thresholds, updates too', () => {
    expect(checkSafety(policy({ maxDeletes: { Customer: { count: 1 } } }), input(deletes(2), 100))[0]?.message).toBe('too many Customer deletes: 2 > 1');
    const updates = Array.from({ length: 6 }, (_, i) => change('update', 'Customer', `U-${i}`, 1));
    expect(checkSafety(policy({ maxUpdates: { default: { percent: 50 } } }), input(updates, 10))[0]?.rule).toBe('max-updates');
  });

  it('protected objects (tug.yaml patterns or manifests) cannot be deleted', () => {
    const result = checkSafety(policy({ protect: ['Customer/C-1*'], maxDeletes: { default: { count: 100 } } }), {
      ...input([change('delete', 'Customer', 'C-10', 1), change('delete', 'Customer', 'C-2', 1), change('delete', 'Customer', 'C-3', 1)], 100),
      protectedIdentities: new Set(['Customer/C-3']),
    });
    expect(result.map((b) => b.message)).toEqual(['Customer/C-10 is protected and cannot be deleted', 'Customer/C-3 is protected and cannot be deleted']);
  });

  it('guards against an empty desired state deleting everything', () => {
    const result = checkSafety(policy({ maxDeletes: { default: { count: 1000 } } }), input(deletes(5), 5, 0));
    expect(result[0]).toMatchObject({ rule: 'empty-desired-state' });
    expect(checkSafety(policy({ guardEmptyDesiredState: false, maxDeletes: { default: { count: 1000 } } }), input(deletes(5), 5, 0))).toEqual([]);
  });
});

describe('budget', () => {
  it('counts requests per family and predicts the duration from the rate limits', () => {
    const syncs = Array.from({ length: 10_000 }, (_, i) => change('sync', 'Asset', `a${i}`, 3));
    const budget = computeBudget(syncs, { ...DEFAULT_LIMITS, rental: { ratePerSecond: 10, burst: 10 } });
    expect(budget.requests).toEqual({ rental: 10_000 });
    expect(budget.totalRequests).toBe(10_000);
    expect(describeDuration(budget.predictedSeconds)).toBe('about 17 minutes');
    expect(describeDuration(0.2)).toBe('under a second');
    expect(describeDuration(40)).toBe('about 40 seconds');
  });

  it('adds batches one after the other, families within a batch in parallel', () => {
    const changes = [...Array.from({ length: 30 }, (_, i) => change('create', 'Depot', `d${i}`, 0)), ...Array.from({ length: 30 }, (_, i) => change('sync', 'Asset', `a${i}`, 3))];
    const limits = { ...DEFAULT_LIMITS, sites: { ratePerSecond: 10, burst: 10 }, rental: { ratePerSecond: 5, burst: 10 } };
    expect(computeBudget(changes, limits).predictedSeconds).toBe(2 + 4);
  });
});
