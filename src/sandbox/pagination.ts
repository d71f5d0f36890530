/**
 * Page-based pagination, as documented (DH:api-docs/pagination.md, DH:api-docs/rate-limit.md):
 * query `page` (0-based, default 0), `size` (default 20, max 1000), `sort` (comma list or repeated,
 * `+`/no prefix ascending, `-` descending); response
 * `{totalPages, totalElements, number, size, numberOfElements, content}`.
 * [assumed] size > 1000 or < 1, page < 0, or an unknown sort attribute → 400 constraint_violation;
 * a page past the end → 200 with empty content.
 */
import { constraintViolation, type Violation } from './http.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 1000;

export interface PageRequest {
  page: number;
  size: number;
  sort: Array<{ field: string; descending: boolean }>;
}

export interface Page<T> {
  totalPages: number;
  totalElements: number;
  number: number;
  size: number;
  numberOfElements: number;
  content: T[];
}

function parseInteger(raw: string | null, fallback: number): number | undefined {
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) return undefined;
  return Number(raw);
}

/** Parse and validate paging parameters; `sortable` lists the attributes this endpoint sorts on. */
export function parsePageRequest(query: URLSearchParams, sortable: readonly string[]): PageRequest {
  const violations: Violation[] = [];
  const page = parseInteger(query.get('page'), 0);
  const size = parseInteger(query.get('size'), DEFAULT_PAGE_SIZE);
  if (page === undefined || page < 0) {
    violations.push({ field: 'page', message: `value '${query.get('page')}' was rejected: must be greater than or equal to 0` });
  }
  if (size === undefined || size < 1 || size > MAX_PAGE_SIZE) {
    violations.push({
      field: 'size',
      message: `value '${query.get('size')}' was rejected: must be between 1 and ${MAX_PAGE_SIZE}`,
    });
  }
  const sort: PageRequest['sort'] = [];
  for (const raw of query.getAll('sort').flatMap((s) => s.split(','))) {
    const term = raw.trim();
    if (term === '') continue;
    const descending = term.startsWith('-');
    const field = term.replace(/^[+-]/, '').trim();
    if (!sortable.includes(field)) {
      violations.push({ field: 'sort', message: `value '${term}' was rejected: sortable attributes are ${sortable.join(', ')}` });
      continue;
    }
    sort.push({ field, descending });
  }
  if (violations.length > 0) throw constraintViolation(violations);
  return { page: page ?? 0, size: size ?? DEFAULT_PAGE_SIZE, sort };
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return 1; // nulls last
  if (b === undefined || b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en');
}

/**
 * Sort (stable: items keep their natural order — creation order — on ties) and cut one page.
 * `project` turns a stored record into its response shape, applied only to the page's items.
 */
export function paginate<R, T = R>(items: readonly R[], request: PageRequest, project?: (item: R) => T): Page<T> {
  let ordered = items;
  if (request.sort.length > 0) {
    ordered = [...items].sort((x, y) => {
      for (const { field, descending } of request.sort) {
        const diff = compareValues((x as Record<string, unknown>)[field], (y as Record<string, unknown>)[field]);
        if (diff !== 0) return descending ? -diff : diff;
      }
      return 0;
    });
  }
  const start = request.page * request.size;
  const slice = ordered.slice(start, start + request.size);
  const content = project ? slice.map(project) : (slice as unknown as T[]);
  return {
    totalPages: Math.ceil(items.length / request.size),
    totalElements: items.length,
    number: request.page,
    size: request.size,
    numberOfElements: content.length,
    content,
  };
}

/** Repeatable query filter: `?type=A&type=B` or `?type=A,B`. Empty result means "no filter". */
export function multiValue(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
