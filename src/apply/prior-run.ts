/**
 * What an earlier run of the same plan left in its journal. `--resume` continues from it: applied
 * changes are skipped, done requests are not repeated, in-flight creates are looked up before anything
 * is sent. Without `--resume`, a journal that shows an interrupted or partial run is a reason to stop:
 * applying from scratch could leave half-made objects half made (the fresh plan would call them done).
 */
import type { Plan } from '../core/plan.js';
import { TugError } from '../errors.js';
import { journalState, readJournal } from '../state/journal.js';
import type { PriorRequests } from './execute-change.js';

export interface PriorRun {
  requests: PriorRequests;
  /** Changes the journal records as applied. */
  applied: Set<string>;
  /** Changes with at least one request sent that are not applied: ours to finish, not to stale-check. */
  started: Set<string>;
}

const empty = (): PriorRun => ({ requests: { done: new Map(), inFlight: new Set() }, applied: new Set(), started: new Set() });

export async function readPriorRun(stateDir: string, plan: Plan, resume: boolean): Promise<PriorRun> {
  const read = await readJournal(stateDir, plan.fingerprint);
  const state = journalState(read.entries);
  if (!resume) {
    const unfinished = read.exists && (!state.finished || state.failed.size > 0 || state.inFlight.length > 0);
    if (!unfinished) return empty();
    throw new TugError('journal_unfinished', `An earlier apply of this plan did not finish cleanly (journal ${read.file})`, {
      hint: 'Run `tug apply <plan.json> --resume` to finish it: creates in flight are looked up first, so nothing is made twice.',
      meta: { journal: read.file },
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
