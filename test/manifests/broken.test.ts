/**
 * The broken-manifest corpus: each file in broken/ holds one deliberate mistake, and expected.json lists
 * the exact diagnostics `tug validate` must print for it — no more, no fewer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultProjectConfig } from '../../src/config/load.js';
import { formatText } from '../../src/manifests/diagnostics.js';
import { loadManifestSet } from '../../src/manifests/index.js';

const dir = fileURLToPath(new URL('./broken/', import.meta.url));
const expected = JSON.parse(readFileSync(`${dir}expected.json`, 'utf8')) as Array<{ file: string; diagnostics: string[] }>;

describe('broken manifests', () => {
  it('lists every file of the corpus exactly once, each with at least one diagnostic', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
    expect(expected.map((e) => e.file)).toEqual(files);
    expect(files.length).toBeGreaterThanOrEqual(30);
    for (const entry of expected) expect(entry.diagnostics.length, entry.file).toBeGreaterThan(0);
  });

  it.each(expected)('$file', async ({ file, diagnostics }) => {
    const set = await loadManifestSet(defaultProjectConfig(dir), dir, [file]);
    expect(set.diagnostics.map(formatText)).toEqual(diagnostics);
  });
});
