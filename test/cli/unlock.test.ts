/**
 * `tug unlock` through the CLI entry: shows the lock without --force, removes it with --force, finds the
 * state directory from --state-dir or tug.yaml.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { acquireLock } from '../../src/state/lock.js';

const T0 = Date.parse('2025-03-01T10:00:00.000Z');

const tug = (argv: string[], cwd: string, now = T0) => runCli(argv, { cwd, now: () => now });

function project(): string {
  return mkdtempSync(join(tmpdir(), 'tug-unlock-'));
}

const lock = (stateDir: string) => acquireLock(stateDir, { owner: 'alice@ci', host: 'build-7', pid: 4242, leaseMs: 60_000, now: () => T0 });

describe('tug unlock', () => {
  it('says there is no lock', async () => {
    const dir = project();
    const { code, stdout } = await tug(['unlock'], dir);
    expect(code).toBe(0);
    expect(stdout).toBe(`No apply lock (${join('state', 'apply.lock')} does not exist).\n`);
  });

  it('without --force shows the holder and leaves the lock', async () => {
    const dir = project();
    await lock(join(dir, 'state'));
    const { code, stdout } = await tug(['unlock'], dir, T0 + 20_000);
    expect(code).toBe(0);
    expect(stdout).toContain(`${join('state', 'apply.lock')} is held by alice@ci (host build-7, pid 4242), started 2025-03-01T10:00:00.000Z;`);
    expect(stdout).toContain('its lease runs until 2025-03-01T10:01:00.000Z (40 s from now).');
    expect(stdout).toContain('tug unlock --force');
    expect(existsSync(join(dir, 'state', 'apply.lock'))).toBe(true);

    const expired = await tug(['unlock'], dir, T0 + 180_000);
    expect(expired.stdout).toContain('its lease expired 2 min ago (2025-03-01T10:01:00.000Z)');
    expect(expired.stdout).toContain('the next apply takes it over');
  });

  it('--force removes the lock and says whose it was', async () => {
    const dir = project();
    await lock(join(dir, 'state'));
    const { code, stdout } = await tug(['unlock', '--force'], dir, T0 + 1000);
    expect(code).toBe(0);
    expect(stdout).toContain(`Removed ${join('state', 'apply.lock')}, held by alice@ci (host build-7, pid 4242), started 2025-03-01T10:00:00.000Z, lease until 2025-03-01T10:01:00.000Z.`);
    expect(stdout).toContain('Its lease had not expired');
    expect(existsSync(join(dir, 'state', 'apply.lock'))).toBe(false);
    const again = await tug(['unlock', '--force'], dir);
    expect(again.stdout).toContain('nothing removed');
  });

  it('finds the state directory from --state-dir or from tug.yaml (--config)', async () => {
    const dir = project();
    await lock(join(dir, 'elsewhere'));
    const byFlag = await tug(['unlock', '--state-dir', 'elsewhere', '--format', 'json'], dir);
    expect(byFlag.code).toBe(0);
    expect(JSON.parse(byFlag.stdout)).toMatchObject({
      lockFile: join('elsewhere', 'apply.lock'),
      state: 'held',
      lock: { owner: 'alice@ci', host: 'build-7', pid: 4242, expired: false },
      removed: false,
    });

    writeFileSync(join(dir, 'ops.yaml'), 'stateDir: elsewhere\n');
    const byConfig = await tug(['unlock', '--config', 'ops.yaml', '--force'], dir);
    expect(byConfig.stdout).toContain('Removed');
    expect(existsSync(join(dir, 'elsewhere', 'apply.lock'))).toBe(false);
  });

  it('says when the holder is a process of this host that no longer runs', async () => {
    const dir = project();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    await acquireLock(join(dir, 'state'), { owner: 'alice@ci', host: hostname(), pid: dead, leaseMs: 60_000, now: () => T0 });
    const shown = join('state', 'apply.lock');
    const { stdout } = await tug(['unlock'], dir, T0 + 20_000);
    expect(stdout).toBe(
      `${shown} is held by alice@ci (host ${hostname()}, pid ${dead}, not running), started 2025-03-01T10:00:00.000Z;\n` +
        `its lease runs until 2025-03-01T10:01:00.000Z (40 s from now), but pid ${dead} is not running on this host: the next apply takes it over.\n`,
    );
    const json = JSON.parse((await tug(['unlock', '--format', 'json'], dir, T0 + 20_000)).stdout);
    expect(json.lock).toMatchObject({ pid: dead, expired: false, holderExited: true });
    const removed = await tug(['unlock', '--force'], dir, T0 + 20_000);
    expect(removed.stdout).toBe(`Removed ${shown}, held by alice@ci (host ${hostname()}, pid ${dead}, not running), started 2025-03-01T10:00:00.000Z, lease until 2025-03-01T10:01:00.000Z.\n`);
  });

  it('escapes control characters of a hand-edited lock file instead of echoing them to the terminal', async () => {
    const dir = project();
    mkdirSync(join(dir, 'state'));
    const info = { owner: 'eve\u001b[2J\r\nfake line', host: 'h\u001b]0;pwned\u0007', pid: 4242, startedAt: '2025-03-01T10:00:00.000Z\u009b31m', leaseUntil: '2025-03-01T10:01:00.000Z', token: 't' };
    writeFileSync(join(dir, 'state', 'apply.lock'), JSON.stringify(info));
    for (const argv of [['unlock'], ['unlock', '--force']]) {
      const { stdout } = await tug(argv, dir, T0 + 20_000);
      expect(stdout).toContain('eve\\u001b[2J\\r\\nfake line (host h\\u001b]0;pwned\\u0007, pid 4242), started 2025-03-01T10:00:00.000Z\\u009b31m');
      expect(stdout).not.toMatch(/[\u001b\u0007\r\u009b]/);
      expect(stdout.split('\n').filter((l) => l.startsWith('fake line'))).toEqual([]);
    }
  });

  it('reports an unreadable lock file', async () => {
    const dir = project();
    await lock(join(dir, 'state'));
    writeFileSync(join(dir, 'state', 'apply.lock'), 'garbage');
    const { stdout } = await tug(['unlock'], dir);
    expect(stdout).toContain('is unreadable: apply.lock is not valid lock JSON (7 bytes).');
    expect(stdout).toContain('counts as expired');
  });
});
