// Keeps API keys out of every string the SDK produces (error messages, details, log lines).

const REDACTED = '[REDACTED]';

// Shapes of Bullseye keys, so that a key echoed by a server or a proxy is hidden even when it is
// not the client's own (Organization keys: `bsk_live_` + 32 hex; Partner keys: `pk_live_...`).
const KEY_PATTERNS: readonly RegExp[] = [/bsk_(?:live|test)_[A-Za-z0-9]+/g, /pk_(?:live|test)_[A-Za-z0-9]+/g];

/** A function that removes secrets from a string. */
export type Redactor = (text: string) => string;

/** Builds a redactor that hides the given secrets and anything shaped like a Bullseye key. */
export function createRedactor(secrets: readonly string[] = []): Redactor {
  const exact = secrets.filter((s) => s.length >= 4);
  return (text) => {
    let out = text;
    for (const secret of exact) out = out.split(secret).join(REDACTED);
    for (const pattern of KEY_PATTERNS) out = out.replace(pattern, REDACTED);
    return out;
  };
}

/** The redactor used when no client context is known: hides key-shaped strings only. */
export const defaultRedactor: Redactor = createRedactor();
