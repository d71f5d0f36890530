/**
 * The apply lock in PostgreSQL: a lease row per account (who holds it, since when, until when) plus a
 * session-level advisory lock held on a connection of its own for as long as the apply runs.
 *
 * - The advisory lock is the mutual exclusion: `pg_try_advisory_lock` succeeds for exactly one session.
 *   A holder whose process dies (kill -9, a runner torn down) loses its connection and with it the lock,
 *   at once — the next apply takes over and names the holder it replaced (`holder-exited`).
 * - The lease is for a holder that still has a connection but no longer renews (a hung process, a
 *   network partition the server has not noticed): once the lease has run out, the next apply ends that
 *   session with `pg_terminate_backend` and takes over (`expired`).
 * - A holder that loses its connection (server restart, terminated backend) learns it at once (`lost()`),
 *   and the apply stops before its next request.
 * Lease times are the database server's clock, so runners with skewed clocks agree on expiry.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { LockError } from '../../errors.js';
import { lockedError, userName, type AcquireOptions, type LockHandle, type LockInfo, type LockStatus, type TakeOver } from '../lock.js';
import type { LockStore } from '../store.js';
import { clientOptions, guarded, stateError, type Database } from './connection.js';
import { ADVISORY_CLASS } from './keys.js';

export const DEFAULT_LEASE_MS = 60_000;
/** How long a loser waits for the winner's lease row (it took the advisory lock a moment ago). */
const ROW_WAIT_MS = 3_000;

/** A lock handle of this backend: it also knows, at once, when its connection is gone. */
export interface PgLockHandle extends LockHandle {
  lost(): LockError | undefined;
}

interface LeaseRow {
  owner: string;
  host: string;
  pid: number;
  backend_pid: number;
  token: string;
  started_at: Date;
  lease_until: Date;
  took_over_from: TakeOver | null;
  expired: boolean;
}

export interface PgLockDeps {
  db: Database;
  pool: pg.Pool;
  /** The quoted schema. */
  S: string;
  account: string;
  key: number;
  /** Registers the account (accounts table) before its first write. */
  ensureAccount(): Promise<void>;
}

const toInfo = (row: LeaseRow): LockInfo => ({
  owner: row.owner,
  host: row.host,
  pid: row.pid,
  startedAt: row.started_at.toISOString(),
  leaseUntil: row.lease_until.toISOString(),
  token: row.token,
  ...(row.took_over_from ? { tookOverFrom: row.took_over_from } : {}),
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function postgresLock(deps: PgLockDeps): LockStore {
  const { db, pool, S, account, key } = deps;
  const location = `${db.description}, ${S}.locks (account ${account})`;
  const leaseQuery = `SELECT owner, host, pid, backend_pid, token, started_at, lease_until, took_over_from, lease_until <= now() AS expired FROM ${S}.locks WHERE account = $1`;
  const readLease = async (on: pg.ClientBase | pg.Pool = pool): Promise<LeaseRow | undefined> => (await on.query<LeaseRow>(leaseQuery, [account])).rows[0];
  /** The backend holding the account's advisory lock, if a session holds it. */
  const advisoryHolder = async (): Promise<number | undefined> => {
    const rows = await pool.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND classid = $1::bigint::oid AND objid = $2::bigint::oid AND objsubid = 2`,
      [ADVISORY_CLASS, key],
    );
    return rows.rows[0]?.pid;
  };

  async function acquire(options: AcquireOptions = {}): Promise<PgLockHandle> {
    await deps.ensureAccount();
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    const host = options.host ?? os.hostname();
    const pid = options.pid ?? process.pid;
    const owner = options.owner ?? `${userName()}@${host}`;
    const token = randomBytes(12).toString('hex');
    const session = new pg.Client(clientOptions(db));
    let lost: LockError | undefined;
    const loseWith = (why: string) => {
      lost ??= new LockError('lock_lost', `The apply lock (${location}) is no longer ours: ${db.redact(why)}`, {
        hint: 'The connection holding it ended (database restarted, connection terminated, or `tug unlock --force`). Nothing more is written; finish with `tug apply --resume`, from any machine.',
      });
    };
    session.on('error', (error) => loseWith(`its database connection failed (${error.message})`));
    session.on('end', () => loseWith('its database connection closed'));
    try {
      await session.connect();
    } catch (error) {
      throw stateError(db, 'connecting for the apply lock', error);
    }
    try {
      let expiredHolder: LeaseRow | undefined;
      const deadline = Date.now() + ROW_WAIT_MS;
      for (;;) {
        const got = (await session.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS got', [ADVISORY_CLASS, key])).rows[0]!.got;
        if (got) {
          const info = await writeLease(session, { owner, host, pid, token, leaseMs }, expiredHolder);
          return makeHandle(session, info, leaseMs, () => lost);
        }
        const [row, holder] = [await readLease(), await advisoryHolder()];
        if (holder === undefined || !row || row.backend_pid !== holder) {
          // Freed a moment ago; or the session holding it has not written its row yet (the row is absent, or
          // still names a holder whose session is gone): look again shortly rather than name the wrong one.
          if (Date.now() > deadline)
            throw new LockError('lock_contended', `The apply lock (${location}) is taken, but its holder has not said who it is`, { hint: 'Run the apply again in a moment.' });
          if (holder !== undefined) await sleep(50);
          continue;
        }
        if (!row.expired) throw lockedError(location, toInfo(row), 'a holder whose database session ends, or whose lease expires,');
        // The lease ran out, yet its session still holds the advisory lock: a hung holder. End it, take over.
        await endSession(holder, row);
        expiredHolder = row;
        await sleep(20);
      }
    } catch (error) {
      await session.end().catch(() => undefined);
      throw error instanceof LockError ? error : stateError(db, 'taking the apply lock', error);
    }
  }

  async function endSession(backendPid: number, row: LeaseRow): Promise<void> {
    try {
      await pool.query('SELECT pg_terminate_backend($1)', [backendPid]);
    } catch (error) {
      throw new LockError(
        'locked',
        `The apply lock (${location}) has an expired lease but its holder's connection is still open, and it cannot be ended: ${db.redact((error as Error).message)}`,
        {
          hint: `The holder was ${row.owner} (host ${row.host}, pid ${row.pid}). Grant this database user pg_signal_backend, or end backend ${backendPid} as an administrator.`,
        },
      );
    }
  }

  /** Holding the advisory lock: record ourselves, naming whoever held it before if its row is still there. */
  async function writeLease(session: pg.Client, me: { owner: string; host: string; pid: number; token: string; leaseMs: number }, ended: LeaseRow | undefined): Promise<LockInfo> {
    const previous = await readLease(session);
    const tookOverFrom: TakeOver | null = previous
      ? {
          reason: previous.expired || previous.token === ended?.token ? 'expired' : 'holder-exited',
          owner: previous.owner,
          host: previous.host,
          pid: previous.pid,
          startedAt: previous.started_at.toISOString(),
          leaseUntil: previous.lease_until.toISOString(),
        }
      : null;
    const row = await session.query<LeaseRow>(
      `INSERT INTO ${S}.locks (account, owner, host, pid, backend_pid, token, started_at, lease_until, took_over_from)
         VALUES ($1, $2, $3, $4, pg_backend_pid(), $5, now(), now() + $6 * interval '1 millisecond', $7)
       ON CONFLICT (account) DO UPDATE SET owner = EXCLUDED.owner, host = EXCLUDED.host, pid = EXCLUDED.pid, backend_pid = EXCLUDED.backend_pid,
         token = EXCLUDED.token, started_at = EXCLUDED.started_at, lease_until = EXCLUDED.lease_until, took_over_from = EXCLUDED.took_over_from
       RETURNING owner, host, pid, backend_pid, token, started_at, lease_until, took_over_from, false AS expired`,
      [account, me.owner, me.host, me.pid, me.token, me.leaseMs, tookOverFrom],
    );
    return toInfo(row.rows[0]!);
  }

  function makeHandle(session: pg.Client, info: LockInfo, leaseMs: number, lost: () => LockError | undefined): PgLockHandle {
    let released = false;
    const handle: PgLockHandle = {
      file: location,
      leaseMs,
      info,
      lost,
      renew: async () => {
        const gone = lost();
        if (gone) throw gone;
        let rows: LeaseRow[];
        try {
          rows = (
            await session.query<LeaseRow>(
              `UPDATE ${S}.locks SET lease_until = now() + $3 * interval '1 millisecond' WHERE account = $1 AND token = $2
               RETURNING owner, host, pid, backend_pid, token, started_at, lease_until, took_over_from, false AS expired`,
              [account, handle.info.token, leaseMs],
            )
          ).rows;
        } catch (error) {
          throw lost() ?? new LockError('lock_lost', `Renewing the apply lock (${location}) failed: ${db.redact((error as Error).message)}`);
        }
        if (rows.length === 0) {
          const now = await readLease().catch(() => undefined);
          throw new LockError(
            'lock_lost',
            `The apply lock (${location}) is no longer ours: it is now ${now ? `held by ${now.owner} (host ${now.host}, pid ${now.pid})` : 'free'}`,
            {
              hint: 'Someone ran `tug unlock --force`, or our lease expired and another apply took over. Stop, then re-plan.',
            },
          );
        }
        handle.info = toInfo(rows[0]!);
      },
      release: async () => {
        if (released) return false;
        released = true;
        try {
          if (lost()) return false;
          const deleted = await session.query(`DELETE FROM ${S}.locks WHERE account = $1 AND token = $2`, [account, handle.info.token]);
          await session.query('SELECT pg_advisory_unlock($1, $2)', [ADVISORY_CLASS, key]);
          return (deleted.rowCount ?? 0) > 0;
        } catch {
          return false;
        } finally {
          session.removeAllListeners('end');
          session.on('error', () => undefined);
          await session.end().catch(() => undefined);
        }
      },
    };
    return handle;
  }

  function inspect(): Promise<LockStatus> {
    return guarded(db, 'reading the apply lock', async () => {
      const row = await readLease();
      if (!row) return { state: 'absent' };
      const holder = await advisoryHolder();
      return { state: 'held', info: toInfo(row), expired: row.expired, holderGone: holder === undefined };
    });
  }

  async function forceUnlock(): Promise<LockStatus> {
    const status = await inspect();
    if (status.state === 'absent') return status;
    try {
      const holder = await advisoryHolder();
      if (holder !== undefined) {
        await pool.query('SELECT pg_terminate_backend($1)', [holder]);
        // The session ends a moment later; the next apply must find the advisory lock free.
        for (let waited = 0; waited < 5_000 && (await advisoryHolder()) !== undefined; waited += 50) await sleep(50);
      }
      await pool.query(`DELETE FROM ${S}.locks WHERE account = $1`, [account]);
    } catch (error) {
      throw stateError(db, 'removing the apply lock', error);
    }
    return status;
  }

  return { location, acquire, inspect, forceUnlock };
}
