/**
 * Load and validate a manifest set in one call: what `tug validate` runs, and the first step of plan.
 */
import { relative } from 'node:path';
import type { ProjectConfig } from '../config/load.js';
import { CONFIG_FILE } from '../config/load.js';
import { compareDiagnostics, type Diagnostic } from './diagnostics.js';
import type { ManifestDocument } from './document.js';
import { loadManifests } from './load.js';
import { validateDocuments } from './validate.js';

export interface ManifestSet {
  documents: ManifestDocument[];
  diagnostics: Diagnostic[];
  /** Files read, relative to the working directory. */
  files: string[];
  /** SHA-256 (hex) of each file read, by absolute path (see PlanSource); absent for sets built in memory. */
  hashes?: Map<string, string>;
  /** Documents read (valid or not). */
  documentCount: number;
}

/** `paths` (files, directories, globs) win over the manifests globs of tug.yaml. */
export async function loadManifestSet(config: ProjectConfig, cwd: string, paths: string[] = []): Promise<ManifestSet> {
  const fromConfig = paths.length === 0;
  const loaded = await loadManifests(fromConfig ? config.manifests : paths, {
    baseDir: fromConfig ? config.dir : cwd,
    displayDir: cwd,
    exclude: config.file ? [config.file] : [CONFIG_FILE],
    confined: fromConfig,
  });
  const validated = validateDocuments(loaded.documents);
  return {
    documents: validated.documents,
    diagnostics: [...loaded.diagnostics, ...validated.diagnostics].sort(compareDiagnostics),
    files: loaded.files.map((f) => relative(cwd, f) || f),
    hashes: loaded.hashes,
    documentCount: loaded.documents.length,
  };
}

export type { Diagnostic } from './diagnostics.js';
export type { ManifestDocument } from './document.js';
