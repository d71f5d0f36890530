/**
 * The journal keeps its plan: `<stateDir>/journal/<fingerprint>.plan.json` beside `<fingerprint>.jsonl`,
 * written (atomically, once) before the first request of an apply. So an interrupted or partial apply can
 * be finished with `tug apply --resume` alone — also when it was a scripted `tug apply --yes` that never
 * had a plan file, or when the plan file is gone with the machine that made it. The kept plan is the plan
 * file exactly as `tug plan --out` writes it: request bodies (names, addresses, e-mails), never credentials.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { journalFile, journalState, readJournal, JOURNAL_DIR, type JournalState } from './journal.js';

/** How an apply recorded in a journal ended. */
export type RunStatus = 'complete' | 'stopped' | 'partial' | 'interrupted';

/**
 * interrupted: no finish line (the process died or lost its lock); partial: finished with failures or
 * unknown outcomes; stopped: finished cleanly at --max-changes / --max-duration with changes left.
 */
export function runStatus(state: JournalState): RunStatus {
  if (!state.finished) return 'interrupted';
  if (state.failed.size > 0 || state.inFlight.length > 0) return 'partial';
  const stopped = state.summary?.stoppedEarly;
  return typeof stopped === 'string' && stopped !== '' ? 'stopped' : 'complete';
}

/** Runs that must be finished with --resume before the same plan is applied again from the start. */
export const blocksFreshRun = (status: RunStatus) => status === 'interrupted' || status === 'partial';

export function keptPlanFile(stateDir: string, fingerprint: string): string {
  return journalFile(stateDir, fingerprint).replace(/\.jsonl$/, '.plan.json');
}

/** Keeps the plan beside its journal (first write wins: the same fingerprint is the same plan). */
export async function keepPlan(stateDir: string, fingerprint: string, planText: string): Promise<string> {
  const file = keptPlanFile(stateDir, fingerprint);
  if (!existsSync(file)) await writeFileAtomic(file, planText);
  return file;
}

export async function readKeptPlan(stateDir: string, fingerprint: string): Promise<string | undefined> {
  try {
    return await readFile(keptPlanFile(stateDir, fingerprint), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export interface JournalInfo {
  fingerprint: string;
  file: string;
  status: RunStatus;
  /** When the journal was last written (ms since the epoch). */
  modifiedMs: number;
}

/** The journal of the most recent apply in this state directory (last written), if any. */
export async function latestJournal(stateDir: string): Promise<JournalInfo | undefined> {
  return (await listJournals(stateDir, 1))[0];
}

/** The `limit` journals of this state directory written last, newest first. */
export async function listJournals(stateDir: string, limit: number): Promise<JournalInfo[]> {
  const dir = join(stateDir, JOURNAL_DIR);
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const written = await Promise.all(names.filter((n) => n.endsWith('.jsonl')).map(async (name) => ({ name, modifiedMs: (await stat(join(dir, name))).mtimeMs })));
  // Newest first; the same time: the later name (as before: the last of the sorted names wins a tie).
  written.sort((a, b) => b.modifiedMs - a.modifiedMs || b.name.localeCompare(a.name));
  return Promise.all(
    written.slice(0, limit).map(async ({ name, modifiedMs }) => {
      const fingerprint = `sha256:${name.slice(0, -'.jsonl'.length)}`;
      const read = await readJournal(stateDir, fingerprint);
      return { fingerprint, file: read.file, status: runStatus(journalState(read.entries)), modifiedMs };
    }),
  );
}
