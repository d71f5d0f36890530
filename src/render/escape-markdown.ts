/**
 * Making user-provided strings (names, identities, values, messages, file names) inert in a GitHub PR
 * comment. A plan is posted by CI with the bot's rights, and its strings come from manifests and from
 * the live account, which anyone with access to either can write: a customer called
 * `<img src=x onerror=…>`, `@org/everyone` or `</details>` must neither break the comment's layout nor
 * notify anyone. Three tools, one per context:
 *
 * - `escapeMarkdown` for prose: Markdown punctuation backslash-escaped, HTML special characters as
 *   entities, line breaks flattened (a newline could start a heading or end a table), and a zero-width
 *   joiner after `@` and `#` — GitHub links mentions and issue references *after* rendering, on the
 *   text, so neither a backslash nor `&#64;` stops them; only breaking the token does.
 * - `codeSpan` for identities and locations: code spans are inert (no HTML, no mentions) and keep the
 *   text copyable; the delimiter is one backtick longer than any run inside.
 * - `fencedBlock` for diff lines: a fence longer than any backtick run in the content, so no value can
 *   close it.
 */

/** U+200D ZERO WIDTH JOINER: invisible, but `@​name` is no longer a mention token. */
export const ZWJ = '\u200D';

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Characters with a Markdown meaning somewhere (emphasis, links, headings, lists, tables, code). */
const SPECIAL = /[\\`*_[\]()#+\-.!|~<>&@]/g;

/** C0/C1 control characters and the Unicode line/paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Line breaks and other control characters become one space: inline text stays on its line. */
export function flattenLine(text: string): string {
  return text.replace(CONTROL, ' ');
}

/** Escape a user string for Markdown prose (paragraphs, list items; not inside HTML tags). */
export function escapeMarkdown(text: string): string {
  return flattenLine(text).replace(SPECIAL, (ch) => {
    const entity = HTML_ENTITIES[ch];
    if (entity !== undefined) return entity;
    if (ch === '@') return `@${ZWJ}`;
    if (ch === '#') return `\\#${ZWJ}`;
    return `\\${ch}`;
  });
}

/** Escape a user string for HTML text (e.g. inside `<summary>`, where Markdown is not parsed). */
export function escapeHtml(text: string): string {
  return flattenLine(text)
    .replace(/[&<>"']/g, (ch) => HTML_ENTITIES[ch] ?? `&#${ch.charCodeAt(0)};`)
    .replace(/@/g, `@${ZWJ}`);
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/** An inline code span that no backtick in `text` can end early. */
export function codeSpan(text: string): string {
  const flat = flattenLine(text);
  const delimiter = '`'.repeat(longestBacktickRun(flat) + 1);
  // A space on each side keeps a leading/trailing backtick from merging with the delimiter
  // (CommonMark strips exactly one such space from both sides).
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${delimiter}${pad}${flat}${pad}${delimiter}`;
}

/**
 * A fenced code block of the given lines (each flattened to one line). The fence is longer than any
 * backtick run inside, so the block ends exactly where we close it.
 */
export function fencedBlock(lines: readonly string[], info = ''): string {
  const flat = lines.map(flattenLine);
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(flat.join('\n')) + 1));
  return `${fence}${info}\n${flat.join('\n')}${flat.length > 0 ? '\n' : ''}${fence}`;
}
