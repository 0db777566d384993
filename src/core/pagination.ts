// Auto-pagination over both documented conventions: Partner `page`/`pageSize` → `{<items>, total,
// page, pageSize}`, Organization `page`/`limit` → `{data, total, page, limit}`.
import type { MaybeOptionalInit } from 'openapi-fetch';

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

/** The request options of a paginated path (`params.query.page` is the first page, default 1). */
export type PaginateArgs<Paths extends Record<string, any>, P extends keyof Paths> =
  undefined extends MaybeOptionalInit<Paths[P], 'get'>
    ? [init?: MaybeOptionalInit<Paths[P], 'get'>]
    : [init: MaybeOptionalInit<Paths[P], 'get'>];

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

type FetchPage = (page: number) => Promise<unknown>;

/**
 * Fetches pages in order from `firstPage` and stops on an empty page, once `total` items are
 * covered, or on a page shorter than the page size.
 */
export async function* iteratePages(fetchPage: FetchPage, firstPage: number, requestedSize: number | undefined): AsyncGenerator<unknown, void, undefined> {
  for (let page = firstPage; ; page++) {
    const body = await fetchPage(page);
    const items = itemsOf(body);
    yield body;
    if (items.length === 0) return;
    const rec = (body ?? {}) as Record<string, unknown>;
    const size = num(rec.pageSize) ?? num(rec.limit) ?? requestedSize;
    const total = num(rec.total);
    if (size !== undefined && items.length < size) return;
    if (total !== undefined && size !== undefined && (num(rec.page) ?? page) * size >= total) return;
  }
}
