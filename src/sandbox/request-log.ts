/**
 * Every request the sandbox answered (or dropped), so tests and benchmarks can count calls:
 * "this plan made 12 requests, 0 writes", "at most one create per identity".
 */
export interface RequestLogEntry {
  seq: number;
  /** Clock time (ms since epoch) when the request arrived. */
  at: number;
  method: string;
  path: string;
  query: string;
  /** Route name (`sites.create`), or undefined when no route matched. */
  route: string | undefined;
  family: string | undefined;
  write: boolean;
  /** HTTP status sent; 0 when the connection was dropped or the request hung. */
  status: number;
  /** Wall-clock handling time in milliseconds. */
  durationMs: number;
  /** Injected fault, if any: drop, hang, commit-drop, 429, 503, … */
  fault?: string;
  /** Request body size in bytes. */
  requestBytes: number;
  /** Response body size in bytes. */
  responseBytes: number;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly limit = 200_000) {}

  add(entry: Omit<RequestLogEntry, 'seq'>): void {
    this.seq += 1;
    this.entries.push({ ...entry, seq: this.seq });
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }

  all(): RequestLogEntry[] {
    return [...this.entries];
  }

  /** Entries after a given sequence number (for incremental reads over HTTP). */
  since(seq: number): RequestLogEntry[] {
    return this.entries.filter((e) => e.seq > seq);
  }

  clear(): void {
    this.entries = [];
  }

  /** Count entries matching a predicate, e.g. `count(e => e.route === 'customers.create')`. */
  count(predicate: (e: RequestLogEntry) => boolean = () => true): number {
    let n = 0;
    for (const e of this.entries) if (predicate(e)) n += 1;
    return n;
  }
}
