/**
 * The `postgres` state backend (tug.yaml `state: { backend: postgres, schema: tug }`, connection string
 * from TUG_STATE_DATABASE_URL): the lock, journals, ISO ledger and key/value area of every account in one
 * database, shared by every runner. Opening connects and migrates (first use), so an unreachable or
 * unusable database is a clear error before tug reads or writes anything in Trackunit.
 */
import type pg from 'pg';
import type { Account } from '../../trackunit/account.js';
import type { AccountState, AccountSummary, MigrationReport, StateStore } from '../store.js';
import { createPool, guarded, stateError, withConnection, type Database } from './connection.js';
import { postgresIsoLedger } from './iso-ledger.js';
import { postgresJournals } from './journal.js';
import { DEFAULT_SCHEMA, lockKey, quotedSchema } from './keys.js';
import { postgresKv } from './kv.js';
import { postgresLock } from './lock.js';
import { migrate } from './migrations.js';

export { DATABASE_URL_ENV, databaseFromEnv, type Database } from './connection.js';
export { DEFAULT_SCHEMA } from './keys.js';
export { LATEST_VERSION, MIGRATIONS } from './migrations.js';

export interface PostgresOptions {
  schema?: string;
  /** Run migrations when opening (default true; `tug state migrate` opens without and reports them). */
  migrate?: boolean;
}

export class PostgresStateStore implements StateStore {
  readonly backend = 'postgres' as const;
  readonly description: string;
  /** What opening migrated (empty when the schema was current). */
  migration: MigrationReport | undefined;
  private readonly S: string;
  private readonly registered = new Map<string, Promise<void>>();

  private constructor(
    private readonly db: Database,
    private readonly pool: pg.Pool,
    readonly schema: string,
  ) {
    this.S = quotedSchema(schema);
    this.description = `${db.description}, schema ${schema}`;
  }

  static async open(db: Database, options: PostgresOptions = {}): Promise<PostgresStateStore> {
    const schema = options.schema ?? DEFAULT_SCHEMA;
    quotedSchema(schema);
    const pool = createPool(db, () => undefined);
    const store = new PostgresStateStore(db, pool, schema);
    try {
      await pool.query('SELECT 1').catch((error: unknown) => Promise.reject(stateError(db, 'connecting', error)));
      if (options.migrate ?? true) store.migration = await store.migrate();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw stateError(db, 'opening the state database', error);
    }
    return store;
  }

  account(account: Account): AccountState {
    const deps = { db: this.db, pool: this.pool, S: this.S, account: account.key, ensureAccount: () => this.ensureAccount(account) };
    return {
      account,
      lock: postgresLock({ ...deps, key: lockKey(this.schema, account.key) }),
      journals: postgresJournals(deps),
      iso: async (warn = () => undefined) => postgresIsoLedger({ ...deps, warn }),
      kv: postgresKv(deps),
    };
  }

  accounts(): Promise<AccountSummary[]> {
    return guarded(this.db, 'listing accounts', async () => {
      const rows = await this.pool.query<{ account: string; iris_url: string }>(`SELECT account, iris_url FROM ${this.S}.accounts ORDER BY account`);
      return rows.rows.map((r) => ({ key: r.account, irisUrl: r.iris_url }));
    });
  }

  migrate(): Promise<MigrationReport> {
    return guarded(this.db, 'migrating the state schema', () => withConnection(this.pool, (client) => migrate(client, this.S)));
  }

  schemaVersion(): Promise<number> {
    return guarded(this.db, 'reading the schema version', async () => {
      const exists = (await this.pool.query<{ t: string | null }>(`SELECT to_regclass($1) AS t`, [`${this.S}.schema_migrations`])).rows[0]?.t;
      if (!exists) return 0;
      return Number((await this.pool.query(`SELECT coalesce(max(version), 0) AS v FROM ${this.S}.schema_migrations`)).rows[0].v);
    });
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }

  /** The accounts table names each account's Iris URL (for `tug state show`); once per account and run. */
  private ensureAccount(account: Account): Promise<void> {
    let done = this.registered.get(account.key);
    if (!done) {
      done = this.pool.query(`INSERT INTO ${this.S}.accounts (account, iris_url) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [account.key, account.irisUrl]).then(
        () => undefined,
        (error: unknown) => {
          this.registered.delete(account.key);
          throw stateError(this.db, 'registering the account', error);
        },
      );
      this.registered.set(account.key, done);
    }
    return done;
  }
}
