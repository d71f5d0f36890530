/**
 * `tug export` end to end through the CLI, on the demo account after the example repository was applied
 * and then taken out of tug's hands (depot bindings and customer markers removed, as on an account an
 * earlier sync script built): the round trip export → validate → plan (adoptions only) → apply → empty
 * plan; byte-identical re-export; no overwrite without --force; the depot split; the report of what
 * could not be written; no write outside --out.
 */
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFromName } from '../../src/kinds/export-names.js';
import { CUSTOMER_MARKER_KEY } from '../../src/kinds/ownership.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { start, V2 } from '../sandbox/helpers.js';
import { runCli } from './run-cli.js';

const EXAMPLES = join(import.meta.dirname, '../../examples');
let sandbox: SandboxHandle;
let root: string;
let env: Record<string, string>;

/** The examples' tug.yaml with Depot and Customer prune, at limits a test need not wait for. */
const CONFIG = readFileSync(join(EXAMPLES, 'tug.yaml'), 'utf8')
  .replace('kinds: [Depot]', 'kinds: [Depot, Customer]')
  .replaceAll('ratePerSecond: 20, burst: 10', 'ratePerSecond: 1000, burst: 1000');

/** A project with that tug.yaml and no manifests yet. */
function project(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tug.yaml'), CONFIG);
  return dir;
}

const files = (dir: string): Record<string, string> =>
  Object.fromEntries(
    (readdirSync(dir, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );

beforeAll(async () => {
  sandbox = await start();
  root = mkdtempSync(join(tmpdir(), 'tug-export-'));
  env = {
    TRACKUNIT_CLIENT_ID: V2.clientId,
    TRACKUNIT_CLIENT_SECRET: V2.clientSecret,
    TRACKUNIT_IRIS_URL: sandbox.url,
    TRACKUNIT_AUTH_URL: sandbox.url,
    SOURCE_DATE_EPOCH: '1796083200',
  };
  const examples = join(root, 'examples');
  cpSync(EXAMPLES, examples, { recursive: true });
  writeFileSync(join(examples, 'tug.yaml'), CONFIG);
  const applied = await runCli(['apply', '--yes'], { cwd: examples, env });
  expect(applied.code, applied.stderr).toBe(0);
  // Nobody manages it any more: one depot keeps another externalReference, the others none; no customer markers.
  [...sandbox.store.sites.values()].filter((s) => s.externalReference?.startsWith('tug:depot/')).forEach((s, i) => (s.externalReference = i === 0 ? 'ERP-DEPOT-7' : null));
  for (const [id, v] of sandbox.store.values) if (sandbox.store.definitions.get(v.definitionId)?.key === CUSTOMER_MARKER_KEY) sandbox.store.values.delete(id);
}, 60_000);
afterAll(async () => {
  await sandbox?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('tug export', () => {
  it('an adoption reviewed, then the site edited in Trackunit before apply: apply refuses it as stale (exit 4) and writes nothing', async () => {
    const dir = project('stale');
    expect((await runCli(['export', '--kinds', 'CustomFieldDefinition,Depot'], { cwd: dir, env })).code).toBe(0);
    const planned = await runCli(['plan', '--out', 'plan.json'], { cwd: dir, env });
    expect(planned.stdout).toMatch(/^~ adopt Depot\/nordic-rental-odense$/m);
    const site = [...sandbox.store.sites.values()].find((x) => x.name === 'Nordic Rental Odense')!;
    const writes = sandbox.requestLog.count((e) => e.write);
    site.name = 'Odense (renamed in Manager)';
    try {
      const applied = await runCli(['apply', 'plan.json'], { cwd: dir, env });
      expect(applied.code, applied.stderr).toBe(4);
      expect(applied.stderr).toMatch(/Depot\/nordic-rental-odense \(adopt\)/);
      expect(sandbox.requestLog.count((e) => e.write)).toBe(writes);
      expect(site.externalReference).toBeNull();
    } finally {
      site.name = 'Nordic Rental Odense';
    }
  }, 60_000);

  it('round-trips: validate has 0 errors, the plan only adopts, apply converges, the next plan is empty', async () => {
    const dir = project('adopt');
    const exported = await runCli(['export'], { cwd: dir, env });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^Exported 71 objects to manifests: CustomFieldDefinition 6, Depot 3, Customer 12, Asset 30, Contract 20\.$/m);
    expect(exported.stdout).toContain('3 depots tug does not manage yet carry adopt:');
    expect(exported.stdout).toMatch(/Customer: 1 object left out — it has no externalReference[^\n]*\n {4}- Walk-in customer \(no externalReference\) \[/);
    expect(exported.stdout).toMatch(/Asset: 2 objects left out — it is shared in from another account/);
    expect(exported.stderr).toMatch(/Read the account with \d+ API requests/);
    const depots = readFileSync(join(dir, 'manifests', 'depots.yaml'), 'utf8');
    expect(depots).toMatch(/^# Exported by `tug export` from http:\/\/127\.0\.0\.1:\d+ \(account [^)]+\) at 2026-12-01T00:00:00Z\.$/m);
    expect(depots).toMatch(/^---\n# live id: \S+\nkind: Depot\nkey: nordic-rental-aarhus\n/m);
    expect(depots).toMatch(/^adopt: \{ siteId: \S+ \}$/m);

    const validated = await runCli(['validate'], { cwd: dir, env });
    expect(validated.stdout).toContain('71 documents in 5 files: 0 errors, 0 warnings');
    const planned = await runCli(['plan', '--format', 'json'], { cwd: dir, env });
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(planned.stdout) as { changes: Array<{ key: string; op: string }>; problems: Array<{ severity: string }> };
    expect(plan.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(new Set(plan.changes.map((c) => c.op))).toEqual(new Set(['adopt']));
    expect(
      plan.changes
        .filter((c) => c.key.startsWith('adopt:Depot/'))
        .map((c) => c.key)
        .sort(),
    ).toEqual(['adopt:Depot/nordic-rental-aarhus', 'adopt:Depot/nordic-rental-kobenhavn', 'adopt:Depot/nordic-rental-odense']);
    expect(plan.changes.filter((c) => c.key.startsWith('adopt:Customer/'))).toHaveLength(12);
    const text = await runCli(['plan'], { cwd: dir, env });
    expect(text.stdout).toMatch(/^~ adopt Depot\/nordic-rental-aarhus$/m);
    expect(text.stdout).toContain('note: the site\'s externalReference "ERP-DEPOT-7" is replaced by the binding');
    expect(text.stdout).toContain('Plan: 15 to adopt, 0 to create, 0 to update, 0 to sync, 0 to delete.');

    const applied = await runCli(['apply', '--yes'], { cwd: dir, env });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Converged: a fresh plan is empty.');
    const after = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env });
    expect(after.code, after.stdout).toBe(0);
    expect(after.stdout).toContain('No changes.');
  }, 60_000);

  it('exports an unchanged account byte for byte, refuses to overwrite without --force, leaves unchanged files alone with it', async () => {
    const dir = project('twice');
    expect((await runCli(['export', '--out', 'a'], { cwd: dir, env })).code).toBe(0);
    expect((await runCli(['export', '--out', 'b'], { cwd: dir, env })).code).toBe(0);
    expect(files(join(dir, 'b'))).toEqual(files(join(dir, 'a')));
    const before = files(join(dir, 'a'));
    const refused = await runCli(['export', '--out', 'a'], { cwd: dir, env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /5 files to write exist already under .*: assets\.yaml, contracts\.yaml, custom-fields\.yaml, customers\.yaml, depots\.yaml \[export_files_exist\]/,
    );
    expect(refused.stderr).toContain('--force');
    const forced = await runCli(['export', '--out', 'a', '--force'], { cwd: dir, env: { ...env, SOURCE_DATE_EPOCH: '1796169600' } });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('  unchanged depots.yaml');
    expect(files(join(dir, 'a'))).toEqual(before); // the header keeps the first export's time
  }, 60_000);

  it('--split depot puts each depot with the assets it owns and the contracts it hires out; the files validate', async () => {
    const dir = project('split');
    const exported = await runCli(['export', '--split', 'depot', '--kinds', 'CustomFieldDefinition,Depot,Customer', '--kinds', 'Asset,Contract'], { cwd: dir, env });
    expect(exported.code, exported.stderr).toBe(0);
    const written = Object.keys(files(join(dir, 'manifests')));
    // The depots are not bound (until the round trip adopts them): their keys come from their names.
    expect(written).toEqual([
      'custom-fields.yaml',
      'customers.yaml',
      'depots/nordic-rental-aarhus.yaml',
      'depots/nordic-rental-kobenhavn.yaml',
      'depots/nordic-rental-odense.yaml',
    ]);
    const aarhus = readFileSync(join(dir, 'manifests', 'depots', 'nordic-rental-aarhus.yaml'), 'utf8');
    expect(aarhus).toMatch(/^kind: Depot\nkey: nordic-rental-aarhus$/m);
    expect(aarhus).toMatch(/^owningDepot: nordic-rental-aarhus$/m);
    expect(aarhus).toMatch(/^hiringDepot: nordic-rental-aarhus$/m);
    expect(aarhus).not.toMatch(/(owning|hiring)Depot: nordic-rental-(odense|kobenhavn)/);
    const validated = await runCli(['validate'], { cwd: dir, env });
    expect(validated.stdout, validated.stdout).toMatch(/: 0 errors, 0 warnings$/m);
  }, 60_000);

  it('--kinds exports only those kinds; a reference to another kind is kept; a bad kind is an error naming the kinds', async () => {
    const dir = project('kinds');
    const only = await runCli(['export', '--kinds', 'Asset'], { cwd: dir, env });
    expect(only.code, only.stderr).toBe(0);
    expect(Object.keys(files(join(dir, 'manifests')))).toEqual(['assets.yaml']);
    expect(readFileSync(join(dir, 'manifests', 'assets.yaml'), 'utf8')).toMatch(/^owningDepot: nordic-rental-aarhus$/m);
    const bad = await runCli(['export', '--kinds', 'Depots'], { cwd: dir, env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--kinds: unknown kind "Depots"; the kinds are CustomFieldDefinition, Depot, Customer, Asset, Contract');
  }, 60_000);

  it('reports what manifests cannot express — an item whose asset is not matched, a contract hired from a non-depot site — and drops nothing silently', async () => {
    const store = sandbox.store;
    const item = [...store.contractItems.values()][0]!;
    const savedAsset = item.assetId;
    item.assetId = null;
    const contract = [...store.contracts.values()].find((c) => c.id !== item.contractId)!;
    const savedDepot = contract.hiringDepotId;
    const site = [...store.sites.values()].find((s) => s.type !== 'DEPOT')!;
    contract.hiringDepotId = site.id;
    try {
      const dir = project('report');
      const exported = await runCli(['export'], { cwd: dir, env });
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout).toContain('Contract: 1 part left out — Trackunit has not matched its asset, so a manifest cannot name it');
      expect(exported.stdout).toContain(`items.${item.externalReference}`);
      expect(exported.stdout).toContain(`Contract: 1 object left out — its hiring site ${site.id} is not a DEPOT site of this account`);
      expect(readFileSync(join(dir, 'manifests', 'contracts.yaml'), 'utf8')).not.toContain(`externalReference: ${contract.externalReference}\n`);
      expect((await runCli(['validate'], { cwd: dir, env })).stdout).toMatch(/: 0 errors/);
    } finally {
      item.assetId = savedAsset;
      contract.hiringDepotId = savedDepot;
    }
  }, 60_000);

  it('--out naming a file is a clear error', async () => {
    const dir = project('out-file');
    writeFileSync(join(dir, 'manifests'), 'not a directory');
    const r = await runCli(['export'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--out .*manifests is a file, not a directory \[export_out_not_directory\]/);
  }, 60_000);

  it('never writes outside --out: a symlinked directory under it is refused before anything is written', async () => {
    const dir = project('symlink');
    const outside = join(root, 'outside');
    mkdirSync(outside, { recursive: true });
    mkdirSync(join(dir, 'manifests'), { recursive: true });
    symlinkSync(outside, join(dir, 'manifests', 'depots'));
    const refused = await runCli(['export', '--split', 'depot'], { cwd: dir, env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refusing to write .*depots.* outside the --out directory .*\[export_outside_out\]/);
    expect(readdirSync(outside)).toEqual([]);
    expect(existsSync(join(dir, 'manifests', 'customers.yaml'))).toBe(false);
    expect(lstatSync(join(dir, 'manifests', 'depots')).isSymbolicLink()).toBe(true);
  }, 60_000);
});

describe('depot keys from names', () => {
  it('folds letters to ASCII, joins words with -, and never leaves an unsafe or empty key', () => {
    expect(keyFromName('Nordic Rental København')).toBe('nordic-rental-kobenhavn');
    expect(keyFromName('Århus Øst — Værksted')).toBe('arhus-ost-vaerksted');
    expect(keyFromName('../../etc/passwd')).toBe('etc-passwd');
    expect(keyFromName('  ..  ')).toBe('depot');
    expect(keyFromName('東京')).toBe('depot');
    expect(keyFromName('Straße 7')).toBe('strasse-7');
    expect(keyFromName('x'.repeat(300))).toHaveLength(90);
  });
});

describe('export files', () => {
  it('a live id with a line break cannot add YAML to the file: it is quoted in its comment', async () => {
    const { renderObject } = await import('../../src/export/files.js');
    const text = renderObject({ kind: 'Depot', identity: 'x', liveId: 'id\nkind: Customer', manifest: { kind: 'Depot', key: 'x', name: 'X', address: {} } });
    expect(text.split('\n')[0]).toBe('# live id: "id\\nkind: Customer"');
    expect(text.match(/^kind:/gm)).toHaveLength(1);
  });
});
