/**
 * RunContext: what every command needs from the outside world, passed in rather than read from
 * globals — output streams, colour, output format, clock and environment — so commands are testable.
 */
import chalk, { Chalk, type ChalkInstance } from 'chalk';

export type OutputFormat = 'text' | 'json' | 'markdown' | 'github';

export interface RunContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Working directory: relative paths and tug.yaml are found from here. */
  cwd: string;
  /** Colour on only for a TTY and when NO_COLOR is not set. */
  color: ChalkInstance;
  now: () => number;
  /** Called with a handler that runs when the user interrupts (Ctrl-C / SIGTERM). */
  onInterrupt: (handler: () => void) => void;
}

const guarded = new WeakSet<NodeJS.WritableStream>();

/**
 * A reader that stops early (`tug validate | head -1`) closes the pipe; the next write fails with EPIPE,
 * which Node emits as an 'error' event — unhandled, a stack trace. Like any Unix tool, tug then just
 * stops talking: EPIPE is swallowed (later writes fail the same quiet way) and the command finishes with
 * its own exit code, so an apply is never cut off between a write and its journal entry. Other stream
 * errors stay loud.
 */
export function ignoreBrokenPipe(stream: NodeJS.WritableStream): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') return;
    throw error;
  });
}

export function createRunContext(overrides: Partial<RunContext> = {}): RunContext {
  const stdout = overrides.stdout ?? process.stdout;
  const stderr = overrides.stderr ?? process.stderr;
  ignoreBrokenPipe(stdout);
  ignoreBrokenPipe(stderr);
  const env = overrides.env ?? process.env;
  const tty = (stdout as NodeJS.WriteStream).isTTY === true;
  const colorEnabled = tty && env.NO_COLOR === undefined && env.TERM !== 'dumb';
  return {
    stdout,
    stderr,
    env,
    cwd: overrides.cwd ?? process.cwd(),
    color: overrides.color ?? (colorEnabled ? chalk : new Chalk({ level: 0 })),
    now: overrides.now ?? (() => Date.now()),
    onInterrupt:
      overrides.onInterrupt ??
      ((handler) => {
        process.once('SIGINT', handler);
        process.once('SIGTERM', handler);
      }),
  };
}

export function writeLine(stream: NodeJS.WritableStream, text = ''): void {
  stream.write(`${text}\n`);
}
