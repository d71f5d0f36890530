/**
 * The YAML layer: the fast path (js-yaml) and the careful path (yaml with positions) must read the same
 * data, positions must point at the exact key or value, and the safety rules must hold on both paths.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_NESTING_DEPTH, decodeManifest, parseYaml, parseYamlCarefully, positionOf } from '../../src/manifests/yaml.js';

const EXAMPLES = join(import.meta.dirname, '../../examples/manifests');
const BROKEN = join(import.meta.dirname, 'broken');

describe('fast and careful YAML paths agree', () => {
  const files = [
    ...readdirSync(EXAMPLES).map((f) => join(EXAMPLES, f)),
    ...readdirSync(BROKEN).filter((f) => f.endsWith('.yaml')).map((f) => join(BROKEN, f)),
  ];
  it.each(files)('%s', (file) => {
    const text = readFileSync(file, 'utf8');
    const fast = parseYaml(text, 'f.yaml');
    const careful = parseYamlCarefully(text, 'f.yaml');
    expect(fast.documents.map((d) => d.data)).toEqual(careful.documents.map((d) => d.data));
    expect(fast.diagnostics).toEqual(careful.diagnostics);
  });

  it('keeps YAML 1.2 core types on both paths: dates stay strings, no octal surprises', () => {
    const text = 'a: 2026-01-01\nb: 012\nc: 0o17\nd: yes\ne: ~\nf: 1e3\ng: "08"\n';
    const fast = parseYaml(text, 'x.yaml').documents[0]?.data;
    expect(fast).toEqual({ a: '2026-01-01', b: 12, c: 15, d: 'yes', e: null, f: 1000, g: '08' });
    expect(parseYamlCarefully(text, 'x.yaml').documents[0]?.data).toEqual(fast);
  });
});

describe('positions', () => {
  const text = 'kind: Depot\nkey: a\nname: A\n---\n# comment only\n---\nkind: Customer\nitems:\n  - x: 1\n    y: [1, 2]\n';
  const { documents } = parseYaml(text, 'p.yaml');

  it('skips empty documents and numbers the rest in order', () => {
    expect(documents.map((d) => [d.index, (d.data as { kind: string }).kind])).toEqual([
      [0, 'Depot'],
      [1, 'Customer'],
    ]);
  });

  it('maps paths to the key or the value, and missing paths to the nearest ancestor', () => {
    const second = documents[1]!;
    expect(positionOf(second, ['items', 0, 'y', 1])).toEqual({ line: 10, col: 12 });
    expect(positionOf(second, ['items', 0, 'y'], 'key')).toEqual({ line: 10, col: 5 });
    expect(positionOf(second, ['items', 0, 'nope'], 'key')).toEqual({ line: 9, col: 5 });
    expect(positionOf(documents[0]!, ['name'])).toEqual({ line: 3, col: 7 });
  });
});

describe('safety', () => {
  it('refuses tags, limits alias expansion, refuses duplicate keys and oversized files', () => {
    expect(parseYaml('a: !include x.yaml\n', 't.yaml').diagnostics[0]?.message).toBe('YAML tag !include is not allowed: manifests are plain data');
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]'].join('\n');
    expect(parseYaml(bomb, 'b.yaml').diagnostics[0]?.code).toBe('yaml_alias');
    expect(parseYaml('a: &x 1\nb: *x\n', 'ok.yaml').documents[0]?.data).toEqual({ a: 1, b: 1 });
    expect(parseYaml('a: 1\na: 2\n', 'd.yaml').diagnostics[0]?.message).toBe('duplicate key "a" in the same mapping');
    expect(parseYaml('a: 1\n', 'l.yaml', { maxFileBytes: 3, maxAliasCount: 10 }).diagnostics[0]?.code).toBe('file_too_large');
  });

  it('refuses numbers that are not finite (JSON would send them as null), wherever they are written', () => {
    const text = 'a: .nan\nb: [1, -.Inf]\nc: {d: 1e400}\ne: 1' + '0'.repeat(400) + '\n';
    const lines = (t: string) => parseYaml(t, 'n.yaml').diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`);
    const range = 'is out of range: it must lie between -1.7976931348623157e+308 and 1.7976931348623157e+308';
    expect(lines(text)).toEqual([
      '1:4 yaml_number .nan (not a number) is not allowed: a number in a manifest must be finite',
      '2:8 yaml_number -.Inf (infinity) is not allowed: a number in a manifest must be finite',
      `3:8 yaml_number number 1e400 ${range}`,
      `4:4 yaml_number number 1${'0'.repeat(38)}… ${range}`,
    ]);
    expect(parseYamlCarefully(text, 'n.yaml').diagnostics).toEqual(parseYaml(text, 'n.yaml').diagnostics);
    // Quoted, they are strings; in longer words, not numbers at all.
    const fine = 'a: ".nan"\nb: \'1e400\'\nc: x@y.info\nd: 1e308\n';
    expect(parseYaml(fine, 'f.yaml')).toMatchObject({ diagnostics: [], documents: [{ data: { a: '.nan', b: '1e400', c: 'x@y.info', d: 1e308 } }] });
  });

  it('takes the fast path for text that only looks like a number inside a word (serials, ids)', () => {
    const text = "serialNumber: 'VCEC220E000000003'\nexternalReference: ERP-5E123\nid: 3e412a-1e999b\n";
    const [document] = parseYaml(text, 's.yaml').documents;
    expect(document?.data).toEqual({ serialNumber: 'VCEC220E000000003', externalReference: 'ERP-5E123', id: '3e412a-1e999b' });
    // The careful path builds the syntax tree; the fast one never does.
    expect((document?.source as { tree?: unknown }).tree).toBeUndefined();
  });
});

describe('nesting', () => {
  const both = (text: string) => {
    const fast = parseYaml(text, 'n.yaml');
    const careful = parseYamlCarefully(text, 'n.yaml');
    expect(careful.diagnostics).toEqual(fast.diagnostics);
    expect(careful.documents.map((d) => d.data)).toEqual(fast.documents.map((d) => d.data));
    return { data: fast.documents.map((d) => d.data), lines: fast.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`) };
  };
  // The top-level mapping is level 1, so `levels` brackets after `a: ` reach level levels + 1.
  const flow = (levels: number, leaf: string) => `a: ${'['.repeat(levels)}${leaf}${']'.repeat(levels)}\n---\nb: 2\n`;

  it(`accepts ${MAX_NESTING_DEPTH} levels and refuses one more, at the level too many, on both paths`, () => {
    expect(MAX_NESTING_DEPTH).toBe(64);
    for (const leaf of ['x', '']) {
      expect(both(flow(63, leaf)).lines).toEqual([]);
      expect(both(flow(64, leaf))).toEqual({ data: [{ b: 2 }], lines: ['1:67 nesting deeper than 64 levels of mappings and lists'] });
    }
  });

  it('refuses far deeper input with a position instead of overflowing the stack', () => {
    expect(both(flow(20_000, '')).lines).toEqual(['1:67 nesting deeper than 64 levels of mappings and lists']);
    expect(both(`${'- '.repeat(100)}x\n`).lines).toEqual(['1:129 nesting deeper than 64 levels of mappings and lists']);
    const block = Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k:\n`).join('');
    expect(both(block).lines).toEqual(['65:65 nesting deeper than 64 levels of mappings and lists']);
  });
});

describe('UTF-8', () => {
  const where = (bytes: number[]) => {
    const decoded = decodeManifest(Buffer.from(bytes), 'u.yaml');
    return 'diagnostic' in decoded ? `${decoded.diagnostic.line}:${decoded.diagnostic.col} ${decoded.diagnostic.message}` : decoded.text;
  };
  const ascii = (s: string) => [...Buffer.from(s)];

  it('decodes valid UTF-8, emoji and all', () => {
    expect(where([...ascii('a: '), 0xf0, 0x9f, 0x9a, 0x9c, 0x0a])).toBe('a: \u{1F69C}\n');
  });

  it('points at the first byte of the first ill-formed sequence, in UTF-16 columns like every position', () => {
    expect(where([0xff, 0x0a])).toBe('1:1 byte 0xFF is not valid UTF-8 (byte offset 0); save the file as UTF-8');
    // 🚜 is two UTF-16 units; the overlong C0 80 starts at column 6 of line 2.
    expect(where([...ascii('x\na: '), 0xf0, 0x9f, 0x9a, 0x9c, 0xc0, 0x80])).toBe('2:6 byte 0xC0 is not valid UTF-8 (byte offset 9); save the file as UTF-8');
    expect(where([...ascii('a: '), 0xed, 0xa0, 0x80])).toBe('1:4 byte 0xED is not valid UTF-8 (byte offset 3); save the file as UTF-8'); // a surrogate
    expect(where([...ascii('a: \nb: '), 0xe2, 0x82])).toBe('2:4 byte 0xE2 is not valid UTF-8 (byte offset 7); save the file as UTF-8'); // cut short
    expect(where([...ascii('a: '), 0xf4, 0x90, 0x80, 0x80])).toBe('1:4 byte 0xF4 is not valid UTF-8 (byte offset 3); save the file as UTF-8'); // above U+10FFFF
  });
});
