/**
 * Reaching the postgres state backend: the connection string comes from TUG_STATE_DATABASE_URL only
 * (never tug.yaml, never a flag), and neither it nor its password appears in any message tug prints:
 * errors name the database as `host:port/database` and every driver message is passed through the
 * redactor first.
 */
import pg from 'pg';
import { ConfigError, StateStoreError } from '../../errors.js';

export const DATABASE_URL_ENV = 'TUG_STATE_DATABASE_URL';
/** Connections tug opens are named so (pg_stat_activity), for operators and for the tests. */
export const APPLICATION_NAME = 'tug';

export interface Database {
  /** The connection string; handed to the driver only. */
  readonly url: string;
  /** `PostgreSQL host:port/database` — for messages. */
  readonly description: string;
  /** Removes the connection string, its password and user:password pairs from a text. */
  redact(text: string): string;
}

export function databaseFromEnv(env: NodeJS.ProcessEnv): Database {
  const url = env[DATABASE_URL_ENV]?.trim();
  if (!url) {
    throw new ConfigError('state_database_url_missing', `tug.yaml chooses the postgres state backend, but ${DATABASE_URL_ENV} is not set`, {
      hint: `Set ${DATABASE_URL_ENV}=postgresql://USER:PASSWORD@HOST:5432/DATABASE in the environment (in CI: from a secret). The connection string is never read from a file or a flag.`,
    });
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    parsed = new URL('invalid:');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError('state_database_url_invalid', `${DATABASE_URL_ENV} is not a postgresql:// URL`, {
      hint: `Use the form postgresql://USER:PASSWORD@HOST:5432/DATABASE (the value is not shown, since it may hold a password).`,
    });
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username) || 'postgres';
  const description = `PostgreSQL ${parsed.host || 'localhost'}/${database}`;
  const secrets = [url, parsed.password, safeDecode(parsed.password), parsed.searchParams.get('password') ?? ''].filter((s) => s.length >= 3);
  const redact = (text: string) => secrets.reduce((out, secret) => out.split(secret).join('***'), text).replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@');
  return { url, description, redact };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const CONNECT_TIMEOUT_MS = 10_000;
/**
 * No statement of tug's takes long; one that does means the server or the network is gone (a partition
 * sends no reset). Failing it stops an apply at its next request instead of hanging it forever.
 */
const QUERY_TIMEOUT_MS = 30_000;

/** Connection settings; `application_name` is tug unless the connection string names one. */
export function clientOptions(db: Database): pg.ClientConfig {
  const named = /[?&]application_name=/.test(db.url);
  return {
    connectionString: db.url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    ...(named ? {} : { application_name: APPLICATION_NAME }),
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}

/**
 * Runs `work` on a pooled connection. While it is checked out, a connection that dies between two
 * queries must fail the next query, not crash the process with an unhandled 'error' event.
 */
export async function withConnection<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const ignore = () => undefined;
  client.on('error', ignore);
  let broken: Error | undefined;
  try {
    return await work(client);
  } catch (error) {
    broken = error as Error;
    throw error;
  } finally {
    client.off('error', ignore);
    // A connection that failed mid-work is not handed to the next caller.
    client.release(broken);
  }
}

export function createPool(db: Database, onIdleError: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool({ ...clientOptions(db), max: 4, idleTimeoutMillis: 10_000 });
  // An idle connection that dies (server restart, pg_terminate_backend) must not crash the process.
  pool.on('error', onIdleError);
  return pool;
}

/** Runs `work`; any failure becomes the StateStoreError saying what was being done (stateError). */
export async function guarded<T>(db: Database, doing: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw stateError(db, doing, error);
  }
}

/** What failed, where, and the server's or the network's code — with every secret removed. */
export function stateError(db: Database, doing: string, error: unknown, code = 'state_unavailable'): StateStoreError {
  if (error instanceof StateStoreError) return error;
  const e = error as { message?: string; code?: string };
  const why = db.redact(e.message ?? String(error));
  const sqlState = typeof e.code === 'string' ? ` (${e.code})` : '';
  return new StateStoreError(code, `State database ${db.description}: ${doing} failed: ${why}${sqlState}`, {
    hint: `Check that the database is reachable from here and that ${DATABASE_URL_ENV} names it, with a user that may create tables in the schema. An apply that loses the database stops before its next request: finish it with \`tug apply --resume\`.`,
    meta: { database: db.description, ...(typeof e.code === 'string' ? { code: e.code } : {}) },
  });
}
