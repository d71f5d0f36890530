/**
 * Counts as people read them: digits grouped the same way on every machine, and a noun that agrees
 * with its number ("1 page", "2 pages"). Every renderer and command message that prints a count
 * next to a noun goes through `plural`, so none says "1 pages".
 */

/** 1234567 → "1,234,567" (fixed format, independent of the machine's locale). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `plural(1, 'page')` → "1 page", `plural(1500, 'asset')` → "1,500 assets"; irregular plurals are given. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}
