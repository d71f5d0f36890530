/**
 * The write-ahead journal of an apply: `<stateDir>/journal/<plan fingerprint>.jsonl`, append-only JSON
 * Lines, one file per plan. Before a request is sent its intent is on disk (write + fsync); after it
 * returns, its outcome. `tug apply --resume` reads the journal back to know what is done, what failed and
 * which requests were in flight when the process died — those are looked up before anything is retried,
 * so no create ever happens twice.
 *
 * The journal holds method, path, lookup keys, ids and error codes/messages — never request bodies, which
 * is where credentials and personal data would be. Each writer below copies only the fields it names.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { TugError } from '../errors.js';

export const JOURNAL_DIR = 'journal';
/** Error messages are capped: a journal line is a record, not a place for response bodies. */
const MAX_MESSAGE = 1000;

export interface JournalError {
  code: string;
  message: string;
}

/** What an intent records about a request (never its body). */
export interface RequestDetail {
  method: string;
  path: string;
  /** How to find what a create made if its response is lost, e.g. `{ externalReference: 'CUST-1001' }`. */
  lookup?: Record<string, string>;
}

export interface RequestResult {
  /** `unknown`: the request may or may not have taken effect (response lost); resume looks it up. */
  status: 'done' | 'failed' | 'unknown';
  createdId?: string;
  error?: JournalError;
}

export type ChangeStatus = 'applied' | 'failed' | 'skipped';

export interface ChangeDetail {
  /** Why a change was skipped or failed, e.g. "depends on failed create:Depot/aarhus". */
  reason?: string;
  error?: JournalError;
  liveId?: string;
}

/** Flat counters and facts of a finished run (counts, stop reason, wall time). */
export type JournalSummary = Record<string, string | number | boolean | null>;

interface EntryBase {
  seq: number;
  /** ISO 8601. */
  at: string;
}

/** One line of the journal. */
export type JournalEntry = EntryBase &
  (
    | { type: 'open'; fingerprint: string; host: string; pid: number; repairedTornTail?: boolean }
    | ({ type: 'intent'; changeKey: string; requestIndex: number } & RequestDetail)
    | ({ type: 'outcome'; changeKey: string; requestIndex: number } & RequestResult)
    | { type: 'change'; changeKey: string; status: ChangeStatus; detail?: ChangeDetail }
    | { type: 'finish'; summary: JournalSummary }
  );

export interface Journal {
  readonly file: string;
  readonly fingerprint: string;
  /** Opening cut off a torn last line a crash had left (the write it belonged to never returned). */
  readonly repairedTornTail: boolean;
  /** Before sending request `requestIndex` of a change. On disk when this returns. */
  intent(changeKey: string, requestIndex: number, detail: RequestDetail): void;
  /** After the request returned (or definitely failed, or was lost). On disk when this returns. */
  outcome(changeKey: string, requestIndex: number, result: RequestResult): void;
  changeOutcome(changeKey: string, status: ChangeStatus, detail?: ChangeDetail): void;
  finish(summary: JournalSummary): void;
  close(): void;
}

export interface ReadJournalResult {
  file: string;
  exists: boolean;
  entries: JournalEntry[];
  /** The last line was cut short by a crash and was ignored. */
  tornTail: boolean;
}

export interface InFlightRequest {
  changeKey: string;
  requestIndex: number;
  detail: RequestDetail;
  /** Set when an outcome was written but said `unknown`; absent when no outcome was written at all. */
  outcome?: 'unknown';
}

/** What a journal says about a plan's execution so far. */
export interface JournalState {
  applied: Set<string>;
  failed: Set<string>;
  skipped: Set<string>;
  /** Requests whose effect is not known: intents without an outcome, or with an `unknown` one. */
  inFlight: InFlightRequest[];
  /** `${changeKey}#${requestIndex}` → the id a create returned. */
  createdIds: Map<string, string>;
  /** The last run wrote its finish line and nothing happened after it (it ended; it did not crash). */
  finished: boolean;
  summary?: JournalSummary;
}

/** `<stateDir>/journal/<fingerprint without sha256:>.jsonl` */
export function journalFile(stateDir: string, fingerprint: string): string {
  const name = fingerprint.startsWith('sha256:') ? fingerprint.slice('sha256:'.length) : fingerprint;
  if (!/^[A-Za-z0-9_-]+$/.test(name)) {
    throw new TugError('invalid_fingerprint', `"${fingerprint}" is not a plan fingerprint`, {
      hint: 'Plan fingerprints look like sha256:0123456789abcdef.',
    });
  }
  return join(stateDir, JOURNAL_DIR, `${name}.jsonl`);
}

export interface JournalOpenOptions {
  now?: () => number;
  host?: string;
  pid?: number;
}

/** An open journal file: append entry fields (seq and time are added), durable when it returns. */
export interface JournalFile {
  file: string;
  repairedTornTail: boolean;
  append(fields: Record<string, unknown>): void;
  close(): void;
}

/** Opens (creating or continuing) the journal file of `plan` and writes its `open` entry; a torn last line is cut off first. */
export function openJournalFile(stateDir: string, plan: { fingerprint: string }, options: JournalOpenOptions = {}): JournalFile {
  const now = options.now ?? Date.now;
  const file = journalFile(stateDir, plan.fingerprint);
  mkdirSync(dirname(file), { recursive: true });
  const existing = existsSync(file) ? readFileSync(file) : undefined;
  const parsed = existing === undefined ? undefined : parseJournal(existing, file);
  let fd: number | undefined = openSync(file, 'a');
  if (parsed?.tornTail) ftruncateSync(fd, parsed.validBytes);
  if (existing === undefined) syncDirectory(dirname(file));
  let seq = (parsed?.entries ?? []).reduce((max, e) => Math.max(max, e.seq), 0);

  const append = (fields: Record<string, unknown>) => {
    if (fd === undefined) throw new TugError('journal_closed', `The journal ${file} is closed`);
    const line = Buffer.from(`${JSON.stringify({ seq: ++seq, at: new Date(now()).toISOString(), ...fields })}\n`);
    for (let written = 0; written < line.length; ) written += writeSync(fd, line, written, line.length - written);
    fsyncSync(fd);
  };
  const repairedTornTail = parsed?.tornTail ?? false;
  append(entryFields.open(plan.fingerprint, options.host ?? os.hostname(), options.pid ?? process.pid, repairedTornTail));
  return {
    file,
    repairedTornTail,
    append,
    close: () => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/** Opens (creating or continuing) the journal of `plan`, with a method per entry kind. */
export function openJournal(stateDir: string, plan: { fingerprint: string }, options: JournalOpenOptions = {}): Journal {
  const { file, repairedTornTail, append, close } = openJournalFile(stateDir, plan, options);
  return {
    file,
    fingerprint: plan.fingerprint,
    repairedTornTail,
    intent: (changeKey, requestIndex, detail) => append(entryFields.intent(changeKey, requestIndex, detail)),
    outcome: (changeKey, requestIndex, result) => append(entryFields.outcome(changeKey, requestIndex, result)),
    changeOutcome: (changeKey, status, detail) => append(entryFields.change(changeKey, status, detail)),
    finish: (summary) => append(entryFields.finish(summary)),
    close,
  };
}

/**
 * The fields of each kind of entry (every backend writes these, adding `seq` and `at`): each copies
 * only the fields it names, so a request body never reaches a journal.
 */
export const entryFields = {
  open: (fingerprint: string, host: string, pid: number, repairedTornTail: boolean) => ({ type: 'open', fingerprint, host, pid, ...(repairedTornTail ? { repairedTornTail: true } : {}) }),
  intent: (changeKey: string, requestIndex: number, detail: RequestDetail) => ({ type: 'intent', changeKey, requestIndex, ...pickRequest(detail) }),
  outcome: (changeKey: string, requestIndex: number, result: RequestResult) => ({
    type: 'outcome',
    changeKey,
    requestIndex,
    status: result.status,
    ...(result.createdId !== undefined ? { createdId: result.createdId } : {}),
    ...(result.error ? { error: pickError(result.error) } : {}),
  }),
  change: (changeKey: string, status: ChangeStatus, detail?: ChangeDetail) => ({ type: 'change', changeKey, status, ...(detail ? { detail: pickChangeDetail(detail) } : {}) }),
  finish: (summary: JournalSummary) => ({ type: 'finish', summary: { ...summary } }),
};

/** Reads a plan's journal; a torn last line is ignored (and reported), damage elsewhere is an error. */
export async function readJournal(stateDir: string, fingerprint: string): Promise<ReadJournalResult> {
  const file = journalFile(stateDir, fingerprint);
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file, exists: false, entries: [], tornTail: false };
    throw error;
  }
  const { entries, tornTail } = parseJournal(data, file);
  return { file, exists: true, entries, tornTail };
}

/** Folds journal entries into what is applied, failed, skipped, in flight and created. */
export function journalState(entries: readonly JournalEntry[]): JournalState {
  const status = new Map<string, ChangeStatus>();
  const requests = new Map<string, InFlightRequest & { result?: RequestResult['status'] }>();
  const createdIds = new Map<string, string>();
  let finished = false;
  let summary: JournalSummary | undefined;
  for (const entry of entries) {
    finished = entry.type === 'finish';
    if (entry.type === 'intent') {
      const key = `${entry.changeKey}#${entry.requestIndex}`;
      requests.set(key, { changeKey: entry.changeKey, requestIndex: entry.requestIndex, detail: pickRequest(entry) });
    } else if (entry.type === 'outcome') {
      const key = `${entry.changeKey}#${entry.requestIndex}`;
      const request = requests.get(key);
      if (request) request.result = entry.status;
      if (entry.status === 'done' && entry.createdId !== undefined) createdIds.set(key, entry.createdId);
    } else if (entry.type === 'change') {
      status.set(entry.changeKey, entry.status);
    } else if (entry.type === 'finish') {
      summary = entry.summary;
    }
  }
  const keysWith = (wanted: ChangeStatus) => new Set([...status].filter(([, s]) => s === wanted).map(([key]) => key));
  const inFlight = [...requests.values()]
    .filter((r) => r.result === undefined || r.result === 'unknown')
    .map(({ changeKey, requestIndex, detail, result }) => ({ changeKey, requestIndex, detail, ...(result === 'unknown' ? { outcome: 'unknown' as const } : {}) }));
  return {
    applied: keysWith('applied'),
    failed: keysWith('failed'),
    skipped: keysWith('skipped'),
    inFlight,
    createdIds,
    finished,
    ...(summary ? { summary } : {}),
  };
}

/**
 * Splits JSON Lines. The last line is torn when it lacks its newline (the write never completed) or
 * does not parse (a crash can leave zero bytes); `validBytes` is where the intact lines end.
 */
function parseJournal(data: Buffer, file: string): { entries: JournalEntry[]; tornTail: boolean; validBytes: number } {
  const lines = data.toString('utf8').split('\n');
  const entries: JournalEntry[] = [];
  let validBytes = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const terminated = i < lines.length - 1;
    if (!terminated) return { entries, tornTail: line.length > 0, validBytes };
    const entry = line.trim() === '' ? null : parseEntry(line);
    if (entry === undefined) {
      const isLast = i === lines.length - 2 && lines[lines.length - 1] === '';
      if (isLast) return { entries, tornTail: true, validBytes };
      throw new TugError('journal_corrupt', `${file}:${i + 1} is not a journal entry`, {
        hint: 'The journal is damaged before its last line; inspect it, then re-plan instead of resuming.',
      });
    }
    if (entry) entries.push(entry);
    validBytes += Buffer.byteLength(line, 'utf8') + 1;
  }
  return { entries, tornTail: false, validBytes };
}

function parseEntry(line: string): JournalEntry | undefined {
  try {
    const value = JSON.parse(line) as unknown;
    if (typeof value !== 'object' || value === null) return undefined;
    const v = value as Record<string, unknown>;
    return typeof v.seq === 'number' && typeof v.type === 'string' ? (value as JournalEntry) : undefined;
  } catch {
    return undefined;
  }
}

function pickRequest(detail: RequestDetail): RequestDetail {
  return { method: detail.method, path: detail.path, ...(detail.lookup ? { lookup: { ...detail.lookup } } : {}) };
}

function pickError(error: JournalError): JournalError {
  const message = error.message.length > MAX_MESSAGE ? `${error.message.slice(0, MAX_MESSAGE)}…` : error.message;
  return { code: error.code, message };
}

function pickChangeDetail({ reason, error, liveId }: ChangeDetail): ChangeDetail {
  return { ...(reason !== undefined ? { reason } : {}), ...(error ? { error: pickError(error) } : {}), ...(liveId !== undefined ? { liveId } : {}) };
}

/** Makes a new file's directory entry durable too (best effort: not every platform can fsync a directory). */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open directories; the file's own fsync still holds its content.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
