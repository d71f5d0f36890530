/**
 * What an earlier run of the same plan left in its journal. `--resume` continues from it: applied
 * changes are skipped, done requests are not repeated, in-flight creates are looked up before anything
 * is sent. Without `--resume`, a journal that shows an interrupted or partial run is a reason to stop:
 * applying from scratch could leave half-made objects half made.
 */
import type { Plan } from '../core/plan.js';
import { TugError } from '../errors.js';
import { journalState } from '../state/journal.js';
import { blocksFreshRun, runStatus } from '../state/kept-plan.js';
import type { JournalStore } from '../state/store.js';
import type { PriorRequests } from './execute-change.js';

export interface PriorRun {
  requests: PriorRequests;
  /** Changes the journal records as applied. */
  applied: Set<string>;
  /** Changes with at least one request sent that are not applied: ours to finish, not to stale-check. */
  started: Set<string>;
}

const empty = (): PriorRun => ({ requests: { done: new Map(), inFlight: new Set() }, applied: new Set(), started: new Set() });

/** `planFile`: how the user named the plan (for the hint); undefined when it came from `--yes`. */
export async function readPriorRun(journals: JournalStore, plan: Plan, resume: boolean, planFile?: string): Promise<PriorRun> {
  const read = await journals.read(plan.fingerprint);
  const state = journalState(read.entries);
  if (!resume) {
    const status = read.exists ? runStatus(state) : 'complete';
    if (!blocksFreshRun(status)) return empty();
    const how = status === 'interrupted' ? 'was interrupted' : 'did not finish cleanly (some changes failed)';
    throw new TugError('journal_unfinished', `An earlier apply of this plan ${how} (journal ${read.file})`, {
      hint: `Run \`tug apply ${planFile ?? ''}${planFile ? ' ' : ''}--resume\` to finish it: done requests are not repeated, creates in flight are looked up first, so nothing is made twice.`,
      meta: { journal: read.file, status },
    });
  }
  // No journal: the interrupted apply died before writing anything (the journal opens before the first
  // write), so resuming is applying from the start — the stale check still guards it.
  if (!read.exists) return empty();
  const prior = empty();
  for (const entry of read.entries) {
    if (entry.type === 'outcome' && entry.status === 'done') prior.requests.done.set(`${entry.changeKey}#${entry.requestIndex}`, entry.createdId);
    if (entry.type === 'intent') prior.started.add(entry.changeKey);
  }
  for (const r of state.inFlight) prior.requests.inFlight.add(`${r.changeKey}#${r.requestIndex}`);
  prior.applied = state.applied;
  for (const key of state.applied) prior.started.delete(key);
  return prior;
}
