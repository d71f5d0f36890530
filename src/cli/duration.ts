/** Durations on the command line (`--max-duration`, `--max-age`): one grammar for every flag. */
import { ConfigError } from '../errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `500ms`, `90s`, `10m`, `2h`, `1d` (a decimal number and a unit; spaces around and a capital unit
 * allowed) → milliseconds. `example` is shown in the error, e.g. "--max-age must be a duration like 15m, 2h or 1d".
 */
export function parseDuration(text: string, flag: string, example: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/i.exec(text);
  if (!m) throw new ConfigError('invalid_option', `${flag} must be a duration like ${example}, got "${text}"`);
  return Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
}
