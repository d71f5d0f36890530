/**
 * YAML parsing for manifests and tug.yaml, keeping each document's source so any JSON path can be
 * mapped back to `file:line:col`.
 *
 * Two parsers, one result. Most files are plain data: js-yaml (core schema) reads them about ten times
 * faster than the `yaml` package, and we keep only the data plus the file text. The `yaml` package's
 * syntax tree with its LineCounter — exact positions, precise errors — is built only when a position is
 * needed (a diagnostic) or when a file uses anything beyond plain data (anchors, aliases, tags) or fails
 * to parse. That keeps validating 50,000 documents within seconds and hundreds of megabytes.
 *
 * Safety: a size limit per file, UTF-8 only, duplicate keys refused, alias expansion limited (billion
 * laughs), nesting limited (MAX_NESTING_DEPTH), only finite numbers, and no tags at all — a manifest is
 * plain data, so `!include`, `!!binary`, `!!js/...` are errors.
 */
import { isUtf8 } from 'node:buffer';
import jsYaml from 'js-yaml';
import { CST, Composer, LineCounter, Parser, isMap, isNode, isPair, isScalar, isSeq, visit, type Document, type Node } from 'yaml';
import type { Diagnostic } from './diagnostics.js';

export interface YamlLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes: number;
  /** Aliases resolved per document (anchors may be used, but not to blow up memory). */
  maxAliasCount: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = { maxFileBytes: 10 * 1024 * 1024, maxAliasCount: 100 };

/**
 * Mappings and lists inside each other, at most (the deepest real manifest, a depot's polygon, has 5).
 * Both parsers recurse per level: far deeper input (a few thousand `[`) overflows the stack.
 */
export const MAX_NESTING_DEPTH = 64;

export type PathSegment = string | number;

/** A file's text and, once needed, its syntax tree. */
export interface SourceFile {
  file: string;
  text: string;
  tree?: SyntaxTree;
}

interface SyntaxTree {
  lineCounter: LineCounter;
  /** The non-empty documents, in order (aligned with ParsedDocument.index). */
  documents: Document.Parsed[];
  /** Where each document nested deeper than MAX_NESTING_DEPTH starts its first level too many (not composed). */
  tooDeep: number[];
}

/** One YAML document with where it came from; `data` is its plain JS value. */
export interface ParsedDocument {
  file: string;
  /** 0-based position among the file's non-empty documents. */
  index: number;
  data: unknown;
  source: SourceFile;
}

export interface ParseResult {
  documents: ParsedDocument[];
  diagnostics: Diagnostic[];
}

export function fileTooLarge(file: string, size: number, limits: YamlLimits): Diagnostic {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return {
    file,
    line: 1,
    col: 1,
    code: 'file_too_large',
    severity: 'error',
    message: `file is ${mib(size)}, larger than the ${mib(limits.maxFileBytes)} limit; split it into several files`,
  };
}

/**
 * Where the first ill-formed UTF-8 sequence starts (overlong forms, surrogates and code points above
 * U+10FFFF included), or -1. Only called once `isUtf8` has said there is one.
 */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    const trailing = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    if (trailing === 0) return i;
    // The second byte's range excludes overlong forms (E0, F0), surrogates (ED) and > U+10FFFF (F4).
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    const second = bytes[i + 1];
    if (second === undefined || second < low || second > high) return i;
    for (let k = 2; k <= trailing; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += trailing + 1;
  }
  return -1;
}

/**
 * A file's bytes as text, or an error at the first byte that is not UTF-8. Decoding would silently put
 * U+FFFD in its place, and tug would write that to Trackunit.
 */
export function decodeManifest(bytes: Buffer, file: string): { text: string } | { diagnostic: Diagnostic } {
  if (isUtf8(bytes)) return { text: bytes.toString('utf8') };
  const offset = firstInvalidUtf8(bytes);
  let line = 1;
  let lineStart = 0;
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < offset; i = bytes.indexOf(0x0a, i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  // Columns count UTF-16 units, as the LineCounter behind every other diagnostic does.
  const col = bytes.subarray(lineStart, offset).toString('utf8').length + 1;
  const hex = `0x${bytes[offset]!.toString(16).toUpperCase().padStart(2, '0')}`;
  return {
    diagnostic: { file, line, col, code: 'invalid_utf8', severity: 'error', message: `byte ${hex} is not valid UTF-8 (byte offset ${offset}); save the file as UTF-8` },
  };
}

const isEmpty = (data: unknown) => data === null || data === undefined;

/**
 * What looks like an anchor (`&a`), alias (`*a`) or tag (`!x`): such files take the careful path (alias
 * limit, tag ban). A false alarm (`"Hello !world"`) only costs speed; `Jensen & Søn` is not one.
 */
const BEYOND_PLAIN_DATA = /(^|[\s[{,])[&*!][^\s,\]}]/m;

/**
 * What may read as a number that is not finite: `.nan`, `.inf`, `-.inf`, or digits that overflow a double
 * (`1e400`, hundreds of digits). js-yaml turns `1e400` into a string and `.nan` into NaN, which JSON
 * writes as null (a cleared value); the careful path refuses them with a position. False alarms cost speed,
 * so each alternative starts where a plain scalar can: a serial number such as 'VCEC220E000000003' (digit,
 * E, three digits inside a word) must not send every asset file down the careful path (it made validating
 * 50,000 documents 9× slower).
 */
const MAYBE_NOT_FINITE = /(?:^|[\s[{,])[-+]?(?:\.(?:nan|inf)[ \t]*(?:$|[,\]}#\r])|(?:\d+\.?\d*|\.\d+)[eE][-+]?\d{3,}[ \t]*(?:$|[,\]}#\r])|\d{300}|0x[0-9a-fA-F]{250})/im;

function parseFast(source: SourceFile): ParsedDocument[] | undefined {
  if (BEYOND_PLAIN_DATA.test(source.text) || MAYBE_NOT_FINITE.test(source.text)) return undefined;
  try {
    // js-yaml counts scalars as a level too, so it stops at or before our limit: the careful path decides.
    // (js-yaml 4.3 has maxDepth; its type definitions do not yet.)
    const options: jsYaml.LoadOptions & { maxDepth: number } = { schema: jsYaml.CORE_SCHEMA, filename: source.file, maxDepth: MAX_NESTING_DEPTH };
    const all = jsYaml.loadAll(source.text, undefined, options);
    return all.filter((data) => !isEmpty(data)).map((data, index) => ({ file: source.file, index, data, source }));
  } catch {
    return undefined; // syntax errors, duplicate keys: the careful path reports them precisely
  }
}

/**
 * Where a collection nested deeper than MAX_NESTING_DEPTH starts in a document's concrete syntax tree,
 * if one does. Walked with a stack, not recursion: the point is not to overflow on such input.
 */
function tooDeepAt(document: CST.Document): number | undefined {
  const stack: Array<{ token: CST.Token | undefined; depth: number }> = [{ token: document.value, depth: 0 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { token, depth } = next;
    if (token?.type !== 'block-map' && token?.type !== 'block-seq' && token?.type !== 'flow-collection') continue;
    if (depth === MAX_NESTING_DEPTH) return token.type === 'flow-collection' ? token.start.offset : token.offset;
    for (const item of token.items) stack.push({ token: item.key ?? undefined, depth: depth + 1 }, { token: item.value, depth: depth + 1 });
  }
  return undefined;
}

/**
 * The `yaml` package's syntax tree of a file (built once, on demand). Documents nested too deeply are
 * not composed (composing recurses per level); they are left empty and their position kept in tooDeep.
 */
function syntaxTree(source: SourceFile): SyntaxTree {
  if (!source.tree) {
    const lineCounter = new LineCounter();
    const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(source.text));
    const tooDeep: number[] = [];
    for (const token of tokens) {
      const at = token.type === 'document' ? tooDeepAt(token) : undefined;
      if (at === undefined || token.type !== 'document') continue;
      tooDeep.push(at);
      delete token.value;
    }
    const docs = Array.from(new Composer({ uniqueKeys: true, prettyErrors: false }).compose(tokens));
    // Emptiness from the tree itself (never toJS here: that would expand aliases without a limit).
    const empty = (d: Document.Parsed) => d.errors.length === 0 && (d.contents === null || (isScalar(d.contents) && d.contents.value === null));
    source.tree = { lineCounter, documents: docs.filter((d) => !empty(d)), tooDeep };
  }
  return source.tree;
}

/**
 * Why a number scalar cannot be used, if it cannot: JSON (what the API takes) has no NaN or infinity —
 * they would be sent as null and clear the field — and `1e400` only becomes infinity by overflowing.
 */
function notFinite(value: unknown, written: string): string | undefined {
  if (typeof value !== 'number' || Number.isFinite(value)) return undefined;
  if (Number.isNaN(value)) return `${written} (not a number) is not allowed: a number in a manifest must be finite`;
  if (/^[-+]?\.inf$/i.test(written)) return `${written} (infinity) is not allowed: a number in a manifest must be finite`;
  const shown = written.length > 40 ? `${written.slice(0, 39)}…` : written;
  return `number ${shown} is out of range: it must lie between -${Number.MAX_VALUE} and ${Number.MAX_VALUE}`;
}

function parseCareful(source: SourceFile, limits: YamlLimits): ParseResult {
  const { lineCounter, documents: trees, tooDeep } = syntaxTree(source);
  const { file, text } = source;
  const at = (offset: number, message: string, code: string): Diagnostic => ({ file, ...lineCounter.linePos(offset), message, code, severity: 'error' });
  const documents: ParsedDocument[] = [];
  const diagnostics: Diagnostic[] = tooDeep.map((offset) => at(offset, `nesting deeper than ${MAX_NESTING_DEPTH} levels of mappings and lists`, 'yaml_nesting'));
  trees.forEach((doc, index) => {
    const problems = doc.errors.map((e) =>
      e.code === 'DUPLICATE_KEY'
        ? at(e.pos[0], `duplicate key "${(/^[^:\n]+/.exec(text.slice(e.pos[0]))?.[0] ?? '').trim()}" in the same mapping`, 'yaml_syntax')
        : at(e.pos[0], `YAML syntax error: ${e.message}`, 'yaml_syntax'),
    );
    visit(doc, {
      // One visitor for every node: a `Scalar` visitor would take scalars away from this one.
      Node(_key, node) {
        const start = node.range?.[0] ?? 0;
        if (node.tag) problems.push(at(start, `YAML tag ${node.tag} is not allowed: manifests are plain data`, 'yaml_tag'));
        const problem = isScalar(node) ? notFinite(node.value, node.source ?? text.slice(start, node.range?.[1] ?? start)) : undefined;
        if (problem) problems.push(at(start, problem, 'yaml_number'));
      },
    });
    if (problems.length > 0) {
      for (const problem of problems) diagnostics.push(problem);
      return;
    }
    try {
      documents.push({ file, index, data: doc.toJS({ maxAliasCount: limits.maxAliasCount }), source });
    } catch (error) {
      diagnostics.push(at(doc.range[0], `cannot expand aliases: ${(error as Error).message} (limit ${limits.maxAliasCount})`, 'yaml_alias'));
    }
  });
  return { documents: documents.filter((d) => !isEmpty(d.data)), diagnostics };
}

/** The careful path alone (tests compare it with the fast one; both must give the same data). */
export function parseYamlCarefully(text: string, file: string, limits: YamlLimits = DEFAULT_YAML_LIMITS): ParseResult {
  return parseCareful({ file, text }, limits);
}

/** Parse a (multi-document) YAML text; problems come back as diagnostics, never thrown. */
export function parseYaml(text: string, file: string, limits: YamlLimits = DEFAULT_YAML_LIMITS): ParseResult {
  const size = Buffer.byteLength(text);
  if (size > limits.maxFileBytes) return { documents: [], diagnostics: [fileTooLarge(file, size, limits)] };
  const source: SourceFile = { file, text };
  const fast = parseFast(source);
  return fast ? { documents: fast, diagnostics: [] } : parseCareful(source, limits);
}

/**
 * Source position of the node at `path` in a document: the key (`target: 'key'`) or the value. When
 * the path does not exist, the position of its nearest existing ancestor.
 */
export function positionOf(parsed: ParsedDocument, path: PathSegment[], target: 'key' | 'value' = 'value'): { line: number; col: number } {
  const { lineCounter, documents } = syntaxTree(parsed.source);
  const doc = documents[parsed.index];
  if (!doc) return { line: 1, col: 1 };
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  let nearest: Node | undefined = isNode(node) ? node : undefined;
  let resolved = true;
  for (const segment of path) {
    keyNode = undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) {
        resolved = false;
        break;
      }
      keyNode = isNode(pair.key) ? pair.key : undefined;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && isNode(node.items[segment])) {
      node = node.items[segment];
    } else {
      resolved = false;
      break;
    }
    nearest = isNode(node) ? node : (keyNode ?? nearest);
  }
  const chosen = resolved && target === 'key' && keyNode ? keyNode : nearest;
  return lineCounter.linePos(chosen?.range?.[0] ?? doc.range[0]);
}
