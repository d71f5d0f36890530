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
import { validateDocuments } from '../../src/manifests/validate.js';
import { DEFAULT_YAML_LIMITS, parseYaml } from '../../src/manifests/yaml.js';

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

describe('200,000 diagnostics', () => {
  it('are all reported (the checks hand back more than a function call takes as arguments)', () => {
    // One parsed document, repeated: every copy after the first is a duplicate identity.
    const [asset] = parseYaml('kind: Asset\nserialNumber: S1\n', 'assets.yaml').documents;
    const { diagnostics } = validateDocuments(Array.from({ length: COUNT }, () => asset!));
    expect(diagnostics).toHaveLength(COUNT - 1);
    expect(diagnostics[0]?.message).toBe('duplicate Asset "serialNumber=S1": also defined at assets.yaml:2');
  }, 60_000);
});
