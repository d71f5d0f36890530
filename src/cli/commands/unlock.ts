/**
 * `tug unlock [--force]`: show who holds the apply lock (of the state directory, or of the account in
 * the state database); with --force remove it (for when the apply holding it is surely gone — an expired
 * lease, or a holder whose process or database session is gone, is taken over without this).
 */
import { isAbsolute, relative } from 'node:path';
import { ConfigError } from '../../errors.js';
import { printable } from '../../render/printable.js';
import { describeHolder, holderExited, type LockInfo, type LockStatus } from '../../state/lock.js';
import { writeLine, type RunContext } from '../context.js';
import { lockAccount, openProjectState } from '../state-scope.js';

export interface UnlockFlags {
  force?: boolean;
  config?: string;
  stateDir?: string;
  format?: string;
}

export async function runUnlock(flags: UnlockFlags, ctx: RunContext): Promise<number> {
  const format = flags.format ?? 'text';
  if (!['text', 'json'].includes(format)) throw new ConfigError('invalid_option', `--format must be text or json, got "${format}"`);
  const { config, store } = await openProjectState(flags, ctx, { migrate: false });
  try {
    const untouched = store.backend === 'postgres' && (await store.schemaVersion()) === 0;
    const account = untouched ? undefined : await lockAccount(store, config, flags, ctx.env);
    if (!account) {
      writeLine(ctx.stdout, format === 'json' ? JSON.stringify({ lockFile: store.description, state: 'absent', lock: null, removed: false }, null, 2) : `No apply lock: the ${store.description} holds no account's state yet.`);
      return 0;
    }
    const lock = store.account(account).lock;
    const shown = isAbsolute(lock.location) ? relative(ctx.cwd, lock.location) || lock.location : lock.location;
    const status = flags.force ? await lock.forceUnlock() : await lock.inspect();
    return show(status, shown, flags, format, ctx);
  } finally {
    await store.close();
  }
}

function show(status: LockStatus, shown: string, flags: UnlockFlags, format: string, ctx: RunContext): number {
  const expired = status.state === 'held' && Date.parse(status.info.leaseUntil) <= ctx.now();
  const exited = status.state === 'held' && (status.holderGone ?? holderExited(status.info));

  if (format === 'json') {
    const lock = status.state === 'held' ? { ...status.info, expired, holderExited: exited } : status.state === 'unreadable' ? { note: status.note } : null;
    writeLine(ctx.stdout, JSON.stringify({ lockFile: shown, state: status.state, lock, removed: flags.force === true && status.state !== 'absent' }, null, 2));
    return 0;
  }
  for (const line of flags.force ? removedText(status, shown, expired, exited) : shownText(status, shown, expired, exited, ctx.now())) {
    writeLine(ctx.stdout, line);
  }
  return 0;
}

function holder(info: LockInfo): string {
  return `${describeHolder(info)}, started ${printable(info.startedAt)}`;
}

function shownText(status: LockStatus, shown: string, expired: boolean, exited: boolean, now: number): string[] {
  if (status.state === 'absent') return [`No apply lock (${absent(shown)}).`];
  if (status.state === 'unreadable') {
    return [`${shown} is unreadable: ${status.note}.`, 'It counts as expired: the next apply takes it over.'];
  }
  const leaseMs = Date.parse(status.info.leaseUntil) - now;
  const leaseUntil = printable(status.info.leaseUntil);
  const lease = expired
    ? `its lease expired ${duration(-leaseMs)} ago (${leaseUntil}): the next apply takes it over.`
    : exited
      ? `its lease runs until ${leaseUntil} (${duration(leaseMs)} from now), but ${status.holderGone === undefined ? `pid ${status.info.pid} is not running on this host` : 'its database session has ended'}: the next apply takes it over.`
      : `its lease runs until ${leaseUntil} (${duration(leaseMs)} from now).`;
  return [
    `${shown} is held by ${holder(status.info)};`,
    lease,
    ...(expired || exited ? [] : ['If that apply is surely gone, remove the lock with `tug unlock --force`.']),
  ];
}

function removedText(status: LockStatus, shown: string, expired: boolean, exited: boolean): string[] {
  if (status.state === 'absent') return [`No apply lock (${absent(shown)}); nothing removed.`];
  if (status.state === 'unreadable') return [`Removed ${shown} (${status.note}).`];
  return [
    `Removed ${shown}, held by ${holder(status.info)}, lease until ${printable(status.info.leaseUntil)}.`,
    ...(expired || exited ? [] : ['Its lease had not expired: if that apply is still running, its next lease renewal fails.']),
  ];
}

/** A lock file that is not there, or a database's lock row that is not there. */
const absent = (shown: string) => (shown.startsWith('PostgreSQL ') ? `none in ${shown}` : `${shown} does not exist`);

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}
