/**
 * A small RFC 4180 CSV writer: CRLF line ends (the last record too), a field quoted when it holds a
 * comma, a double quote, CR or LF, double quotes inside doubled. Values: null/undefined → empty field,
 * numbers and booleans → their text. No dependency: writing CSV is this much.
 */
export type CsvValue = string | number | boolean | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** A header record, then one record per row with the columns in the header's order. */
export function toCsv<C extends string>(columns: readonly C[], rows: Iterable<Readonly<Record<C, CsvValue>>>): string {
  const parts = [csvRecord(columns)];
  for (const row of rows) parts.push(csvRecord(columns.map((c) => row[c])));
  return parts.join('');
}
