/**
 * The ISO 15143-3 snapshot as a data source: the whole fleet (every page, through `isoApi().fleet()`)
 * or one element by identifier, each request going through the cache and the per-URL budget
 * (cached-client.ts), each equipment turned into a typed record (record.ts).
 *
 * Metadata is asked for by default: it carries the Trackunit asset id (MachineId) and the external
 * reference, which the ERP export and the plan's identifier lookup need.
 */
import { accountOf } from '../../trackunit/account.js';
import type { TrackunitClient } from '../../trackunit/client.js';
import { isoApi, type IsoFleetPage, type IsoFormat } from '../../trackunit/endpoints/iso.js';
import { isoPageNumber } from '../../trackunit/paginate.js';
import { ISO_URL_WINDOW_MS } from './request-windows.js';
import { cachedIsoClient, type IsoRunStats } from './cached-client.js';
import type { IsoStateSource } from './ledger.js';
import { toRecord, type IsoRecord } from './record.js';

export interface IsoProgress {
  pagesDone: number;
  /** Known once page 1 has arrived (its `last` link). */
  pagesTotal: number | undefined;
}

export interface IsoSourceOptions {
  client: TrackunitClient;
  /** Where the cache and the per-URL budget live: the state store (a directory, or the shared database). */
  state: IsoStateSource;
  /** The clock of the cache and the 15-minute rule (tests share a fake one with the sandbox). */
  now?: () => number;
  /** Serve cached responses younger than this (default and minimum: 15 minutes, see budget.ts). */
  maxAgeMs?: number;
  /** Allow requests inside the 15-minute window, from the URL's troubleshooting pool. */
  allowPool?: boolean;
  /** Wire format; the records are the same either way. Default json. */
  format?: IsoFormat;
  /** Default true: Trackunit asset id and external reference. */
  addMetadata?: boolean;
  addExtendedData?: boolean;
  /** Cache warnings (damaged files); default: ignored. */
  warn?: (message: string) => void;
}

export interface IsoSnapshot {
  records: IsoRecord[];
  /** Pages read (from the server or the cache). */
  pages: number;
  /** The snapshot time of page 1, as sent. */
  snapshotTime?: string;
  /** Equipment listed twice (same Trackunit asset id; the fleet changed while the pages were read), dropped. */
  duplicates: number;
  stats: IsoRunStats;
}

async function openSource(options: IsoSourceOptions) {
  const now = options.now ?? (() => Date.now());
  const { config } = options.client;
  const ledger = await options.state.account(accountOf(config)).iso(options.warn);
  const policy = { maxAgeMs: options.maxAgeMs ?? ISO_URL_WINDOW_MS, allowPool: options.allowPool ?? false };
  const gate = cachedIsoClient(options.client, ledger, { now, policy });
  const requestOptions = { format: options.format ?? 'json', addMetadata: options.addMetadata ?? true, addExtendedData: options.addExtendedData ?? false };
  return { gate, iso: isoApi(gate.client), requestOptions };
}

/** Runs `work`; on failure waits until every started request is recorded in the cache, then rethrows. */
async function settled<T>(gate: { settle(): Promise<void> }, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await gate.settle();
    throw error;
  }
}

function pageCount(page: IsoFleetPage): number | undefined {
  const last = page.links.find((l) => l.rel.toLowerCase() === 'last');
  return last ? isoPageNumber(last.href) : undefined;
}

/** Every page of the fleet snapshot as records, in fleet order. */
export async function fetchIsoSnapshot(options: IsoSourceOptions & { onProgress?: (progress: IsoProgress) => void }): Promise<IsoSnapshot> {
  const { gate, iso, requestOptions } = await openSource(options);
  return settled(gate, async () => {
    const records: IsoRecord[] = [];
    const seen = new Set<string>();
    let duplicates = 0;
    let pages = 0;
    let total: number | undefined;
    let snapshotTime: string | undefined;
    for await (const page of iso.fleet(requestOptions)) {
      pages += 1;
      if (pages === 1) {
        total = pageCount(page);
        snapshotTime = page.snapshotTime;
      }
      for (const equipment of page.equipment) {
        const record = toRecord(equipment);
        const id = record.metadata?.machineId;
        if (id !== undefined && seen.has(id)) {
          duplicates += 1;
          continue;
        }
        if (id !== undefined) seen.add(id);
        records.push(record);
      }
      options.onProgress?.({ pagesDone: pages, pagesTotal: total === undefined ? undefined : Math.max(total, pages) });
    }
    return { records, pages, duplicates, stats: gate.stats, ...(snapshotTime === undefined ? {} : { snapshotTime }) };
  });
}

/** One equipment by its OEM ISO identifier (PIN/VIN or serial), from the single-element endpoint. */
export async function fetchIsoElement(options: IsoSourceOptions & { identifier: string }): Promise<{ record: IsoRecord | undefined; stats: IsoRunStats }> {
  const { gate, iso, requestOptions } = await openSource(options);
  return settled(gate, async () => {
    const page = await iso.singleElement(options.identifier.trim(), requestOptions);
    const equipment = page?.equipment[0];
    return { record: equipment === undefined ? undefined : toRecord(equipment), stats: gate.stats };
  });
}
