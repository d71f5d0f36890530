/**
 * `tug snapshot`: the ISO 15143-3 fleet snapshot for the ERP — one row per asset (PIN, serial, make,
 * model, name, Trackunit asset id, external reference, hour meter, last position, last seen) as JSON,
 * NDJSON or CSV, on stdout or atomically into --out. Every response is cached in the state directory
 * and the export's one-request-per-URL-per-15-minutes rule is kept across runs; the troubleshooting
 * pool is spent only with --use-troubleshooting-pool. Progress and the summary go to stderr.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, TugError } from '../../errors.js';
import { formatCount, plural } from '../../render/count.js';
import { toCsv } from '../../render/csv.js';
import { LocalStateStore, openStateStore, type StateStore } from '../../state/index.js';
import { writeFileAtomic } from '../../state/atomic-write.js';
import { ISO_URL_WINDOW_MS } from '../../sources/iso15143/request-windows.js';
import type { IsoRunStats } from '../../sources/iso15143/cached-client.js';
import { fetchIsoElement, fetchIsoSnapshot, type IsoProgress, type IsoSourceOptions } from '../../sources/iso15143/fetch.js';
import type { IsoRecord } from '../../sources/iso15143/record.js';
import { SNAPSHOT_COLUMNS, toSnapshotRow } from '../../sources/iso15143/row.js';
import { loadProjectConfig } from '../../config/load.js';
import { connectProject, type ConnectFlags } from '../connect.js';
import { writeLine, type RunContext } from '../context.js';
import { parseDuration } from '../duration.js';

export interface SnapshotFlags extends ConnectFlags {
  format: string;
  out?: string;
  id?: string;
  maxAge?: string;
  stateDir?: string;
  useTroubleshootingPool?: boolean;
}

export type SnapshotFormat = 'json' | 'csv' | 'ndjson';

export interface SnapshotOptions {
  format: SnapshotFormat;
  out?: string;
  id?: string;
  maxAgeMs: number;
  /** Undefined: `state/`, or a throw-away directory with an embedded sandbox (a fresh one each run). */
  stateDir?: string;
  allowPool: boolean;
}

/** Fleets of at least this many pages (100 assets each) get progress lines. */
const PROGRESS_MIN_PAGES = 10;

export function parseSnapshotFlags(flags: SnapshotFlags): SnapshotOptions {
  if (!['json', 'csv', 'ndjson'].includes(flags.format)) {
    throw new ConfigError('invalid_option', `--format must be json, csv or ndjson, got "${flags.format}"`);
  }
  const id = flags.id?.trim();
  if (flags.id !== undefined && !id) throw new ConfigError('invalid_option', '--id needs a PIN, VIN or serial number');
  return {
    format: flags.format as SnapshotFormat,
    ...(flags.out ? { out: flags.out } : {}),
    ...(id ? { id } : {}),
    maxAgeMs: flags.maxAge === undefined ? ISO_URL_WINDOW_MS : parseDuration(flags.maxAge, '--max-age', '15m, 2h or 1d'),
    ...(flags.stateDir ? { stateDir: flags.stateDir } : {}),
    allowPool: flags.useTroubleshootingPool === true,
  };
}

export function renderSnapshot(records: IsoRecord[], format: SnapshotFormat): string {
  const rows = records.map(toSnapshotRow);
  if (format === 'csv') return toCsv(SNAPSHOT_COLUMNS, rows);
  if (format === 'ndjson') return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
  // One asset per line: still one JSON array, but diffable and greppable.
  return rows.length === 0 ? '[]\n' : `[\n${rows.map((row) => JSON.stringify(row)).join(',\n')}\n]\n`;
}

/** Progress on stderr: a rewritten line on a terminal, a plain line per tenth of the pages otherwise. */
function progressPrinter(ctx: RunContext) {
  const tty = (ctx.stderr as NodeJS.WriteStream).isTTY === true;
  let lastTenth = 0;
  let openLine = false;
  return {
    onProgress: ({ pagesDone, pagesTotal }: IsoProgress) => {
      if (pagesTotal === undefined || pagesTotal < PROGRESS_MIN_PAGES) return;
      if (tty) {
        openLine = pagesDone < pagesTotal;
        ctx.stderr.write(`\rISO snapshot: page ${pagesDone}/${pagesTotal}${openLine ? '' : '\n'}`);
        return;
      }
      const tenth = Math.floor((pagesDone * 10) / pagesTotal);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        writeLine(ctx.stderr, `ISO snapshot: ${pagesDone}/${pagesTotal} pages (${tenth * 10}%)`);
      }
    },
    /** Ends a progress line left open by a failure, so the error starts on its own line. */
    close: () => {
      if (openLine) ctx.stderr.write('\n');
      openLine = false;
    },
  };
}

export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  return h < 48 ? `${h} h ${min % 60} min` : `${Math.floor(h / 24)} days`;
}

function summary(what: string, stats: IsoRunStats, now: number, extra: string[]): string {
  const cached = stats.fromCache === 0 ? '0 served from cache' : `${formatCount(stats.fromCache)} served from cache (${formatAge(now - (stats.oldestCachedAt ?? now))} old)`;
  const parts = [`${plural(stats.requests, 'request')} made`, cached, `${plural(stats.poolRequests, 'troubleshooting-pool request')} used`];
  if (stats.throttled > 0) parts.push(`${plural(stats.throttled, 'per-second 429')} waited out`);
  return `ISO snapshot: ${what}; ${[...parts, ...extra].join(', ')}`;
}

async function fetchRecords(options: SnapshotOptions, source: IsoSourceOptions, ctx: RunContext) {
  if (options.id === undefined) {
    const progress = progressPrinter(ctx);
    const snapshot = await fetchIsoSnapshot({ ...source, onProgress: progress.onProgress }).finally(progress.close);
    const extra = snapshot.duplicates > 0 ? [`${snapshot.duplicates} duplicate equipment dropped`] : [];
    return { records: snapshot.records, stats: snapshot.stats, what: `${plural(snapshot.records.length, 'asset')} from ${plural(snapshot.pages, 'page')}`, extra };
  }
  const { record, stats } = await fetchIsoElement({ ...source, identifier: options.id });
  if (!record) {
    writeLine(ctx.stderr, summary(`no equipment for "${options.id}"`, stats, ctx.now(), []));
    throw new TugError('iso_not_found', `the ISO export has no equipment with PIN/VIN or serial number "${options.id}"`, {
      hint: 'Check the identifier (the export matches it as stored in Trackunit); the answer is cached for 15 minutes like any other.',
      meta: { identifier: options.id },
    });
  }
  return { records: [record], stats, what: `1 asset for "${options.id}"`, extra: [] };
}

export async function runSnapshot(options: SnapshotOptions, flags: ConnectFlags, ctx: RunContext): Promise<number> {
  if (!options.allowPool && options.maxAgeMs < ISO_URL_WINDOW_MS) {
    writeLine(ctx.stderr, `Note: --max-age below 15 minutes is raised to 15 minutes (one request per URL per 15 minutes); --use-troubleshooting-pool refetches sooner.`);
  }
  // Like plan and apply: tug.yaml here (if any) says where Trackunit is — `irisUrl: sandbox` included.
  const config = await loadProjectConfig({ cwd: ctx.cwd });
  const connection = await connectProject(config, flags, ctx.env);
  let throwAway: string | undefined;
  let state: StateStore | undefined;
  try {
    // --state-dir: that directory; an embedded sandbox: a throwaway one; else the project's state store.
    if (options.stateDir === undefined && connection.sandbox) throwAway = await mkdtemp(join(tmpdir(), 'tug-snapshot-'));
    const dir = throwAway ?? options.stateDir;
    state = dir !== undefined ? new LocalStateStore(resolve(ctx.cwd, dir)) : await openStateStore(config, ctx.env);
    const source: IsoSourceOptions = {
      client: connection.client,
      state,
      now: ctx.now,
      maxAgeMs: options.maxAgeMs,
      allowPool: options.allowPool,
      warn: (message) => writeLine(ctx.stderr, `${ctx.color.yellow('Warning:')} ${message}`),
    };
    const { records, stats, what, extra } = await fetchRecords(options, source, ctx);
    const text = renderSnapshot(records, options.format);
    if (options.out !== undefined) {
      await writeFileAtomic(resolve(options.out), text);
      extra.push(`written to ${options.out}`);
    } else {
      ctx.stdout.write(text);
    }
    writeLine(ctx.stderr, summary(what, stats, ctx.now(), extra));
    return 0;
  } finally {
    await connection.close();
    await state?.close();
    if (throwAway) await rm(throwAway, { recursive: true, force: true });
  }
}

export async function runSnapshotCommand(flags: SnapshotFlags, ctx: RunContext): Promise<number> {
  return runSnapshot(parseSnapshotFlags(flags), flags, ctx);
}
