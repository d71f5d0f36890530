/**
 * Loading tug.yaml: parse with positions, validate against schemas/tug.schema.json (every problem at
 * once, as file:line:col), fill defaults and resolve paths relative to the file's directory.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { durationMs } from './duration.js';
import { formatText, type Diagnostic } from '../manifests/diagnostics.js';
import { globEscape } from '../manifests/glob-scope.js';
import { schemaDiagnostics } from '../manifests/schema-check.js';
import { decodeManifest, parseYaml, positionOf, type ParsedDocument } from '../manifests/yaml.js';
import type { ApiFamily, FamilyLimit } from '../trackunit/config.js';
import type { KindName, ProjectConfigFile, ThresholdMap } from './project.js';

export const CONFIG_FILE = 'tug.yaml';
/** refresh.maxAge by default: every per-object read re-checked at least daily. */
export const DEFAULT_MAX_AGE_MS = 86_400_000;
export const DEFAULT_MANIFEST_GLOBS = ['manifests/**/*.yaml', 'manifests/**/*.yml'];

/** tug.yaml with defaults filled and paths absolute. */
export interface ProjectConfig {
  /** Absolute path of tug.yaml; undefined when running without one. */
  file: string | undefined;
  /** SHA-256 (hex) of tug.yaml's bytes as loaded (a plan records it: see PlanSource). */
  sha256?: string;
  dir: string;
  manifests: string[];
  trackunit: { irisUrl?: string; authUrl?: string; auth?: 'v1' | 'v2'; scopes?: string[]; sandbox: boolean };
  rateLimits: Partial<Record<ApiFamily, FamilyLimit>>;
  concurrency: number;
  stateDir: string;
  state: { backend: 'local' | 'postgres'; schema: string };
  /** tug.yaml refresh.maxAge in milliseconds (default 24 h). */
  refresh: { maxAgeMs: number };
  prune: { kinds: KindName[]; allowDanglingReferences: string[] };
  protect: string[];
  safety: { maxDeletes: ThresholdMap; maxUpdates: ThresholdMap; guardEmptyDesiredState: boolean };
}

export function defaultProjectConfig(dir: string): ProjectConfig {
  return resolveConfig({}, undefined, dir);
}

function resolveConfig(raw: ProjectConfigFile, file: string | undefined, dir: string): ProjectConfig {
  const irisUrl = raw.trackunit?.irisUrl;
  return {
    file,
    dir,
    manifests: raw.manifests ?? DEFAULT_MANIFEST_GLOBS,
    trackunit: {
      sandbox: irisUrl === 'sandbox',
      ...(irisUrl && irisUrl !== 'sandbox' ? { irisUrl } : {}),
      ...(raw.trackunit?.authUrl ? { authUrl: raw.trackunit.authUrl } : {}),
      ...(raw.trackunit?.auth ? { auth: raw.trackunit.auth } : {}),
      ...(raw.trackunit?.scopes ? { scopes: raw.trackunit.scopes } : {}),
    },
    rateLimits: raw.rateLimits ?? {},
    concurrency: raw.concurrency ?? 4,
    stateDir: resolve(dir, raw.stateDir ?? 'state'),
    state: { backend: raw.state?.backend ?? 'local', schema: raw.state?.schema ?? 'tug' },
    // 0 would divide the rolling re-check by zero; a second is "re-read everything every plan".
    refresh: { maxAgeMs: Math.max(1000, durationMs(raw.refresh?.maxAge ?? '24h') ?? DEFAULT_MAX_AGE_MS) },
    prune: { kinds: raw.prune?.kinds ?? [], allowDanglingReferences: raw.prune?.allowDanglingReferences ?? [] },
    protect: raw.protect ?? [],
    safety: {
      maxDeletes: raw.safety?.maxDeletes ?? {},
      maxUpdates: raw.safety?.maxUpdates ?? {},
      guardEmptyDesiredState: raw.safety?.guardEmptyDesiredState ?? true,
    },
  };
}

/**
 * Manifests globs that would read outside the directory of tug.yaml (`/**\/*.yaml`, `../../**`): refused
 * here, at the entry's position, before anything is walked (see src/manifests/glob-scope.ts).
 */
function escapingGlobs(document: ParsedDocument): Diagnostic[] {
  const globs = (document.data as { manifests?: unknown } | null)?.manifests;
  if (!Array.isArray(globs)) return [];
  return globs.flatMap((glob, i) => {
    const escape = typeof glob === 'string' ? globEscape(glob) : undefined;
    if (!escape) return [];
    const { line, col } = positionOf(document, ['manifests', i], 'value');
    const message = `manifests glob "${glob}" ${escape}: globs are relative to tug.yaml and must stay inside its directory`;
    return [{ file: document.file, line, col, code: 'manifests_outside_repository', severity: 'error' as const, message }];
  });
}

/**
 * Load tug.yaml from `configPath`, or from `cwd` when it exists there. Without either, defaults
 * (manifests under ./manifests) — unless `required`.
 */
export async function loadProjectConfig(options: { cwd: string; configPath?: string; required?: boolean }): Promise<ProjectConfig> {
  const file = resolve(options.cwd, options.configPath ?? CONFIG_FILE);
  if (!existsSync(file)) {
    if (options.configPath || options.required) {
      throw new ConfigError('config_not_found', `${relative(options.cwd, file) || file} not found`, {
        hint: 'Create tug.yaml (see README.md, "Manifests") or pass --config PATH.',
      });
    }
    return defaultProjectConfig(options.cwd);
  }
  const shown = relative(options.cwd, file) || file;
  const bytes = await readFile(file);
  // Not UTF-8: the error at the first bad byte, as for manifests (decoding would put U+FFFD in its place).
  const decoded = decodeManifest(bytes, shown);
  const parsed = 'text' in decoded ? parseYaml(decoded.text, shown) : { documents: [], diagnostics: [decoded.diagnostic] };
  const [document] = parsed.documents;
  const problems = [...parsed.diagnostics];
  if (parsed.documents.length > 1) problems.push({ file: shown, line: 1, col: 1, code: 'structure', severity: 'error', message: 'tug.yaml must hold a single YAML document' });
  if (document) problems.push(...schemaDiagnostics(document, 'tug.schema.json', undefined), ...escapingGlobs(document));
  if (problems.length > 0) {
    throw new ConfigError('invalid_config', `${shown} is invalid:\n${problems.map((d) => `  ${formatText(d)}`).join('\n')}`, {
      meta: { diagnostics: problems.map((d) => ({ file: d.file, line: d.line, col: d.col, message: d.message })) },
    });
  }
  const config = resolveConfig((document?.data ?? {}) as ProjectConfigFile, file, dirname(file));
  return { ...config, sha256: createHash('sha256').update(bytes).digest('hex') };
}
