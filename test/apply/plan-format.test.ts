/**
 * Plan format 3 added `idempotent` to every request, and apply decides create vs retryable from it: a
 * plan of format 2 (requests without the flag) must be refused, never guessed at — read from a file or
 * handed to apply in memory.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { refuseUnusable } from '../../src/apply/index.js';
import type { Plan } from '../../src/core/plan.js';
import { TugError } from '../../src/errors.js';
import { readPlanFile } from '../../src/state/plan-file.js';

/** A golden plan as format 2 wrote it: version 2, no `idempotent` on its requests. */
function formatTwoPlan(): Plan {
  const plan = JSON.parse(readFileSync(new URL('../golden/001-create-everything/plan.json', import.meta.url), 'utf8')) as Plan;
  const changes = plan.changes.map((c) => ({ ...c, requests: c.requests.map(({ idempotent: _idempotent, ...r }) => r) }));
  return { ...plan, formatVersion: 2, changes } as unknown as Plan;
}

function refusal(act: () => unknown): TugError {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(TugError);
    return error as TugError;
  }
  throw new Error('the plan was accepted');
}

describe('a format 2 plan (requests without idempotent)', () => {
  it('is refused when read from a file, naming both versions', () => {
    const error = refusal(() => readPlanFile(JSON.stringify(formatTwoPlan())));
    expect(error.code).toBe('plan_format');
    expect(error.message).toBe('The plan file has format version 2, but this tug reads format version 3 only.');
    expect(error.hint).toContain('tug plan --out');
  });

  it('is refused when handed to apply in memory, naming both versions', () => {
    const error = refusal(() => refuseUnusable(formatTwoPlan()));
    expect(error.code).toBe('plan_format');
    expect(error.message).toBe('The plan has format version 2, but this tug applies format version 3 only.');
    expect(error.meta).toMatchObject({ formatVersion: 2, expectedFormatVersion: 3 });
    expect(error.hint).toContain('tug plan --out');
  });
});
