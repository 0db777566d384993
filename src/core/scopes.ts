// The one scope rule: what a key holding some scopes may call, read from generated/apis.ts (each
// security scheme's `x-scope-includes` in the spec). The SDK's narrowing (types and run time), the
// MCP server's tool filter, the mock's 403 answers and the docs all ask these functions.
import { apis } from '../../generated/apis.js';
import type { ApiId } from './routes.js';

/** The scopes a key of API `A` can carry. */
export type ScopeOf<A extends ApiId> = keyof (typeof apis)[A]['scopes'] & string;

/** Every scope a key with scopes `S` holds on API `A`: each of `S` and what it includes (`write` → `write | read`). */
export type GrantedScope<A extends ApiId, S extends string> = S extends ScopeOf<A> ? (typeof apis)[A]['scopes'][S] extends readonly (infer G)[] ? G & string : never : never;

/** What the scope rule reads of an API: its name and, per scope, every scope it includes (itself first). */
export interface ScopeFacts {
  readonly name: string;
  readonly scopes: Readonly<Record<string, readonly string[]>>;
}

/** The scope names of `api`, in the spec's order. */
export function scopeNames(api: ApiId): string[] {
  return Object.keys(apis[api].scopes);
}

/**
 * The scopes in `held` that `api` does not know, with a message naming the valid ones; `undefined`
 * when every one is known. The same wording for the SDK, the CLI and the MCP server.
 */
export function unknownScopesMessage(api: ApiId, held: readonly unknown[]): string | undefined {
  return unknownScopes(apis[api], held);
}

/** `unknownScopesMessage` on an API's facts (what a client holds, so its bundle carries no other API's). */
export function unknownScopes(api: ScopeFacts, held: readonly unknown[]): string | undefined {
  const unknown = held.filter((s) => typeof s !== 'string' || !Object.hasOwn(api.scopes, s));
  if (!unknown.length) return undefined;
  return `unknown scope ${unknown.map((s) => JSON.stringify(String(s))).join(', ')}; the ${api.name} scopes are ${Object.keys(api.scopes).join(', ')}`;
}

/**
 * Every scope a key holding `held` has on `api`: `held` and what each includes. Unknown names add
 * nothing (check them first with `unknownScopesMessage`).
 */
export function grantedScopes(api: ApiId, held: readonly string[]): Set<string> {
  return granted(apis[api], held);
}

const granted = (api: ScopeFacts, held: readonly string[]): Set<string> => new Set(held.flatMap((s) => (Object.hasOwn(api.scopes, s) ? api.scopes[s]! : [])));

/** Whether a key holding `held` may call an operation that requires any one of `required`. */
export function scopesAllow(api: ApiId, held: readonly string[], required: readonly string[]): boolean {
  return allows(apis[api], held, required);
}

/** `scopesAllow` on an API's facts. */
export function allows(api: ScopeFacts, held: readonly string[], required: readonly string[]): boolean {
  const set = granted(api, held);
  return required.some((s) => set.has(s));
}

/** The scopes of `api` a key can hold to call an operation requiring `required` (`write` → `write, admin`). */
export function scopesGranting(api: ApiId, required: string): string[] {
  const table: Readonly<Record<string, readonly string[]>> = apis[api].scopes;
  return scopeNames(api).filter((s) => table[s]!.includes(required));
}
