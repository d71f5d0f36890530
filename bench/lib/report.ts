/**
 * Shared output of every benchmark: a readable table, then — always the last line — one JSON object
 * with the figures, so runs can be compared by machines (`npm run bench -- NAME | tail -1`).
 */
export function table(rows: Array<[string, string | number]>): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [key, value] of rows) console.log(`  ${key.padEnd(width)}  ${value}`);
}

export function figures(name: string, values: Record<string, unknown>): void {
  console.log(JSON.stringify({ benchmark: name, node: process.version, ...values }));
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
