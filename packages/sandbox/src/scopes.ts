// The one rule of what a key's scopes grant (a shared generated rule may replace this function).
//   Partner API: `admin` is full access, `write` includes `read`, a key with no scopes is full access.
//   Organization API: `admin` includes `read` and `write` (not the agency scopes).
import type { Api } from './spec.js';

/** Whether a key of `api` holding `held` may call an operation that requires any one of `required`. */
export function grants(api: Api, held: readonly string[], required: readonly string[]): boolean {
  if (required.length === 0) return true;
  const has = new Set(held);
  if (api === 'partner') {
    if (has.size === 0 || has.has('admin')) return true;
    if (has.has('write')) has.add('read');
  } else if (has.has('admin')) {
    has.add('read');
    has.add('write');
  }
  return required.some((s) => has.has(s));
}
