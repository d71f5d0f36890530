/**
 * The apply lock: exclusive, names its holder, leases expire and are taken over, release and renew only
 * touch a lock that is still ours.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LockError } from '../../src/errors.js';
import { acquireLock, forceUnlock, inspectLock, readLock, startLeaseRenewal, type LockInfo } from '../../src/state/lock.js';

const T0 = Date.parse('2025-03-01T10:00:00.000Z');

function stateDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'tug-lock-')), 'state');
}

function clock(start = T0) {
  const c = { t: start, now: () => c.t };
  return c;
}

function lockOnDisk(dir: string): LockInfo {
  return JSON.parse(readFileSync(join(dir, 'apply.lock'), 'utf8')) as LockInfo;
}

async function rejection(promise: Promise<unknown>): Promise<LockError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LockError);
  return error as LockError;
}

describe('acquireLock', () => {
  it('creates the state directory and apply.lock holding owner, host, pid, start, lease and token', async () => {
    const dir = stateDir();
    const c = clock();
    const handle = await acquireLock(dir, { owner: 'alice@ci', host: 'build-7', pid: 4242, leaseMs: 30_000, now: c.now });
    const onDisk = lockOnDisk(dir);
    expect(onDisk).toEqual(handle.info);
    expect(onDisk).toMatchObject({ owner: 'alice@ci', host: 'build-7', pid: 4242, startedAt: '2025-03-01T10:00:00.000Z', leaseUntil: '2025-03-01T10:00:30.000Z' });
    expect(onDisk.token).toMatch(/^[0-9a-f]{24}$/);
    expect(onDisk.tookOverFrom).toBeUndefined();
    expect(await readLock(dir)).toEqual(onDisk);
    // No temporary or guard files left behind.
    expect(readdirSync(dir)).toEqual(['apply.lock']);
  });

  it('defaults the owner to user@host', async () => {
    const dir = stateDir();
    const handle = await acquireLock(dir, { host: 'edge-2' });
    expect(handle.info.owner).toMatch(/@edge-2$/);
    expect(handle.info.pid).toBe(process.pid);
  });

  it('fails fast for a second apply, naming owner, host, pid, start time and lease end', async () => {
    const dir = stateDir();
    const c = clock();
    await acquireLock(dir, { owner: 'alice@ci', host: 'build-7', pid: 4242, now: c.now });
    c.t += 59_000;
    const started = Date.now();
    const error = await rejection(acquireLock(dir, { owner: 'bob@laptop', now: c.now }));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error.code).toBe('locked');
    expect(error.message).toContain('alice@ci');
    expect(error.message).toContain('host build-7');
    expect(error.message).toContain('pid 4242');
    expect(error.message).toContain('2025-03-01T10:00:00.000Z');
    expect(error.message).toContain('lease until 2025-03-01T10:01:00.000Z');
    expect(error.hint).toContain('tug unlock --force');
    expect(error.meta).toMatchObject({ owner: 'alice@ci', host: 'build-7', pid: 4242 });
    expect(lockOnDisk(dir).owner).toBe('alice@ci');
  });

  it('takes over an expired lease and says from whom', async () => {
    const dir = stateDir();
    const c = clock();
    const first = await acquireLock(dir, { owner: 'alice@ci', host: 'build-7', pid: 4242, leaseMs: 60_000, now: c.now });
    c.t += 60_001;
    const second = await acquireLock(dir, { owner: 'bob@laptop', now: c.now });
    expect(second.info.tookOverFrom).toEqual({
      reason: 'expired',
      owner: 'alice@ci',
      host: 'build-7',
      pid: 4242,
      startedAt: '2025-03-01T10:00:00.000Z',
      leaseUntil: '2025-03-01T10:01:00.000Z',
    });
    expect(lockOnDisk(dir)).toEqual(second.info);
    // The old holder finds out at its next renewal and cannot remove the new lock.
    expect((await rejection(first.renew())).code).toBe('lock_lost');
    expect(await first.release()).toBe(false);
    expect(lockOnDisk(dir).owner).toBe('bob@laptop');
    expect(readdirSync(dir)).toEqual(['apply.lock']);
  });

  it('counts a lock file that is not valid JSON as expired, and notes it', async () => {
    const dir = stateDir();
    await acquireLock(dir, { now: clock().now }).then((h) => h.release());
    writeFileSync(join(dir, 'apply.lock'), '{"owner": "alice@ci", "ho');
    expect(await inspectLock(dir)).toEqual({ state: 'unreadable', note: 'apply.lock is not valid lock JSON (25 bytes)' });
    expect(await readLock(dir)).toBeUndefined();
    const handle = await acquireLock(dir, { owner: 'bob@laptop' });
    expect(handle.info.tookOverFrom).toEqual({ reason: 'unreadable', note: 'apply.lock is not valid lock JSON (25 bytes)' });
    expect(lockOnDisk(dir).owner).toBe('bob@laptop');
  });

  it('lets exactly one of two concurrent acquires win', async () => {
    for (let round = 0; round < 10; round++) {
      const dir = stateDir();
      const results = await Promise.allSettled([acquireLock(dir, { owner: 'one' }), acquireLock(dir, { owner: 'two' })]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect((lost[0]!.reason as LockError).code).toBe('locked');
      expect(lockOnDisk(dir).token).toBe((won[0] as PromiseFulfilledResult<{ info: LockInfo }>).value.info.token);
    }
  });

  it('lets exactly one of two concurrent takeovers of an expired lock win', async () => {
    for (let round = 0; round < 10; round++) {
      const dir = stateDir();
      const c = clock();
      await acquireLock(dir, { owner: 'dead', now: c.now, leaseMs: 1000 });
      c.t += 5000;
      const results = await Promise.allSettled([acquireLock(dir, { owner: 'one', now: c.now }), acquireLock(dir, { owner: 'two', now: c.now })]);
      const won = results.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ info: LockInfo }>[];
      expect(won).toHaveLength(1);
      expect(won[0]!.value.info.tookOverFrom).toMatchObject({ reason: 'expired', owner: 'dead' });
      expect(lockOnDisk(dir).token).toBe(won[0]!.value.info.token);
    }
  });
});

describe('the guard around takeovers', () => {
  it('clears a guard file left by a process that died holding it', async () => {
    const dir = stateDir();
    const c = clock();
    await acquireLock(dir, { owner: 'dead', now: c.now, leaseMs: 1000 });
    const guard = join(dir, 'apply.lock.guard');
    writeFileSync(guard, '999999\n');
    const old = new Date(Date.now() - 60_000);
    utimesSync(guard, old, old);
    c.t += 5000;
    const handle = await acquireLock(dir, { owner: 'next', now: c.now });
    expect(handle.info.tookOverFrom).toMatchObject({ reason: 'expired', owner: 'dead' });
    expect(existsSync(guard)).toBe(false);
  });
});

describe('acquireLock across processes', () => {
  const module = pathToFileURL(resolve('src/state/lock.ts')).href;

  /**
   * A process that tries to take the lock at `startAt`, prints what happened, then keeps running (and so
   * keeps a lock it won) until its stdin closes — the way an apply holds the lock while it works.
   */
  function contender(dir: string, startAt: number) {
    const script = `
      const { acquireLock } = await import(${JSON.stringify(module)});
      await new Promise((r) => setTimeout(r, ${startAt} - Date.now()));
      let outcome;
      try { const h = await acquireLock(process.argv[1], { owner: 'p' + process.pid }); outcome = h.info.tookOverFrom ? 'took over ' + h.info.tookOverFrom.reason : 'won'; }
      catch (e) { outcome = e.code; }
      console.log(outcome);
      process.stdin.resume();
      process.stdin.on('end', () => process.exit(0));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir], { stdio: ['pipe', 'pipe', 'inherit'] });
    const outcome = new Promise<string>((done, fail) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += String(chunk);
        if (out.includes('\n')) done(out.trim());
      });
      child.on('error', fail);
      child.on('exit', (code) => fail(new Error(`contender exited (${code}) before answering: ${out}`)));
    });
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    return { outcome, stop: async () => (child.stdin.end(), await exited) };
  }

  it('lets exactly one of three running processes starting together win', async () => {
    const dir = stateDir();
    const startAt = Date.now() + 2500;
    const all = [contender(dir, startAt), contender(dir, startAt), contender(dir, startAt)];
    try {
      // Every process answers while the winner still runs: a live holder's lock is never taken.
      expect((await Promise.all(all.map((c) => c.outcome))).sort()).toEqual(['locked', 'locked', 'won']);
    } finally {
      await Promise.all(all.map((c) => c.stop()));
    }
  });

  it('a holder that exited without releasing is taken over at once, lease or not, and named as exited', async () => {
    const dir = stateDir();
    const first = contender(dir, Date.now());
    expect(await first.outcome).toBe('won');
    await first.stop();
    const next = contender(dir, Date.now());
    try {
      expect(await next.outcome).toBe('took over holder-exited');
    } finally {
      await next.stop();
    }
    expect(lockOnDisk(dir).tookOverFrom).toMatchObject({ reason: 'holder-exited', host: hostname() });
  });
});

describe('lock handle', () => {
  it('renew extends the lease from now', async () => {
    const dir = stateDir();
    const c = clock();
    const handle = await acquireLock(dir, { leaseMs: 10_000, now: c.now });
    c.t += 8_000;
    await handle.renew();
    expect(handle.info.leaseUntil).toBe('2025-03-01T10:00:18.000Z');
    expect(lockOnDisk(dir)).toEqual(handle.info);
    // Past the original lease, still held: a second apply is refused.
    c.t += 5_000;
    expect((await rejection(acquireLock(dir, { now: c.now }))).code).toBe('locked');
  });

  it('release removes our lock, and leaves a lock that is no longer ours', async () => {
    const dir = stateDir();
    const mine = await acquireLock(dir);
    expect(await mine.release()).toBe(true);
    expect(existsSync(join(dir, 'apply.lock'))).toBe(false);

    const again = await acquireLock(dir, { owner: 'first' });
    await forceUnlock(dir);
    const other = await acquireLock(dir, { owner: 'second' });
    expect(await again.release()).toBe(false);
    expect(lockOnDisk(dir).token).toBe(other.info.token);
    expect((await rejection(again.renew())).code).toBe('lock_lost');
  });

  it('startLeaseRenewal renews on an interval until stopped, and stops by itself when the lock is lost', async () => {
    const dir = stateDir();
    const c = clock();
    const handle = await acquireLock(dir, { leaseMs: 1000, now: c.now });
    const errors: unknown[] = [];
    const stop = startLeaseRenewal(handle, 10, (e) => errors.push(e));
    c.t += 500;
    await waitFor(() => handle.info.leaseUntil === '2025-03-01T10:00:01.500Z');
    stop();
    expect(lockOnDisk(dir).leaseUntil).toBe('2025-03-01T10:00:01.500Z');
    expect(errors).toEqual([]);

    await forceUnlock(dir);
    startLeaseRenewal(handle, 10, (e) => errors.push(e));
    await waitFor(() => errors.length > 0);
    await new Promise((r) => setTimeout(r, 50));
    expect(errors).toHaveLength(1);
    expect((errors[0] as LockError).code).toBe('lock_lost');
  });
});

describe('forceUnlock', () => {
  it('removes the lock and returns what it removed; nothing to do without one', async () => {
    const dir = stateDir();
    expect(await forceUnlock(dir)).toEqual({ state: 'absent' });
    const handle = await acquireLock(dir, { owner: 'alice@ci' });
    const removed = await forceUnlock(dir);
    expect(removed).toEqual({ state: 'held', info: handle.info, expired: false });
    expect(existsSync(join(dir, 'apply.lock'))).toBe(false);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
