/**
 * `tug plan` end to end through the CLI entry: the example repository against its embedded sandbox
 * (tug.yaml says `irisUrl: sandbox`), output formats, the saved plan file, --target and exit codes.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { readPlanFile } from '../../src/state/plan-file.js';
import { start, V2 } from '../sandbox/helpers.js';

const EXAMPLES = join(import.meta.dirname, '../../examples');

const tug = (argv: string[], cwd = EXAMPLES) => runCli(argv, { cwd });

describe('tug plan', () => {
  it('plans the example repository against the demo sandbox: creates, updates, syncs, nothing deleted', async () => {
    const { code, stdout, stderr } = await tug(['plan']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\+ create Depot\/aarhus$/m);
    expect(stdout).toMatch(/^\+ create Customer\/CUST-1001$/m);
    expect(stdout).toMatch(/^↻ sync Asset\/serialNumber=WNCE05065KT800001$/m);
    expect(stdout).toContain('Plan: 28 to create, 30 to update, 30 to sync, 0 to delete.');
    expect(stdout).toContain('Vejle harbour construction site'); // hand-made site: unmanaged, left alone
    // The rental desk's view: hour meter and last position (ISO 15143-3 snapshot) next to status changes.
    expect(stdout).toMatch(/^ {4}note: rental status null → ON_RENT: hour meter [\d.]+ h \(2026-[^)]+\); last position [\d.]+, [\d.]+ \(2026-[^)]+\)$/m);
    expect(stderr).toMatch(/Read the account with \d+ API requests/);
  });

  it('--iris-url and TRACKUNIT_IRIS_URL override tug.yaml\'s `irisUrl: sandbox`, as they override any irisUrl', async () => {
    const other = await start();
    try {
      const credentials = { TRACKUNIT_CLIENT_ID: V2.clientId, TRACKUNIT_CLIENT_SECRET: V2.clientSecret };
      const byFlag = await runCli(['plan', '--iris-url', other.url, '--auth-url', other.url], { cwd: EXAMPLES, env: credentials });
      expect(byFlag.code, byFlag.stderr).toBe(0);
      const byFlagReads = other.requestLog.count((e) => e.route !== undefined && !e.write);
      expect(byFlagReads).toBeGreaterThan(10);
      const byEnv = await runCli(['plan'], { cwd: EXAMPLES, env: { ...credentials, TRACKUNIT_IRIS_URL: other.url, TRACKUNIT_AUTH_URL: other.url } });
      expect(byEnv.code, byEnv.stderr).toBe(0);
      expect(other.requestLog.count((e) => e.route !== undefined && !e.write) - byFlagReads).toBeGreaterThan(10);
    } finally {
      await other.close();
    }
  });

  it('states what it read per object: all live when cold, from the inventory when warm, all live again with --refresh full', async () => {
    const sandbox = await start();
    const project = mkdtempSync(join(tmpdir(), 'tug-plan-refresh-'));
    cpSync(EXAMPLES, project, { recursive: true });
    try {
      const env = { TRACKUNIT_CLIENT_ID: V2.clientId, TRACKUNIT_CLIENT_SECRET: V2.clientSecret, TRACKUNIT_IRIS_URL: sandbox.url, TRACKUNIT_AUTH_URL: sandbox.url };
      const plan = (...flags: string[]) => runCli(['plan', ...flags], { cwd: project, env });
      const applied = await runCli(['apply', '--yes'], { cwd: project, env });
      expect(applied.code, applied.stderr).toBe(0);
      rmSync(join(project, '.tug', 'kv'), { recursive: true, force: true });
      const cold = await plan();
      expect(cold.code, cold.stderr).toBe(0);
      expect(cold.stdout).toMatch(/^Read per object \(refresh auto, max age 24 h\):$/m);
      expect(cold.stdout).toMatch(/^ {2}Asset: 30 reads, 30 live$/m);
      const warm = await plan('--format', 'markdown');
      // Markdown escapes its punctuation; unescaped it reads as the text does.
      expect(warm.stdout.replace(/\\/g, '')).toMatch(/^- Asset: 30 reads, [01] live, (29|30) from the inventory \(oldest \d+ s old, read 20\d\d-/m);
      const full = await plan('--refresh', 'full');
      expect(full.stdout).toMatch(/^ {2}Asset: 30 reads, 30 live$/m);
      expect(JSON.parse((await plan('--format', 'json')).stdout).freshness.refresh).toBe('auto');
      const shown = await runCli(['state', 'show'], { cwd: project, env });
      expect(shown.stdout).toMatch(/^ {2}Inventory of per-object reads; \d+ plans counted, the last at 20\d\d-.*:$/m);
      expect(shown.stdout).toMatch(/^ {4}Asset: 30 entries, oldest read 20\d\d-/m);
      const bad = await plan('--refresh', 'sometimes');
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/--refresh.*sometimes.*(auto, full, none|Allowed choices are auto, full, none)/s);
    } finally {
      await sandbox.close();
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('--detailed-exitcode exits 2 when there are changes; --out saves a versioned plan file', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'tug-plan-')), 'plan.json');
    const { code } = await tug(['plan', '--detailed-exitcode', '--out', out]);
    expect(code).toBe(2);
    const plan = readPlanFile(readFileSync(out, 'utf8'));
    expect(plan.formatVersion).toBe(3);
    expect(plan.changes).toHaveLength(88);
    expect(plan.fingerprint).toMatch(/^sha256:/);
  });

  it('the same inputs give a byte-identical plan file', async () => {
    const a = await tug(['plan', '--format', 'json']);
    const b = await tug(['plan', '--format', 'json']);
    expect(a.stdout).toBe(b.stdout);
  });

  it('--format markdown renders a PR comment; --target narrows the plan to an object and its dependencies', async () => {
    const md = await tug(['plan', '--format', 'markdown']);
    expect(md.stdout).toContain('<!-- tug-plan -->');
    const targeted = await tug(['plan', '--format', 'json', '--target', 'Contract/K-2026-0002']);
    const plan = JSON.parse(targeted.stdout);
    const keys: string[] = plan.changes.map((c: { key: string }) => c.key);
    expect(keys).toContain('create:Contract/K-2026-0002');
    expect(keys.every((k) => !k.startsWith('create:Contract/') || k === 'create:Contract/K-2026-0002')).toBe(true);
    expect(keys.length).toBeLessThan(88);
  });
});
