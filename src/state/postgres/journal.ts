/**
 * Journals in PostgreSQL: one append-only table (a trigger refuses UPDATE and DELETE), one row per entry,
 * the entry as the file journal writes it (journal.ts: `seq`, `at`, the fields of its kind — never a
 * request body). Each apply writes on a connection of its own, one INSERT per entry, committed when the
 * call returns: the same before/after-each-request promise as the file's fsync. `--resume` on another
 * machine reads the same rows. The plan an apply runs is kept beside its journal (kept_plans).
 */
import os from 'node:os';
import pg from 'pg';
import { entryFields, journalState, type JournalEntry, type ReadJournalResult } from '../journal.js';
import { journalWriter } from '../journal-writer.js';
import { runStatus, type JournalInfo } from '../kept-plan.js';
import type { JournalStore } from '../store.js';
import { clientOptions, guarded, type Database } from './connection.js';

export interface PgJournalDeps {
  db: Database;
  pool: pg.Pool;
  S: string;
  account: string;
  ensureAccount(): Promise<void>;
}

export function postgresJournals(deps: PgJournalDeps): JournalStore {
  const { db, pool, S, account } = deps;
  const where = (fingerprint: string) => `${db.description}, ${S}.journal_entries (plan ${fingerprint})`;
  const run = <T>(doing: string, work: () => Promise<T>) => guarded(db, doing, work);

  const read = (fingerprint: string): Promise<ReadJournalResult> =>
    run('reading a journal', async () => {
      const rows = await pool.query<{ entry: JournalEntry }>(`SELECT entry FROM ${S}.journal_entries WHERE account = $1 AND fingerprint = $2 ORDER BY seq`, [account, fingerprint]);
      return { file: where(fingerprint), exists: rows.rows.length > 0, entries: rows.rows.map((r) => r.entry), tornTail: false };
    });

  const list = (limit: number): Promise<JournalInfo[]> =>
    run('listing journals', async () => {
      const rows = await pool.query<{ fingerprint: string; written: Date }>(
        `SELECT fingerprint, max(written_at) AS written FROM ${S}.journal_entries WHERE account = $1 GROUP BY fingerprint ORDER BY max(id) DESC LIMIT $2`,
        [account, limit],
      );
      return Promise.all(
        rows.rows.map(async ({ fingerprint, written }) => {
          const journal = await read(fingerprint);
          return { fingerprint, file: journal.file, status: runStatus(journalState(journal.entries)), modifiedMs: written.getTime() };
        }),
      );
    });

  return {
    open: async (plan, options = {}) => {
      const now = options.now ?? Date.now;
      await deps.ensureAccount();
      const client = new pg.Client(clientOptions(db));
      // A failed connection fails the next write (the writer latches it); it must not crash the process.
      client.on('error', () => undefined);
      let seq = 0;
      await run('opening the journal', async () => {
        await client.connect();
        seq = Number(
          (await client.query(`SELECT coalesce(max(seq), 0) AS seq FROM ${S}.journal_entries WHERE account = $1 AND fingerprint = $2`, [account, plan.fingerprint])).rows[0].seq,
        );
      }).catch(async (error: unknown) => {
        await client.end().catch(() => undefined);
        throw error;
      });
      // One INSERT at a time on this connection, in seq order (changes run concurrently).
      let tail: Promise<unknown> = Promise.resolve();
      const append = (fields: Record<string, unknown>) => {
        const entry = { seq: ++seq, at: new Date(now()).toISOString(), ...fields };
        const write = tail.then(() =>
          run('writing the journal', () =>
            client.query(`INSERT INTO ${S}.journal_entries (account, fingerprint, seq, entry) VALUES ($1, $2, $3, $4)`, [account, plan.fingerprint, entry.seq, entry]),
          ),
        );
        tail = write.catch(() => undefined);
        return write.then(() => undefined);
      };
      await append(entryFields.open(plan.fingerprint, os.hostname(), process.pid, false)).catch(async (error: unknown) => {
        await client.end().catch(() => undefined);
        throw error;
      });
      return journalWriter({ file: where(plan.fingerprint), fingerprint: plan.fingerprint, repairedTornTail: false, append, close: () => client.end().catch(() => undefined) });
    },
    read,
    keepPlan: (fingerprint, text) =>
      run('keeping the plan', async () => {
        await deps.ensureAccount();
        await pool.query(`INSERT INTO ${S}.kept_plans (account, fingerprint, plan) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [account, fingerprint, text]);
      }),
    readKeptPlan: (fingerprint) =>
      run('reading the kept plan', async () => {
        const rows = await pool.query<{ plan: string }>(`SELECT plan FROM ${S}.kept_plans WHERE account = $1 AND fingerprint = $2`, [account, fingerprint]);
        return rows.rows[0]?.plan;
      }),
    latest: async () => (await list(1))[0],
    list,
  };
}
