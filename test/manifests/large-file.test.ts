/**
 * One file (under the 10 MiB limit) holding hundreds of thousands of documents: each step must take them
 * one by one (spreading them into a function call's arguments overflows the stack at ~125,000).
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultProjectConfig } from '../../src/config/load.js';
import { loadManifestSet } from '../../src/manifests/index.js';
import { DEFAULT_YAML_LIMITS } from '../../src/manifests/yaml.js';

const COUNT = 200_000;

describe('a file with 200,000 documents', () => {
  it('loads and validates every document, under the size limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tug-large-'));
    const file = join(dir, 'assets.yaml');
    const docs: string[] = [];
    for (let i = 0; i < COUNT; i++) docs.push(`kind: Asset\nserialNumber: S${i.toString(36)}\n`);
    writeFileSync(file, docs.join('---\n'));
    expect(statSync(file).size).toBeLessThan(DEFAULT_YAML_LIMITS.maxFileBytes);

    const set = await loadManifestSet(defaultProjectConfig(dir), dir, ['assets.yaml']);
    expect(set.diagnostics).toEqual([]);
    expect(set.documentCount).toBe(COUNT);
    expect(set.documents).toHaveLength(COUNT);
  }, 60_000);
});
