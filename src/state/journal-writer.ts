/**
 * The journal as the apply writes it, for every backend: entry fields from journal.ts, written through
 * the backend's `append` (durable when it resolves). The first failed write latches: every later call
 * fails with the same error and nothing is attempted, so an apply that lost its state store cannot go on
 * sending requests it could not record. (A journal that cannot say what was sent would break --resume's
 * promise that no create happens twice.)
 */
import { TugError } from '../errors.js';
import { entryFields } from './journal.js';
import type { JournalWriter } from './store.js';

export interface JournalTarget {
  file: string;
  fingerprint: string;
  repairedTornTail: boolean;
  /** Writes one entry (the backend adds `seq` and `at`); resolves once it is durable. */
  append(fields: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export function journalWriter(target: JournalTarget): JournalWriter {
  let failure: Error | undefined;
  const write = async (fields: Record<string, unknown>) => {
    if (failure) throw failure;
    try {
      await target.append(fields);
    } catch (error) {
      failure ??=
        error instanceof TugError ? error : new TugError('journal_write_failed', `Cannot write the journal ${target.file}: ${(error as Error).message}`, { cause: error });
      throw failure;
    }
  };
  return {
    file: target.file,
    fingerprint: target.fingerprint,
    repairedTornTail: target.repairedTornTail,
    get failure() {
      return failure;
    },
    intent: (changeKey, requestIndex, detail) => write(entryFields.intent(changeKey, requestIndex, detail)),
    outcome: (changeKey, requestIndex, result) => write(entryFields.outcome(changeKey, requestIndex, result)),
    changeOutcome: (changeKey, status, detail) => write(entryFields.change(changeKey, status, detail)),
    finish: (summary) => write(entryFields.finish(summary)),
    close: () => target.close(),
  };
}
