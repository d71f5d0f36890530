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

export function createRunContext(overrides: Partial<RunContext> = {}): RunContext {
  const stdout = overrides.stdout ?? process.stdout;
  const env = overrides.env ?? process.env;
  const tty = (stdout as NodeJS.WriteStream).isTTY === true;
  const colorEnabled = tty && env.NO_COLOR === undefined && env.TERM !== 'dumb';
  return {
    stdout,
    stderr: overrides.stderr ?? process.stderr,
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
