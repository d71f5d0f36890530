/**
 * The StateStore contract, run against both backends — the local directory and a real PostgreSQL — so
 * they keep the same semantics: the lock (exclusive, names its holder, release only when ours), the
 * journal (written through, read back into the same state, latest/list, the kept plan), the ISO ledger
 * (serve / request / refuse, pool, cancel, refusals, budget), the key/value area, and accounts kept apart.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockError } from '../../src/errors.js';
import { ISO_POOL_SIZE, type CachePolicy } from '../../src/sources/iso15143/request-windows.js';
import { account, journalState, LocalStateStore, runStatus, type StateStore } from '../../src/state/index.js';
import { describePostgres, freshSchema, openStore } from '../support/postgres.js';

const MINUTE = 60_000;
const T0 = Date.parse('2026-06-01T08:00:00Z');
const NORMAL: CachePolicy = { maxAgeMs: 15 * MINUTE, allowPool: false };
const POOL: CachePolicy = { maxAgeMs: 0, allowPool: true };
const A = account('http://127.0.0.1:8787', 'client-a');
const B = account('http://127.0.0.1:8787', 'client-b');
const URL_1 = 'http://127.0.0.1:8787/iso/v1/Fleet/1?pageSize=100';
const FP = 'sha256:0123456789abcdef';

function contract(name: string, open: () => Promise<StateStore>, options: { locksPerAccount: boolean }) {
  describe(name, () => {
    let store: StateStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });

    it('lock: one holder; a second acquire fails naming it; release frees it; inspect and force-unlock see it', async () => {
      const lock = store.account(A).lock;
      const held = await lock.acquire({ owner: 'ci@runner-1' });
      const second = await lock.acquire({ owner: 'ci@runner-2' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(second).toBeInstanceOf(LockError);
      expect((second as LockError).code).toBe('locked');
      expect((second as LockError).message).toContain('ci@runner-1');
      const seen = await lock.inspect();
      expect(seen).toMatchObject({ state: 'held', info: { owner: 'ci@runner-1', token: held.info.token }, expired: false });
      await held.renew();
      expect(await held.release()).toBe(true);
      expect(await held.release()).toBe(false);
      expect(await lock.inspect()).toEqual({ state: 'absent' });
      const again = await lock.acquire({ owner: 'ci@runner-3' });
      expect((await lock.forceUnlock()).state).toBe('held');
      expect(await lock.inspect()).toEqual({ state: 'absent' });
      await again.release();
    });

    it("lock: another account has its own lock (postgres) or shares the directory's (local)", async () => {
      const a = await store.account(A).lock.acquire({ owner: 'a' });
      const b = await store
        .account(B)
        .lock.acquire({ owner: 'b' })
        .then(
          (h) => h,
          (e: unknown) => e as LockError,
        );
      if (options.locksPerAccount) expect(b).not.toBeInstanceOf(LockError);
      else expect((b as LockError).code).toBe('locked');
      if (!(b instanceof LockError)) await b.release();
      await a.release();
    });

    it('journal: entries are read back in order, folded into the same state; latest, list and the kept plan', async () => {
      const journals = store.account(A).journals;
      expect((await journals.read(FP)).exists).toBe(false);
      let t = T0;
      const writer = await journals.open({ fingerprint: FP }, { now: () => (t += 1000) });
      await writer.intent('create:Depot/a', 0, { method: 'POST', path: '/sites', lookup: { name: 'A' } });
      await writer.outcome('create:Depot/a', 0, { status: 'done', createdId: 'site-1' });
      await writer.changeOutcome('create:Depot/a', 'applied', { liveId: 'site-1' });
      await writer.intent('update:Depot/b', 0, { method: 'PATCH', path: '/sites/2' });
      await writer.close();
      const read = await journals.read(FP);
      expect(read.exists).toBe(true);
      expect(read.entries.map((e) => [e.seq, e.type])).toEqual([
        [1, 'open'],
        [2, 'intent'],
        [3, 'outcome'],
        [4, 'change'],
        [5, 'intent'],
      ]);
      const state = journalState(read.entries);
      expect([...state.applied]).toEqual(['create:Depot/a']);
      expect(state.createdIds.get('create:Depot/a#0')).toBe('site-1');
      expect(state.inFlight).toEqual([{ changeKey: 'update:Depot/b', requestIndex: 0, detail: { method: 'PATCH', path: '/sites/2' } }]);
      expect(runStatus(state)).toBe('interrupted');

      // Continuing the same journal numbers on; a finish makes it complete.
      const more = await journals.open({ fingerprint: FP }, { now: () => (t += 1000) });
      await more.outcome('update:Depot/b', 0, { status: 'done' });
      await more.changeOutcome('update:Depot/b', 'applied');
      await more.finish({ applied: 2 });
      await more.close();
      const after = await journals.read(FP);
      expect(after.entries.at(-1)).toMatchObject({ seq: 9, type: 'finish', summary: { applied: 2 } });
      expect(runStatus(journalState(after.entries))).toBe('complete');

      const other = 'sha256:fedcba9876543210';
      await (await journals.open({ fingerprint: other })).close();
      expect((await journals.latest())?.fingerprint).toBe(other);
      expect((await journals.list(5)).map((j) => j.fingerprint)).toEqual([other, FP]);

      expect(await journals.readKeptPlan(FP)).toBeUndefined();
      await journals.keepPlan(FP, '{"plan":1}\n');
      await journals.keepPlan(FP, '{"plan":"second write loses"}\n');
      expect(await journals.readKeptPlan(FP)).toBe('{"plan":1}\n');
    });

    it('iso ledger: request, then serve within 15 minutes; refuse without the pool; pool when allowed; budget', async () => {
      const ledger = await store.account(A).iso();
      const first = await ledger.claim(URL_1, T0, NORMAL);
      expect(first).toMatchObject({ action: 'request', ticket: { url: URL_1, pool: false } });
      if (first.action !== 'request') throw new Error('unreachable');
      await ledger.finish(first.ticket, 200, T0 + 100, { status: 200, text: '{"equipment":[]}', contentType: 'application/json' });
      const served = await ledger.claim(URL_1, T0 + 5 * MINUTE, NORMAL);
      expect(served).toMatchObject({ action: 'serve', response: { status: 200, text: '{"equipment":[]}' } });
      // A second account never sees the first one's cache.
      expect(await (await store.account(B).iso()).claim(URL_1, T0 + 5 * MINUTE, NORMAL)).toMatchObject({ action: 'request' });

      const pooled = await ledger.claim(URL_1, T0 + 6 * MINUTE, POOL);
      expect(pooled).toMatchObject({ action: 'request', ticket: { pool: true } });
      if (pooled.action !== 'request') throw new Error('unreachable');
      await ledger.finish(pooled.ticket, 503, T0 + 6 * MINUTE);
      // The pool request failed: the earlier answer is still served (without the pool, --max-age is at least 15 min).
      expect(await ledger.claim(URL_1, T0 + 10 * MINUTE, { maxAgeMs: 0, allowPool: false })).toMatchObject({ action: 'serve' });
      const budget = await ledger.budget(T0 + 7 * MINUTE);
      expect(budget).toEqual([
        {
          url: URL_1,
          lastRequestAt: new Date(T0 + 6 * MINUTE).toISOString(),
          nextFreeAt: new Date(T0 + 15 * MINUTE).toISOString(),
          poolLeft: ISO_POOL_SIZE - 1,
          cachedAt: new Date(T0 + 100).toISOString(),
        },
      ]);
    });

    it('iso ledger: a cancelled request leaves nothing; a refusal holds until its time', async () => {
      const ledger = await store.account(A).iso();
      const url = `${URL_1}&page=2`;
      const claim = await ledger.claim(url, T0, NORMAL);
      if (claim.action !== 'request') throw new Error(`expected a request, got ${claim.action}`);
      await ledger.cancel(claim.ticket);
      expect(await ledger.claim(url, T0 + 1000, NORMAL)).toMatchObject({ action: 'request' });
      await ledger.refusedUntil(url, T0 + 40 * MINUTE);
      expect(await ledger.claim(url, T0 + 30 * MINUTE, POOL)).toMatchObject({ action: 'refuse', reason: 'server-refused', retryAt: T0 + 40 * MINUTE });
    });

    it('key/value: put, get, replace, keys in order, delete; per account', async () => {
      const kv = store.account(A).kv;
      expect(await kv.get('inventory', 'Depot')).toBeUndefined();
      await kv.put('inventory', 'Depot', { a: 1 });
      await kv.put('inventory', 'Asset/ü ber.x', [1, 'two']);
      await kv.put('inventory', 'Depot', { a: 2 });
      expect(await kv.get('inventory', 'Depot')).toEqual({ a: 2 });
      expect(await kv.get('inventory', 'Asset/ü ber.x')).toEqual([1, 'two']);
      expect(await kv.keys('inventory')).toEqual(['Asset/ü ber.x', 'Depot']);
      expect(await store.account(B).kv.get('inventory', 'Depot')).toBeUndefined();
      await kv.delete('inventory', 'Depot');
      expect(await kv.keys('inventory')).toEqual(['Asset/ü ber.x']);
      expect((await store.accounts()).map((a) => a.key)).toEqual(expect.arrayContaining([A.key]));
    });
  });
}

contract('local state store', async () => new LocalStateStore(join(mkdtempSync(join(tmpdir(), 'tug-store-')), 'state')), { locksPerAccount: false });

describePostgres('postgres state store', () => {
  contract('contract', () => openStore(freshSchema()), { locksPerAccount: true });
});
