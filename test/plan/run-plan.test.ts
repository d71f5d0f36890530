/**
 * runPlan end to end against the sandbox: examples/ planned against the demo seed (read-only, the
 * request count exactly what read-live.test.ts explains), refusal of an invalid manifest set, and
 * `pin:` identifiers resolved through the ISO 15143-3 snapshot — read once, then served from the cache.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProjectConfig, loadProjectConfig, type ProjectConfig } from '../../src/config/load.js';
import { ManifestError } from '../../src/errors.js';
import { loadManifestSet, type ManifestSet } from '../../src/manifests/index.js';
import { toDesiredState } from '../../src/plan/desired.js';
import { resolvePins } from '../../src/kinds/asset/pins.js';
import { runPlan } from '../../src/plan/run-plan.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import type { AssetRecord } from '../../src/sandbox/store.js';
import { start } from '../sandbox/helpers.js';
import { sandboxClient } from '../trackunit/helpers.js';
import { LocalStateStore } from '../../src/state/local-store.js';

const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/', import.meta.url));

let sandbox: SandboxHandle;
let stateDir: string;

beforeAll(async () => {
  sandbox = await start();
  stateDir = await mkdtemp(join(tmpdir(), 'tug-run-plan-'));
});
afterAll(async () => {
  await sandbox.close();
  await rm(stateDir, { recursive: true, force: true });
});

async function plan(config: ProjectConfig, manifests: ManifestSet, targets?: string[]) {
  const client = sandboxClient(sandbox);
  try {
    return await runPlan({ client, config, manifests, ...(targets ? { targets } : {}) });
  } finally {
    await client.close();
  }
}

describe('runPlan: examples/ against the demo seed', () => {
  let config: ProjectConfig;
  let manifests: ManifestSet;

  beforeAll(async () => {
    config = { ...(await loadProjectConfig({ cwd: EXAMPLES_DIR, required: true })), stateDir };
    manifests = await loadManifestSet(config, EXAMPLES_DIR);
  });

  it('plans end to end, read-only: 35 API requests, 1 token, and one ISO page for the telematics of status changes', async () => {
    sandbox.requestLog.clear();
    const result = await plan(config, manifests);
    expect(sandbox.requestLog.count((e) => e.write)).toBe(0);
    // No pin: in examples/, but rental statuses change: the hour meters and positions come from one
    // (cached) ISO snapshot page.
    expect(sandbox.requestLog.count((e) => e.family?.startsWith('iso') ?? false)).toBe(1);
    expect(result.liveRequests.tokenRequests).toBe(1);
    expect(result.liveRequests.totals.requests).toBe(36); // 5 lists + 30 asset values + 1 ISO page
    expect(sandbox.requestLog.count()).toBe(37);
    expect(result.plan.changes.some((c) => c.notes.some((n) => /^rental status null → ON_RENT: hour meter /.test(n)))).toBe(true);
    expect(result.iso).toBeUndefined();
    expect(result.durationMs).toBeGreaterThanOrEqual(0);

    const { changes, summary } = result.plan;
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => c.requests.length > 0)).toBe(true);
    // Nothing of examples/ exists in the demo account but its 30 assets. The exact plan (asset updates,
    // contract custom fields) is the golden scenarios' business; these counts follow from the fixtures.
    expect(summary.CustomFieldDefinition.create).toBe(6);
    expect(summary.Depot.create).toBe(3);
    expect(summary.Customer.create).toBe(12);
    expect(summary.Asset.sync).toBe(30);
    expect(result.plan.formatVersion).toBeDefined();
    expect(result.plan.fingerprint).toMatch(/\S/);
  });

  it('plans without telematics, with a warning, when the ISO snapshot cannot be read', async () => {
    const failing = await start({ faults: 'iso-fleet:500=1' });
    const freshState = await mkdtemp(join(tmpdir(), 'tug-run-plan-iso-'));
    const client = sandboxClient(failing);
    try {
      const result = await runPlan({ client, config: { ...config, stateDir: freshState }, manifests });
      expect(failing.requestLog.count((e) => e.family === 'iso-fleet')).toBeGreaterThan(0);
      expect(result.warnings).toEqual([expect.stringMatching(/^hour meters and positions are not shown: the ISO 15143-3 snapshot could not be read \(/)]);
      expect(result.plan.changes.some((c) => c.notes.some((n) => n.startsWith('rental status')))).toBe(false);
      expect(result.plan.summary.Asset.sync).toBe(30);
    } finally {
      await client.close();
      await failing.close();
      await rm(freshState, { recursive: true, force: true });
    }
  });

  it('is byte-identical for identical inputs, and --target narrows it', async () => {
    const [a, b] = [await plan(config, manifests), await plan(config, manifests)];
    expect(JSON.stringify(b.plan)).toBe(JSON.stringify(a.plan));
    const targeted = await plan(config, manifests, ['Depot/odense']);
    expect(targeted.plan.changes.length).toBeGreaterThan(0);
    expect(targeted.plan.changes.length).toBeLessThan(a.plan.changes.length);
    expect(targeted.plan.changes.some((c) => c.kind === 'Depot' && c.id === 'odense')).toBe(true);
  });

  it('refuses a manifest set with errors before making a single request', async () => {
    sandbox.requestLog.clear();
    const broken: ManifestSet = {
      ...manifests,
      diagnostics: [
        { file: 'manifests/a.yaml', line: 3, col: 1, message: 'x', code: 'schema', severity: 'error' },
        { file: 'manifests/a.yaml', line: 4, col: 1, message: 'y', code: 'schema', severity: 'error' },
        { file: 'manifests/a.yaml', line: 5, col: 1, message: 'z', code: 'schema', severity: 'warning' },
      ],
    };
    const error = await plan(config, broken).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).code).toBe('invalid_manifests');
    expect((error as ManifestError).message).toContain('2 errors');
    expect((error as ManifestError).hint).toContain('tug validate');
    expect(sandbox.requestLog.count()).toBe(0);
  });
});

describe('runPlan: pin: identifiers through the ISO 15143-3 snapshot', () => {
  let dir: string;
  let config: ProjectConfig;
  let manifests: ManifestSet;
  let asset: AssetRecord;
  let pin: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tug-pins-'));
    // A demo asset with a PIN, written in another form than the export's (matching is normalised).
    asset = [...sandbox.store.assets.values()].find((a) => a.owned && a.telemetry.pin !== null && /^[A-Z0-9]{17}$/.test(a.telemetry.pin))!;
    pin = `${asset.telemetry.pin!.slice(0, 8).toLowerCase()} ${asset.telemetry.pin!.slice(8)}`;
    await mkdir(join(dir, 'manifests'));
    const yaml = [
      `kind: Asset\npin: '${pin}'\nexternalReference: ERP-PIN-1\nrentalStatus: AVAILABLE\ncustomFields:\n  licensePlate: AB 12 345\n`,
      `kind: Asset\npin: NOPE-PIN-0000\nrentalStatus: AVAILABLE\n`,
    ].join('---\n');
    await writeFile(join(dir, 'manifests', 'assets.yaml'), yaml);
    // The same state directory as above: one ISO cache per account (another would spend the pool).
    config = { ...defaultProjectConfig(dir), stateDir };
    manifests = await loadManifestSet(config, dir);
    expect(manifests.diagnostics).toEqual([]);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads the ISO export at most once per 15 minutes: later plans are served from the cache', async () => {
    sandbox.requestLog.clear();
    const first = await plan(config, manifests);
    const isoPages = sandbox.requestLog.count((e) => e.family === 'iso-fleet');
    // The plan of examples/ above read the fleet's one page (for telematics) minutes ago: cached.
    expect(isoPages).toBe(0);
    expect(first.iso?.stats).toMatchObject({ requests: 0, fromCache: 1, poolRequests: 0 });
    // The pin: asset was found: its custom field values were read (and only its).
    expect(sandbox.requestLog.all().filter((e) => e.route === 'custom-fields.values.list').map((e) => e.query)).toEqual([
      expect.stringContaining(asset.id),
    ]);
    expect(first.plan.changes.some((c) => c.kind === 'Asset' && c.id === `pin=${pin}`)).toBe(true);
    expect(first.plan.problems.some((p) => p.message.includes('NOPE-PIN-0000'))).toBe(true);

    sandbox.requestLog.clear();
    const second = await plan(config, manifests);
    expect(sandbox.requestLog.count((e) => e.family === 'iso-fleet')).toBe(0);
    expect(second.iso?.stats).toMatchObject({ requests: 0, fromCache: 1 });
    expect(JSON.stringify(second.plan)).toBe(JSON.stringify(first.plan));
    expect(sandbox.isoLimiter.poolUsesTotal).toBe(0);
  });

  it('resolves each PIN from the (cached) snapshot: unique → the asset id, unknown → none', async () => {
    const client = sandboxClient(sandbox);
    const { pins, snapshot } = await resolvePins(client, toDesiredState(manifests.documents), { state: new LocalStateStore(config.stateDir) });
    await client.close();
    // Still within 15 minutes of the plans above: from their cache, and never from the export's pool.
    expect(snapshot?.stats).toMatchObject({ requests: 0, fromCache: 1, poolRequests: 0 });
    expect(sandbox.isoLimiter.poolUsesTotal).toBe(0);
    expect(pins[pin]).toMatchObject({ match: 'unique', assetId: asset.id });
    expect(pins['NOPE-PIN-0000']).toEqual({ match: 'none' });
    expect(snapshot?.records).toBe(sandbox.store.assets.size);
  });
});
