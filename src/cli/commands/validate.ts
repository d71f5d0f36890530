/**
 * `tug validate [paths…]`: check manifests offline — YAML, schemas, references, custom field values,
 * dates — and report every problem at once with file:line:col. Exit 0 when there is no error.
 */
import { ConfigError } from '../../errors.js';
import { loadProjectConfig } from '../../config/load.js';
import { formatGithub, formatText } from '../../manifests/diagnostics.js';
import { loadManifestSet } from '../../manifests/index.js';
import { writeLine, type RunContext } from '../context.js';

export interface ValidateFlags {
  config?: string;
  format: string;
}

export async function runValidate(paths: string[], flags: ValidateFlags, ctx: RunContext): Promise<number> {
  const { cwd } = ctx;
  if (!['text', 'json', 'github'].includes(flags.format)) {
    throw new ConfigError('invalid_option', `--format must be text, json or github, got "${flags.format}"`);
  }
  const config = await loadProjectConfig({ cwd, configPath: flags.config });
  const set = await loadManifestSet(config, cwd, paths);
  const errors = set.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = set.diagnostics.length - errors;
  const summary = `${set.documentCount} document${set.documentCount === 1 ? '' : 's'} in ${set.files.length} file${set.files.length === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  if (flags.format === 'json') {
    writeLine(ctx.stdout, JSON.stringify({ ok: errors === 0, files: set.files, documents: set.documentCount, errors, warnings, diagnostics: set.diagnostics }, null, 2));
  } else if (flags.format === 'github') {
    for (const d of set.diagnostics) writeLine(ctx.stdout, formatGithub(d));
    writeLine(ctx.stderr, summary);
  } else {
    const c = ctx.color;
    for (const d of set.diagnostics) writeLine(ctx.stdout, d.severity === 'error' ? formatText(d) : c.yellow(formatText(d)));
    writeLine(ctx.stdout, errors === 0 ? c.green(summary) : c.red(summary));
  }
  return errors === 0 ? 0 : 1;
}
