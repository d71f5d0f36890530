/**
 * `tug doctor` end to end through the CLI entry (main) against sandboxes on loopback, and the promise
 * that secrets (client secret, password, tokens) never appear in any output, error or JSON.
 */
import { join } from 'node:path';
import { runCli } from './run-cli.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { start } from '../sandbox/helpers.js';


const tug = (argv: string[], env: NodeJS.ProcessEnv = {}) => runCli(argv, { env });

const v2Env = (sandbox: SandboxHandle, secret = 'sandbox-key-secret'): NodeJS.ProcessEnv => ({
  TRACKUNIT_IRIS_URL: sandbox.url,
  TRACKUNIT_AUTH_URL: sandbox.url,
  TRACKUNIT_CLIENT_ID: 'sandbox-key',
  TRACKUNIT_CLIENT_SECRET: secret,
});

let sandbox: SandboxHandle | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe('tug doctor', () => {
  it('reports every check ok on a healthy account and exits 0', async () => {
    sandbox = await start({ seed: 'demo' });
    const { code, stdout } = await tug(['doctor'], v2Env(sandbox));
    expect(code).toBe(0);
    for (const api of ['Sites', 'Customer', 'Custom Fields', 'Assets', 'ISO 15143-3']) {
      expect(stdout).toMatch(new RegExp(`^ok\\s+${api}[^\\n]*API\\s+entitled; response shape as expected$`, 'm'));
    }
    // The contract list has no public evidence: doctor says so even when it answers.
    expect(stdout).toMatch(/^ok\s+Rental API\s+entitled; response shape as expected; GET \/api\/rental\/v1\/contracts is not in any public Trackunit documentation/m);
    expect(stdout).toMatch(/^ok\s+credentials\s+token issued by http:\/\/127\.0\.0\.1:\d+$/m);
    expect(stdout).toMatch(/^ok\s+clock\s+local clock is within/m);
    expect(stdout).toContain('tug can work with this account.');
    // One token for the whole run, one harmless read per API plus the clock check.
    expect(sandbox.tokens.issued.v2).toBe(1);
    expect(sandbox.requestLog.count((e) => e.write)).toBe(0);
  });

  it('ends with what the checks cost, the ISO note included when the ISO check sent its request', async () => {
    sandbox = await start({ seed: 'demo' });
    const { stdout } = await tug(['doctor'], v2Env(sandbox));
    const lines = stdout.trimEnd().split('\n');
    expect(lines.at(-2)).toBe("7 API requests, 1 token request, 0 retries, 0 rate-limited (the ISO check spent one of page 1's per-URL requests)");
    expect(sandbox.requestLog.count((e) => e.family === 'iso-fleet')).toBe(1);
  });

  it('keeps its stated 3 attempts for the token too, and counts the repeats as retries (no ISO note: it never ran)', async () => {
    sandbox = await start({ seed: 'demo', faults: 'auth:503=1' });
    const { code, stdout } = await tug(['doctor'], v2Env(sandbox));
    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAIL\s+credentials\s+POST \/token\/v2 failed after 3 attempts \(503 server_error\): temporary failure$/m);
    expect(stdout).toMatch(/^skip\s+ISO 15143-3 export API\s+skipped: no token$/m);
    expect(stdout.trimEnd().split('\n').at(-2)).toBe('0 API requests, 3 token requests, 2 retries, 0 rate-limited');
    expect(sandbox.requestLog.count((e) => e.family === 'auth')).toBe(3);
  });

  it('explains a 403 (no IrisX) and exits 1', async () => {
    sandbox = await start({ seed: 'demo', features: { irisx: false } });
    const { code, stdout } = await tug(['doctor'], v2Env(sandbox));
    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAIL\s+Customer API\s+not entitled \(403 forbidden\): needs IrisX/m);
    expect(stdout).toMatch(/^FAIL\s+Rental API\s+not entitled \(403 forbidden\)/m);
    expect(stdout).toMatch(/^ok\s+Sites API/m);
  });

  it('lists response fields that differ from the shapes tug relies on', async () => {
    sandbox = await start({ seed: 'demo' });
    const site = [...sandbox.store.sites.values()][0]!;
    (site as { name: unknown }).name = 42;
    const { code, stdout } = await tug(['doctor', '--format', 'json'], v2Env(sandbox));
    expect(code).toBe(0); // a shape difference is a warning: tug may still work
    const report = JSON.parse(stdout);
    const sites = report.checks.find((c: { name: string }) => c.name === 'Sites API');
    expect(sites.status).toBe('warn');
    expect(sites.mismatches).toEqual(['content.0.name: must be string']);
  });

  it('fails clearly without credentials, naming the variables', async () => {
    const { code, stderr } = await tug(['doctor'], {});
    expect(code).toBe(1);
    expect(stderr).toContain('missing environment variables TRACKUNIT_CLIENT_ID, TRACKUNIT_CLIENT_SECRET');
  });

  it('refuses plain http to a non-loopback host', async () => {
    const { code, stderr } = await tug(['doctor', '--iris-url', 'http://iris.example.com'], v2Env({ url: 'http://127.0.0.1:1' } as SandboxHandle));
    expect(code).toBe(1);
    expect(stderr).toContain('must use https');
  });

  it('honours irisUrl: sandbox in tug.yaml, like plan and apply (no --sandbox, no credentials)', async () => {
    const { code, stdout, stderr } = await runCli(['doctor'], { cwd: join(import.meta.dirname, '../../examples') });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ok\s+configuration\s+iris http:\/\/127\.0\.0\.1:\d+, auth http:\/\/127\.0\.0\.1:\d+, API key/m);
    expect(stdout).toContain('tug can work with this account.');
  });

  it('--sandbox checks an embedded sandbox without credentials', async () => {
    const { code, stdout } = await tug(['doctor', '--sandbox'], {});
    expect(code).toBe(0);
    expect(stdout).toContain('tug can work with this account.');
  });
});

describe('secrets never appear in output', () => {
  it('not in text or JSON output, errors or hints of failing runs (v1 and v2, refused and faulty)', async () => {
    sandbox = await start({ seed: 'demo', faults: 'customers:503=1;rental:500=1' });
    const password = 'sandbox-password';
    const outputs: string[] = [];
    const record = (r: { stdout: string; stderr: string }) => outputs.push(r.stdout, r.stderr);

    const wrongSecret = 'wrong-secret-9f8e7d6c';
    record(await tug(['doctor'], v2Env(sandbox, wrongSecret)));
    record(await tug(['--format', 'json', 'doctor'], v2Env(sandbox, wrongSecret)));
    const v1Env = { ...v2Env(sandbox, 'sandbox-client-secret'), TRACKUNIT_CLIENT_ID: 'sandbox-client', TRACKUNIT_USERNAME: 'sandbox-user', TRACKUNIT_PASSWORD: password };
    const v1Run = await tug(['doctor'], v1Env);
    record(v1Run);
    record(await tug(['doctor', '--format', 'json'], v1Env));
    record(await tug(['doctor'], { ...v1Env, TRACKUNIT_PASSWORD: 'not-the-password-123' }));
    record(await tug(['doctor'], v2Env(sandbox)));

    // The runs did fail in the ways we meant to test.
    expect(v1Run.code).toBe(1);
    expect(v1Run.stdout).toMatch(/FAIL\s+Customer API.*503/);
    expect(outputs.join('\n')).toContain('invalid_client');
    expect(outputs.join('\n')).toContain('invalid_grant');

    const everything = outputs.join('\n');
    const secrets = [wrongSecret, 'sandbox-key-secret', 'sandbox-client-secret', password, 'not-the-password-123', ...sandbox.tokens.everIssued];
    expect(sandbox.tokens.everIssued.length).toBeGreaterThan(3);
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});
