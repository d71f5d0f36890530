/**
 * The kind lists in the published JSON Schemas, written from the registry (src/kinds/registry.ts), so a
 * new kind is added to them by `npm run schemas` instead of by hand:
 *
 *   schemas/manifest.schema.json  the kinds in the description, the `kind` enum, one if/then per kind → its schema
 *   schemas/tug.schema.json       the `protect` pattern and its message, the kind-name enum, one threshold per kind
 *
 * Only those lines are rewritten; everything else (and the prose of existing threshold entries) stays
 * byte for byte. `npm run schemas -- --check` exits 1 when a file is out of date (test/schemas checks it too).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KIND_NAMES, KINDS } from '../src/kinds/registry.js';

export interface KindEntry {
  name: string;
  schemaFile: string;
}

const SCHEMAS = join(fileURLToPath(import.meta.url), '../../schemas');
export const GENERATED = ['manifest.schema.json', 'tug.schema.json'] as const;

const quoted = (names: string[]) => names.map((n) => JSON.stringify(n)).join(', ');
const spoken = (names: string[], last: string) => (names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} ${last} ${names.at(-1)}`);

/** Replaces what `pattern` (one capture group: the part to rewrite) matches exactly once. */
function replaceOnce(text: string, pattern: RegExp, replacement: string, what: string): string {
  const matches = [...text.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))];
  if (matches.length !== 1) throw new Error(`schemas: expected one ${what}, found ${matches.length}; update scripts/schemas.ts with the schema`);
  const m = matches[0]!;
  const start = m.index + m[0].indexOf(m[1]!);
  return text.slice(0, start) + replacement + text.slice(start + m[1]!.length);
}

export function manifestSchema(text: string, kinds: KindEntry[]): string {
  const names = kinds.map((k) => k.name);
  let out = replaceOnce(text, /`kind` picks the schema \(([^)]*)\)/, spoken(names, 'or'), 'kind list in the description');
  out = replaceOnce(out, /"description": "The document's kind; decides which fields it has\.",\n\s*"enum": \[([^\]]*)\]/, quoted(names), 'kind enum');
  const cases = kinds
    .map(
      (k) =>
        `    {\n      "if": { "properties": { "kind": { "const": ${JSON.stringify(k.name)} } }, "required": ["kind"] },\n      "then": { "$ref": ${JSON.stringify(k.schemaFile)} }\n    }`,
    )
    .join(',\n');
  return replaceOnce(out, /\n {2}"allOf": \[\n([\s\S]*?)\n {2}\],\n/, cases, 'allOf list');
}

/** One threshold entry per kind: existing entries keep their prose, a new kind gets a plain one. */
function thresholdEntries(block: string, names: string[]): string {
  const existing = new Map<string, string>();
  for (const m of block.matchAll(/^ {8}"(\w+)": \{\n[\s\S]*?\n {8}\}/gm)) existing.set(m[1]!, m[0]);
  const entry = (name: string) =>
    existing.get(name) ?? `        ${JSON.stringify(name)}: {\n          "$ref": "#/$defs/threshold",\n          "description": "The threshold for ${name} objects.",\n          "examples": [{ "count": 0 }]\n        }`;
  return ['default', ...names].map(entry).join(',\n');
}

const THRESHOLDS = /"thresholdMap": \{[\s\S]*?"properties": \{\n([\s\S]*?)\n {6}\},\n {6}"examples"/;

export function tugSchema(text: string, kinds: KindEntry[]): string {
  const names = kinds.map((k) => k.name);
  let out = replaceOnce(text, /"pattern": "\^\(((?:\w+\|)+)\\\\\*\)\/\.\+\$"/, names.map((n) => `${n}|`).join(''), 'protect pattern');
  out = replaceOnce(out, /\(Kind one of ([^`]*) or `\*`\)/, names.join(', '), 'protect message');
  out = replaceOnce(out, /"kindName": \{\n\s*"description": "A manifest kind\.",\n\s*"enum": \[([^\]]*)\]/, quoted(names), 'kindName enum');
  return replaceOnce(out, THRESHOLDS, thresholdEntries(THRESHOLDS.exec(out)?.[1] ?? '', names), 'threshold entries');
}

/** The two generated files as they should be, from the committed ones and the registry. */
export function generatedSchemas(read: (file: string) => string, kinds: KindEntry[]): Record<(typeof GENERATED)[number], string> {
  return { 'manifest.schema.json': manifestSchema(read('manifest.schema.json'), kinds), 'tug.schema.json': tugSchema(read('tug.schema.json'), kinds) };
}

export const registryKinds = (): KindEntry[] => KIND_NAMES.map((name) => ({ name, schemaFile: KINDS[name].schemaFile }));

export const readSchema = (file: string) => readFileSync(join(SCHEMAS, file), 'utf8');

function main(check: boolean): number {
  const wanted = generatedSchemas(readSchema, registryKinds());
  const stale = GENERATED.filter((file) => wanted[file] !== readSchema(file));
  if (check) {
    for (const file of stale) process.stderr.write(`schemas/${file} does not list the registry's kinds: run \`npm run schemas\`\n`);
    return stale.length === 0 ? 0 : 1;
  }
  for (const file of stale) writeFileSync(join(SCHEMAS, file), wanted[file]);
  process.stdout.write(stale.length === 0 ? 'schemas: up to date\n' : `schemas: wrote ${stale.map((f) => `schemas/${f}`).join(', ')}\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.includes('--check'));
