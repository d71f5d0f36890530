/** Durations in tug.yaml and on the command line: one grammar (`500ms`, `90s`, `10m`, `2h`, `1d`). */

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration (a decimal number and a unit; spaces around and a capital unit allowed); undefined when it is not one. */
export function durationMs(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/i.exec(text);
  return m ? Number(m[1]) * UNITS[m[2]!.toLowerCase()]! : undefined;
}
