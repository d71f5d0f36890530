/**
 * The postgres backend's tables, as numbered migrations. They run on first use (any command that opens
 * the store) and with `tug state migrate`, each in its own transaction, serialised across processes by
 * a transaction-level advisory lock — three runners starting at once create the tables once. A database
 * migrated by a newer tug (a version this one does not know) is refused rather than misread.
 *
 * Every table has an `account` column (src/trackunit/account.ts: Iris URL + client id, hashed): one database serves
 * several Trackunit accounts, and several projects if they choose different schemas (tug.yaml
 * `state.schema`, default `tug`).
 */
import type pg from 'pg';
import { StateStoreError } from '../../errors.js';
import type { MigrationReport } from '../store.js';
import { ADVISORY_CLASS } from './keys.js';

export interface Migration {
  version: number;
  name: string;
  /** SQL with `S` as the (quoted) schema. */
  sql(S: string): string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'lock, journal, kept plans, ISO ledger, key/value area',
    sql: (S) => `
      CREATE TABLE ${S}.accounts (
        account text PRIMARY KEY,
        iris_url text NOT NULL,
        first_used timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE ${S}.locks (
        account text PRIMARY KEY,
        owner text NOT NULL,
        host text NOT NULL,
        pid integer NOT NULL,
        backend_pid integer NOT NULL,
        token text NOT NULL,
        started_at timestamptz NOT NULL,
        lease_until timestamptz NOT NULL,
        took_over_from jsonb
      );
      CREATE TABLE ${S}.journal_entries (
        id bigserial PRIMARY KEY,
        account text NOT NULL,
        fingerprint text NOT NULL,
        seq integer NOT NULL,
        entry jsonb NOT NULL,
        written_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (account, fingerprint, seq)
      );
      CREATE FUNCTION ${S}.journal_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the tug journal is append-only'; END
      $$;
      CREATE TRIGGER journal_is_append_only BEFORE UPDATE OR DELETE ON ${S}.journal_entries
        FOR EACH ROW EXECUTE FUNCTION ${S}.journal_is_append_only();
      CREATE TABLE ${S}.kept_plans (
        account text NOT NULL,
        fingerprint text NOT NULL,
        plan text NOT NULL,
        kept_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account, fingerprint)
      );
      CREATE TABLE ${S}.iso_urls (
        account text NOT NULL,
        url text NOT NULL,
        not_before timestamptz,
        response jsonb,
        body text,
        PRIMARY KEY (account, url)
      );
      CREATE TABLE ${S}.iso_requests (
        id bigserial PRIMARY KEY,
        account text NOT NULL,
        url text NOT NULL,
        at timestamptz NOT NULL,
        status integer NOT NULL DEFAULT 0,
        pool boolean NOT NULL DEFAULT false,
        FOREIGN KEY (account, url) REFERENCES ${S}.iso_urls ON DELETE CASCADE
      );
      CREATE INDEX iso_requests_by_url ON ${S}.iso_requests (account, url, at);
      CREATE TABLE ${S}.kv (
        account text NOT NULL,
        namespace text NOT NULL,
        key text NOT NULL,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account, namespace, key)
      );`,
  },
];

export const LATEST_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** Brings `schema` to LATEST_VERSION; returns what it did. Throws on a schema newer than this tug. */
export async function migrate(client: pg.ClientBase, S: string, migrations: Migration[] = MIGRATIONS): Promise<MigrationReport> {
  const applied: MigrationReport['applied'] = [];
  let from = 0;
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, 0)', [ADVISORY_CLASS]);
    // Created only when missing: a user with rights on the tables alone (a DBA ran `tug state migrate`) may use them.
    const exists = async (name: string) => (await client.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [name])).rows[0]?.found != null;
    const schemaExists = (await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [S.slice(1, -1)])).rows.length > 0;
    if (!schemaExists) await client.query(`CREATE SCHEMA ${S}`);
    if (!(await exists(`${S}.schema_migrations`))) {
      await client.query(`CREATE TABLE ${S}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    }
    from = Number((await client.query(`SELECT coalesce(max(version), 0) AS v FROM ${S}.schema_migrations`)).rows[0].v);
    const latest = Math.max(...migrations.map((m) => m.version));
    if (from > latest) {
      throw new StateStoreError('state_schema_newer', `The state database schema ${S} is at version ${from}; this tug knows versions up to ${latest}`, {
        hint: 'A newer tug migrated it: use that version (or newer) of tug with this database.',
        meta: { schemaVersion: from, knownVersion: latest },
      });
    }
    for (const m of migrations.filter((m) => m.version > from).sort((a, b) => a.version - b.version)) {
      await client.query(m.sql(S));
      await client.query(`INSERT INTO ${S}.schema_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      applied.push({ version: m.version, name: m.name });
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return { from, to: applied.at(-1)?.version ?? from, applied };
}
