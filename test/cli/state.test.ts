/**
 * `tug state show`, `tug state migrate` and `tug unlock` through the CLI entry, on both backends: what the
 * store holds (lock holder, journals, ISO budget), migrations on demand, and which account a command acts
 * on when the database holds several.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { account, LocalStateStore } from '../../src/state/index.js';
import { databaseUrlFor, describePostgres, freshSchema, openStore } from '../support/postgres.js';
import { runCli } from './run-cli.js';

const IRIS = 'http://127.0.0.1:8787';
const CREDENTIALS = { TRACKUNIT_CLIENT_ID: 'client-a', TRACKUNIT_CLIENT_SECRET: 'secret-a', TRACKUNIT_IRIS_URL: IRIS };

function project(state?: { backend: string; schema: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'tug-state-cli-'));
  writeFileSync(join(dir, 'tug.yaml'), `apiVersion: tug/v1\n${state ? `state: { backend: ${state.backend}, schema: ${state.schema} }\n` : ''}`);
  return dir;
}

describe('tug state (local backend)', () => {
  it('shows the state directory, the lock and the journals of the account the credentials name', async () => {
    const dir = project();
    const store = new LocalStateStore(join(dir, 'state'));
    const held = await store.account(account(IRIS, 'client-a')).lock.acquire({ owner: 'alice@ci' });
    const shown = await runCli(['state', 'show'], { cwd: dir, env: CREDENTIALS });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`State: state directory ${join(dir, 'state')} (local backend)`);
    expect(shown.stdout).toMatch(/Account 127\.0\.0\.1_8787-[0-9a-f]{12} \(http:\/\/127\.0\.0\.1:8787\)/);
    expect(shown.stdout).toContain('Apply lock: held by alice@ci');
    expect(shown.stdout).toContain('Journals: none');
    await held.release();
    const migrate = await runCli(['state', 'migrate'], { cwd: dir, env: {} });
    expect(migrate.stdout).toContain('has no schema to migrate');
  });
});

describe('tug.yaml state section', () => {
  it('refuses an unknown backend, a bad schema name and a connection string in the file, at file:line:col', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tug-state-cli-'));
    writeFileSync(join(dir, 'tug.yaml'), 'apiVersion: tug/v1\nstate:\n  backend: mysql\n  schema: Bad-Name\n  url: postgresql://tug:hunter2@db/tug\n');
    const result = await runCli(['state', 'show'], { cwd: dir, env: {} });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[invalid_config]');
    expect(result.stderr).toMatch(/tug\.yaml:3:12 +"mysql" is not one of local, postgres/);
    expect(result.stderr).toMatch(/tug\.yaml:4:11 .*schema/);
    expect(result.stderr).toMatch(/tug\.yaml:5:3 .*url/);
    expect(result.stderr).not.toContain('hunter2');
  });
});

describePostgres('tug state (postgres backend)', () => {
  it("show before any table exists creates none; migrate creates them once; show, unlock and unlock --force on the account's lock", async () => {
    const schema = freshSchema();
    const dir = project({ backend: 'postgres', schema });
    const env = { ...CREDENTIALS, TUG_STATE_DATABASE_URL: databaseUrlFor(schema) };
    const empty = await runCli(['state', 'show'], { cwd: dir, env });
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toMatch(/^State: PostgreSQL 127\.0\.0\.1:\d+\/postgres, schema t_[0-9a-f]+ \(postgres backend, schema version 0\)\nNo tables yet/);
    const migrated = await runCli(['state', 'migrate'], { cwd: dir, env });
    expect(migrated.stdout).toMatch(/migrated from version 0 to 1:\n {2}1 {2}lock, journal/);
    expect((await runCli(['state', 'migrate'], { cwd: dir, env })).stdout).toMatch(/schema version 1, up to date/);

    const store = await openStore(schema);
    try {
      const held = await store.account(account(IRIS, 'client-a')).lock.acquire({ owner: 'alice@ci' });
      const shown = await runCli(['state', 'show', '--format', 'json'], { cwd: dir, env });
      const json = JSON.parse(shown.stdout) as { backend: string; schemaVersion: number; accounts: Array<{ lock: { state: string; info: { owner: string } } }> };
      expect(json).toMatchObject({ backend: 'postgres', schemaVersion: 1, accounts: [{ lock: { state: 'held', info: { owner: 'alice@ci' } } }] });
      const unlock = await runCli(['unlock'], { cwd: dir, env });
      expect(unlock.stdout).toMatch(/is held by alice@ci \(host .*\), started .*;\nits lease runs until/);
      const forced = await runCli(['unlock', '--force'], { cwd: dir, env });
      expect(forced.stdout).toMatch(/^Removed PostgreSQL .*locks \(account 127\.0\.0\.1_8787-[0-9a-f]{12}\), held by alice@ci/);
      // --force ended the holder's session: it hears at once that the lock is gone.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(held.lost?.()?.code).toBe('lock_lost');
      expect((await runCli(['state', 'show'], { cwd: dir, env })).stdout).toContain('Apply lock: free');
    } finally {
      await store.close();
    }
  });

  it('doctor checks the state store: no tables yet (warn), current (ok), unreachable (FAIL, exit 1)', async () => {
    const schema = freshSchema();
    const dir = project({ backend: 'postgres', schema });
    const env = { TUG_STATE_DATABASE_URL: databaseUrlFor(schema) };
    const fresh = await runCli(['doctor', '--sandbox'], { cwd: dir, env });
    expect(fresh.stdout).toMatch(/warn {2}state store +PostgreSQL .*: reachable, no tables yet/);
    expect(fresh.code, fresh.stdout).toBe(0);
    await (await openStore(schema)).close();
    const current = await runCli(['doctor', '--sandbox'], { cwd: dir, env });
    expect(current.stdout).toMatch(/ok {4}state store +PostgreSQL .*, schema t_[0-9a-f]+: reachable, schema version 1/);
    const closed = new URL(databaseUrlFor(schema));
    closed.port = '1';
    const down = await runCli(['doctor', '--sandbox'], { cwd: dir, env: { TUG_STATE_DATABASE_URL: closed.href } });
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/FAIL {2}state store +State database PostgreSQL 127\.0\.0\.1:1\/postgres: connecting failed/);
  });

  it('without credentials: show lists every account; unlock refuses to guess between several', async () => {
    const schema = freshSchema();
    const dir = project({ backend: 'postgres', schema });
    const env = { TUG_STATE_DATABASE_URL: databaseUrlFor(schema) };
    const store = await openStore(schema);
    try {
      for (const id of ['client-a', 'client-b']) await (await store.account(account(IRIS, id)).lock.acquire({ owner: id })).release();
      const shown = await runCli(['state', 'show'], { cwd: dir, env });
      expect(shown.stdout.match(/^Account /gm)).toHaveLength(2);
      const unlock = await runCli(['unlock'], { cwd: dir, env });
      expect(unlock.code).toBe(1);
      expect(unlock.stderr).toMatch(/holds state for 2 accounts .*\[account_ambiguous\]/);
      const missing = await runCli(['state', 'show'], { cwd: dir, env: {} });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('TUG_STATE_DATABASE_URL is not set [state_database_url_missing]');
    } finally {
      await store.close();
    }
  });
});
