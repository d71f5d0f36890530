/**
 * `tug plan --target` through the CLI entry against the example repository's embedded sandbox: a target
 * that names nothing is an error (exit 1) with a did-you-mean, not "No changes" with exit 0.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const EXAMPLES = join(import.meta.dirname, '../../examples');
const tug = (argv: string[]) => runCli(argv, { cwd: EXAMPLES });

describe('tug plan --target', () => {
  it('refuses a target that is not Kind/identity, naming the kinds (text, exit 1)', async () => {
    const { code, stdout, stderr } = await tug(['plan', '--target', 'garbage']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('Error: --target "garbage" is not Kind/identity, e.g. Depot/aarhus or Customer/*; the kinds are CustomFieldDefinition, Depot, Customer, Asset, Contract [invalid_target]');
    expect(stderr).not.toContain('No changes');
  });

  it('refuses an unknown kind in the JSON error contract', async () => {
    const { code, stdout, stderr } = await tug(['--format', 'json', 'plan', '--target', 'Nope/x']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(JSON.parse(stderr).error).toMatchObject({
      code: 'invalid_target',
      message: '--target "Nope/x": no kind is called "Nope"; the kinds are CustomFieldDefinition, Depot, Customer, Asset, Contract',
    });
  });

  it('refuses a known kind whose identity matches no manifest and no live object, suggesting the closest', async () => {
    const { code, stdout, stderr } = await tug(['plan', '--format', 'json', '--target', 'Depot/arhus', '--target', 'Depot/aarhus']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(JSON.parse(stderr).error).toMatchObject({
      code: 'unknown_target',
      message: '--target "Depot/arhus" matches no manifest and no live object (did you mean "Depot/aarhus"?)',
    });
  });

  it('still plans a target that names something, wildcards included', async () => {
    const { code, stdout } = await tug(['plan', '--target', '*/aarhus']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\+ create Depot\/aarhus$/m);
  });
});
