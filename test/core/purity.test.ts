/**
 * src/core depends on nothing: every file imports only other files of src/core (plus hashing and a
 * type-only library import), and none touches I/O, the environment or the clock. The kinds plug into
 * it (src/core/kind.ts), not the other way round. This test reads the sources, so a new import that
 * breaks the rule fails here, naming the file and the line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = join(import.meta.dirname, '../../src/core');

/** Module specifiers core may import besides `./…` files of its own. */
const ALLOWED_PACKAGES = new Set(['node:crypto']);
/** Packages core may import types from (erased at compile time). */
const TYPE_ONLY_PACKAGES = new Set(['fast-json-patch']);

/** What reaches outside a pure function: I/O, the environment, the clock, randomness, timers. */
const IMPURE = [
  { pattern: /\bprocess\.(env|argv|exit|stdout|stderr|cwd)\b/, what: 'process' },
  { pattern: /\bDate\.now\(|\bnew Date\(\s*\)|performance\.now\(/, what: 'the clock' },
  { pattern: /\bMath\.random\(/, what: 'randomness' },
  { pattern: /\b(setTimeout|setInterval|setImmediate|queueMicrotask)\(/, what: 'timers' },
  { pattern: /\bfetch\(|\bconsole\./, what: 'I/O' },
  { pattern: /\bimport\(/, what: 'a dynamic import' },
];

interface Finding {
  file: string;
  line: number;
  text: string;
  why: string;
}

function coreFiles(dir = CORE): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? coreFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Import and export-from specifiers with their line, type-only or not. */
function specifiers(source: string): Array<{ line: number; spec: string; typeOnly: boolean; text: string }> {
  const out: Array<{ line: number; spec: string; typeOnly: boolean; text: string }> = [];
  const re = /^\s*(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms;
  for (const m of source.matchAll(re)) {
    const line = source.slice(0, m.index).split('\n').length;
    out.push({ line, spec: m[3]!, typeOnly: m[2] !== undefined, text: m[0].trim().split('\n')[0]! });
  }
  for (const m of source.matchAll(/^\s*import\s+'([^']+)'/gm)) out.push({ line: source.slice(0, m.index).split('\n').length, spec: m[1]!, typeOnly: false, text: m[0].trim() });
  return out;
}

/** Source without comments and string contents, so documentation may mention `Date.now()`. */
function codeOnly(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/\/\/.*$/gm, '');
}

export function coreViolations(files: Array<{ file: string; source: string }>): Finding[] {
  const findings: Finding[] = [];
  for (const { file, source } of files) {
    for (const s of specifiers(source)) {
      const own = s.spec.startsWith('./') && !s.spec.includes('/../');
      const allowed = own || ALLOWED_PACKAGES.has(s.spec) || (s.typeOnly && TYPE_ONLY_PACKAGES.has(s.spec));
      if (!allowed) findings.push({ file, line: s.line, text: s.text, why: `imports ${s.spec}, outside src/core` });
    }
    codeOnly(source)
      .split('\n')
      .forEach((text, i) => {
        for (const { pattern, what } of IMPURE) if (pattern.test(text)) findings.push({ file, line: i + 1, text: text.trim(), why: `touches ${what}` });
      });
  }
  return findings;
}

describe('src/core', () => {
  it('imports nothing outside src/core and touches no I/O, environment or clock', () => {
    const files = coreFiles().map((path) => ({ file: relative(join(CORE, '../..'), path), source: readFileSync(path, 'utf8') }));
    expect(files.length).toBeGreaterThan(10);
    expect(coreViolations(files).map((f) => `${f.file}:${f.line} ${f.why}: ${f.text}`)).toEqual([]);
  });

  it('the rule catches what it is for (an outside import, a clock read, I/O)', () => {
    const findings = coreViolations([
      { file: 'a.ts', source: "import type { Site } from '../trackunit/endpoints/sites.js';\nimport { x } from './ok.js';" },
      { file: 'b.ts', source: "import { readFileSync } from 'node:fs';\nexport const t = () => Date.now();\n// Date.now() in a comment is fine" },
      { file: 'c.ts', source: "export { y } from '../kinds/registry.js';\nimport type { Operation } from 'fast-json-patch';\nimport { compare } from 'fast-json-patch';" },
    ]);
    expect(findings.map((f) => `${f.file}:${f.line}`)).toEqual(['a.ts:1', 'b.ts:1', 'b.ts:2', 'c.ts:1', 'c.ts:3']);
  });
});
