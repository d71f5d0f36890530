/**
 * Identities that look alike but are not equal. tug compares identities exactly (code unit by code unit),
 * so `CUST-1 ` and `CUST-1` were two customers and apply created both. What Trackunit compares is not
 * documented (see src/trackunit/endpoints/common.ts, [assumed]); these checks make the difference visible
 * before anything is written:
 *
 * - an identity (or a reference to one) holding an invisible character — leading/trailing whitespace,
 *   a zero-width or bidi control, any C0/C1 control such as a newline — is an error naming it as U+XXXX;
 * - two identities of one kind that differ only in letter case or Unicode normalisation (NFC vs NFD,
 *   or compatibility forms) are a warning at the later one, naming where the other is — except where tug
 *   itself matches the two as one (asset serial numbers, ignoring case): that is an error.
 *
 * What is an identity and what a reference comes from each kind: its `identityValues` hook and its
 * `references` hook.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { ManifestDocument } from '../document.js';
import { positionOf, type PathSegment } from '../yaml.js';
import { kindChecks } from './kind-checks.js';
import type { IdentityValue } from './hooks.js';


/** An identity value found in a document. */
interface Found extends IdentityValue {
  doc: ManifestDocument;
  value: string;
}

/** Both checks read the same values: found once per document. */
const found = new WeakMap<ManifestDocument, Found[]>();

function valuesOf(doc: ManifestDocument): Found[] {
  let values = found.get(doc);
  if (!values) found.set(doc, (values = collectValues(doc)));
  return values;
}

function collectValues(doc: ManifestDocument): Found[] {
  const kind = kindChecks(doc.manifest.kind);
  const out: Found[] = [];
  // One object shape for every value, no spreads: this runs for every document of a large set.
  for (const v of kind.identityValues?.(doc.manifest) ?? []) {
    if (typeof v.value === 'string') out.push({ doc, path: v.path, value: v.value, space: v.space, matchedAs: v.matchedAs });
  }
  for (const r of kind.references?.(doc.manifest) ?? []) {
    if (typeof r.identity === 'string') out.push({ doc, path: r.path, value: r.identity, space: undefined, matchedAs: undefined });
  }
  return out;
}

/** Characters never allowed anywhere in an identity: controls (C0, DEL, C1), format characters
 * (zero-width, bidi, soft hyphen, BOM) and the line/paragraph separators. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
/** Characters not allowed at either end: any whitespace. */
const EDGE = /\s/u;
/**
 * What is escaped when a value is shown: format characters (zero-width, bidi) and any space but U+0020.
 * Controls are left to printable(), which every output applies (`\t`, `\n`, `\u001b`), as elsewhere.
 */
const SHOWN_ESCAPED = /[\p{Cf}\p{Zs}]/gu;

const NAMES: Record<number, string> = {
  0x00: 'NULL', 0x09: 'CHARACTER TABULATION', 0x0a: 'LINE FEED', 0x0d: 'CARRIAGE RETURN', 0x1b: 'ESCAPE',
  0x20: 'SPACE', 0x7f: 'DELETE', 0x85: 'NEXT LINE', 0xa0: 'NO-BREAK SPACE', 0xad: 'SOFT HYPHEN',
  0x061c: 'ARABIC LETTER MARK', 0x180e: 'MONGOLIAN VOWEL SEPARATOR', 0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER', 0x200d: 'ZERO WIDTH JOINER', 0x200e: 'LEFT-TO-RIGHT MARK', 0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR', 0x2029: 'PARAGRAPH SEPARATOR', 0x202a: 'LEFT-TO-RIGHT EMBEDDING', 0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING', 0x202d: 'LEFT-TO-RIGHT OVERRIDE', 0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x202f: 'NARROW NO-BREAK SPACE', 0x2060: 'WORD JOINER', 0x2066: 'LEFT-TO-RIGHT ISOLATE', 0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE', 0x2069: 'POP DIRECTIONAL ISOLATE', 0x3000: 'IDEOGRAPHIC SPACE', 0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
};

/** `U+200B (ZERO WIDTH SPACE)`. */
export function describeCharacter(ch: string): string {
  const code = ch.codePointAt(0)!;
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  const name = NAMES[code] ?? (/\p{Cc}/u.test(ch) ? 'a control character' : /\p{Cf}/u.test(ch) ? 'a format character' : 'a space');
  return `U+${hex} (${name})`;
}

/** The value as a message shows it: format characters and spaces other than U+0020 as `\uXXXX`. */
export function shownIdentity(value: string): string {
  return value.replace(SHOWN_ESCAPED, (ch) => (ch === ' ' ? ch : `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`));
}

/** Whole-value tests first: almost every identity is clean, and walking it character by character cost 1 s per 50,000 documents. */
const ANY_INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|^\s|\s$/u;

/** What is wrong with the characters of `value`, or undefined. */
export function invisibleProblem(value: string): string | undefined {
  if (!ANY_INVISIBLE.test(value)) return undefined;
  const chars = [...value];
  const bad = (ch: string): boolean => EDGE.test(ch) || INVISIBLE.test(ch);
  if (chars.length > 0 && bad(chars[0]!)) return `starts with ${describeCharacter(chars[0]!)}`;
  if (chars.length > 0 && bad(chars.at(-1)!)) return `ends with ${describeCharacter(chars.at(-1)!)}`;
  const inner = chars.findIndex((ch) => INVISIBLE.test(ch));
  return inner >= 0 ? `holds ${describeCharacter(chars[inner]!)} at character ${inner + 1}` : undefined;
}

function where(v: Found): { line: number; col: number } {
  return positionOf(v.doc.parsed, v.path, 'value');
}

function fieldName(path: PathSegment[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

export function invisibleIdentityCharacters(docs: ManifestDocument[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const doc of docs) {
    for (const v of valuesOf(doc)) {
      const problem = invisibleProblem(v.value);
      if (!problem) continue;
      const what = v.space ? 'an identity' : 'a reference';
      const message = `${fieldName(v.path)} "${shownIdentity(v.value)}" ${problem}: ${what} must not start or end with whitespace or hold invisible, bidi or control characters`;
      // The subject holds the same characters: shown escaped, so a bidi control cannot reorder the line.
      out.push({ file: doc.parsed.file, ...where(v), subject: shownIdentity(doc.subject), message, code: 'identity_characters', severity: 'error' });
    }
  }
  return out;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Case and compatibility forms folded away: values equal here look alike to a reader (and maybe to Trackunit). */
function fold(value: string): string {
  // Printable ASCII has one normal form: only its case folds.
  if (PRINTABLE_ASCII.test(value)) return value.toLowerCase();
  return value.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

function form(value: string): string {
  if (value === value.normalize('NFC')) return 'NFC';
  return value === value.normalize('NFD') ? 'NFD' : 'neither NFC nor NFD';
}

function howTheyDiffer(a: string, b: string): string {
  if (a.normalize('NFC') === b.normalize('NFC')) return `only in Unicode normalisation (this one is ${form(a)}, that one ${form(b)})`;
  const [na, nb] = [a.normalize('NFC'), b.normalize('NFC')];
  if (na.toUpperCase().toLowerCase() === nb.toUpperCase().toLowerCase()) {
    return a === na && b === nb ? 'only in letter case' : 'only in letter case and Unicode normalisation';
  }
  return 'only in letter case or Unicode compatibility forms (NFKC)';
}

export function lookalikeIdentities(docs: ManifestDocument[]): Diagnostic[] {
  // Per identity space (`Customer externalReference`, …): the folded value → its first occurrence.
  const spaces = new Map<string, Map<string, Found>>();
  const out: Diagnostic[] = [];
  for (const doc of docs) {
    for (const v of valuesOf(doc)) {
      if (!v.space || invisibleProblem(v.value)) continue; // invisible characters are an error already
      let first = spaces.get(v.space);
      if (!first) spaces.set(v.space, (first = new Map()));
      const key = fold(v.value);
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, v);
        continue;
      }
      if (earlier.value === v.value) continue; // the same identity twice: the duplicate checks report it
      const there = where(earlier);
      const other = `"${shownIdentity(earlier.value)}" of ${shownIdentity(earlier.doc.subject)} (at ${earlier.doc.parsed.file}:${there.line}:${there.col})`;
      const base = { file: doc.parsed.file, ...where(v), subject: shownIdentity(doc.subject) };
      const { matchedAs } = v;
      if (matchedAs && matchedAs.key(v.value) === matchedAs.key(earlier.value)) {
        // tug itself matches the two as one: both manifests would write one object.
        const message = `${fieldName(v.path)} "${shownIdentity(v.value)}" names the same ${matchedAs.object} as ${other}: ${matchedAs.because}`;
        out.push({ ...base, message, code: 'duplicate_identity', severity: 'error' });
        continue;
      }
      const message = `${v.space} "${shownIdentity(v.value)}" differs from ${other} ${howTheyDiffer(v.value, earlier.value)}: tug treats them as two, Trackunit may take them for one`;
      out.push({ ...base, message, code: 'lookalike_identity', severity: 'warning' });
    }
  }
  return out;
}
