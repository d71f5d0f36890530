/**
 * Dates as manifests write them: a plain `YYYY-MM-DD` (midnight UTC) or a date-time with its zone,
 * read as instants to compare, and plain dates checked for naming a day that exists.
 */
/** A plain date, `YYYY-MM-DD`: year, month and day as groups. */
export const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A manifest date as epoch milliseconds: `YYYY-MM-DD` is midnight UTC, a date-time carries its zone. */
export function instantOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const plain = PLAIN_DATE.exec(value);
  const ms = plain ? Date.UTC(Number(plain[1]), Number(plain[2]) - 1, Number(plain[3])) : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `YYYY-MM-DD` naming a day that exists (no 2025-02-30). */
export function isRealDate(value: string): boolean {
  const m = PLAIN_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
