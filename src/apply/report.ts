/**
 * What an apply did, as data (the JSON report; render/apply-text.ts and apply-markdown.ts show it): one
 * outcome per change, counts per kind and op, the client's request/retry/429 figures, wall time, whether
 * it stopped early, and the convergence check (a plan made right after the apply must hold nothing for
 * what was applied).
 */
import type { Op } from '../core/plan.js';
import { ExitCode } from '../errors.js';
import type { JournalError } from '../state/journal.js';

export type OutcomeStatus = 'applied' | 'failed' | 'skipped';

export interface ChangeOutcome {
  key: string;
  kind: string;
  op: Op;
  id: string;
  status: OutcomeStatus;
  /** Why it was skipped (already applied, depends on a failed change, stopped early). */
  reason?: string;
  error?: JournalError;
  liveId?: string;
}

export interface RemainingDifference {
  kind: string;
  id: string;
  op: Op;
  fields: string[];
  /**
   * `applied`: this run wrote the object, yet a fresh plan still wants a change there (changed in
   * Trackunit during the apply, or a normalisation bug in tug). `outside`: an object this run did not
   * write differs from the manifests (changed in Trackunit during the apply).
   */
  cause: 'applied' | 'outside';
}

export interface ApplyReport {
  planFingerprint: string;
  journal: string;
  outcomes: ChangeOutcome[];
  /** kind → op → status → count */
  counts: Record<string, Partial<Record<Op, Partial<Record<OutcomeStatus, number>>>>>;
  requests: number;
  retries: number;
  rateLimited: number;
  wallMs: number;
  /** Set when --max-changes / --max-duration (or a lost lock) ended the run at a change boundary. */
  stoppedEarly?: string;
  resumed: boolean;
  /**
   * The plan made right after the apply: `remaining` what should not be there; `pending` the changes
   * still to do that this run did not apply on purpose or because they failed (they need another run).
   */
  convergence: { ok: boolean; checked: boolean; remaining: RemainingDifference[]; pending: number };
  /** What the user should know that did not change the outcome (e.g. the record for `tug drift` could not be saved). */
  warnings?: string[];
}

/** One line per remaining difference, the same words in text and markdown. */
export function describeRemaining(r: RemainingDifference, subject: string, fields: string): string {
  return r.cause === 'applied'
    ? `${subject} still differs after apply (${r.op}: ${fields}) — the object changed in Trackunit during the apply, or tug has a normalisation bug`
    : `${subject} differs from the manifests (${r.op}: ${fields}) — not in this plan: it changed in Trackunit during the apply`;
}

/** The closing sentence of a converged apply. */
export function convergedLine(report: ApplyReport): string {
  const n = report.convergence.pending;
  return n === 0
    ? 'Converged: a fresh plan is empty.'
    : `Converged as far as applied: a fresh plan holds only the ${n} change${n === 1 ? '' : 's'} this run did not apply.`;
}

export function countOutcomes(outcomes: readonly ChangeOutcome[]): ApplyReport['counts'] {
  const counts: ApplyReport['counts'] = {};
  for (const o of outcomes) {
    const byOp = (counts[o.kind] ??= {});
    const byStatus = (byOp[o.op] ??= {});
    byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
  }
  return counts;
}

/** 1 for a convergence failure (a bug), 5 when a change failed, else 0. */
export function applyExitCode(report: ApplyReport): number {
  if (!report.convergence.ok) return ExitCode.error;
  return report.outcomes.some((o) => o.status === 'failed') ? ExitCode.partial : ExitCode.ok;
}

/** How many changes ended with `status`. */
export function outcomesWith(report: ApplyReport, status: OutcomeStatus): number {
  return report.outcomes.filter((o) => o.status === status).length;
}
