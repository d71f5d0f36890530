/**
 * The state store: everything tug keeps between runs, behind one interface with two backends.
 *
 *   local     a directory on this machine (tug.yaml `stateDir`, default `state/`): zero set-up, one machine.
 *   postgres  a PostgreSQL database (tug.yaml `state: { backend: postgres }`, connection string from
 *             TUG_STATE_DATABASE_URL only): shared by every CI runner and laptop, several accounts in one
 *             database.
 *
 * What it holds, per Trackunit account (Iris URL + client id, see src/trackunit/account.ts):
 *   - the apply lock (at most one apply writes to an account at a time);
 *   - the write-ahead journal of each apply and the plan it applies (`tug apply --resume`, from any machine);
 *   - the ISO 15143-3 response cache with its per-URL request times and troubleshooting-pool ledger;
 *   - a key/value area for what later features keep (the live-state inventory).
 * Nothing in it is a credential: the database's connection string is never stored, printed or logged.
 */
import type { IsoLedger } from '../sources/iso15143/ledger.js';
import type { Account } from '../trackunit/account.js';
import type { ChangeDetail, ChangeStatus, JournalSummary, ReadJournalResult, RequestDetail, RequestResult } from './journal.js';
import type { JournalInfo } from './kept-plan.js';
import type { AcquireOptions, LockHandle, LockStatus } from './lock.js';

export type StateBackend = 'local' | 'postgres';

export interface StateStore {
  readonly backend: StateBackend;
  /** Where the state is, for messages: a directory, or host:port/database and schema — never a password. */
  readonly description: string;
  /** The state of one Trackunit account. */
  account(account: Account): AccountState;
  /** What `tug state show` lists: every account the store holds state for. */
  accounts(): Promise<AccountSummary[]>;
  /** Creates or upgrades the store's structure (postgres: versioned migrations); idempotent. */
  migrate(): Promise<MigrationReport>;
  /** The structure's version (postgres: last migration; 0 before the first; always 0 for local). */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}

export interface AccountState {
  readonly account: Account;
  readonly lock: LockStore;
  readonly journals: JournalStore;
  /** The account's ISO 15143-3 cache and request budget; `warn` hears about damaged entries. */
  iso(warn?: (message: string) => void): Promise<IsoLedger>;
  readonly kv: KvStore;
}

export interface AccountSummary {
  /** Account key (`host-hash`), as src/trackunit/account.ts derives it. */
  key: string;
  /** Iris URL the account was used with, when the store recorded it. */
  irisUrl?: string;
}

export interface MigrationReport {
  /** Schema version before and after. */
  from: number;
  to: number;
  applied: { version: number; name: string }[];
}

/** The apply lock of one account. */
export interface LockStore {
  /** Where the lock is, for messages (a file path, or the database row). */
  readonly location: string;
  /** Takes the lock or fails with LockError `locked` naming the holder; an abandoned lock is taken over. */
  acquire(options?: AcquireOptions): Promise<LockHandle>;
  inspect(): Promise<LockStatus>;
  /** Removes the lock whoever holds it; returns what was there. */
  forceUnlock(): Promise<LockStatus>;
}

/**
 * One apply's journal, written through: each call resolves once the entry is durable (fsync'd, or
 * committed). After a write fails every later call fails with the same error (`failure`), so an apply
 * that lost its state store sends nothing more.
 */
export interface JournalWriter {
  /** Where the journal is (a file path, or the database table and plan). */
  readonly file: string;
  readonly fingerprint: string;
  readonly repairedTornTail: boolean;
  /** The first write that failed; set from then on. */
  readonly failure: Error | undefined;
  intent(changeKey: string, requestIndex: number, detail: RequestDetail): Promise<void>;
  outcome(changeKey: string, requestIndex: number, result: RequestResult): Promise<void>;
  changeOutcome(changeKey: string, status: ChangeStatus, detail?: ChangeDetail): Promise<void>;
  finish(summary: JournalSummary): Promise<void>;
  close(): Promise<void>;
}

export interface JournalStore {
  /** Opens (creating or continuing) the journal of `plan`. */
  open(plan: { fingerprint: string }, options?: { now?: () => number }): Promise<JournalWriter>;
  read(fingerprint: string): Promise<ReadJournalResult>;
  /** Keeps the plan an apply runs beside its journal (first write wins). */
  keepPlan(fingerprint: string, planText: string): Promise<void>;
  readKeptPlan(fingerprint: string): Promise<string | undefined>;
  /** The journal written last, if any. */
  latest(): Promise<JournalInfo | undefined>;
  /** The most recent journals, newest first. */
  list(limit: number): Promise<JournalInfo[]>;
}

/** JSON values by namespace and key; a value is replaced whole. */
export interface KvStore {
  get(namespace: string, key: string): Promise<unknown>;
  put(namespace: string, key: string, value: unknown): Promise<void>;
  delete(namespace: string, key: string): Promise<void>;
  keys(namespace: string): Promise<string[]>;
}
