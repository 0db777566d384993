// Auto-pagination over both documented conventions: Partner `page`/`pageSize` → `{<items>, total,
// page, pageSize}`, Organization `page`/`limit` → `{data, total, page, limit}`.
import { InvalidResponseError } from './errors.js';

type GetOperation<Paths, P extends keyof Paths> = Paths[P] extends { get: infer O } ? O : never;
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type ArrayItemOf<T> = NonNullable<T> extends readonly (infer I)[] ? I : never;

/** The JSON body of a GET operation's 200 response. */
export type PageBody<Paths, P extends keyof Paths> =
  GetOperation<Paths, P> extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;

/** The item type of a page: the `data` array, else the page's only top-level array. */
export type PageItem<Paths, P extends keyof Paths> =
  PageBody<Paths, P> extends { data: infer D }
    ? ArrayItemOf<D>
    : { [K in keyof PageBody<Paths, P>]-?: ArrayItemOf<PageBody<Paths, P>[K]> }[keyof PageBody<Paths, P>];

/** Paths whose GET takes a `page` query parameter and returns an array of items. */
export type PaginatedPath<Paths> = {
  [P in keyof Paths]: 'page' extends keyof QueryOf<GetOperation<Paths, P>>
    ? [PageItem<Paths, P>] extends [never]
      ? never
      : P
    : never;
}[keyof Paths];

/** Most pages one `paginate`/`pages` loop fetches before it gives up with an error. */
export const MAX_PAGES = 10_000;

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The items of one page body, following the documented conventions. */
export function itemsOf(body: unknown): unknown[] {
  if (!body || typeof body !== 'object') return [];
  const rec = body as Record<string, unknown>;
  if (Array.isArray(rec.data)) return rec.data;
  for (const value of Object.values(rec)) if (Array.isArray(value)) return value;
  return [];
}

const stalled = (message: string, page: number): InvalidResponseError =>
  new InvalidResponseError({ code: 'pagination_stalled', message: `Pagination stopped at page ${page}: ${message}`, details: { page } });

/**
 * Fetches pages in order from `firstPage` and stops on an empty page, once `total` items are
 * covered, or on a page shorter than the page size. Every loop ends: a page that reports another
 * page number than the one asked for, or repeats the previous page's items, throws
 * `InvalidResponseError` (code `pagination_stalled`), and so does reaching `MAX_PAGES`.
 */
export async function* iteratePages(fetchPage: (page: number) => Promise<unknown>, firstPage: number, requestedSize: number | undefined): AsyncGenerator<unknown, void, undefined> {
  let previous: string | undefined;
  for (let page = firstPage; ; page++) {
    if (page - firstPage >= MAX_PAGES) throw stalled(`${MAX_PAGES} pages fetched and the server still reports more`, page);
    const body = await fetchPage(page);
    const items = itemsOf(body);
    const rec = (body ?? {}) as Record<string, unknown>;
    const reported = num(rec.page);
    if (reported !== undefined && reported !== page) throw stalled(`asked for page ${page}, the server answered page ${reported}`, page);
    // The same first item twice in a row: the server ignores the page asked for.
    const fingerprint = items.length ? JSON.stringify(items[0]) : undefined;
    if (fingerprint !== undefined && fingerprint === previous) throw stalled('the page repeats the previous page', page);
    previous = fingerprint;
    yield body;
    if (items.length === 0) return;
    const size = num(rec.pageSize) ?? num(rec.limit) ?? requestedSize;
    const total = num(rec.total);
    if (size !== undefined && items.length < size) return;
    if (total !== undefined && size !== undefined && page * size >= total) return;
  }
}
