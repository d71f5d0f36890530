/**
 * `tug apply [plan.json]`: execute a reviewed plan. With a plan file it applies exactly that plan (after
 * refusing another format version, an edited plan, manifests changed since the plan or a stale plan —
 * exit 4 — and an unsafe one — exit 3). With `--yes` and no file it plans and applies in one go, for
 * scripted use; an unfinished apply of the very same plan is continued. `--resume` without a file
 * finishes the last apply of this state directory from the plan its journal keeps. No prompts, ever.
 *
 * Exit codes: 0 applied and converged · 1 error (lock held, convergence bug, …) · 3 safety breach ·
 * 4 stale plan · 5 some changes failed (the rest were applied; dependents skipped).
 */
import { renderApplyMarkdown } from '../../render/apply-markdown.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { applyExitCode, applyPlan } from '../../apply/index.js';
import { renderApplyText } from '../../render/apply-text.js';
import { progressReporter } from '../../apply/progress.js';
import { loadProjectConfig } from '../../config/load.js';
import type { Plan } from '../../core/plan.js';
import { ConfigError, ManifestError, TugError, UnsafePlanError } from '../../errors.js';
import { loadManifestSet } from '../../manifests/index.js';
import { runPlan } from '../../plan/run-plan.js';
import { printable } from '../../render/printable.js';
import { accountOf, journalState, LocalStateStore, openStateStore, readPlanFile, runStatus, type JournalStore, type StateStore, type TakeOver } from '../../state/index.js';
import { connectProject, type ConnectFlags } from '../connect.js';
import { writeLine, type RunContext } from '../context.js';
import { parseDuration } from '../duration.js';

export interface ApplyFlags extends ConnectFlags {
  yes?: boolean;
  resume?: boolean;
  maxChanges?: string;
  maxDuration?: string;
  config?: string;
  format: string;
}

function parseCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(text)) throw new ConfigError('invalid_option', `--max-changes must be a positive whole number, got "${text}"`);
  return Number(text);
}

function checkUsage(file: string | undefined, flags: ApplyFlags): void {
  if (!['text', 'markdown', 'json'].includes(flags.format)) throw new ConfigError('invalid_option', `--format must be text, markdown or json, got "${flags.format}"`);
  if (file === undefined && !flags.yes && !flags.resume) {
    throw new ConfigError('missing_plan', 'tug apply needs a plan: give a plan file, or --yes to plan and apply in one go', {
      hint: 'Reviewed flow: `tug plan --out plan.json`, review, then `tug apply plan.json`. Scripted: `tug apply --yes`. Finish the last apply: `tug apply --resume`.',
    });
  }
  if (file !== undefined && flags.yes) {
    throw new ConfigError('invalid_option', '--yes plans and applies in one go; it takes no plan file', { hint: '`tug apply plan.json` applies a reviewed plan; `tug apply --yes` plans and applies.' });
  }
}

/** `--resume` without a plan file: the last apply recorded in the state store, if it did not finish. */
async function planToResume(store: StateStore, journals: JournalStore): Promise<Plan> {
  const latest = await journals.latest();
  if (!latest || latest.status === 'complete') {
    throw new TugError('nothing_to_resume', latest ? `The last apply (plan ${latest.fingerprint}) finished; there is nothing to resume` : `No apply of this account is recorded in the ${store.description}; there is nothing to resume`, {
      hint: 'Plan and apply: `tug plan --out plan.json`, then `tug apply plan.json` (or `tug apply --yes`).',
    });
  }
  const text = await journals.readKeptPlan(latest.fingerprint);
  if (text === undefined) {
    throw new TugError('kept_plan_missing', `The last apply (journal ${latest.file}) was ${latest.status}, but its plan was not kept beside the journal`, {
      hint: 'Resume it with its plan file: `tug apply plan.json --resume`.',
    });
  }
  return readPlanFile(text);
}

/**
 * `--yes` refuses a breach of the plan it has just made, before anything else: no plan was saved, so the
 * message must not speak of one (applyPlan's own check words it for a reviewed plan file).
 */
function assertSafeToApplyNow(plan: Plan): void {
  if (plan.safety.ok) return;
  const reasons = plan.safety.breaches.map((b) => printable(b.message)).join('; ');
  throw new UnsafePlanError('unsafe_plan', `The plan --yes made breaches the safety policy: ${reasons}; nothing was written`, {
    hint: 'See the whole plan with `tug plan`; change the manifests or the safety settings in tug.yaml, then run `tug apply --yes` again.',
    meta: { breaches: plan.safety.breaches.length },
  });
}

/** `--yes`: a journal of this very plan that did not finish is continued, as `--resume` would. */
async function continuesUnfinished(journals: JournalStore, plan: Plan): Promise<boolean> {
  const read = await journals.read(plan.fingerprint);
  return read.exists && runStatus(journalState(read.entries)) !== 'complete';
}

async function readPlan(path: string, cwd: string) {
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), 'utf8');
  } catch (error) {
    throw new ManifestError('plan_unreadable', `Cannot read the plan file ${path}: ${(error as Error).message}`);
  }
  return readPlanFile(text);
}

export async function runApplyCommand(file: string | undefined, flags: ApplyFlags, ctx: RunContext): Promise<number> {
  checkUsage(file, flags);
  const maxChanges = parseCount(flags.maxChanges);
  const maxDurationMs = flags.maxDuration === undefined ? undefined : parseDuration(flags.maxDuration, '--max-duration', '90s, 10m or 2h');
  const fromFile = file === undefined ? undefined : await readPlan(file, ctx.cwd);
  const config = await loadProjectConfig({ cwd: ctx.cwd, configPath: flags.config });
  const manifests = await loadManifestSet(config, ctx.cwd);
  // The state store first: an unusable database is an error before anything is read from Trackunit.
  const store = await openStateStore(config, ctx.env);
  const connection = await connectProject(config, flags, ctx.env).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  let throwAway: string | undefined;
  try {
    const { journals } = store.account(accountOf(connection.client.config));
    const saved = fromFile ?? (flags.resume && !flags.yes ? await planToResume(store, journals) : undefined);
    // An embedded sandbox is a fresh account every run: its ISO cache must not land in the project's state.
    throwAway = connection.sandbox ? await mkdtemp(join(tmpdir(), 'tug-apply-iso-')) : undefined;
    const isoState = throwAway ? new LocalStateStore(throwAway) : undefined;
    const account = accountOf(connection.client.config);
    // The inventory of per-object reads lives beside the ISO cache (a throwaway one for an embedded sandbox).
    const inventory = (isoState ?? store).account(account).kv;
    const plan = saved ?? (await runPlan({ client: connection.client, config, manifests, now: ctx.now, state: isoState ?? store, inventory })).plan;
    if (saved === undefined) assertSafeToApplyNow(plan);
    const continuing = saved === undefined && (await continuesUnfinished(journals, plan));
    if (continuing) writeLine(ctx.stderr, ctx.color.yellow(`Continuing the unfinished apply of this same plan (${plan.fingerprint}).`));
    const resume = (flags.resume ?? false) || continuing;
    const progress = progressReporter(ctx.stderr, ctx.now);
    const report = await applyPlan({
      client: connection.client,
      plan,
      config,
      manifests,
      now: ctx.now,
      resume,
      state: store,
      inventory,
      ...(isoState ? { isoState } : {}),
      onLock: (info) => {
        if (info.tookOverFrom) writeLine(ctx.stderr, ctx.color.yellow(tookOverText(info.tookOverFrom)));
      },
      ...(file !== undefined ? { planFile: file } : {}),
      onProgress: progress.onProgress,
      ...(maxChanges !== undefined ? { maxChanges } : {}),
      ...(maxDurationMs !== undefined ? { maxDurationMs } : {}),
    }).finally(progress.end);
    for (const warning of report.warnings ?? []) writeLine(ctx.stderr, ctx.color.yellow(`warning: ${warning}`));
    if (flags.format === 'json') writeLine(ctx.stdout, JSON.stringify(report, null, 2));
    else if (flags.format === 'markdown') ctx.stdout.write(renderApplyMarkdown(report));
    else ctx.stdout.write(renderApplyText(report, ctx.color));
    return applyExitCode(report);
  } finally {
    await connection.close();
    await store.close();
    if (throwAway) await rm(throwAway, { recursive: true, force: true });
  }
}

/** The lock this apply took over: whose it was and why it was free. */
function tookOverText(from: TakeOver): string {
  if (from.reason === 'unreadable') return `Took over an unreadable apply lock (${printable(from.note)}).`;
  const why = from.reason === 'expired' ? `its lease expired at ${printable(from.leaseUntil)}` : 'that apply is no longer running';
  return `Took over the apply lock of ${printable(from.owner)} (host ${printable(from.host)}, pid ${from.pid}, started ${printable(from.startedAt)}): ${why}.`;
}
