/**
 * Runs the changes batch by batch (executionBatches: phase and dependency level), up to `concurrency`
 * changes at a time inside a batch. A change waits for the changes it depends on (some are in its own
 * batch) outside the concurrency slots, so waiting never blocks a slot; a dependency that failed or was
 * skipped makes it skipped too (transitively). Stop conditions are checked at each change boundary.
 */
import pLimit from 'p-limit';
import type { Change } from '../core/plan.js';
import { executionBatches } from '../core/order.js';
import { executeChange, type ExecContext } from './execute-change.js';
import type { ChangeOutcome } from './report.js';

export interface RunOptions {
  concurrency: number;
  /** Changes decided before running (already applied, …): reported as given, count as success. */
  decided: Map<string, ChangeOutcome>;
  /** Why no new change may start (max-changes, max-duration, lock lost); undefined while all is well. */
  stopReason(started: number): string | undefined;
  onDone(outcome: ChangeOutcome, total: number): void;
}

export interface RunResult {
  outcomes: ChangeOutcome[];
  stoppedEarly?: string;
}

const base = (c: Change) => ({ key: c.key, kind: c.kind, op: c.op, id: c.id });

export async function runBatches(ctx: ExecContext, changes: Change[], options: RunOptions): Promise<RunResult> {
  const results = new Map<string, Promise<ChangeOutcome>>();
  const limit = pLimit(Math.max(1, options.concurrency));
  let started = 0;
  let stoppedEarly: string | undefined;
  const finish = (outcome: ChangeOutcome) => {
    options.onDone(outcome, changes.length);
    return outcome;
  };

  const runOne = async (change: Change): Promise<ChangeOutcome> => {
    const decided = options.decided.get(change.key);
    if (decided) return finish(decided);
    await Promise.resolve(); // let the whole batch register before looking up dependencies
    const deps = await Promise.all(change.dependsOn.map((k) => results.get(k)).filter((p) => p !== undefined));
    const blocker = deps.find((d) => d.status !== 'applied' && !(d.status === 'skipped' && d.reason?.startsWith('already applied')));
    if (blocker) {
      await ctx.journal.changeOutcome(change.key, 'skipped', { reason: `depends on ${blocker.status} ${blocker.key}` }).catch(() => undefined);
      return finish({ ...base(change), status: 'skipped', reason: `depends on ${blocker.status} ${blocker.key}` });
    }
    return limit(async () => {
      stoppedEarly ??= options.stopReason(started);
      if (stoppedEarly) return finish({ ...base(change), status: 'skipped', reason: `not started: ${stoppedEarly}` });
      started += 1;
      const result = await executeChange(ctx, change);
      return finish({ ...base(change), ...result });
    });
  };

  for (const batch of executionBatches(changes)) {
    for (const change of batch) results.set(change.key, runOne(change));
    await Promise.all(batch.map((c) => results.get(c.key)));
  }
  const outcomes = await Promise.all(changes.map((c) => results.get(c.key)!));
  return { outcomes, ...(stoppedEarly ? { stoppedEarly } : {}) };
}
