/**
 * One error base for the whole tool. Every error a user can see is a TugError with a stable `code`
 * (for scripts and tests), a message (what happened), an optional hint (what to do about it) and
 * JSON-safe `meta` (facts for `--format json`). The CLI's single catch maps `exitCode` to the process
 * exit status; nothing else in the code base calls `process.exit` for an error.
 */

/** Exit codes: one contract for every command (see README.md, "Exit codes"). */
export const ExitCode = {
  ok: 0,
  error: 1,
  changes: 2,
  unsafe: 3,
  stale: 4,
  partial: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface TugErrorOptions {
  hint?: string;
  meta?: JsonObject;
  cause?: unknown;
  exitCode?: ExitCode;
}

export class TugError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly meta: JsonObject;
  readonly exitCode: ExitCode;

  constructor(code: string, message: string, options: TugErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.meta = options.meta ?? {};
    this.exitCode = options.exitCode ?? ExitCode.error;
  }

  /** The JSON form printed by `--format json`; never contains the cause's stack or secrets. */
  toJSON(): JsonObject {
    const out: JsonObject = { code: this.code, message: this.message };
    if (this.hint !== undefined) out.hint = this.hint;
    if (Object.keys(this.meta).length > 0) out.meta = this.meta;
    return out;
  }
}

/** Bad command-line usage or configuration (flags, tug.yaml, environment). */
export class ConfigError extends TugError {}

/** A manifest or a file the user gave us could not be read or is invalid. */
export class ManifestError extends TugError {}

/** The safety policy refused a plan (exit 3). */
export class UnsafePlanError extends TugError {
  constructor(code: string, message: string, options: TugErrorOptions = {}) {
    super(code, message, { ...options, exitCode: ExitCode.unsafe });
  }
}

/** Live objects changed since the plan was made (exit 4). */
export class StalePlanError extends TugError {
  constructor(code: string, message: string, options: TugErrorOptions = {}) {
    super(code, message, { ...options, exitCode: ExitCode.stale });
  }
}

/** Another apply holds the lock. */
export class LockError extends TugError {}

/** The state store (directory or database) cannot be used: unreachable, misconfigured, or lost mid-run. */
export class StateStoreError extends TugError {}

/** Wraps anything that is not a TugError so the CLI can print it uniformly. */
export function toTugError(error: unknown): TugError {
  if (error instanceof TugError) return error;
  if (error instanceof Error) {
    return new TugError('internal_error', error.message, {
      hint: 'This is a bug in tug; please report it with the command you ran.',
      cause: error,
    });
  }
  return new TugError('internal_error', String(error));
}
