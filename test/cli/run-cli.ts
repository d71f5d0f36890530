/**
 * Runs the real CLI entry (main) in-process with captured output — how every command test drives tug.
 */
import { Writable } from 'node:stream';
import { createRunContext, type RunContext } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A stream that collects what is written to it. */
export function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

/** `tug …argv` with an empty environment unless given (credentials only ever come from `env`). */
export async function runCli(argv: string[], options: Partial<Pick<RunContext, 'cwd' | 'env' | 'now'>> = {}): Promise<CliResult> {
  const out = capture();
  const err = capture();
  const code = await main(argv, createRunContext({ stdout: out.stream, stderr: err.stream, env: options.env ?? {}, ...(options.cwd ? { cwd: options.cwd } : {}), ...(options.now ? { now: options.now } : {}) }));
  return { code, stdout: out.text(), stderr: err.text() };
}
