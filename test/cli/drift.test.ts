/**
 * `tug drift` through the CLI: one fixture per drift class on the sandbox, each asserting class, kind,
 * object and exit code, on the example repository right after `tug apply` (which records what it
 * applied). Every fixture edits the account behind tug's back (straight in the sandbox store) or the
 * manifests, and is undone before the next. Also: a clean account exits 0, `--fail-on` narrows exit 2,
 * without a record everything counts as git ahead, markdown and JSON say the same.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import type { Store } from '../../src/sandbox/store.js';
import { resetStore } from '../support/desired-model.js';
import { start, V2 } from '../sandbox/helpers.js';
import { runCli } from './run-cli.js';

const EXAMPLES = join(import.meta.dirname, '../../examples');
let sandbox: SandboxHandle;
let dir: string;
let env: Record<string, string>;
let applied: ReturnType<Store['toSnapshot']>;

interface DriftJson {
  drift: boolean;
  items: Array<{ class: number; kind: string; id: string; op?: string; fields?: string[]; message: string }>;
  classes: Record<string, { name: string; counts: Record<string, number> }>;
  applied: { objects: number };
}

const drift = async (...flags: string[]) => {
  const r = await runCli(['drift', '--format', 'json', ...flags], { cwd: dir, env });
  return { code: r.code, report: r.stdout ? (JSON.parse(r.stdout) as DriftJson) : undefined, stderr: r.stderr };
};

/** Puts the store back to the state right after the apply. */
const restore = () => resetStore(sandbox.store, applied);

beforeAll(async () => {
  sandbox = await start();
  dir = mkdtempSync(join(tmpdir(), 'tug-drift-'));
  cpSync(EXAMPLES, dir, { recursive: true });
  writeFileSync(join(dir, 'tug.yaml'), readFileSync(join(dir, 'tug.yaml'), 'utf8').replaceAll('ratePerSecond: 20, burst: 10', 'ratePerSecond: 1000, burst: 1000'));
  // A customer no contract is bound to (deleting one with contracts would move their syncs too).
  const customers = join(dir, 'manifests', 'customers.yaml');
  writeFileSync(customers, `${readFileSync(customers, 'utf8')}\n---\nkind: Customer\nexternalReference: CUST-9000\nname: Solo Byg\n`);
  env = { TRACKUNIT_CLIENT_ID: V2.clientId, TRACKUNIT_CLIENT_SECRET: V2.clientSecret, TRACKUNIT_IRIS_URL: sandbox.url, TRACKUNIT_AUTH_URL: sandbox.url };
  const first = await runCli(['drift'], { cwd: dir, env });
  expect(first.code).toBe(2); // nothing applied yet: all of it is git ahead
  expect(first.stdout).toContain('No record of what tug last applied');
  const r = await runCli(['apply', '--yes'], { cwd: dir, env });
  expect(r.code, r.stderr).toBe(0);
  applied = structuredClone(sandbox.store.toSnapshot());
}, 60_000);
afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tug drift', () => {
  it('is clean right after an apply: exit 0', async () => {
    const { code, report } = await drift();
    expect(code).toBe(0);
    expect(report!.drift).toBe(false);
    expect(report!.applied.objects).toBeGreaterThan(60);
    const text = await runCli(['drift'], { cwd: dir, env });
    expect(text.stdout).toContain('No drift: the account matches the manifests.');
    expect(text.stderr).toMatch(/Compared every object live with \d+ API requests/);
    const shown = await runCli(['state', 'show'], { cwd: dir, env });
    expect(shown.stdout).toMatch(new RegExp(`^ {2}Record of what was applied \\(tug drift\\): ${report!.applied.objects} manifests$`, 'm'));
  });

  it('class 1: a managed field changed in Trackunit', async () => {
    const site = [...sandbox.store.sites.values()].find((s) => s.externalReference === 'tug:depot/odense')!;
    site.description = 'edited in Manager';
    try {
      const { code, report } = await drift();
      expect(code).toBe(2);
      expect(report!.items).toEqual([expect.objectContaining({ class: 1, kind: 'Depot', id: 'odense', op: 'update', fields: ['/description'] })]);
      expect(report!.classes['1']!.counts).toEqual({ Depot: 1 });
    } finally {
      restore();
    }
  });

  it('class 2: a manifest changed and not applied yet', async () => {
    const file = join(dir, 'manifests', 'depots.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('description: Funen branch.', 'description: Funen branch, new workshop.'));
    try {
      const { code, report } = await drift();
      expect(code).toBe(2);
      expect(report!.items).toEqual([expect.objectContaining({ class: 2, kind: 'Depot', id: 'odense', op: 'update', fields: ['/description'] })]);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('class 3: a managed object deleted in Trackunit', async () => {
    const customer = [...sandbox.store.customers.values()].find((c) => c.externalReference === 'CUST-9000')!;
    sandbox.store.customers.delete(customer.id);
    try {
      const { code, report } = await drift();
      expect(code).toBe(2);
      expect(report!.items).toEqual([expect.objectContaining({ class: 3, kind: 'Customer', id: 'CUST-9000', op: 'create' })]);
    } finally {
      restore();
    }
  });

  it('class 4: an unmanaged depot inside a prune scope (Depot is pruned)', async () => {
    const id = sandbox.store.newId();
    const stamp = '2026-01-01T00:00:00.000Z';
    sandbox.store.sites.set(id, {
      id,
      name: 'Kolding yard',
      type: 'DEPOT',
      description: null,
      externalReference: null,
      startDate: null,
      endDate: null,
      address: { streetAddress: 'Vejlevej 1', zipCode: '6000', city: 'Kolding', country: 'DK' },
      area: null,
      archived: false,
      createdAt: stamp,
      updatedAt: stamp,
    });
    try {
      const { code, report } = await drift();
      expect(code).toBe(2);
      expect(report!.items).toEqual([expect.objectContaining({ class: 4, kind: 'Depot', id: 'Kolding yard (DEPOT)' })]);
      // The hand-made construction site of the demo account is no depot: not drift.
      expect(report!.items.some((i) => i.id.includes('Vejle harbour'))).toBe(false);
    } finally {
      restore();
    }
  });

  it('class 5: an item added in Trackunit that the Rental API cannot remove', async () => {
    const item = [...sandbox.store.contractItems.values()].find((i) => i.assetId !== null)!;
    const other = [...sandbox.store.contractItems.values()].find((i) => i.assetId !== null && i.assetId !== item.assetId)!;
    const id = sandbox.store.newId();
    sandbox.store.contractItems.set(id, { ...item, id, assetId: other.assetId, externalReference: `${item.externalReference}-extra` });
    try {
      const { code, report } = await drift();
      expect(code).toBe(2);
      const found = report!.items.filter((i) => i.class === 5);
      expect(found).toEqual([
        expect.objectContaining({
          class: 5,
          kind: 'Asset',
          message: expect.stringContaining(`item ${item.externalReference}-extra is on the asset in Trackunit but in no manifest`),
        }),
      ]);
      expect(report!.items.filter((i) => i.class !== 5)).toEqual([]);
    } finally {
      restore();
    }
  });

  it('--fail-on chooses the classes that exit 2; text and markdown say the same', async () => {
    const site = [...sandbox.store.sites.values()].find((s) => s.externalReference === 'tug:depot/odense')!;
    site.description = 'edited in Manager';
    try {
      expect((await drift('--fail-on', '3,unmanaged')).code).toBe(0);
      expect((await drift('--fail-on', 'live-changed')).code).toBe(2);
      const bad = await runCli(['drift', '--fail-on', '7'], { cwd: dir, env });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('--fail-on takes classes 1–5');
      const text = await runCli(['drift'], { cwd: dir, env });
      expect(text.stdout).toMatch(/^\(1\) live-changed: changed in Trackunit \(live drifted from git\) — Depot 1$/m);
      expect(text.stdout).toMatch(/^ {2}update Depot\/odense \(description\): changed in Trackunit since tug last applied Depot\/odense$/m);
      expect(text.stdout).toContain('Drift: 1 difference (1 live-changed).');
      const md = await runCli(['drift', '--format', 'markdown'], { cwd: dir, env });
      expect(md.stdout).toContain('<!-- tug-drift -->');
      expect(md.stdout).toContain('| 1 live-changed | changed in Trackunit \\(live drifted from git\\) | Depot 1 |');
    } finally {
      restore();
    }
  });
});
