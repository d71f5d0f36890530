/** The key/value area in PostgreSQL: one row per (account, namespace, key), the value as jsonb. */
import type pg from 'pg';
import type { KvStore } from '../store.js';
import { guarded, type Database } from './connection.js';

export function postgresKv(deps: { db: Database; pool: pg.Pool; S: string; account: string; ensureAccount(): Promise<void> }): KvStore {
  const { db, pool, S, account } = deps;
  const run = <T>(doing: string, work: () => Promise<T>) => guarded(db, doing, work);
  return {
    get: (namespace, key) =>
      run(
        'reading the key/value area',
        async () => (await pool.query(`SELECT value FROM ${S}.kv WHERE account = $1 AND namespace = $2 AND key = $3`, [account, namespace, key])).rows[0]?.value as unknown,
      ),
    put: (namespace, key, value) =>
      run('writing the key/value area', async () => {
        await deps.ensureAccount();
        await pool.query(
          `INSERT INTO ${S}.kv (account, namespace, key, value) VALUES ($1, $2, $3, $4) ON CONFLICT (account, namespace, key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
          [account, namespace, key, JSON.stringify(value)],
        );
      }),
    delete: (namespace, key) =>
      run('writing the key/value area', async () => {
        await pool.query(`DELETE FROM ${S}.kv WHERE account = $1 AND namespace = $2 AND key = $3`, [account, namespace, key]);
      }),
    keys: (namespace) =>
      run('reading the key/value area', async () =>
        (await pool.query<{ key: string }>(`SELECT key FROM ${S}.kv WHERE account = $1 AND namespace = $2 ORDER BY key COLLATE "C"`, [account, namespace])).rows.map((r) => r.key),
      ),
  };
}
