/**
 * `tug state show`: what the state store holds for the account(s) — who holds the apply lock, the last
 * journals and how each run ended, and the ISO 15143-3 budget per URL (when it may be asked normally
 * again, troubleshooting requests left, how old the cached answer is). Read-only: it never creates tables.
 *
 * `tug state migrate`: create or upgrade the postgres backend's tables now (any command does it on
 * first use; this is for a pipeline step or a database user with more rights than CI's).
 */
import { ConfigError } from '../../errors.js';
import { printable } from '../../render/printable.js';
import { formatTime } from '../../sources/iso15143/cached-client.js';
import type { UrlBudget } from '../../sources/iso15143/ledger.js';
import { ISO_POOL_SIZE } from '../../sources/iso15143/request-windows.js';
import { describeHolder, type Account, type JournalInfo, type LockStatus, type StateStore } from '../../state/index.js';
import { safePath } from '../../trackunit/errors.js';
import { writeLine, type RunContext } from '../context.js';
import { inventorySummary, type InventorySummary } from '../../plan/inventory-store.js';
import { loadApplied } from '../../plan/applied-store.js';
import { INVENTORY_KINDS } from '../../plan/run-plan.js';
import { formatCount } from '../../render/count.js';
import { accountsInScope, openProjectState, type StateFlags } from '../state-scope.js';

export interface StateShowFlags extends StateFlags {
  format?: string;
  journals?: string;
}

interface AccountView {
  account: string;
  irisUrl?: string;
  /** postgres: each account has its own lock and journals (local: the directory's, shown once). */
  lock?: LockStatus;
  journals?: JournalInfo[];
  iso: UrlBudget[];
  inventory: InventorySummary;
  /** tug drift's record of what was last applied: how many manifests, or why it would be discarded. */
  applied: { objects: number; discarded?: string };
}

interface StateView {
  backend: StateStore['backend'];
  store: string;
  schemaVersion: number;
  /** local: the directory's lock and journals. */
  lock?: LockStatus;
  journals?: JournalInfo[];
  accounts: AccountView[];
}

export async function runStateShow(flags: StateShowFlags, ctx: RunContext): Promise<number> {
  const format = flags.format ?? 'text';
  if (!['text', 'json'].includes(format)) throw new ConfigError('invalid_option', `--format must be text or json, got "${format}"`);
  const limit = Number(flags.journals ?? 5);
  if (!Number.isInteger(limit) || limit < 0) throw new ConfigError('invalid_option', `--journals must be a whole number, got "${flags.journals}"`);
  const { config, store } = await openProjectState(flags, ctx, { migrate: false });
  try {
    const schemaVersion = await store.schemaVersion();
    const empty = store.backend === 'postgres' && schemaVersion === 0;
    const accounts = empty ? [] : await accountsInScope(store, config, flags, ctx.env);
    const perAccount = store.backend === 'postgres';
    const view: StateView = {
      backend: store.backend,
      store: store.description,
      schemaVersion,
      ...(perAccount ? {} : await lockAndJournals(store, { key: 'local', irisUrl: '' }, limit)),
      accounts: await Promise.all(accounts.map(async (a) => ({ ...(await viewOf(store, a, ctx.now())), ...(perAccount ? await lockAndJournals(store, a, limit) : {}) }))),
    };
    if (format === 'json') writeLine(ctx.stdout, JSON.stringify(view, null, 2));
    else for (const line of textOf(view, empty, ctx.now())) writeLine(ctx.stdout, line);
    return 0;
  } finally {
    await store.close();
  }
}

async function lockAndJournals(store: StateStore, account: Account, limit: number): Promise<{ lock: LockStatus; journals: JournalInfo[] }> {
  const state = store.account(account);
  const [lock, journals] = await Promise.all([state.lock.inspect(), state.journals.list(limit)]);
  return { lock, journals };
}

async function viewOf(store: StateStore, account: Account, now: number): Promise<AccountView> {
  const state = store.account(account);
  const iso = await (await state.iso()).budget(now);
  const inventory = await inventorySummary(state.kv, account.key, INVENTORY_KINDS);
  const record = await loadApplied(state.kv, account.key);
  const applied = { objects: record.applied.size, ...(record.discarded ? { discarded: record.discarded } : {}) };
  return { account: account.key, ...(account.irisUrl ? { irisUrl: account.irisUrl } : {}), iso, inventory, applied };
}

function textOf(view: StateView, empty: boolean, now: number): string[] {
  const lines = [`State: ${view.store} (${view.backend} backend${view.backend === 'postgres' ? `, schema version ${view.schemaVersion}` : ''})`];
  if (empty) return [...lines, 'No tables yet: the first plan or apply creates them (or run `tug state migrate`).'];
  const lockAndJournalLines = (lock: LockStatus, journals: JournalInfo[], indent: string) => [
    `${indent}Apply lock: ${lockText(lock, now)}`,
    journals.length === 0 ? `${indent}Journals: none` : `${indent}Journals (last ${journals.length}):`,
    ...journals.map((j) => `${indent}  ${j.fingerprint.slice(0, 19)}…  ${j.status.padEnd(11)}  ${formatTime(j.modifiedMs)}`),
  ];
  if (view.lock && view.journals) lines.push(...lockAndJournalLines(view.lock, view.journals, ''));
  if (view.accounts.length === 0) return [...lines, 'No account has state here yet.'];
  for (const a of view.accounts) {
    lines.push('', `Account ${a.account}${a.irisUrl ? ` (${printable(a.irisUrl)})` : ''}`);
    if (a.lock && a.journals) lines.push(...lockAndJournalLines(a.lock, a.journals, '  '));
    lines.push(a.iso.length === 0 ? '  ISO 15143-3: nothing requested yet' : `  ISO 15143-3 budget (${a.iso.length} URL${a.iso.length === 1 ? '' : 's'}):`);
    for (const u of a.iso) lines.push(`    ${isoText(u, now)}`);
    lines.push(...inventoryText(a.inventory));
    lines.push(
      a.applied.discarded
        ? `  Record of what was applied: ${printable(a.applied.discarded)}`
        : `  Record of what was applied (tug drift): ${a.applied.objects === 0 ? 'none yet (apply writes it)' : `${formatCount(a.applied.objects)} manifests`}`,
    );
  }
  return lines;
}

function inventoryText(inv: InventorySummary): string[] {
  if (inv.discarded) return [`  Inventory: ${printable(inv.discarded)}`];
  const kinds = Object.entries(inv.kinds);
  if (kinds.length === 0) return ['  Inventory of per-object reads: empty (the next plan reads every one live)'];
  const plans = inv.lastPlanAt ? `; ${inv.plans} plan${inv.plans === 1 ? '' : 's'} counted, the last at ${inv.lastPlanAt}` : '';
  return [`  Inventory of per-object reads${plans}:`, ...kinds.map(([kind, k]) => `    ${kind}: ${formatCount(k.entries)} entries, oldest read ${k.oldestReadAt ?? '-'}`)];
}

function lockText(status: LockStatus, now: number): string {
  if (status.state === 'absent') return 'free';
  if (status.state === 'unreadable') return `unreadable (${status.note}); the next apply takes it over`;
  const lease = Date.parse(status.info.leaseUntil);
  const state =
    status.expired || lease <= now
      ? 'lease expired: the next apply takes it over'
      : status.holderGone
        ? 'its holder is gone: the next apply takes it over'
        : `lease until ${printable(status.info.leaseUntil)}`;
  return `held by ${describeHolder(status.info)}, started ${printable(status.info.startedAt)}; ${state}`;
}

function isoText(u: UrlBudget, now: number): string {
  const free =
    u.nextFreeAt === undefined
      ? 'may be asked now'
      : `next request ${formatTime(Date.parse(u.nextFreeAt))} (in ${Math.max(1, Math.ceil((Date.parse(u.nextFreeAt) - now) / 60_000))} min)`;
  const cached = u.cachedAt === undefined ? 'nothing cached' : `cached ${formatTime(Date.parse(u.cachedAt))}`;
  return `${safePath(new URL(u.url))}: ${free}; troubleshooting pool ${u.poolLeft}/${ISO_POOL_SIZE} left; ${cached}`;
}

export async function runStateMigrate(flags: StateFlags & { format?: string }, ctx: RunContext): Promise<number> {
  const { store } = await openProjectState(flags, ctx, { migrate: false });
  try {
    const report = await store.migrate();
    if (flags.format === 'json') writeLine(ctx.stdout, JSON.stringify({ backend: store.backend, store: store.description, ...report }, null, 2));
    else if (store.backend === 'local') writeLine(ctx.stdout, `The local state backend (${store.description}) has no schema to migrate.`);
    else if (report.applied.length === 0) writeLine(ctx.stdout, `${store.description}: schema version ${report.to}, up to date.`);
    else {
      writeLine(ctx.stdout, `${store.description}: migrated from version ${report.from} to ${report.to}:`);
      for (const m of report.applied) writeLine(ctx.stdout, `  ${m.version}  ${m.name}`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
