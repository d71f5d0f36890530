/**
 * Finding manifest files from tug.yaml: the globs stay inside the directory of tug.yaml (an absolute or
 * `..` glob is a config error at its position; a symbolic link to outside is an error, never followed),
 * and the default globs find `.yaml` and `.yml` alike.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MANIFEST_GLOBS, defaultProjectConfig, loadProjectConfig } from '../../src/config/load.js';
import { ConfigError, ManifestError } from '../../src/errors.js';
import { loadManifestSet } from '../../src/manifests/index.js';
import { loadManifests } from '../../src/manifests/load.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tug-discovery-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const depot = (key: string): string => `kind: Depot\nkey: ${key}\nname: ${key}\naddress: { city: Aarhus }\n`;

async function configError(tugYaml: string): Promise<ConfigError> {
  const dir = tree({ 'tug.yaml': tugYaml, 'manifests/a.yaml': depot('a') });
  const error = await loadProjectConfig({ cwd: dir }).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('manifests globs stay inside the directory of tug.yaml', () => {
  it('an absolute glob is a config error naming tug.yaml:line:col of the entry', async () => {
    const error = await configError('apiVersion: tug/v1\nmanifests: ["/**/*.yaml"]\n');
    expect(error.code).toBe('invalid_config');
    expect(error.message).toContain('tug.yaml:2:13  manifests glob "/**/*.yaml" is an absolute path: globs are relative to tug.yaml and must stay inside its directory');
  });

  it('a glob with a ".." segment is a config error, each entry at its own line', async () => {
    const error = await configError('manifests:\n  - manifests/**/*.yaml\n  - ../../**\n  - "{manifests,..}/*.yml"\n');
    expect(error.message.split('\n').slice(1)).toEqual([
      '  tug.yaml:3:5  manifests glob "../../**" has a ".." segment: globs are relative to tug.yaml and must stay inside its directory',
      '  tug.yaml:4:5  manifests glob "{manifests,..}/*.yml" has a ".." segment: globs are relative to tug.yaml and must stay inside its directory',
    ]);
  });

  it('the loader refuses an escaping glob before walking anything, even without tug.yaml checks', async () => {
    const dir = tree({ 'manifests/a.yaml': depot('a') });
    await expect(loadManifests(['/**/*.yaml'], { baseDir: dir, displayDir: dir, confined: true })).rejects.toMatchObject({ code: 'manifest_outside_repository' });
    await expect(loadManifests(['../**/*.yaml'], { baseDir: dir, displayDir: dir, confined: true })).rejects.toThrow(/"\.\.\/\*\*\/\*\.yaml" has a "\.\." segment/);
  });

  it('a symbolic link to a directory or a file outside is an error naming link and target, not followed', async () => {
    const outside = tree({ 'x.yaml': depot('outside'), 'deep/y.yaml': depot('deep') });
    const dir = tree({ 'manifests/a.yaml': depot('a') });
    symlinkSync(outside, join(dir, 'manifests', 'shared'));
    const error = await loadManifestSet(defaultProjectConfig(dir), dir).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).message).toBe(`symbolic link to outside ${dir}: ${join('manifests', 'shared')} -> ${outside}`);

    const fileLink = tree({ 'manifests/a.yaml': depot('a') });
    symlinkSync(join(outside, 'x.yaml'), join(fileLink, 'manifests', 'x.yaml'));
    await expect(loadManifestSet(defaultProjectConfig(fileLink), fileLink)).rejects.toThrow(`${join('manifests', 'x.yaml')} -> ${join(outside, 'x.yaml')}`);
  });

  it('a file tug.yaml names by path is held to the same rule when it is a link to outside', async () => {
    const outside = tree({ 'x.yaml': depot('x') });
    const dir = tree({ 'tug.yaml': 'manifests: [manifests/x.yaml]\n', 'manifests/a.yaml': depot('a') });
    symlinkSync(join(outside, 'x.yaml'), join(dir, 'manifests', 'x.yaml'));
    const config = await loadProjectConfig({ cwd: dir });
    await expect(loadManifestSet(config, dir)).rejects.toThrow(`symbolic link to outside ${dir}: ${join('manifests', 'x.yaml')} -> ${join(outside, 'x.yaml')}`);
  });

  it('a link to a file outside that no glob matches is no error; a link that stays inside is followed', async () => {
    const outside = tree({ 'notes.txt': 'hello\n' });
    const dir = tree({ 'manifests/a.yaml': depot('a'), 'shared/b.yaml': depot('b') });
    symlinkSync(join(outside, 'notes.txt'), join(dir, 'manifests', 'notes.txt'));
    symlinkSync(join(dir, 'shared'), join(dir, 'manifests', 'shared'));
    const set = await loadManifestSet(defaultProjectConfig(dir), dir);
    expect(set.files).toEqual([join('manifests', 'a.yaml'), join('manifests', 'shared', 'b.yaml')]);
    expect(set.diagnostics).toEqual([]);
  });

  it('paths given on the command line are the user\'s choice and may lie outside', async () => {
    const outside = tree({ 'x.yaml': depot('x') });
    const dir = tree({});
    const set = await loadManifestSet(defaultProjectConfig(dir), dir, [outside]);
    expect(set.documentCount).toBe(1);
  });
});

describe('default manifests globs', () => {
  it('find *.yaml and *.yml, without tug.yaml and with a tug.yaml that does not set manifests', async () => {
    expect(DEFAULT_MANIFEST_GLOBS).toEqual(['manifests/**/*.yaml', 'manifests/**/*.yml']);
    const files = { 'manifests/a.yaml': depot('a'), 'manifests/sub/b.yml': depot('b'), 'other/c.yml': depot('c') };
    const bare = tree(files);
    const expected = [join('manifests', 'a.yaml'), join('manifests', 'sub', 'b.yml')];
    expect((await loadManifestSet(defaultProjectConfig(bare), bare)).files).toEqual(expected);
    const configured = tree({ ...files, 'tug.yaml': 'apiVersion: tug/v1\n' });
    const config = await loadProjectConfig({ cwd: configured });
    expect(config.manifests).toEqual(DEFAULT_MANIFEST_GLOBS);
    expect((await loadManifestSet(config, configured)).files).toEqual(expected);
  });
});

describe('tug.yaml itself', () => {
  it('is refused when not UTF-8, at the first bad byte (not read with U+FFFD in its place)', async () => {
    const dir = tree({ 'manifests/a.yaml': depot('a') });
    writeFileSync(join(dir, 'tug.yaml'), Buffer.concat([Buffer.from('apiVersion: tug/v1\nstateDir: .t'), Buffer.from([0xff]), Buffer.from('g\n')]));
    const error = await loadProjectConfig({ cwd: dir }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe('tug.yaml is invalid:\n  tug.yaml:2:13  byte 0xFF is not valid UTF-8 (byte offset 31); save the file as UTF-8');
  });
});
