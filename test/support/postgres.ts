/**
 * For tests of the postgres state backend: the server the global set-up provides (postgres-global.ts),
 * a fresh schema per test (so tests never see each other's state), and direct SQL for assertions.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, inject } from 'vitest';
import { databaseFromEnv, PostgresStateStore } from '../../src/state/postgres/index.js';

export const POSTGRES_URL = inject('postgresUrl');
const SKIP_REASON = inject('postgresSkipReason');

/** `describe` for suites that need PostgreSQL; skipped — loudly — only when no server could be started. */
export function describePostgres(name: string, fn: () => void): void {
  if (!POSTGRES_URL) process.stderr.write(`!! skipped "${name}": ${SKIP_REASON}\n`);
  describe.skipIf(!POSTGRES_URL)(name, fn);
}

/** A schema name no other test uses. */
export const freshSchema = () => `t_${randomBytes(6).toString('hex')}`;

/** The environment a tug process gets: only the connection string (plus what the caller adds). */
export const databaseEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ TUG_STATE_DATABASE_URL: POSTGRES_URL, ...extra });

/**
 * The connection string with tug's connections named `tug_<schema>` (application_name), so a test can end
 * exactly its own tug's connections (terminate) without touching other tests running at the same time.
 */
export function databaseUrlFor(schema: string): string {
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('application_name', `tug_${schema}`);
  return url.href;
}

export function openStore(schema: string): Promise<PostgresStateStore> {
  return PostgresStateStore.open(databaseFromEnv({ TUG_STATE_DATABASE_URL: databaseUrlFor(schema) }), { schema });
}

/** Ends every connection of the tug opened with databaseUrlFor(schema), like a DBA's pg_terminate_backend. */
export async function terminateTug(schema: string): Promise<number> {
  const rows = await sql<{ ended: boolean }>(`SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = $1`, [`tug_${schema}`]);
  // Let the clients read their termination notice before the test goes on.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return rows.filter((r) => r.ended).length;
}

/** One query as the test's own connection (application_name tug-test, so tests can end tug's). */
export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, application_name: 'tug-test' });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** The password in the connection string (what must never appear anywhere). */
export const databasePassword = () => (POSTGRES_URL ? decodeURIComponent(new URL(POSTGRES_URL).password) : '');
