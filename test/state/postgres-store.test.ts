/**
 * What only the postgres backend has to prove: migrations on first use (concurrent, and refusing a newer
 * schema), the lock's session semantics (a holder whose connection dies loses it at once; an expired
 * lease whose session lives on is ended and taken over, the previous holder named), the append-only
 * journal, the ISO ledger's one-transaction claim across runners, and errors that never show the password.
 */
import { afterAll, expect, it } from 'vitest';
import { LockError, StateStoreError } from '../../src/errors.js';
import { account } from '../../src/trackunit/account.js';
import { databaseFromEnv, PostgresStateStore } from '../../src/state/postgres/index.js';
import { databasePassword, describePostgres, freshSchema, openStore, POSTGRES_URL, sql, terminateTug } from '../support/postgres.js';

const A = account('http://127.0.0.1:8787', 'client-a');
const MINUTE = 60_000;
const T0 = Date.parse('2026-06-01T08:00:00Z');
const opened: PostgresStateStore[] = [];
const open = async (schema: string) => {
  const store = await openStore(schema);
  opened.push(store);
  return store;
};
const until = async (what: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!what()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

describePostgres('postgres state backend', () => {
  it('migrates on first use, once, when three processes open a fresh schema at the same moment', async () => {
    const schema = freshSchema();
    const stores = await Promise.all([open(schema), open(schema), open(schema)]);
    expect(stores.map((s) => s.migration?.applied.length).sort()).toEqual([0, 0, 1]);
    expect(await sql(`SELECT version FROM ${schema}.schema_migrations`)).toEqual([{ version: 1 }]);
    expect(await stores[0]!.migrate()).toEqual({ from: 1, to: 1, applied: [] });
    expect(await stores[0]!.schemaVersion()).toBe(1);
  });

  it('refuses a schema a newer tug migrated', async () => {
    const schema = freshSchema();
    await open(schema);
    await sql(`INSERT INTO ${schema}.schema_migrations (version, name) VALUES (99, 'from the future')`);
    const error = await openStore(schema).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateStoreError);
    expect((error as StateStoreError).code).toBe('state_schema_newer');
  });

  it('a holder whose connection dies loses the lock at once; the next apply takes over naming it', async () => {
    const schema = freshSchema();
    const store = await open(schema);
    const lock = store.account(A).lock;
    const held = await lock.acquire({ owner: 'runner-a', leaseMs: 10 * MINUTE });
    expect(held.lost?.()).toBeUndefined();
    expect(await terminateTug(schema)).toBeGreaterThan(0);
    await until(() => held.lost?.() !== undefined);
    expect(held.lost?.()?.code).toBe('lock_lost');
    await expect(held.renew()).rejects.toMatchObject({ code: 'lock_lost' });
    expect(await lock.inspect()).toMatchObject({ state: 'held', expired: false, holderGone: true });
    const next = await lock.acquire({ owner: 'runner-b' });
    expect(next.info.tookOverFrom).toMatchObject({ reason: 'holder-exited', owner: 'runner-a' });
    expect(await held.release()).toBe(false);
    await next.release();
  });

  it('an expired lease whose session still lives is ended and taken over, the previous holder named', async () => {
    const store = await open(freshSchema());
    const lock = store.account(A).lock;
    const hung = await lock.acquire({ owner: 'hung-runner', leaseMs: 300 });
    const early = await lock.acquire({ owner: 'too-early' }).catch((e: unknown) => e);
    expect((early as LockError).code).toBe('locked');
    expect((early as LockError).message).toContain('hung-runner');
    await new Promise((r) => setTimeout(r, 400)); // no renewal: the lease runs out
    const next = await lock.acquire({ owner: 'runner-b' });
    expect(next.info.tookOverFrom).toMatchObject({ reason: 'expired', owner: 'hung-runner' });
    await until(() => hung.lost?.() !== undefined);
    await expect(hung.renew()).rejects.toMatchObject({ code: 'lock_lost' });
    await next.release();
  });

  it('keeps the journal append-only', async () => {
    const schema = freshSchema();
    const store = await open(schema);
    const writer = await store.account(A).journals.open({ fingerprint: 'sha256:aa' });
    await writer.intent('c', 0, { method: 'POST', path: '/x' });
    await writer.close();
    await expect(sql(`UPDATE ${schema}.journal_entries SET seq = seq + 10`)).rejects.toThrow(/append-only/);
    await expect(sql(`DELETE FROM ${schema}.journal_entries`)).rejects.toThrow(/append-only/);
  });

  it('a journal whose connection dies fails that write and every later one (nothing more is sent)', async () => {
    const schema = freshSchema();
    const store = await open(schema);
    const writer = await store.account(A).journals.open({ fingerprint: 'sha256:bb' });
    await writer.intent('c', 0, { method: 'POST', path: '/x' });
    await terminateTug(schema);
    const first = await writer.outcome('c', 0, { status: 'done' }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(StateStoreError);
    expect(writer.failure).toBe(first);
    await expect(writer.intent('d', 0, { method: 'POST', path: '/y' })).rejects.toBe(first);
    await writer.close();
    const entries = (await store.account(A).journals.read('sha256:bb')).entries;
    expect(entries.map((e) => e.type)).toEqual(['open', 'intent']);
  });

  it('two runners claiming one ISO URL at once: exactly one request is recorded, the other waits its turn', async () => {
    const schema = freshSchema();
    const [one, two] = await Promise.all([open(schema), open(schema)]);
    const url = 'http://127.0.0.1:8787/iso/v1/Fleet/1';
    const ledgers = await Promise.all([one!.account(A).iso(), two!.account(A).iso()]);
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => ledgers[i % 2]!.claim(url, T0, { maxAgeMs: 15 * MINUTE, allowPool: false })));
    expect(claims.filter((c) => c.action === 'request')).toHaveLength(1);
    expect(claims.filter((c) => c.action === 'refuse').every((c) => c.action === 'refuse' && c.reason === 'cooling-down')).toBe(true);
    expect(await sql(`SELECT count(*)::int AS n, bool_or(pool) AS pool FROM ${schema}.iso_requests`)).toEqual([{ n: 1, pool: false }]);
  });

  it('a user with rights on the tables only (a DBA ran the migrations) uses the store; without them, a clear error', async () => {
    const schema = freshSchema();
    await open(schema);
    const role = `r_${schema}`;
    const password = `pw_${schema}`;
    await sql(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    await sql(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
    await sql(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`);
    await sql(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`);
    const url = new URL(POSTGRES_URL);
    url.username = role;
    url.password = password;
    const limited = await PostgresStateStore.open(databaseFromEnv({ TUG_STATE_DATABASE_URL: url.href }), { schema });
    opened.push(limited);
    const lock = await limited.account(A).lock.acquire({ owner: 'limited' });
    const writer = await limited.account(A).journals.open({ fingerprint: 'sha256:cc' });
    await writer.intent('c', 0, { method: 'POST', path: '/x' });
    await writer.close();
    expect(await lock.release()).toBe(true);
    const denied = await PostgresStateStore.open(databaseFromEnv({ TUG_STATE_DATABASE_URL: url.href }), { schema: freshSchema() }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(StateStoreError);
    expect((denied as StateStoreError).message).toMatch(/migrating the state schema failed: permission denied for database postgres \(42501\)/);
    expect((denied as StateStoreError).message).not.toContain(password);
  });

  it('an unreachable database or a wrong password is a clear error that never shows the password', async () => {
    const password = databasePassword();
    expect(password.length).toBeGreaterThan(8);
    const url = new URL(POSTGRES_URL);
    const closed = new URL(POSTGRES_URL);
    closed.port = '1';
    const unreachable = await PostgresStateStore.open(databaseFromEnv({ TUG_STATE_DATABASE_URL: closed.href })).catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(StateStoreError);
    expect((unreachable as StateStoreError).code).toBe('state_unavailable');
    expect((unreachable as StateStoreError).message).toMatch(/PostgreSQL 127\.0\.0\.1:1\/postgres.*ECONNREFUSED/);
    url.password = `${password}x`;
    const wrong = await PostgresStateStore.open(databaseFromEnv({ TUG_STATE_DATABASE_URL: url.href })).catch((e: unknown) => e);
    expect((wrong as StateStoreError).message).toMatch(/password authentication failed/);
    for (const error of [unreachable, wrong] as StateStoreError[]) {
      const shown = JSON.stringify({ message: error.message, hint: error.hint, meta: error.meta, json: error.toJSON?.() });
      expect(shown).not.toContain(password);
    }
    expect(() => databaseFromEnv({ TUG_STATE_DATABASE_URL: `host=x password=${password}` })).toThrow(/not a postgresql:\/\/ URL/);
    expect(() => databaseFromEnv({})).toThrow(/TUG_STATE_DATABASE_URL is not set/);
  });
});
