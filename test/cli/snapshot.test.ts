/**
 * `tug snapshot` end to end through the CLI entry (main) over real HTTP: the embedded sandbox as CSV,
 * then an external sandbox through the environment — cache across runs, --out, --id, progress lines,
 * errors with their hints.
 */
import { runCli } from './run-cli.js';
import { parse } from 'csv-parse/sync';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { start } from '../sandbox/helpers.js';
import { tempDir } from '../sources/helpers.js';


const tug = (argv: string[], env: NodeJS.ProcessEnv = {}) => runCli(argv, { env });

const COLUMNS = 'pin,serialNumber,make,model,equipmentId,assetId,externalReference,operatingHours,operatingHoursAt,latitude,longitude,locationAt,lastSeen';

describe('tug snapshot --sandbox', () => {
  it('exports the embedded demo fleet as RFC 4180 CSV on stdout, the summary on stderr', async () => {
    const { code, stdout, stderr } = await tug(['snapshot', '--sandbox', '--format', 'csv']);
    expect(stderr).toMatch(/^ISO snapshot: (\d+) assets from 1 page; 1 request made, 0 served from cache, 0 troubleshooting-pool requests used\n$/);
    expect(code).toBe(0);
    expect(stdout.startsWith(`${COLUMNS}\r\n`)).toBe(true);
    const rows = parse(stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows.length).toBe(Number(/(\d+) assets/.exec(stderr)![1]));
    expect(rows.length).toBeGreaterThanOrEqual(30);
    expect(rows.every((r) => /^[0-9a-f-]{36}$/.test(r.assetId!))).toBe(true);
    expect(rows.some((r) => r.pin === '')).toBe(true); // some demo assets have no PIN
    expect(rows.filter((r) => r.operatingHours !== '').every((r) => Number.isFinite(Number(r.operatingHours)))).toBe(true);
  });
});

describe('tug snapshot in a project whose tug.yaml says irisUrl: sandbox', () => {
  const EXAMPLES = join(import.meta.dirname, '../../examples');

  it('reads the embedded sandbox without credentials or --sandbox, like plan and apply, and leaves no state behind', async () => {
    const { code, stdout, stderr } = await runCli(['snapshot', '--format', 'csv'], { cwd: EXAMPLES });
    expect(stderr).toBe('ISO snapshot: 32 assets from 1 page; 1 request made, 0 served from cache, 0 troubleshooting-pool requests used\n');
    expect(code).toBe(0);
    expect(parse(stdout, { columns: true })).toHaveLength(32);
    expect(existsSync(join(EXAMPLES, 'state'))).toBe(false);
  });
});

describe("README's snapshot --id example", () => {
  it('names an asset of the demo fleet, and the command finds it in the embedded sandbox', async () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const id = /npx tug snapshot --id (\S+)/.exec(readme)?.[1];
    expect(id).toBe('WNCE05065KT800001');
    const { code, stdout, stderr } = await tug(['snapshot', '--sandbox', '--id', id!]);
    expect(stderr).toBe(`ISO snapshot: 1 asset for "${id}"; 1 request made, 0 served from cache, 0 troubleshooting-pool requests used\n`);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject([{ pin: id, make: 'Wacker Neuson', model: 'EZ26' }]);
  });
});

describe('tug snapshot against a sandbox through the environment', () => {
  let sandbox: SandboxHandle;
  let state: Awaited<ReturnType<typeof tempDir>>;
  let env: NodeJS.ProcessEnv;
  const isoRequests = () => sandbox.requestLog.count((e) => e.family === 'iso-fleet' || e.family === 'iso-single');

  beforeAll(async () => {
    sandbox = await start({ seed: 'empty', assets: 1_500 });
    state = await tempDir();
    env = { TRACKUNIT_IRIS_URL: sandbox.url, TRACKUNIT_AUTH_URL: sandbox.url, TRACKUNIT_CLIENT_ID: 'sandbox-key', TRACKUNIT_CLIENT_SECRET: 'sandbox-key-secret' };
  });
  afterAll(async () => {
    await sandbox.close();
    await state.remove();
  });

  it('prints progress per 10% for a large fleet, then serves a repeat from the cache', async () => {
    const first = await tug(['snapshot', '--state-dir', state.path, '--format', 'ndjson'], env);
    expect(first.code).toBe(0);
    const progress = first.stderr.split('\n').filter((l) => l.includes('pages ('));
    // A line each time another tenth of the pages is done (non-TTY).
    expect(progress).toEqual([2, 3, 5, 6, 8, 9, 11, 12, 14, 15].map((done, i) => `ISO snapshot: ${done}/15 pages (${(i + 1) * 10}%)`));
    expect(first.stderr).toContain('ISO snapshot: 1,500 assets from 15 pages; 15 requests made, 0 served from cache, 0 troubleshooting-pool requests used');
    expect(first.stdout.trim().split('\n')).toHaveLength(1500);
    expect(await readdir(join(state.path, 'iso15143'))).toHaveLength(1);

    const before = isoRequests();
    const out = join(state.path, 'fleet.json');
    const second = await tug(['snapshot', '--state-dir', state.path, '--out', out], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('');
    expect(second.stderr).toMatch(/0 requests made, 15 served from cache \(\d+ s old\), 0 troubleshooting-pool requests used, written to .*fleet\.json\n$/);
    expect(isoRequests()).toBe(before);
    const rows = JSON.parse(await readFile(out, 'utf8')) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(1500);
    expect(Object.keys(rows[0]!).join(',')).toBe(COLUMNS);
    expect(sandbox.isoLimiter.poolUsesTotal).toBe(0);
  });

  it('reads one asset with --id, and says so when there is none', async () => {
    const asset = [...sandbox.store.assets.values()].find((a) => a.telemetry.pin && a.telemetry.pin.includes(' '))!;
    const found = await tug(['snapshot', '--state-dir', state.path, '--id', asset.telemetry.pin!, '--format', 'json'], env);
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout)).toEqual([expect.objectContaining({ pin: asset.telemetry.pin, assetId: asset.id, equipmentId: asset.name })]);
    expect(found.stderr).toContain(`ISO snapshot: 1 asset for "${asset.telemetry.pin}"; 1 request made`);

    const missing = await tug(['snapshot', '--state-dir', state.path, '--id', 'NO-SUCH-PIN'], env);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('Error: the ISO export has no equipment with PIN/VIN or serial number "NO-SUCH-PIN" [iso_not_found]');
  });

  it('explains a URL inside its 15-minute window after a failure, and rejects bad flags', async () => {
    sandbox.setFaults('iso-single:503=1');
    const failed = await tug(['snapshot', '--state-dir', state.path, '--id', 'ANOTHER-PIN'], env);
    sandbox.setFaults([]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/\[iso_request_failed\]\nHint: Trackunit allows one request per URL every 15 minutes/);
    const again = await tug(['--format', 'json', 'snapshot', '--state-dir', state.path, '--id', 'ANOTHER-PIN'], env);
    expect(again.code).toBe(1);
    const { error } = JSON.parse(again.stderr.trim().split('\n').at(-1)!);
    expect(error).toMatchObject({ code: 'iso_url_cooling_down', hint: expect.stringContaining('--use-troubleshooting-pool'), meta: { retryAt: expect.any(String) } });

    const note = await tug(['snapshot', '--state-dir', state.path, '--max-age', '5m', '--format', 'csv'], env);
    expect(note.code).toBe(0);
    expect(note.stderr).toContain('Note: --max-age below 15 minutes is raised to 15 minutes');
    const badAge = await tug(['snapshot', '--state-dir', state.path, '--max-age', 'soon'], env);
    expect(badAge).toMatchObject({ code: 1, stderr: expect.stringContaining('--max-age must be a duration like 15m, 2h or 1d, got "soon"') });
    const badFormat = await tug(['snapshot', '--format', 'xlsx'], env);
    expect(badFormat.code).toBe(1);
    expect(badFormat.stderr).toContain("argument 'xlsx' is invalid");
    expect(sandbox.isoLimiter.poolUsesTotal).toBe(0);
  });
});
