/**
 * `tug export`: write the live account as manifests under --out (src/export/), then a report on stdout:
 * the files, the objects per kind, and every object or part that could not be written, with why.
 * Read-only towards Trackunit. Progress of the per-object reads goes to stderr.
 *
 * Exit codes: 0 written (the report may list objects left out) · 1 an error (nothing written).
 */
import { resolve } from 'node:path';
import type { ExportSkip, KindName } from '../../core/kind.js';
import { ConfigError } from '../../errors.js';
import { loadProjectConfig } from '../../config/load.js';
import { runExport } from '../../export/run-export.js';
import { layoutFiles, SPLIT_MODES, writeExport, type SplitMode } from '../../export/files.js';
import { isKindName, KIND_NAMES } from '../../kinds/registry.js';
import { formatCount, plural } from '../../render/count.js';
import { printable } from '../../render/printable.js';
import { accountOf } from '../../trackunit/account.js';
import { connectProject, type ConnectFlags } from '../connect.js';
import { writeLine, type RunContext } from '../context.js';

export interface ExportFlags extends ConnectFlags {
  config?: string;
  out: string;
  kinds?: string[];
  split: string;
  format: string;
  force: boolean;
}

/** `--kinds Depot,Customer --kinds Asset` → kinds in registry order; an unknown name is an error naming the known ones. */
export function parseKinds(values: string[] | undefined): KindName[] | undefined {
  if (!values || values.length === 0) return undefined;
  const names = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  const unknown = names.filter((n) => !isKindName(n));
  if (unknown.length > 0) throw new ConfigError('invalid_option', `--kinds: unknown kind ${unknown.map((u) => `"${u}"`).join(', ')}; the kinds are ${KIND_NAMES.join(', ')}`);
  return KIND_NAMES.filter((k) => names.includes(k));
}

/** The time in the files' header: SOURCE_DATE_EPOCH (seconds, the reproducible-builds convention) when set. */
function exportTime(env: NodeJS.ProcessEnv, now: number): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  const at = epoch !== undefined && /^\d+$/.test(epoch) ? Number(epoch) * 1000 : now;
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A tenth-by-tenth progress line on stderr (rewritten in place on a terminal). */
function progress(ctx: RunContext) {
  const tty = (ctx.stderr as NodeJS.WriteStream).isTTY === true;
  let lastTenth = 0;
  return (done: number, total: number) => {
    if (total < 100) return;
    const tenth = Math.floor((done * 10) / total);
    if (tty) ctx.stderr.write(`\rReading per-object details: ${formatCount(done)}/${formatCount(total)}${done === total ? '\n' : ''}`);
    else if (tenth > lastTenth) writeLine(ctx.stderr, `Reading per-object details: ${formatCount(done)}/${formatCount(total)} (${tenth * 10}%)`);
    lastTenth = tenth;
  };
}

/** The report's list of what was left out: per kind and reason, every object named. */
export function skippedLines(skipped: readonly ExportSkip[]): string[] {
  const groups = new Map<string, ExportSkip[]>();
  for (const s of skipped) {
    const key = `${s.kind}\u0000${s.part === undefined ? 'object' : 'part'}\u0000${s.reason}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const lines: string[] = [];
  for (const [key, list] of groups) {
    const [kind, scope, reason] = key.split('\u0000') as [string, string, string];
    lines.push(`  ${kind}: ${plural(list.length, scope === 'part' ? 'part' : 'object')} left out — ${printable(reason)}`);
    for (const s of list) lines.push(`    - ${printable(s.label)} [${printable(s.liveId)}]${s.part !== undefined ? ` ${printable(s.part)}` : ''}`);
  }
  return lines;
}

export async function runExportCommand(flags: ExportFlags, ctx: RunContext): Promise<number> {
  if (flags.format !== 'yaml') throw new ConfigError('invalid_option', `--format must be yaml, got "${flags.format}"`);
  if (!SPLIT_MODES.includes(flags.split as SplitMode)) throw new ConfigError('invalid_option', `--split must be kind or depot, got "${flags.split}"`);
  const kinds = parseKinds(flags.kinds);
  const config = await loadProjectConfig({ cwd: ctx.cwd, configPath: flags.config });
  const connection = await connectProject(config, flags, ctx.env);
  try {
    writeLine(ctx.stderr, ctx.color.dim(`Reading the account at ${connection.client.config.irisUrl} …`));
    const result = await runExport({ client: connection.client, prune: config.prune.kinds, now: ctx.now, onProgress: progress(ctx), ...(kinds ? { kinds } : {}) });
    const files = layoutFiles(result.objects, flags.split as SplitMode);
    const account = accountOf(connection.client.config);
    const outDir = resolve(ctx.cwd, flags.out);
    const written = await writeExport(outDir, files, { irisUrl: account.irisUrl, account: account.key, at: exportTime(ctx.env, ctx.now()) }, { force: flags.force });
    const perKind = KIND_NAMES.map((k) => [k, result.objects.filter((o) => o.kind === k).length] as const).filter(([k, n]) => n > 0 || kinds?.includes(k));
    const lines = [
      `Exported ${plural(result.objects.length, 'object')} to ${flags.out}: ${perKind.map(([k, n]) => `${k} ${formatCount(n)}`).join(', ') || 'nothing'}.`,
      ...written.written.map((f) => `  wrote ${f}`),
      ...written.unchanged.map((f) => `  unchanged ${f}`),
    ];
    const adoptions = result.objects.filter((o) => o.kind === 'Depot' && o.manifest.adopt !== undefined).length;
    if (adoptions > 0) lines.push(`${plural(adoptions, 'depot')} tug does not manage yet carr${adoptions === 1 ? 'ies' : 'y'} adopt: — the first plan shows each as "~ adopt".`);
    if (written.others.length > 0)
      lines.push(`${plural(written.others.length, 'other YAML file')} under ${flags.out} not written by this export (left as they were): ${written.others.join(', ')}`);
    const whole = result.skipped.filter((s) => s.part === undefined).length;
    lines.push(
      result.skipped.length === 0
        ? 'Nothing was left out.'
        : `Left out: ${plural(whole, 'object')} and ${plural(result.skipped.length - whole, 'part')} of objects that manifests cannot express:`,
      ...skippedLines(result.skipped),
    );
    for (const line of lines) writeLine(ctx.stdout, line);
    const reads = result.requests.totals.requests;
    writeLine(ctx.stderr, ctx.color.dim(`Read the account with ${formatCount(reads)} API request${reads === 1 ? '' : 's'} in ${(result.durationMs / 1000).toFixed(1)} s.`));
    return 0;
  } finally {
    await connection.close();
  }
}
