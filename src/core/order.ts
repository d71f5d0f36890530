/**
 * Execution order, drawn once (see src/kinds/registry.ts for the levels):
 *
 *   phase 1  creates, updates and syncs, level 0 → 3   (definitions and depots first, contracts last)
 *   phase 2  deletes, level 3 → 0                      (nothing is deleted while something still needs it)
 *
 * Within a level, changes are sorted by kind, identity and op so that plans are byte-identical.
 */
import type { Change } from './plan.js';
import { compareText } from './canonical.js';

function phase(change: Change): number {
  return change.op === 'delete' ? 1 : 0;
}

export function compareChanges(a: Change, b: Change): number {
  const byPhase = phase(a) - phase(b);
  if (byPhase !== 0) return byPhase;
  const byLevel = phase(a) === 0 ? a.level - b.level : b.level - a.level;
  if (byLevel !== 0) return byLevel;
  return compareText(a.kind, b.kind) || compareText(a.id, b.id) || compareText(a.op, b.op);
}

export function orderChanges(changes: Change[]): Change[] {
  return [...changes].sort(compareChanges);
}

/** Changes grouped into the batches apply runs one after the other (each batch: one phase and level). */
export function executionBatches(changes: Change[]): Change[][] {
  const batches: Change[][] = [];
  let current: Change[] = [];
  let marker = '';
  for (const change of orderChanges(changes)) {
    const m = `${phase(change)}:${change.level}`;
    if (m !== marker && current.length > 0) {
      batches.push(current);
      current = [];
    }
    marker = m;
    current.push(change);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
