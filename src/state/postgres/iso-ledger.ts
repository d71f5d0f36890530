/**
 * The ISO 15143-3 cache and per-URL budget in PostgreSQL, shared by every runner: `iso_urls` (the usable
 * response and a server refusal per URL) and `iso_requests` (every request time, pool uses included —
 * the troubleshooting-pool ledger, pruned after its 30-day refill).
 *
 * `claim` runs in one transaction that holds the URL's row (SELECT … FOR UPDATE): it decides
 * (request-windows.ts, the same rule as the local cache) and, when the decision is to send, records the
 * request before committing. A second runner asking for the same URL waits for that commit and then sees
 * the request — so two runners never both spend a URL's 15-minute window, and a URL answered a moment
 * ago by another machine is served from here.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Claim, IsoLedger, RequestTicket, StoredResponse, UrlBudget } from '../../sources/iso15143/ledger.js';
import { budgetOf, decide, ISO_POOL_WINDOW_MS, type CachePolicy, type CachedResponse, type RequestRecord, type UrlEntry } from '../../sources/iso15143/request-windows.js';
import { guarded, withConnection, type Database } from './connection.js';

interface PgTicket extends RequestTicket {
  readonly id: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function postgresIsoLedger(deps: { db: Database; pool: pg.Pool; S: string; account: string; warn: (message: string) => void; ensureAccount(): Promise<void> }): IsoLedger {
  const { db, pool, S, account, warn } = deps;
  const run = <T>(doing: string, work: () => Promise<T>) => guarded(db, doing, work);
  const requestsOf = async (on: pg.ClientBase | pg.Pool, url: string | undefined, now: number) => {
    // The pool window's requests, and at least the last one (what pruneEntry keeps in the local cache).
    const rows = await on.query<{ url: string; at: Date; status: number; pool: boolean }>(
      `SELECT url, at, status, pool FROM ${S}.iso_requests r WHERE account = $1 AND ($2::text IS NULL OR url = $2)
         AND (at > $3 OR id = (SELECT max(id) FROM ${S}.iso_requests l WHERE l.account = r.account AND l.url = r.url)) ORDER BY at, id`,
      [account, url ?? null, new Date(now - ISO_POOL_WINDOW_MS)],
    );
    return rows.rows.map((r): RequestRecord & { url: string } => ({ url: r.url, at: r.at.toISOString(), status: r.status, ...(r.pool ? { pool: true as const } : {}) }));
  };
  const entryOf = (row: { not_before: Date | null; response: CachedResponse | null } | undefined, requests: RequestRecord[]): UrlEntry => ({
    requests: requests.map(({ at, status, pool }) => ({ at, status, ...(pool ? { pool } : {}) })),
    ...(row?.response ? { response: row.response } : {}),
    ...(row?.not_before ? { notBefore: row.not_before.toISOString() } : {}),
  });

  async function claim(url: string, now: number, policy: CachePolicy): Promise<Claim> {
    await deps.ensureAccount();
    return run('deciding an ISO request', () => withConnection(pool, (client) => claimOn(client, url, now, policy)));
  }

  async function claimOn(client: pg.PoolClient, url: string, now: number, policy: CachePolicy): Promise<Claim> {
    try {
      await client.query('BEGIN');
      await client.query(`INSERT INTO ${S}.iso_urls (account, url) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [account, url]);
      for (;;) {
        const row = (
          await client.query<{ not_before: Date | null; response: CachedResponse | null; body: string | null }>(
            `SELECT not_before, response, body FROM ${S}.iso_urls WHERE account = $1 AND url = $2 FOR UPDATE`,
            [account, url],
          )
        ).rows[0];
        const decision = decide(entryOf(row, await requestsOf(client, url, now)), now, policy);
        if (decision.action === 'refuse') {
          await client.query('COMMIT');
          return decision;
        }
        if (decision.action === 'request') {
          const at = new Date(now).toISOString();
          const id = (
            await client.query<{ id: string }>(`INSERT INTO ${S}.iso_requests (account, url, at, pool) VALUES ($1, $2, $3, $4) RETURNING id`, [account, url, at, decision.pool])
          ).rows[0]!.id;
          await client.query('COMMIT');
          const ticket: PgTicket = { url, at, pool: decision.pool, id };
          return { action: 'request', ticket };
        }
        const served = served200or404(decision.response, row?.body ?? null);
        if (served) {
          await client.query('COMMIT');
          return { action: 'serve', response: served, cached: decision.response };
        }
        warn(`cached ISO response for ${url} is damaged; dropped (the 15-minute rule still applies to it)`);
        await client.query(`UPDATE ${S}.iso_urls SET response = NULL, body = NULL WHERE account = $1 AND url = $2`, [account, url]);
      }
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  return {
    claim,
    finish: (ticket, status, now, response) =>
      run('recording an ISO request', async () => {
        await pool.query(`UPDATE ${S}.iso_requests SET status = $2 WHERE id = $1`, [(ticket as PgTicket).id, status]);
        if (response) {
          const cached = describe(response, now);
          await pool.query(`UPDATE ${S}.iso_urls SET response = $3, body = $4 WHERE account = $1 AND url = $2`, [
            account,
            ticket.url,
            cached,
            response.status === 200 ? response.text : null,
          ]);
        }
      }),
    cancel: (ticket) =>
      run('recording an ISO request', async () => {
        await pool.query(`DELETE FROM ${S}.iso_requests WHERE id = $1`, [(ticket as PgTicket).id]);
      }),
    refusedUntil: (url, retryAt) =>
      run('recording an ISO refusal', async () => {
        await pool.query(`UPDATE ${S}.iso_urls SET not_before = $3 WHERE account = $1 AND url = $2`, [account, url, new Date(retryAt)]);
      }),
    budget: (now) =>
      run('reading the ISO budget', async () => {
        const urls = await pool.query<{ url: string; not_before: Date | null; response: CachedResponse | null }>(
          `SELECT url, not_before, response FROM ${S}.iso_urls WHERE account = $1 ORDER BY url COLLATE "C"`,
          [account],
        );
        const requests = await requestsOf(pool, undefined, now);
        return urls.rows.map((row): UrlBudget =>
          budgetOf(
            row.url,
            entryOf(
              row,
              requests.filter((r) => r.url === row.url),
            ),
            now,
          ),
        );
      }),
  };
}

/** A kept response as the cache returns it; undefined when its body does not match its checksum. */
function served200or404(cached: CachedResponse, body: string | null): StoredResponse | undefined {
  if (cached.status === 404) return { status: 404, text: '', contentType: cached.contentType ?? 'application/json' };
  if (body === null || sha256(body) !== cached.sha256) return undefined;
  return { status: 200, text: body, contentType: cached.contentType ?? '' };
}

function describe(response: StoredResponse, now: number): CachedResponse {
  const fetchedAt = new Date(now).toISOString();
  if (response.status === 404) return { status: 404, fetchedAt, contentType: response.contentType, bytes: 0 };
  return { status: 200, fetchedAt, sha256: sha256(response.text), contentType: response.contentType, bytes: Buffer.byteLength(response.text) };
}
