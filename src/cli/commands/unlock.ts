/**
 * `tug unlock [--force]`: show who holds the apply lock of the state directory; with --force remove it
 * (for when the apply holding it is surely gone — an expired lease is taken over without this).
 */
import { relative, resolve } from 'node:path';
import { loadProjectConfig } from '../../config/load.js';
import { ConfigError } from '../../errors.js';
import { printable } from '../../render/printable.js';
import { describeHolder, forceUnlock, holderExited, inspectLock, LOCK_FILE, type LockInfo, type LockStatus } from '../../state/lock.js';
import { writeLine, type RunContext } from '../context.js';

export interface UnlockFlags {
  force?: boolean;
  config?: string;
  stateDir?: string;
  format?: string;
}

export async function runUnlock(flags: UnlockFlags, ctx: RunContext): Promise<number> {
  const format = flags.format ?? 'text';
  if (!['text', 'json'].includes(format)) throw new ConfigError('invalid_option', `--format must be text or json, got "${format}"`);
  const stateDir = flags.stateDir
    ? resolve(ctx.cwd, flags.stateDir)
    : (await loadProjectConfig({ cwd: ctx.cwd, configPath: flags.config })).stateDir;
  const shown = relative(ctx.cwd, resolve(stateDir, LOCK_FILE)) || LOCK_FILE;
  const status = flags.force ? await forceUnlock(stateDir) : await inspectLock(stateDir, ctx.now);
  const expired = status.state === 'held' && Date.parse(status.info.leaseUntil) <= ctx.now();
  const exited = status.state === 'held' && holderExited(status.info);

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
  if (status.state === 'absent') return [`No apply lock (${shown} does not exist).`];
  if (status.state === 'unreadable') {
    return [`${shown} is unreadable: ${status.note}.`, 'It counts as expired: the next apply takes it over.'];
  }
  const leaseMs = Date.parse(status.info.leaseUntil) - now;
  const leaseUntil = printable(status.info.leaseUntil);
  const lease = expired
    ? `its lease expired ${duration(-leaseMs)} ago (${leaseUntil}): the next apply takes it over.`
    : exited
      ? `its lease runs until ${leaseUntil} (${duration(leaseMs)} from now), but pid ${status.info.pid} is not running on this host: the next apply takes it over.`
      : `its lease runs until ${leaseUntil} (${duration(leaseMs)} from now).`;
  return [
    `${shown} is held by ${holder(status.info)};`,
    lease,
    ...(expired || exited ? [] : ['If that apply is surely gone, remove the lock with `tug unlock --force`.']),
  ];
}

function removedText(status: LockStatus, shown: string, expired: boolean, exited: boolean): string[] {
  if (status.state === 'absent') return [`No apply lock (${shown} does not exist); nothing removed.`];
  if (status.state === 'unreadable') return [`Removed ${shown} (${status.note}).`];
  return [
    `Removed ${shown}, held by ${holder(status.info)}, lease until ${printable(status.info.leaseUntil)}.`,
    ...(expired || exited ? [] : ['Its lease had not expired: if that apply is still running, its next lease renewal fails.']),
  ];
}

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}
