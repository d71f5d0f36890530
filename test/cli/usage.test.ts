/**
 * Command-line mistakes follow the error contract of every other error (README "Exit codes"): text
 * `Error: … [code]` + hint, or one `{"error": …}` object on stderr with `--format json`; exit 1; no
 * commander help dumped after the message. Unknown formats are refused with the known ones.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const jsonError = (stderr: string) => JSON.parse(stderr) as { error: { code: string; message: string; hint?: string; meta?: Record<string, unknown> } };

describe('usage errors', () => {
  it('an unknown flag with `tug --format json` is one JSON error object, exit 1', async () => {
    const { code, stdout, stderr } = await runCli(['--format', 'json', 'plan', '--bogus']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(jsonError(stderr)).toEqual({
      error: { code: 'unknown_option', message: "unknown option '--bogus'", hint: '`tug plan --help` lists the options.', meta: { command: 'tug plan' } },
    });
  });

  it('the command\'s own --format json counts too, and a near miss is named', async () => {
    const { code, stderr } = await runCli(['plan', '--format', 'json', '--tagret', 'Depot/x']);
    expect(code).toBe(1);
    expect(jsonError(stderr).error).toMatchObject({ code: 'unknown_option', message: "unknown option '--tagret' (did you mean --target?)" });
  });

  it('in text, the message and a hint — no help text after it', async () => {
    const { code, stderr } = await runCli(['plan', '--bogus']);
    expect(code).toBe(1);
    expect(stderr).toBe("Error: unknown option '--bogus' [unknown_option]\nHint: `tug plan --help` lists the options.\n");
  });

  it('refuses an unknown error format, naming the known ones', async () => {
    const { code, stdout, stderr } = await runCli(['--format', 'yaml', 'plan']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain("argument 'yaml' is invalid. Allowed choices are text, json. [invalid_option]");
  });

  it('refuses an unknown command format in the JSON contract when tug --format json is given', async () => {
    const { code, stderr } = await runCli(['--format', 'json', 'plan', '--format', 'yaml']);
    expect(code).toBe(1);
    expect(jsonError(stderr).error).toMatchObject({ code: 'invalid_option', message: expect.stringContaining('Allowed choices are text, markdown, json.') });
  });

  it('an unknown command and no command at all are JSON errors too', async () => {
    const unknown = await runCli(['--format', 'json', 'plna']);
    expect(unknown.code).toBe(1);
    expect(jsonError(unknown.stderr).error).toMatchObject({ code: 'unknown_command', hint: '`tug --help` lists the commands.' });
    const none = await runCli(['--format', 'json']);
    expect(none.code).toBe(1);
    expect(jsonError(none.stderr).error).toMatchObject({ code: 'missing_command' });
  });

  it('--help and --version still print to stdout and exit 0', async () => {
    const help = await runCli(['plan', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--target <Kind/identity>');
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
