/**
 * `tug sandbox` end to end: the real CLI in a child process, on loopback, stopped with SIGINT.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { credentialLines } from '../../src/cli/commands/sandbox.js';
import { main } from '../../src/cli/main.js';
import { createRunContext } from '../../src/cli/context.js';
import { Writable } from 'node:stream';

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

describe('tug sandbox (CLI)', () => {
  it('starts, serves the seeded demo fleet over HTTP, and stops on SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sandbox', '--port', '0', '--format', 'json', '--assets', '12'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`sandbox exited early with ${code}`)));
    });
    const started = JSON.parse(first);
    expect(started).toMatchObject({ event: 'listening', objects: { assets: 14 } });
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const stats = (await (await fetch(`${started.url}/_sandbox/stats`)).json()) as { objects: { assets: number } };
    expect(stats.objects.assets).toBe(14);
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exit).toBe(0);
  });

  it('prints the fixed demo credentials and the variables that point tug at it', async () => {
    const out = capture();
    let stop: (() => void) | undefined;
    const running = main(['sandbox', '--port', '0'], createRunContext({ stdout: out.stream, stderr: capture().stream, onInterrupt: (handler) => (stop = handler) }));
    while (!stop) await new Promise((resolve) => setTimeout(resolve, 10));
    const url = /listening on (\S+)/.exec(out.text())![1]!;
    stop();
    expect(await running).toBe(0);
    expect(out.text()).toBe(
      [
        `tug sandbox listening on ${url}`,
        '  account   Nordic Rental A/S: 32 assets, 1 site, 1 customer, 8 custom field definitions',
        `  auth      POST ${url}/token (v1) and ${url}/token/v2 (v2)`,
        `  APIs      ${url}/api/...   ISO export ${url}/public/api/aemp/v2/15143/-3/Fleet/1`,
        `  control   ${url}/_sandbox/stats`,
        '  API key   sandbox-key / sandbox-key-secret (v2, every scope)',
        '  API user  client sandbox-client / sandbox-client-secret, user sandbox-user / sandbox-password (v1)',
        "  These are the sandbox's fixed, public demo credentials. To point tug at this sandbox:",
        `    export TRACKUNIT_IRIS_URL=${url} TRACKUNIT_AUTH_URL=${url} TRACKUNIT_CLIENT_ID=sandbox-key TRACKUNIT_CLIENT_SECRET=sandbox-key-secret`,
        '  Ctrl-C to stop',
        'sandbox stopped',
        '',
      ].join('\n'),
    );
  });

  it('never prints credentials a caller started the sandbox with', () => {
    const mine = { apiUsers: [], apiKeys: [{ clientId: 'ours', clientSecret: 'not-for-printing', allowedScopes: [] }] };
    const lines = credentialLines('http://127.0.0.1:1', { credentials: mine }).join('\n');
    expect(lines).toBe('  sign-in   the credentials this sandbox was started with (not shown)');
    expect(lines).not.toContain('not-for-printing');
  });

  it('rejects bad flags with exit code 1 and a message naming the flag', async () => {
    const err = capture();
    const out = capture();
    const code = await main(['sandbox', '--rate-limit', 'teleport=5'], createRunContext({ stdout: out.stream, stderr: err.stream }));
    expect(code).toBe(1);
    expect(err.text()).toContain('--rate-limit "teleport=5" must be FAMILY=RATE[/BURST]');
    expect(err.text()).toContain('[invalid_option]');
  });

  it('prints errors as JSON with --format json', async () => {
    const err = capture();
    const code = await main(['--format', 'json', 'sandbox', '--port', '99999'], createRunContext({ stdout: capture().stream, stderr: err.stream }));
    expect(code).toBe(1);
    expect(JSON.parse(err.text())).toEqual({ error: { code: 'invalid_option', message: '--port must be a whole number between 0 and 65535, got "99999"' } });
  });
});
