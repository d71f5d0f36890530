/**
 * The ISO snapshot cache in the state directory: one index (versioned JSON) keyed by the FULL request
 * URL — origin, path and query string, the key of the export's one-request-per-15-minutes rule — with
 * every request time and the usable response kept per URL; response bodies as sent (JSON or XML) in
 * files beside it, checked by SHA-256 when read. A whole-fleet snapshot is therefore cached as its pages.
 *
 *   <stateDir>/iso15143/<host>-<account hash>/index.json
 *   <stateDir>/iso15143/<host>-<account hash>/responses/<sha256 of the URL>.json|.xml
 *
 * The directory is per account (base URL + client id, hashed) so two accounts sharing a state
 * directory never see each other's fleet or budget. Damage is survivable: an unreadable body is
 * dropped with a warning (its request times still hold the 15-minute rule); an unreadable index is
 * set aside as index.json.corrupt with a warning and the cache starts empty.
 */
import { createHash } from 'node:crypto';
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Account } from '../../trackunit/account.js';
import { writeFileAtomic } from '../../state/atomic-write.js';
import type { Claim, IsoLedger, RequestTicket, StoredResponse, UrlBudget } from './ledger.js';
import { budgetOf, decide, pruneEntry, type CachePolicy, type CachedResponse, type Decision, type RequestRecord, type UrlEntry } from './request-windows.js';

export type { StoredResponse } from './ledger.js';

export const CACHE_FORMAT_VERSION = 1;
const KIND = 'tug/iso15143-cache';

export interface CacheIndex {
  kind: typeof KIND;
  formatVersion: typeof CACHE_FORMAT_VERSION;
  urls: Record<string, UrlEntry>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The cache directory of one account: readable host, hashed identity (no credential is written). */
export function cacheDirFor(stateDir: string, account: Account): string {
  return join(stateDir, 'iso15143', account.key);
}

/** A ticket of this cache: the record it wrote (finish/cancel find it by identity). */
interface LocalTicket extends RequestTicket {
  readonly record: RequestRecord;
}

function validIndex(value: unknown): value is CacheIndex {
  if (!isObject(value) || value.kind !== KIND || !isObject(value.urls)) return false;
  return Object.values(value.urls).every((e) => isObject(e) && Array.isArray(e.requests));
}

export class IsoCache implements IsoLedger {
  private saved = 0;
  private version = 0;
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private readonly index: CacheIndex,
    private readonly warn: (message: string) => void,
  ) {}

  /** Open (or start) the cache in `dir`; problems become warnings, never errors. */
  static async open(dir: string, warn: (message: string) => void = () => undefined): Promise<IsoCache> {
    const empty = (): CacheIndex => ({ kind: KIND, formatVersion: CACHE_FORMAT_VERSION, urls: {} });
    const file = join(dir, 'index.json');
    let raw: string;
    try {
      raw = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warn(`ISO cache index ${file} cannot be read (${(error as Error).message}); starting empty`);
      return new IsoCache(dir, empty(), warn);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    if (isObject(parsed) && parsed.kind === KIND && parsed.formatVersion !== CACHE_FORMAT_VERSION) {
      warn(`ISO cache index ${file} has format version ${String(parsed.formatVersion)}, this tug reads ${CACHE_FORMAT_VERSION}; starting empty`);
      return new IsoCache(dir, empty(), warn);
    }
    if (!validIndex(parsed)) {
      warn(`ISO cache index ${file} is corrupt; moved to index.json.corrupt, starting empty (the 15-minute record is lost)`);
      await rename(file, `${file}.corrupt`).catch(() => undefined);
      return new IsoCache(dir, empty(), warn);
    }
    return new IsoCache(dir, parsed, warn);
  }

  async claim(url: string, now: number, policy: CachePolicy): Promise<Claim> {
    for (;;) {
      const decision = this.decide(url, now, policy);
      if (decision.action === 'refuse') return decision;
      if (decision.action === 'request') {
        const record = await this.beginRequest(url, now, decision.pool);
        const ticket: LocalTicket = { url, at: record.at, pool: decision.pool, record };
        return { action: 'request', ticket };
      }
      const response = await this.read(url, decision.response);
      // A damaged response was dropped: decide again (its request times still hold).
      if (response) return { action: 'serve', response, cached: decision.response };
    }
  }

  finish(ticket: RequestTicket, status: number, now: number, response?: StoredResponse): Promise<void> {
    return this.finishRequest(ticket.url, (ticket as LocalTicket).record, status, now, response);
  }

  cancel(ticket: RequestTicket): Promise<void> {
    return this.cancelRequest(ticket.url, (ticket as LocalTicket).record);
  }

  async budget(now: number): Promise<UrlBudget[]> {
    return Object.entries(this.index.urls)
      .map(([url, entry]) => budgetOf(url, entry, now))
      .sort((a, b) => a.url.localeCompare(b.url));
  }

  entry(url: string): UrlEntry | undefined {
    return this.index.urls[url];
  }

  decide(url: string, now: number, policy: CachePolicy): Decision {
    return decide(this.entry(url), now, policy);
  }

  /** The cached response of a URL, verified; a damaged one is dropped with a warning (undefined). */
  async read(url: string, response: CachedResponse): Promise<StoredResponse | undefined> {
    if (response.status === 404) return { status: 404, text: '', contentType: response.contentType ?? 'application/json' };
    let text: string | undefined;
    try {
      text = response.file === undefined ? undefined : await readFile(join(this.dir, response.file), 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined && sha256(text) === response.sha256) return { status: 200, text, contentType: response.contentType ?? '' };
    this.warn(`cached ISO response for ${url} is ${text === undefined ? 'missing' : 'damaged'}; dropped (the 15-minute rule still applies to it)`);
    const entry = this.entry(url);
    if (entry) delete entry.response;
    await this.save();
    return undefined;
  }

  /**
   * Note a request BEFORE it is sent and persist the note, so even a run that dies mid-request leaves
   * the time behind and the next run does not spend the pool on the same URL.
   */
  async beginRequest(url: string, now: number, pool: boolean): Promise<RequestRecord> {
    const entry = (this.index.urls[url] ??= { requests: [] });
    pruneEntry(entry, now);
    const record: RequestRecord = { at: new Date(now).toISOString(), status: 0, ...(pool ? { pool: true as const } : {}) };
    entry.requests.push(record);
    await this.save();
    return record;
  }

  /** The request's outcome; a usable response (200, or 404 for a single element) is kept. */
  async finishRequest(url: string, record: RequestRecord, status: number, now: number, response?: StoredResponse): Promise<void> {
    const entry = (this.index.urls[url] ??= { requests: [record] });
    record.status = status;
    if (response) entry.response = await this.store(url, response, now);
    await this.save();
  }

  /** The request never left (no token, connection refused): it used nothing, forget it. */
  async cancelRequest(url: string, record: RequestRecord): Promise<void> {
    const entry = this.entry(url);
    if (entry) entry.requests = entry.requests.filter((r) => r !== record);
    await this.save();
  }

  /** The server refused the URL (429) until `retryAt`: remember it so no run asks earlier. */
  async refusedUntil(url: string, retryAt: number): Promise<void> {
    const entry = (this.index.urls[url] ??= { requests: [] });
    entry.notBefore = new Date(retryAt).toISOString();
    await this.save();
  }

  private async store(url: string, response: StoredResponse, now: number): Promise<CachedResponse> {
    const fetchedAt = new Date(now).toISOString();
    if (response.status === 404) return { status: 404, fetchedAt, contentType: response.contentType, bytes: 0 };
    const extension = response.text.trimStart().startsWith('<') ? 'xml' : 'json';
    const file = join('responses', `${sha256(url).slice(0, 32)}.${extension}`);
    await writeFileAtomic(join(this.dir, file), response.text);
    return { status: 200, fetchedAt, file, sha256: sha256(response.text), contentType: response.contentType, bytes: Buffer.byteLength(response.text) };
  }

  /**
   * Persist the index (atomic). Calls made while a write is running are coalesced into one more write
   * of the latest state; every caller returns once a state at least as new as its own is on disk.
   */
  save(): Promise<void> {
    this.version += 1;
    const wanted = this.version;
    // A failed write fails its callers, not every later save.
    const run = this.chain
      .catch(() => undefined)
      .then(async () => {
        if (this.saved >= wanted) return;
        const version = this.version;
        await writeFileAtomic(join(this.dir, 'index.json'), `${JSON.stringify(this.index)}\n`);
        this.saved = version;
      });
    this.chain = run;
    return run;
  }
}
