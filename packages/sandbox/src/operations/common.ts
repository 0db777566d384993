// Helpers the operations share: pagination in each API's convention, ids, and record output.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Context } from '../types.js';
import { HttpError } from '../errors.js';
import type { Json } from '../spec.js';
import type { Rec } from '../store.js';

export type Body = Record<string, Json>;

/**
 * The page a Partner list asks for: `page`/`pageSize` → `{<name>, total, page, pageSize}`. `out`
 * shapes only the records on the page, so a long list costs one shaping per returned item.
 */
export function partnerPage<R>(ctx: Context, name: string, items: R[], out: (r: R) => Json = (r) => r as Json, defaultSize = 20): Body {
  const page = Number(ctx.query.page ?? 1);
  const pageSize = Number(ctx.query.pageSize ?? defaultSize);
  return { [name]: items.slice((page - 1) * pageSize, page * pageSize).map(out), total: items.length, page, pageSize };
}

/** The page an Organization list asks for: `page`/`limit` → `{data, total, page, limit}`; `out` as in `partnerPage`. */
export function organizationPage<R>(ctx: Context, items: R[], out: (r: R) => Json = (r) => r as Json, defaultLimit = 20): Body {
  const page = Number(ctx.query.page ?? 1);
  const limit = Number(ctx.query.limit ?? defaultLimit);
  return { data: items.slice((page - 1) * limit, page * limit).map(out), total: items.length, page, limit };
}

/**
 * The records of a table that `keep` accepts, in the table's order. A walk over the keys rather than
 * `Object.values(table).filter(…)`: past about a thousand records V8 keeps a table object as a
 * dictionary, where `Object.values` costs a few times as much as the walk (measured at 10,000
 * organizations), and every list call scans its table.
 */
export function recordsWhere<T>(table: Record<string, T>, keep: (record: T) => boolean): T[] {
  const out: T[] = [];
  for (const id in table) {
    const record = table[id]!;
    if (keep(record)) out.push(record);
  }
  return out;
}

/** Creation order, the stable order of every list unless the operation documents another. */
export const bySeq = (a: { seq: number }, b: { seq: number }): number => a.seq - b.seq;

/**
 * Code-unit order of two strings. The sort keys are ISO timestamps of one format, where it is also
 * their time order; `localeCompare` gives the same answer through the collator, many times slower.
 */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Most recent first by a timestamp field, creation order breaking ties. */
export const recentFirst =
  (field: string) =>
  (a: Rec & { seq: number }, b: Rec & { seq: number }): number =>
    compareText(String(b[field] ?? ''), String(a[field] ?? '')) || b.seq - a.seq;

/** A record without the store's own fields. */
export function strip<T extends Rec>(rec: T, ...drop: string[]): Rec {
  const out: Rec = {};
  for (const [k, v] of Object.entries(rec)) if (k !== 'seq' && !drop.includes(k)) out[k] = v;
  return out;
}

export const uuid = (): string => randomUUID();
export const shortId = (prefix: string): string => `${prefix}_${randomBytes(6).toString('hex')}`;
export const hex32 = (): string => randomBytes(16).toString('hex');

export function body(ctx: Context): Body {
  return (ctx.body ?? {}) as Body;
}

export const notFound = (what: string): HttpError => new HttpError(404, `${what} was not found`);
export const unprocessable = (message: string, details: Record<string, Json> = {}): HttpError => new HttpError(422, message, details);

/** `expiresAt` of a new key must lie in the (sandbox's) future. */
export function checkExpiry(ctx: Context, expiresAt: Json | undefined): void {
  if (typeof expiresAt === 'string' && Date.parse(expiresAt) <= ctx.now().getTime()) {
    throw unprocessable('expiresAt must be in the future', { field: 'expiresAt', reason: 'must be in the future' });
  }
}

/** Whether an ISO timestamp falls within [from, to] given as dates (both days included). */
export function withinDates(iso: Json | undefined, from: string | undefined, to: string | undefined): boolean {
  if (typeof iso !== 'string') return false;
  const day = iso.slice(0, 10);
  return (!from || day >= from.slice(0, 10)) && (!to || day <= to.slice(0, 10));
}

export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);
