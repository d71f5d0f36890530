/**
 * The apply lock: one file, `<stateDir>/apply.lock`, so two applies against one state directory never
 * overlap. It names its holder (owner, host, pid, start time) and carries a lease that the holder renews;
 * a lock whose lease ran out belongs to an apply that died, and the next apply takes it over.
 *
 * Safe under contention: (1) the lock is created complete — a temporary file hard-linked to `apply.lock`,
 * which fails with EEXIST like `open(…, 'wx')` but is never seen empty (a bare 'wx' file read before its
 * first write is invalid JSON, which counts as expired, and would be taken over); (2) every
 * read-modify-write of an existing lock (takeover, renew, release, force) runs under a guard file held for
 * milliseconds, so "re-read and confirm the token" is a real compare-and-swap: two takeovers of one
 * expired lock cannot both win, and a late renew cannot resurrect a lock that was taken over.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { LockError } from '../errors.js';
import { printable } from '../render/printable.js';
import { writeFileAtomic } from './atomic-write.js';

export const LOCK_FILE = 'apply.lock';
export const DEFAULT_LEASE_MS = 60_000;
const GUARD_FILE = 'apply.lock.guard';
/** A guard is held for milliseconds; one older than this was left by a process that died holding it. */
const GUARD_STALE_MS = 5_000;
const GUARD_WAIT_MS = 8_000;
const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/** What the lock file holds. */
export interface LockInfo {
  /** Who runs the apply: `user@host` unless given. */
  owner: string;
  host: string;
  pid: number;
  /** ISO 8601 instants; after `leaseUntil` the lock counts as abandoned and may be taken over. */
  startedAt: string;
  leaseUntil: string;
  /** Random id of this acquisition: "is it still ours?" compares tokens, never owner or pid. */
  token: string;
  /** Set when this lock replaced an expired or unreadable one. */
  tookOverFrom?: TakeOver;
}

/**
 * The lock an acquisition replaced: an expired lease, a holder that no longer runs (a process of this
 * host that exited without releasing it — killed, or crashed — whatever its lease said), or a file that
 * was not a lock.
 */
export type TakeOver =
  | { reason: 'expired' | 'holder-exited'; owner: string; host: string; pid: number; startedAt: string; leaseUntil: string }
  | { reason: 'unreadable'; note: string };

/** The state of `apply.lock` as found on disk. */
export type LockStatus =
  | { state: 'absent' }
  /** `holderGone`: the backend knows the holder no longer runs (its process, or its database session, is gone). */
  | { state: 'held'; info: LockInfo; expired: boolean; holderGone?: boolean }
  | { state: 'unreadable'; note: string };

export interface AcquireOptions { owner?: string; leaseMs?: number; now?: () => number; host?: string; pid?: number }

export interface LockHandle {
  readonly file: string;
  readonly leaseMs: number;
  /** The lock as last written by us (renew moves `leaseUntil`). */
  info: LockInfo;
  /** Extends the lease by `leaseMs` from now; LockError `lock_lost` when the file is no longer ours. */
  renew(): Promise<void>;
  /** Removes the lock if it is still ours (true), else leaves it alone (false). */
  release(): Promise<boolean>;
  /** Set by backends that hear at once when the lock is gone (postgres: its session ended). */
  lost?(): LockError | undefined;
}

/** Takes the apply lock of `stateDir` (created when missing) or fails with LockError `locked`. */
export async function acquireLock(stateDir: string, options: AcquireOptions = {}): Promise<LockHandle> {
  const now = options.now ?? Date.now;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const host = options.host ?? os.hostname();
  const pid = options.pid ?? process.pid;
  const start = now();
  const owner = options.owner ?? `${userName()}@${host}`;
  const token = randomBytes(12).toString('hex');
  const info: LockInfo = { owner, host, pid, startedAt: iso(start), leaseUntil: iso(start + leaseMs), token };
  const file = lockFile(stateDir);
  await mkdir(stateDir, { recursive: true });
  // A lock released between our failed create and the takeover check means: try to create again.
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createExclusive(file, info)) return makeHandle(stateDir, info, leaseMs, now);
    const taken = await withGuard(stateDir, () => takeOverIfAbandoned(stateDir, info, now));
    if (taken) return makeHandle(stateDir, taken, leaseMs, now);
  }
  throw new LockError('lock_contended', `Could not take ${file}: other applies kept taking and releasing it`, {
    hint: 'Run the apply again once the others have finished.',
  });
}

/** The current lock's content, or undefined when there is none (or it is unreadable, see inspectLock). */
export async function readLock(stateDir: string): Promise<LockInfo | undefined> {
  const status = await inspectLock(stateDir);
  return status.state === 'held' ? status.info : undefined;
}

/** What `apply.lock` holds and whether its lease has expired at `now()`. */
export async function inspectLock(stateDir: string, now: () => number = Date.now): Promise<LockStatus> {
  const text = await readFile(lockFile(stateDir), 'utf8').catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return { state: 'absent' };
  const info = parseLockInfo(text);
  if (!info) return { state: 'unreadable', note: `${LOCK_FILE} is not valid lock JSON (${text.length} bytes)` };
  return { state: 'held', info, expired: Date.parse(info.leaseUntil) <= now() };
}

/** Removes the lock whoever holds it; returns what was there. */
export async function forceUnlock(stateDir: string): Promise<LockStatus> {
  if ((await inspectLock(stateDir)).state === 'absent') return { state: 'absent' };
  return withGuard(stateDir, async () => {
    const status = await inspectLock(stateDir);
    if (status.state !== 'absent') await rm(lockFile(stateDir), { force: true });
    return status;
  });
}

/**
 * Renews the lease every `intervalMs` (default: a third of the lease) until the returned function is
 * called. The timer never keeps the process alive. A lost lock stops the renewal; every failure goes
 * to `onError` — the apply must stop writing when it hears `lock_lost`.
 */
export function startLeaseRenewal(
  handle: LockHandle,
  intervalMs: number = Math.max(1, Math.floor(handle.leaseMs / 3)),
  onError: (error: unknown) => void = () => undefined,
): () => void {
  let busy = false;
  let stopped = false;
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  const timer = setInterval(() => {
    if (busy || stopped) return;
    busy = true;
    const done = () => (busy = false);
    handle.renew().then(done, (error: unknown) => {
      done();
      if (error instanceof LockError && error.code === 'lock_lost') stop();
      onError(error);
    });
  }, intervalMs);
  timer.unref();
  return stop;
}

/**
 * Whether the lock's holder is known to be gone: a process of this very host (not us) that no longer
 * runs. A holder on another host cannot be checked from here; its lease decides.
 */
export function holderExited(info: LockInfo): boolean {
  return info.host === os.hostname() && info.pid !== process.pid && !processAlive(info.pid);
}

/** `owner (host h, pid p)` for messages; the file may be hand-edited, so its strings are made printable. */
export function describeHolder(info: LockInfo): string {
  return `${printable(info.owner)} (host ${printable(info.host)}, pid ${info.pid}${holderExited(info) ? ', not running' : ''})`;
}

/** The error a second apply sees: who holds the lock, since when, until when. */
export function lockedError(file: string, info: LockInfo, takenOver = 'an expired lease, or one whose process died on the same host,'): LockError {
  const { owner, host, pid, startedAt, leaseUntil } = info;
  const gone = host === os.hostname() && !processAlive(pid) ? ` (pid ${pid} is not running on this host)` : '';
  return new LockError('locked', `Another apply holds the lock ${file}: ${describeHolder(info)}, started ${printable(startedAt)}, lease until ${printable(leaseUntil)}`, {
    hint: `Wait for that apply to finish — ${takenOver} is taken over automatically — or, if it is surely gone${gone}, run \`tug unlock --force\`.`,
    meta: { lockFile: file, owner, host, pid, startedAt, leaseUntil },
  });
}

const lockFile = (stateDir: string) => join(stateDir, LOCK_FILE);

/** Under the guard: replace an expired or unreadable lock by `fresh`; undefined when there is none now. */
async function takeOverIfAbandoned(stateDir: string, fresh: LockInfo, now: () => number): Promise<LockInfo | undefined> {
  const file = lockFile(stateDir);
  const status = await inspectLock(stateDir, now);
  if (status.state === 'absent') return undefined;
  // What the lock promises: no two *running* applies hold it. A lease that has not expired protects a
  // holder that runs; a holder that is a process of this very host and no longer exists (an apply killed
  // with SIGKILL, or one that exited without releasing) holds nothing, whatever its lease says: nobody can
  // be writing under it. A holder on another host is judged by its lease alone.
  const holderGone = status.state === 'held' && holderExited(status.info);
  if (status.state === 'held' && !status.expired && !holderGone) throw lockedError(file, status.info);
  const { owner, host, pid, startedAt, leaseUntil } = status.state === 'held' ? status.info : ({} as LockInfo);
  const reason = status.state === 'held' && !status.expired ? 'holder-exited' : 'expired';
  const tookOverFrom: TakeOver = status.state === 'held' ? { reason, owner, host, pid, startedAt, leaseUntil } : { reason: 'unreadable', note: status.note };
  const info: LockInfo = { ...fresh, tookOverFrom };
  await replaceFile(file, info);
  // Under the guard nobody else can replace it; the re-read proves the rename landed.
  const confirmed = await inspectLock(stateDir, now);
  if (confirmed.state === 'held' && confirmed.info.token === info.token) return info;
  throw new LockError('lock_contended', `Took over the expired lock ${file} but another process replaced it at once`);
}

function makeHandle(stateDir: string, info: LockInfo, leaseMs: number, now: () => number): LockHandle {
  const file = lockFile(stateDir);
  const handle: LockHandle = {
    file,
    leaseMs,
    info,
    renew: () =>
      withGuard(stateDir, async () => {
        const current = await inspectLock(stateDir, now);
        if (current.state !== 'held' || current.info.token !== handle.info.token) throw lostError(file, current);
        const renewed: LockInfo = { ...current.info, leaseUntil: iso(now() + leaseMs) };
        await replaceFile(file, renewed);
        handle.info = renewed;
      }),
    release: () =>
      withGuard(stateDir, async () => {
        const current = await inspectLock(stateDir, now);
        if (current.state !== 'held' || current.info.token !== handle.info.token) return false;
        await rm(file, { force: true });
        return true;
      }),
  };
  return handle;
}

function lostError(file: string, current: LockStatus): LockError {
  const held = current.state === 'held' ? `held by ${describeHolder(current.info)}` : current.state;
  return new LockError('lock_lost', `The apply lock ${file} is no longer ours: it is now ${held}`, {
    hint: 'Our lease expired and another apply took over, or someone ran `tug unlock --force`. Stop, then re-plan.',
  });
}

/** Creates `file` holding `info` only if it does not exist, never visible half-written. */
async function createExclusive(file: string, info: LockInfo): Promise<boolean> {
  const tmp = `${file}.${info.token}.tmp`;
  await writeFile(tmp, serialize(info), { flag: 'wx' });
  try {
    await link(tmp, file);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    if (!LINK_UNSUPPORTED.has(errorCode(error) ?? '')) throw error;
    // No hard links here: open with 'wx' (exclusive too, briefly visible empty).
    return await writeFile(file, serialize(info), { flag: 'wx' }).then(
      () => true,
      (e: unknown) => (errorCode(e) === 'EEXIST' ? false : Promise.reject(e)),
    );
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Readers see the old or the new lock, never a mix. */
async function replaceFile(file: string, info: LockInfo): Promise<void> {
  await writeFileAtomic(file, serialize(info));
}

/** Runs `fn` holding `<stateDir>/apply.lock.guard` (exclusive create; removed afterwards). */
async function withGuard<T>(stateDir: string, fn: () => Promise<T>): Promise<T> {
  const guard = join(stateDir, GUARD_FILE);
  const deadline = Date.now() + GUARD_WAIT_MS;
  for (;;) {
    try {
      await writeFile(guard, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
      const stale = await stat(guard).then((st) => st.mtimeMs < Date.now() - GUARD_STALE_MS, () => false);
      if (stale) await rm(guard, { force: true });
      else if (Date.now() > deadline) {
        throw new LockError('lock_busy', `${guard} stayed for ${GUARD_WAIT_MS / 1000} s`, { hint: `Another tug process is updating the apply lock; if none runs, delete ${guard}.` });
      } else await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 10));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(guard, { force: true });
  }
}

function parseLockInfo(text: string): LockInfo | undefined {
  let v: Record<string, unknown> | null;
  try {
    v = JSON.parse(text) as Record<string, unknown> | null;
  } catch {
    return undefined;
  }
  const strings = ['owner', 'host', 'startedAt', 'leaseUntil', 'token'].every((k) => typeof v?.[k] === 'string');
  const valid = strings && typeof v?.pid === 'number' && Number.isFinite(Date.parse(v.leaseUntil as string));
  return valid ? (v as unknown as LockInfo) : undefined;
}

const serialize = (info: LockInfo) => `${JSON.stringify(info, null, 2)}\n`;
const iso = (ms: number) => new Date(ms).toISOString();
const errorCode = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

export function userName(): string {
  try {
    return os.userInfo().username;
  } catch {
    // no passwd entry (some containers)
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}
