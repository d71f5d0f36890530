/**
 * Pagination helpers.
 *
 * Page-based lists (documented page object): fetch page 0 at the configured size (1000 by default, the
 * documented maximum), learn `totalPages`, then fetch the remaining pages concurrently — the rate
 * scheduler bounds the concurrency. Pages are yielded in order.
 *
 * ISO 15143-3 lists: fetch page 1, read the `last` link, fetch pages 2..last concurrently; when there is
 * no `last` link, follow `next` one page at a time.
 */
import type { ApiFamily } from './config.js';
import type { QueryValue, TrackunitClient } from './client.js';

/** The documented page object. */
export interface Page<T> {
  totalPages: number;
  totalElements: number;
  number: number;
  size: number;
  numberOfElements: number;
  content: T[];
}

export interface ListSpec {
  family: ApiFamily;
  path: string;
  query?: Record<string, QueryValue>;
  /** Overrides the client's page size. */
  pageSize?: number;
}

async function fetchPage<T>(client: TrackunitClient, spec: ListSpec, page: number, size: number): Promise<Page<T>> {
  const response = await client.request<Page<T>>({
    family: spec.family,
    method: 'GET',
    path: spec.path,
    query: { ...spec.query, page, size },
  });
  const body = response.body;
  if (!body || !Array.isArray(body.content)) {
    throw new Error(`GET ${spec.path} did not answer a page object (no content array)`);
  }
  return body;
}

/** Every page of a list, in order; pages after the first are requested concurrently. */
export async function* iteratePages<T>(client: TrackunitClient, spec: ListSpec): AsyncGenerator<Page<T>> {
  const size = spec.pageSize ?? client.config.pageSize;
  const first = await fetchPage<T>(client, spec, 0, size);
  yield first;
  const rest = Array.from({ length: Math.max(0, first.totalPages - 1) }, (_, i) => fetchPage<T>(client, spec, i + 1, size));
  // Consume in order; attach handlers now so a later page's failure is not an unhandled rejection.
  for (const p of rest) p.catch(() => undefined);
  for (const page of rest) yield await page;
}

/** Every item of a list, in server order. */
export async function listAll<T>(client: TrackunitClient, spec: ListSpec): Promise<T[]> {
  const items: T[] = [];
  for await (const page of iteratePages<T>(client, spec)) items.push(...page.content);
  return items;
}

/** One ISO Link: `{rel, href}` (JSON) — the XML form is mapped to the same shape by the parser. */
export interface IsoLink {
  rel: string;
  href: string;
}

/** Page number at the end of an ISO page href (`…/Fleet/17?addMetadata=true` → 17). */
export function isoPageNumber(href: string): number | undefined {
  const m = /\/(\d+)(?:\?.*)?$/.exec(href);
  return m ? Number(m[1]) : undefined;
}

/**
 * Walk an ISO 15143-3 paged resource. `fetch(page)` fetches one page (1-based) and returns its links
 * and items; with a `last` link the remaining pages are fetched concurrently.
 */
export async function* followIsoPages<P extends { links: IsoLink[] }>(fetch: (page: number) => Promise<P>): AsyncGenerator<P> {
  const first = await fetch(1);
  yield first;
  const lastLink = first.links.find((l) => l.rel.toLowerCase() === 'last');
  const last = lastLink ? isoPageNumber(lastLink.href) : undefined;
  if (last !== undefined) {
    const rest = Array.from({ length: Math.max(0, last - 1) }, (_, i) => fetch(i + 2));
    for (const p of rest) p.catch(() => undefined);
    for (const page of rest) yield await page;
    return;
  }
  let current = first;
  for (;;) {
    const next = current.links.find((l) => l.rel.toLowerCase() === 'next');
    const n = next ? isoPageNumber(next.href) : undefined;
    if (n === undefined) return;
    current = await fetch(n);
    yield current;
  }
}

/**
 * Items whose `field` equals `value` exactly, using the list's server-side filter of the same name. If
 * the server ignored the filter (items with other values, or more than one page), the whole list is read
 * and filtered here: a false "not found" would make apply create a duplicate.
 */
export async function findExact<T>(client: TrackunitClient, spec: Omit<ListSpec, 'query' | 'pageSize'>, field: string, value: string): Promise<T[]> {
  if (value === '') return [];
  const matches = (item: T) => (item as Record<string, unknown>)[field] === value;
  const page = await fetchPage<T>(client, { ...spec, query: { [field]: value } }, 0, client.config.pageSize);
  const honoured = page.totalPages <= 1 && page.content.every(matches);
  const candidates = honoured ? page.content : await listAll<T>(client, { ...spec, query: { [field]: value } });
  return candidates.filter(matches);
}
