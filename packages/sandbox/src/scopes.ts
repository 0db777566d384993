// What a key's scopes let it call: the spec's shared scope rule (src/core/scopes.ts over
// generated/apis.ts), plus the two cases that rule leaves to the caller: an operation that names no
// scope, and a key created without scopes (full access where the API's facts say so).
import { apis, scopesAllow, scopesGranting } from '@bullseye/api';
import type { Api } from './spec.js';

/** Whether a key of `api` holding `held` may call an operation that requires any one of `required`. */
export function grants(api: Api, held: readonly string[], required: readonly string[]): boolean {
  if (required.length === 0) return true;
  if (held.length === 0 && apis[api].unscopedKey === 'full-access') return true;
  return scopesAllow(api, held, required);
}

/** The 403 message naming the scope an operation requires and the scopes that would grant it. */
export function missingScopeMessage(api: Api, required: readonly string[]): string {
  const granting = [...new Set(required.flatMap((s) => scopesGranting(api, s)))];
  return `This API key does not have the required scope: ${required.map((s) => `"${s}"`).join(' or ')} (a key with ${granting.map((s) => `"${s}"`).join(' or ')} may call it)`;
}
