/**
 * The files a plan is made from — tug.yaml and every manifest file, with the SHA-256 of their bytes —
 * and the comparison apply makes before anything else: a plan made from other files than the ones on
 * disk now is refused as stale (exit 4) naming the files, instead of writing the old reviewed values and
 * then failing its convergence check.
 */
import { relative, sep } from 'node:path';
import type { ProjectConfig } from '../config/load.js';
import { compareText } from '../core/canonical.js';
import type { PlanSource, SourceFile } from '../core/plan.js';
import { StalePlanError } from '../errors.js';
import type { ManifestSet } from '../manifests/index.js';

const portable = (dir: string, file: string) => (relative(dir, file) || file).split(sep).join('/');

/** tug.yaml (when there is one) and the manifest files, relative to the tug.yaml directory, sorted. */
export function sourceFiles(config: ProjectConfig, manifests: ManifestSet): SourceFile[] {
  const files: SourceFile[] = [];
  if (config.file !== undefined && config.sha256 !== undefined) files.push({ path: portable(config.dir, config.file), sha256: config.sha256 });
  for (const [file, sha256] of manifests.hashes ?? []) files.push({ path: portable(config.dir, file), sha256 });
  return files.sort((a, b) => compareText(a.path, b.path));
}

export interface SourceDifference {
  changed: string[];
  added: string[];
  removed: string[];
}

/** How the files on disk differ from the ones a plan was made from (all empty: the same files). */
export function compareSources(saved: PlanSource, current: SourceFile[]): SourceDifference {
  const before = new Map(saved.files.map((f) => [f.path, f.sha256]));
  const now = new Map(current.map((f) => [f.path, f.sha256]));
  return {
    changed: [...now].filter(([path, sha]) => before.has(path) && before.get(path) !== sha).map(([path]) => path),
    added: [...now.keys()].filter((path) => !before.has(path)),
    removed: [...before.keys()].filter((path) => !now.has(path)),
  };
}

/** Refuses (exit 4, `manifests_changed`) when the files differ from the plan's. */
export function assertSameSources(saved: PlanSource, current: SourceFile[]): void {
  const diff = compareSources(saved, current);
  const lines = [...diff.changed.map((p) => `  changed: ${p}`), ...diff.added.map((p) => `  added:   ${p}`), ...diff.removed.map((p) => `  removed: ${p}`)];
  if (lines.length === 0) return;
  throw new StalePlanError('manifests_changed', `The manifests changed since the plan was made; nothing was written.\n${lines.join('\n')}`, {
    hint: 'Plan again from the files as they are now (`tug plan --out plan.json`), review it, then apply it.',
    meta: { changed: diff.changed, added: diff.added, removed: diff.removed },
  });
}
