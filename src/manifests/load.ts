/**
 * Finding and reading manifest files: files, directories (every *.yaml / *.yml below) and globs,
 * in a stable order (sorted paths), each parsed with positions kept.
 */
import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { ManifestError } from '../errors.js';
import type { Diagnostic } from './diagnostics.js';
import { confinedFs, globEscape, isInside } from './glob-scope.js';
import { DEFAULT_YAML_LIMITS, decodeManifest, fileTooLarge, parseYaml, type ParsedDocument, type YamlLimits } from './yaml.js';

export interface LoadOptions {
  /** Directory that relative patterns are resolved against (the tug.yaml directory). */
  baseDir: string;
  /** Directory file names are shown relative to (the working directory). */
  displayDir: string;
  limits?: YamlLimits;
  /** Files never treated as manifests (tug.yaml itself). */
  exclude?: string[];
  /**
   * Set for tug.yaml's globs: nothing outside `baseDir` is read. An absolute or `..` pattern is refused,
   * and a symbolic link whose target is outside is an error (see glob-scope.ts).
   */
  confined?: boolean;
}

export interface LoadResult {
  documents: ParsedDocument[];
  diagnostics: Diagnostic[];
  /** Absolute paths of the files read, sorted. */
  files: string[];
  /** SHA-256 (hex) of each file's bytes as read, by absolute path: what a plan records of its sources. */
  hashes: Map<string, string>;
}

const YAML_FILES = '**/*.{yaml,yml}';

async function expand(pattern: string, baseDir: string, confined: boolean): Promise<string[]> {
  const escape = confined ? globEscape(pattern) : undefined;
  if (escape) throw new ManifestError('manifest_outside_repository', `manifests glob "${pattern}" ${escape}: globs must stay inside ${baseDir}`);
  const absolute = isAbsolute(pattern) ? pattern : resolve(baseDir, pattern);
  const walk = async (globPattern: string, cwd: string): Promise<string[]> => {
    if (!confined) return glob(globPattern, { cwd, absolute: true, onlyFiles: true });
    const scoped = confinedFs(baseDir);
    const found = await glob(globPattern, { cwd, absolute: true, onlyFiles: true, fs: scoped.fs });
    const links = [...scoped.escapes.values()].filter((e) => e.directory || found.includes(e.link));
    if (links.length > 0) throw linksOutside(links, baseDir);
    return found;
  };
  if (!isDynamicPattern(pattern)) {
    const info = await stat(absolute).catch(() => undefined);
    if (!info) throw new ManifestError('manifest_not_found', `no such file or directory: ${pattern}`);
    if (info.isDirectory()) return walk(YAML_FILES, absolute);
    if (confined && !isInside(await realpath(baseDir), await realpath(absolute))) throw linksOutside([{ link: absolute, target: await realpath(absolute) }], baseDir);
    return [absolute];
  }
  return walk(pattern, baseDir);
}

function linksOutside(links: Array<{ link: string; target: string }>, baseDir: string): ManifestError {
  const list = links.map((l) => `${relative(baseDir, l.link)} -> ${l.target}`).sort();
  return new ManifestError('manifest_outside_repository', `symbolic link${list.length > 1 ? 's' : ''} to outside ${baseDir}: ${list.join(', ')}`, {
    hint: 'tug reads manifests only from the directory of tug.yaml and below: copy the files in, or narrow the manifests globs so they do not reach the link.',
  });
}

/**
 * Resolve patterns to files. A named file or directory must exist; a glob may match nothing (the default
 * globs cover both .yaml and .yml), but all of them together must find at least one file.
 */
export async function findManifestFiles(patterns: string[], options: LoadOptions): Promise<string[]> {
  const files = new Set<string>();
  const excluded = new Set((options.exclude ?? []).map((f) => resolve(options.baseDir, f)));
  for (const pattern of patterns) {
    for (const file of await expand(pattern, options.baseDir, options.confined === true)) if (!excluded.has(file)) files.add(file);
  }
  if (files.size === 0) {
    throw new ManifestError('manifest_not_found', `no manifest files match ${patterns.map((p) => `"${p}"`).join(', ')} (resolved from ${options.baseDir})`, {
      hint: 'Check the manifests globs in tug.yaml, or pass files or directories to the command.',
    });
  }
  return [...files].sort();
}

export async function loadManifests(patterns: string[], options: LoadOptions): Promise<LoadResult> {
  const files = await findManifestFiles(patterns, options);
  const documents: ParsedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  const limits = options.limits ?? DEFAULT_YAML_LIMITS;
  const hashes = new Map<string, string>();
  for (const file of files) {
    const shown = relative(options.displayDir, file) || file;
    const info = await stat(file);
    if (info.size > limits.maxFileBytes) {
      // Refused before reading: a huge file must not cost the memory to hold it.
      diagnostics.push(fileTooLarge(shown, info.size, limits));
      continue;
    }
    const bytes = await readFile(file);
    hashes.set(file, createHash('sha256').update(bytes).digest('hex'));
    const decoded = decodeManifest(bytes, shown);
    if ('diagnostic' in decoded) {
      diagnostics.push(decoded.diagnostic);
      continue;
    }
    const parsed = parseYaml(decoded.text, shown, limits);
    // One element at a time: spreading a file's 125,000 documents into push() overflows the stack.
    for (const document of parsed.documents) documents.push(document);
    for (const diagnostic of parsed.diagnostics) diagnostics.push(diagnostic);
  }
  return { documents, diagnostics, files, hashes };
}
