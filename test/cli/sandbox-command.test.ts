/**
 * `tug sandbox` end to end: the real CLI in a child process, on loopback, stopped with SIGINT.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
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
