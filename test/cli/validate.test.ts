/**
 * `tug validate` end to end through the CLI entry: exit codes and the three output formats.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const tug = (argv: string[], cwd: string) => runCli(argv, { cwd });

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tug-validate-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const GOOD = 'kind: Depot\nkey: aarhus\nname: Aarhus\naddress: { city: Aarhus }\n';
const BAD = 'kind: Depot\nkey: odense\nnmae: Odense\naddress: { city: Odense }\n';

describe('tug validate', () => {
  it('exits 0 for clean manifests found through the default globs', async () => {
    const dir = repo({ 'manifests/depots.yaml': GOOD });
    const { code, stdout } = await tug(['validate'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('1 document in 1 file: 0 errors, 0 warnings');
  });

  it('exits 1 and prints file:line:col  Kind/identity  message for each problem', async () => {
    const dir = repo({ 'manifests/depots.yaml': `${GOOD}---\n${BAD}` });
    const { code, stdout } = await tug(['validate'], dir);
    expect(code).toBe(1);
    expect(stdout).toContain(`${join('manifests', 'depots.yaml')}:8:1  Depot/odense  unknown field "nmae" (did you mean "name"?)`);
    expect(stdout).toContain(`${join('manifests', 'depots.yaml')}:6:1  Depot/odense  missing required field "name"`);
    expect(stdout).toContain('2 documents in 1 file: 2 errors');
  });

  it('--format github prints workflow annotations; --format json a machine report', async () => {
    const dir = repo({ 'm/bad.yaml': BAD });
    const github = await tug(['validate', 'm', '--format', 'github'], dir);
    expect(github.code).toBe(1);
    expect(github.stdout).toContain(`::error file=${join('m', 'bad.yaml')},line=3,col=1::Depot/odense: unknown field "nmae" (did you mean "name"?)`);
    const json = await tug(['validate', 'm/bad.yaml', '--format', 'json'], dir);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ ok: false, documents: 1, errors: 2, files: [join('m', 'bad.yaml')] });
    expect(report.diagnostics[0]).toMatchObject({ line: 1, col: 1, code: 'schema', subject: 'Depot/odense' });
  });

  it('reads manifests globs from tug.yaml and reports a bad tug.yaml with positions', async () => {
    const dir = repo({ 'tug.yaml': 'manifests: [config/**/*.yaml]\n', 'config/a.yaml': GOOD });
    expect((await tug(['validate'], dir)).code).toBe(0);
    const broken = repo({ 'tug.yaml': 'manifests: [x]\nprune: { kinds: [Depots] }\n' });
    const { code, stderr } = await tug(['validate'], broken);
    expect(code).toBe(1);
    expect(stderr).toContain('tug.yaml is invalid');
    expect(stderr).toMatch(/tug\.yaml:2:\d+ {2}"Depots" is not one of CustomFieldDefinition, Depot, Customer, Asset, Contract \(did you mean "Depot"\?\)/);
  });

  it('shows control characters in identities, keys and values as escapes in text and github output', async () => {
    // A key holding a CR and a forged diagnostic; an identity holding a LF and ESC sequences (clear screen, red).
    const evil = 'kind: Customer\nexternalReference: "C-1\\e[2J\\n\\e[31m"\nname: N\n"nmae\\rm/x.yaml:1:1  Depot/x  forged": 1\n';
    const dir = repo({ 'm/evil.yaml': evil });
    const text = await tug(['validate', 'm'], dir);
    expect(text.code).toBe(1);
    expect(text.stdout.split('\n')).toEqual([
      `${join('m', 'evil.yaml')}:4:1  Customer/C-1\\u001b[2J\\n\\u001b[31m  unknown field "nmae\\rm/x.yaml:1:1  Depot/x  forged"`,
      '1 document in 1 file: 1 error, 0 warnings',
      '',
    ]);
    const github = await tug(['validate', 'm', '--format', 'github'], dir);
    expect(github.stdout).toBe(`::error file=${join('m', 'evil.yaml')},line=4,col=1::Customer/C-1\\u001b[2J\\n\\u001b[31m: unknown field "nmae\\rm/x.yaml:1:1  Depot/x  forged"\n`);
  });

  it('a path that does not exist is an error naming it', async () => {
    const dir = repo({});
    const { code, stderr } = await tug(['validate', 'nowhere.yaml'], dir);
    expect(code).toBe(1);
    expect(stderr).toContain('no such file or directory: nowhere.yaml');
  });
});
