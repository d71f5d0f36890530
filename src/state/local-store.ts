/**
 * The `local` state backend: a directory on this machine (tug.yaml `stateDir`, default `state/`).
 *
 *   <stateDir>/apply.lock                        the apply lock (lock.ts)
 *   <stateDir>/journal/<fingerprint>.jsonl       journals, and the plans they apply (journal.ts, kept-plan.ts)
 *   <stateDir>/iso15143/<account>/               the ISO 15143-3 cache of each account (sources/iso15143/cache.ts)
 *   <stateDir>/kv/<account>/<namespace>/<key>.json   the key/value area
 *
 * The lock and the journals belong to the directory (one directory serves one project); the ISO cache and
 * the key/value area are kept per account. Zero set-up, and nothing is shared with another machine: that
 * is what the postgres backend is for.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheDirFor, IsoCache } from '../sources/iso15143/cache.js';
import type { Account } from '../trackunit/account.js';
import { writeFileAtomic } from './atomic-write.js';
import { openJournalFile, readJournal } from './journal.js';
import { journalWriter } from './journal-writer.js';
import { keepPlan, listJournals, readKeptPlan } from './kept-plan.js';
import { acquireLock, forceUnlock, inspectLock, LOCK_FILE } from './lock.js';
import type { AccountState, AccountSummary, JournalStore, KvStore, LockStore, MigrationReport, StateStore } from './store.js';

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;
const missingAsEmpty =
  <T>(fallback: T) =>
  (error: unknown) =>
    errorCode(error) === 'ENOENT' ? fallback : Promise.reject(error);

export class LocalStateStore implements StateStore {
  readonly backend = 'local' as const;
  readonly description: string;
  readonly lock: LockStore;
  readonly journals: JournalStore;

  constructor(readonly stateDir: string) {
    this.description = `state directory ${stateDir}`;
    this.lock = {
      location: join(stateDir, LOCK_FILE),
      acquire: (options) => acquireLock(stateDir, options),
      inspect: () => inspectLock(stateDir),
      forceUnlock: () => forceUnlock(stateDir),
    };
    this.journals = {
      open: async (plan, options) => {
        const file = openJournalFile(stateDir, plan, options);
        return journalWriter({ ...file, fingerprint: plan.fingerprint, append: async (fields) => file.append(fields), close: async () => file.close() });
      },
      read: (fingerprint) => readJournal(stateDir, fingerprint),
      keepPlan: async (fingerprint, text) => {
        await keepPlan(stateDir, fingerprint, text);
      },
      readKeptPlan: (fingerprint) => readKeptPlan(stateDir, fingerprint),
      latest: async () => (await listJournals(stateDir, 1))[0],
      list: (limit) => listJournals(stateDir, limit),
    };
  }

  account(account: Account): AccountState {
    return {
      account,
      lock: this.lock,
      journals: this.journals,
      iso: (warn) => IsoCache.open(cacheDirFor(this.stateDir, account), warn),
      kv: localKv(join(this.stateDir, 'kv', account.key)),
    };
  }

  async accounts(): Promise<AccountSummary[]> {
    const keys = new Set<string>();
    for (const dir of [join(this.stateDir, 'iso15143'), join(this.stateDir, 'kv')]) {
      for (const name of await readdir(dir).catch(missingAsEmpty<string[]>([]))) keys.add(name);
    }
    return [...keys].sort().map((key) => ({ key }));
  }

  async migrate(): Promise<MigrationReport> {
    return { from: 0, to: 0, applied: [] };
  }

  async schemaVersion(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {}
}

/** Keys are file names: percent-encoded, so any key is one safe path segment. */
function localKv(dir: string): KvStore {
  const segment = (text: string) => encodeURIComponent(text).replace(/\./g, '%2E');
  const file = (namespace: string, key: string) => join(dir, segment(namespace), `${segment(key)}.json`);
  return {
    get: async (namespace, key) => {
      const text = await readFile(file(namespace, key), 'utf8').catch(missingAsEmpty<string | undefined>(undefined));
      return text === undefined ? undefined : (JSON.parse(text) as unknown);
    },
    put: (namespace, key, value) => writeFileAtomic(file(namespace, key), `${JSON.stringify(value)}\n`),
    delete: (namespace, key) => rm(file(namespace, key), { force: true }),
    keys: async (namespace) => {
      const names = await readdir(join(dir, segment(namespace))).catch(missingAsEmpty<string[]>([]));
      return names
        .filter((n) => n.endsWith('.json'))
        .map((n) => decodeURIComponent(n.slice(0, -'.json'.length)))
        .sort();
    },
  };
}
