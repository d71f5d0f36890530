/**
 * examples/ is what users copy and what the demo applies to the sandbox's demo account: it must
 * validate clean, keep its documented size, and name only assets the demo seed owns.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProjectConfig } from '../../src/config/load.js';
import type { AssetManifest } from '../../src/kinds/asset/manifest.js';
import type { ContractManifest } from '../../src/kinds/contract/manifest.js';
import { formatText } from '../../src/manifests/diagnostics.js';
import { loadManifestSet, type ManifestSet } from '../../src/manifests/index.js';
import { seedStore } from '../../src/sandbox/seed.js';
import { Store } from '../../src/sandbox/store.js';

const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/', import.meta.url));

let set: ManifestSet;
let assets: AssetManifest[];
let contracts: ContractManifest[];

function demoSeedOwnedSerials(): string[] {
  const store = new Store('sandbox:demo');
  seedStore(store, { kind: 'demo' });
  return [...store.assets.values()].flatMap((a) => (a.owned && a.serialNumber !== null ? [a.serialNumber] : []));
}

beforeAll(async () => {
  const config = await loadProjectConfig({ cwd: EXAMPLES_DIR, required: true });
  set = await loadManifestSet(config, EXAMPLES_DIR);
  assets = set.documents.map((d) => d.manifest).filter((m): m is AssetManifest => m.kind === 'Asset');
  contracts = set.documents.map((d) => d.manifest).filter((m): m is ContractManifest => m.kind === 'Contract');
});

describe('examples/', () => {
  it('validates without a single diagnostic', () => {
    expect(set.diagnostics.map(formatText)).toEqual([]);
  });

  it('every document of every file carries the editor modeline (the YAML language server reads it per document)', () => {
    const text = (file: string) => readFileSync(join(EXAMPLES_DIR, file), 'utf8');
    for (const file of set.files) {
      const documents = text(file).split(/^---$/m);
      const bare = documents.filter((d) => !/^\s*# yaml-language-server: \$schema=\.\.\/\.\.\/schemas\/manifest\.schema\.json$/m.test(d.split(/^(?!#|\s*$)/m)[0] ?? ''));
      expect(bare.length, `${file}: documents without the modeline before their first key`).toBe(0);
    }
  });

  it('holds 6 definitions, 3 depots, 12 customers, 30 assets and 20 contracts in 5 files', () => {
    const byKind: Record<string, number> = {};
    for (const doc of set.documents) byKind[doc.manifest.kind] = (byKind[doc.manifest.kind] ?? 0) + 1;
    expect(byKind).toEqual({ CustomFieldDefinition: 6, Depot: 3, Customer: 12, Asset: 30, Contract: 20 });
    expect(set.documentCount).toBe(71);
    expect(set.files.map((f) => f.replace(/\\/g, '/')).sort()).toEqual(
      ['assets', 'contracts', 'custom-fields', 'customers', 'depots'].map((n) => `manifests/${n}.yaml`),
    );
  });

  it('manages exactly the 30 assets the sandbox demo seed owns, and contracts name no other', () => {
    const owned = demoSeedOwnedSerials();
    expect(owned).toHaveLength(30);
    expect(assets.map((a) => a.serialNumber).sort()).toEqual([...owned].sort());
    const itemSerials = contracts.flatMap((c) => c.items ?? []).flatMap((i) => (i.asset.serialNumber === undefined ? [] : [i.asset.serialNumber]));
    expect(itemSerials.length).toBeGreaterThan(0);
    expect(itemSerials.filter((s) => !owned.includes(s))).toEqual([]);
  });

  it('uses every contract status and keeps asset rental statuses in line with the contracts', () => {
    expect(new Set(contracts.map((c) => c.status))).toEqual(new Set(['OPEN', 'RESERVED', 'CANCELLED', 'COMPLETED']));
    const serialOf = (ref: { serialNumber?: string; externalReference?: string }) =>
      ref.serialNumber ?? assets.find((a) => a.externalReference === ref.externalReference)?.serialNumber;
    const onItems = (status: string) => new Set(contracts.filter((c) => c.status === status).flatMap((c) => (c.items ?? []).map((i) => serialOf(i.asset))));
    const onOpen = onItems('OPEN');
    const onReserved = onItems('RESERVED');
    for (const asset of assets) {
      const expected = onOpen.has(asset.serialNumber) ? 'ON_RENT' : onReserved.has(asset.serialNumber) ? 'RESERVED' : undefined;
      if (expected) expect({ serialNumber: asset.serialNumber, rentalStatus: asset.rentalStatus }).toEqual({ serialNumber: asset.serialNumber, rentalStatus: expected });
      else expect(['ON_RENT', 'RESERVED']).not.toContain(asset.rentalStatus);
    }
  });
});
