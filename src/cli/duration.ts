/** Durations on the command line (`--max-duration`, `--max-age`): the one grammar of src/config/duration.ts. */
import { durationMs } from '../config/duration.js';
import { ConfigError } from '../errors.js';

/**
 * `500ms`, `90s`, `10m`, `2h`, `1d` (a decimal number and a unit; spaces around and a capital unit
 * allowed) → milliseconds. `example` is shown in the error, e.g. "--max-age must be a duration like 15m, 2h or 1d".
 */
export function parseDuration(text: string, flag: string, example: string): number {
  const ms = durationMs(text);
  if (ms === undefined) throw new ConfigError('invalid_option', `${flag} must be a duration like ${example}, got "${text}"`);
  return ms;
}
