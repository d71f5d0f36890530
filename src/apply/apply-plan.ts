/**
 * applyPlan: executes exactly the reviewed changes of a plan. Named steps, in order:
 *   refuse an unusable plan (format version, digest, safety, errors) → refuse a plan made from other
 *   files than the manifests now on disk (exit 4, naming them) → take the apply lock (lease renewed while
 *   running; a lost lock stops all writing) → read what an earlier run left (--resume) → plan again and
 *   refuse a stale plan (the fresh plan must equal the reviewed one, errors included), re-checking safety
 *   → open the journal (which keeps the plan) → run the batches → plan again to prove convergence →
 *   report. Every request goes through the client (rate scheduler, retries).
 */
import type { ProjectConfig } from '../config/load.js';
import { PLAN_FORMAT_VERSION, type Plan } from '../core/plan.js';
import { sealHolds } from '../core/plan-digest.js';
import { ExitCode, LockError, TugError } from '../errors.js';
import type { ManifestSet } from '../manifests/index.js';
import { runPlan } from '../plan/run-plan.js';
import { manifestPrints, saveApplied } from '../plan/applied-store.js';
import { toDesiredState } from '../plan/desired.js';
import { agreedObjects } from '../core/drift.js';
import { targetMatcher } from '../core/targets.js';
import { sourcesOfChange } from '../kinds/registry.js';
import { assertSameSources, sourceFiles } from '../plan/source.js';
import { renderPlanJson } from '../render/plan-json.js';
import { accountOf, LocalStateStore, startLeaseRenewal, type AccountState, type JournalWriter, type LockInfo, type StateStore } from '../state/index.js';
import type { TrackunitClient } from '../trackunit/client.js';
import type { MetricsSnapshot } from '../trackunit/metrics.js';
import { checkConvergence } from './convergence.js';
import type { ExecContext } from './execute-change.js';
import { readPriorRun, type PriorRun } from './prior-run.js';
import { countOutcomes, type ApplyReport, type ChangeOutcome } from './report.js';
import { createRefResolver } from './resolve-refs.js';
import { runBatches } from './run-batches.js';
import { assertSafe, compareWithFresh, staleError } from './stale.js';
import type { IsoStateSource } from '../sources/iso15143/ledger.js';
import type { KvStore } from '../state/store.js';

export interface ApplyProgress {
  done: number;
  total: number;
  applied: number;
  failed: number;
  skipped: number;
  elapsedMs: number;
}

export interface ApplyInput {
  client: TrackunitClient;
  plan: Plan;
  config: ProjectConfig;
  /** The manifests the plan was made from: the stale check and the convergence check plan them again. */
  manifests: ManifestSet;
  /** Where the lock, the journal and the ISO cache of the re-plans live; default a local store in `stateDir`. */
  state?: StateStore;
  /** With no `state`: the local state directory; default config.stateDir. */
  stateDir?: string;
  /** ISO snapshot cache of the re-plans when it is not `state`'s (an embedded sandbox's throwaway one). */
  isoState?: IsoStateSource;
  /** With no `isoState`: a local directory for it. */
  isoStateDir?: string;
  /** The inventory of per-object reads the re-plans use and update; default the account's in `state`. */
  inventory?: KvStore;
  /** Hears the lock once taken (it names the holder it took over from, if any). */
  onLock?: (info: LockInfo) => void;
  now?: () => number;
  /** Changes at once within a batch; default config.concurrency. */
  concurrency?: number;
  maxChanges?: number;
  maxDurationMs?: number;
  resume?: boolean;
  /** How the user named the plan file (for hints); undefined for `--yes`. */
  planFile?: string;
  leaseMs?: number;
  onProgress?: (progress: ApplyProgress) => void;
}

/** A plan apply must not execute: another format, a safety breach (exit 3), or errors (exit 1). */
export function refuseUnusable(plan: Plan): void {
  const version: unknown = plan.formatVersion;
  if (version !== PLAN_FORMAT_VERSION) {
    throw new TugError('plan_format', `The plan has format version ${String(version)}, but this tug applies format version ${PLAN_FORMAT_VERSION} only.`, {
      hint: 'Make the plan again with this version of tug (`tug plan --out plan.json`).',
      meta: { formatVersion: typeof version === 'number' ? version : String(version), expectedFormatVersion: PLAN_FORMAT_VERSION },
    });
  }
  if (!sealHolds(plan)) {
    throw new TugError('plan_tampered', 'The plan was changed after it was made: its content does not match its digest.', {
      hint: 'Never edit a plan: change the manifests, then make and review a new plan (`tug plan --out plan.json`).',
    });
  }
  assertSafe(plan, 'saved');
  assertNoErrors(plan);
}

/**
 * A plan with errors is not applied. (An error only the fresh re-plan has — a contract booked out of a
 * depot the plan deletes since the review — makes the plan stale, exit 4: see stale.ts.)
 */
function assertNoErrors(plan: Plan): void {
  const errors = plan.problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) return;
  const listed = errors.map((e) => `${e.kind}/${e.id}: ${e.message}`).join('; ');
  throw new TugError('plan_has_errors', `The plan has ${errors.length} error${errors.length === 1 ? '' : 's'} and cannot be applied: ${listed}`, { hint: 'Fix the manifests, then plan again.' });
}

export async function applyPlan(input: ApplyInput): Promise<ApplyReport> {
  refuseUnusable(input.plan);
  assertSameSources(input.plan.source, sourceFiles(input.config, input.manifests));
  const store = input.state ?? new LocalStateStore(input.stateDir ?? input.config.stateDir);
  const isoState = input.isoState ?? (input.isoStateDir !== undefined ? new LocalStateStore(input.isoStateDir) : store);
  const state = store.account(accountOf(input.client.config));
  const lock = await state.lock.acquire({ now: input.now, ...(input.leaseMs ? { leaseMs: input.leaseMs } : {}) });
  let lost: LockError | undefined;
  const stopRenewal = startLeaseRenewal(lock, undefined, (error) => {
    if (error instanceof LockError && error.code === 'lock_lost') lost = error;
  });
  try {
    input.onLock?.(lock.info);
    return await applyLocked(input, { state, isoState, inventory: input.inventory ?? state.kv }, () => lost ?? lock.lost?.());
  } finally {
    stopRenewal();
    await lock.release();
  }
}

interface Stores {
  /** The account's lock, journals and plans. */
  state: AccountState;
  /** Where the re-plans' ISO cache lives. */
  isoState: IsoStateSource;
  /** The inventory of per-object reads. */
  inventory: KvStore;
}

/**
 * The same manifests and targets as the saved plan, against the account as it is now: the lists, and
 * live the per-object reads of every object the saved plan changes (and of any change the fresh plan
 * finds). Other objects' per-object reads come from the inventory without a re-check by age
 * (`refresh: none`): what apply writes is always compared live; drift elsewhere is the next plan's.
 */
const replan = (input: ApplyInput, stores: Stores) =>
  runPlan({
    client: input.client,
    config: input.config,
    manifests: input.manifests,
    targets: input.plan.source.targets,
    now: input.now,
    state: stores.isoState,
    inventory: stores.inventory,
    refresh: 'none',
    mustRead: input.plan.changes,
  });

/**
 * For `tug drift`: the manifests the account agrees with now (the convergence plan neither changes nor
 * faults them), within the plan's targets; the whole record when the plan had none.
 */
async function recordApplied(input: ApplyInput, stores: Stores, after: Plan): Promise<string | undefined> {
  const targets = input.plan.source.targets;
  const matchers = targets.map(targetMatcher);
  const current = manifestPrints(toDesiredState(input.manifests.documents));
  const inScope = new Map([...current].filter(([key]) => matchers.length === 0 || matchers.some((m) => m(key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)))));
  const agreed = agreedObjects(after, inScope, sourcesOfChange);
  return saveApplied(stores.inventory, accountOf(input.client.config).key, agreed, { replace: targets.length === 0 });
}

/** Plans again, re-checks safety, refuses stale changes; returns the changes decided without running. */
async function checkFresh(input: ApplyInput, stores: Stores, prior: PriorRun): Promise<Map<string, ChangeOutcome>> {
  const { plan: fresh } = await replan(input, stores);
  assertSafe(fresh, 'fresh');
  const check = compareWithFresh(input.plan, fresh, new Set([...prior.applied, ...prior.started]), prior.applied);
  if (check.stale.length > 0) throw staleError(check.stale);
  const decided = new Map<string, ChangeOutcome>();
  for (const c of input.plan.changes) {
    const reason = prior.applied.has(c.key) ? 'already applied (journal)' : check.alreadyApplied.has(c.key) ? 'already applied (no longer in a fresh plan)' : undefined;
    if (reason) decided.set(c.key, { key: c.key, kind: c.kind, op: c.op, id: c.id, status: 'skipped', reason });
  }
  return decided;
}

async function applyLocked(input: ApplyInput, stores: Stores, lockLost: () => LockError | undefined): Promise<ApplyReport> {
  const now = input.now ?? Date.now;
  const started = now();
  const before = input.client.metricsSnapshot();
  const { journals } = stores.state;
  const prior = await readPriorRun(journals, input.plan, input.resume ?? false, input.planFile);
  const decided = await checkFresh(input, stores, prior);
  await journals.keepPlan(input.plan.fingerprint, renderPlanJson(input.plan));
  const journal = await journals.open(input.plan, { now });
  try {
    const run = await execute(input, journal, prior, decided, { started, now, lockLost });
    const stoppedBy = journal.failure ?? lockLost();
    if (stoppedBy) throw interrupted(stoppedBy, run.outcomes);
    const after = (await replan(input, stores)).plan;
    const convergence = checkConvergence(after, run.outcomes);
    const report = buildReport(input, journal, run, convergence, before, now() - started, prior);
    const recorded = await recordApplied(input, stores, after);
    if (recorded) report.warnings = [recorded];
    await journal.finish(journalSummary(report));
    return report;
  } finally {
    await journal.close();
  }
}

/**
 * The journal could not be written (the state database went away) or the lock was lost (its database
 * session ended, or another apply took it over): the run stopped before its next request, and the journal
 * is left unfinished. No convergence check — another apply may be writing now. Exit 5 like any partial
 * apply; `--resume` (from any machine that shares the state store) finishes it.
 */
function interrupted(cause: Error, outcomes: ChangeOutcome[]): TugError {
  const applied = outcomes.filter((o) => o.status === 'applied').length;
  const lock = cause instanceof LockError;
  const why = lock ? `the apply lock was lost (${cause.message})` : `its journal could not be written (${cause.message})`;
  return new TugError(lock ? 'lock_lost' : 'state_lost', `The apply stopped: ${why}. ${applied} of ${outcomes.length} changes were applied before that.`, {
    exitCode: ExitCode.partial,
    hint: 'Nothing more was sent. Once the state store is reachable (and no other apply runs), run `tug apply --resume` — from this or any machine that shares the state store: requests whose outcome was not recorded are looked up before anything is sent again.',
    meta: { applied, total: outcomes.length },
    cause,
  });
}

interface Clock {
  started: number;
  now: () => number;
  lockLost: () => LockError | undefined;
}

async function execute(input: ApplyInput, journal: JournalWriter, prior: PriorRun, decided: Map<string, ChangeOutcome>, clock: Clock) {
  const ctx: ExecContext = {
    client: input.client,
    journal,
    refs: createRefResolver(input.client, input.plan.changes),
    prior: prior.requests,
    assertWritable: () => {
      const lost = clock.lockLost() ?? journal.failure;
      if (lost) throw lost;
    },
  };
  const tally = { applied: 0, failed: 0, skipped: 0 };
  return runBatches(ctx, input.plan.changes, {
    concurrency: input.concurrency ?? input.config.concurrency,
    decided,
    stopReason: (startedChanges) => {
      if (clock.lockLost()) return 'the apply lock was lost';
      if (journal.failure) return 'the journal could not be written';
      if (input.maxChanges !== undefined && startedChanges >= input.maxChanges) return `--max-changes ${input.maxChanges} reached`;
      if (input.maxDurationMs !== undefined && clock.now() - clock.started >= input.maxDurationMs) return '--max-duration reached';
      return undefined;
    },
    onDone: (outcome, total) => {
      tally[outcome.status] += 1;
      input.onProgress?.({ ...tally, done: tally.applied + tally.failed + tally.skipped, total, elapsedMs: clock.now() - clock.started });
    },
  });
}

function buildReport(
  input: ApplyInput,
  journal: JournalWriter,
  run: Awaited<ReturnType<typeof runBatches>>,
  convergence: ApplyReport['convergence'],
  before: MetricsSnapshot,
  wallMs: number,
  prior: PriorRun,
): ApplyReport {
  const after = input.client.metricsSnapshot().totals;
  return {
    planFingerprint: input.plan.fingerprint,
    journal: journal.file,
    outcomes: run.outcomes,
    counts: countOutcomes(run.outcomes),
    requests: after.requests - before.totals.requests,
    retries: after.retries - before.totals.retries,
    rateLimited: after.rateLimited - before.totals.rateLimited,
    wallMs,
    ...(run.stoppedEarly ? { stoppedEarly: run.stoppedEarly } : {}),
    resumed: (input.resume ?? false) && (prior.applied.size > 0 || prior.started.size > 0),
    convergence,
  };
}

function journalSummary(report: ApplyReport): Record<string, string | number | boolean | null> {
  const n = (s: string) => report.outcomes.filter((o) => o.status === s).length;
  return { applied: n('applied'), failed: n('failed'), skipped: n('skipped'), requests: report.requests, wallMs: report.wallMs, stoppedEarly: report.stoppedEarly ?? null, converged: report.convergence.ok };
}
