import { afterEach, describe, expect, it } from 'vitest';
import { fixture, type Fixture } from './helpers.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

describe('applyPlan', () => {
  it('applies the example repository on the demo seed; a plan made afterwards is empty', async () => {
    f = await fixture();
    const report = await f.apply();
    const failed = report.outcomes.filter((o) => o.status !== 'applied');
    expect(failed).toEqual([]);
    expect(report.outcomes).toHaveLength(88);
    expect(report.convergence).toEqual({ ok: true, checked: true, remaining: [], pending: 0 });
    expect((await f.plan()).plan.changes).toEqual([]);
  });
});
