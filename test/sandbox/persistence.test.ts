import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store, startSandbox } from '../../src/sandbox/index.js';
import { seedStore } from '../../src/sandbox/seed.js';
import { authed, start } from './helpers.js';

const SITES = '/api/site/v1/sites';

describe('persistence (--data)', () => {
  it('survives a restart: created objects, their ids and the id sequence come back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tug-sandbox-'));
    const dataFile = join(dir, 'account.json');
    const first = await start({ dataFile });
    const call = await authed(first);
    const created = await call('POST', SITES, { name: 'Persisted', type: 'DEPOT', externalReference: 'p-1', address: { city: 'Aarhus' } });
    expect(created.status).toBe(201);
    await first.close();
    const saved = JSON.parse(readFileSync(dataFile, 'utf8'));
    expect(saved.formatVersion).toBe(1);
    expect(saved.sites.map((s: { name: string }) => s.name)).toContain('Persisted');

    const second = await start({ dataFile, seed: 'empty' }); // the file wins over the seed
    try {
      const call2 = await authed(second);
      const again = await call2('GET', `${SITES}/${created.body.id}`);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(created.body);
      expect(second.store.assets.size).toBe(32); // demo seed from the first start, not the empty seed
      const next = await call2('POST', SITES, { name: 'Next', type: 'DEPOT', address: { city: 'Odense' } });
      expect(next.body.id).not.toBe(created.body.id);
    } finally {
      await second.close();
    }
  });

  it('reads an asset saved before assetType existed: its category was in type', () => {
    const store = new Store('old');
    seedStore(store, { kind: 'demo' });
    const snapshot = JSON.parse(JSON.stringify(store.toSnapshot()));
    for (const asset of snapshot.assets) {
      asset.type = asset.assetType;
      delete asset.assetType;
    }
    const [first] = [...Store.fromSnapshot(snapshot).assets.values()];
    expect(first).toMatchObject({ assetType: 'MACHINE', type: null });
  });

  it('reads a contract saved before contractStatus existed: its status was in status', () => {
    const snapshot = JSON.parse(JSON.stringify(new Store('old').toSnapshot()));
    snapshot.contracts = [{ id: 'c1', externalReference: 'K-1', status: 'OPEN', startDate: null, endDate: null, customerId: 'x', hiringDepotId: null, createdAt: 'T', updatedAt: 'T' }];
    const contract = Store.fromSnapshot(snapshot).contracts.get('c1')!;
    expect(contract.contractStatus).toBe('OPEN');
    expect(contract).not.toHaveProperty('status');
  });

  it('saves changes while running (debounced), not only on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tug-sandbox-'));
    const dataFile = join(dir, 'account.json');
    const sandbox = await start({ dataFile, seed: 'empty' });
    try {
      const call = await authed(sandbox);
      await call('POST', SITES, { name: 'Live save', type: 'DEPOT', address: { city: 'Aarhus' } });
      await new Promise((r) => setTimeout(r, 150));
      expect(readFileSync(dataFile, 'utf8')).toContain('Live save');
    } finally {
      await sandbox.close();
    }
  });

  it('refuses a corrupt data file with a message naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tug-sandbox-'));
    const dataFile = join(dir, 'broken.json');
    writeFileSync(dataFile, '{ not json');
    await expect(startSandbox({ port: 0, dataFile })).rejects.toThrow(/broken\.json/);
  });
});

describe('seed generator', () => {
  it('is deterministic: the same seed gives the same account, another seed another', () => {
    const a = new Store('sandbox:demo');
    const b = new Store('sandbox:demo');
    seedStore(a, { kind: 'demo' });
    seedStore(b, { kind: 'demo' });
    expect(JSON.stringify(a.toSnapshot())).toBe(JSON.stringify(b.toSnapshot()));
    const c = new Store('sandbox:other');
    seedStore(c, { kind: 'demo', seed: 'other' });
    expect(JSON.stringify(c.toSnapshot().assets)).not.toBe(JSON.stringify(a.toSnapshot().assets));
  });

  it('demo: 30 owned + 2 shared-in assets with unique serials, PIN variants and telemetry; sizes on request', () => {
    const store = new Store('t');
    seedStore(store, { kind: 'demo' });
    const assets = [...store.assets.values()];
    expect(assets.filter((x) => x.owned)).toHaveLength(30);
    expect(assets.filter((x) => !x.owned)).toHaveLength(2);
    expect(new Set(assets.map((x) => x.serialNumber)).size).toBe(32);
    expect(assets.some((x) => x.telemetry.pin === null)).toBe(true);
    expect(assets.some((x) => x.telemetry.pin !== null && x.telemetry.pin !== x.telemetry.pin.toUpperCase())).toBe(true);
    expect(assets.every((x) => x.telemetry.location !== null)).toBe(true);
    const big = new Store('big');
    seedStore(big, { kind: 'empty', assets: 20_000, customers: 10_000 });
    expect(big.assets.size).toBe(20_000);
    expect(big.customers.size).toBe(10_000);
    expect(new Set([...big.assets.values()].map((x) => x.serialNumber)).size).toBe(20_000);
    expect(new Set([...big.customers.values()].map((x) => x.externalReference)).size).toBe(10_000);
  });
});
