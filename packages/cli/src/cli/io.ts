/// <reference types="node" />
// Node-only module: the build leaves Node types out of the SDK, so this file asks for them itself.
// What a command reads and writes, passed in so the whole CLI runs in-process in tests.

/** The CLI's streams: one line at a time out, the raw bytes of stdin in. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  stdin(): Promise<Uint8Array>;
  /** The environment (default: `process.env`). */
  env?: Record<string, string | undefined>;
}

/**
 * Text a remote party chose (a reason phrase, an error message), made safe for a terminal: control
 * characters (escape sequences included) removed, cut to `max` characters.
 */
export function terminalSafe(text: string, max = 200): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** A URL as it may be printed: no user or password, every query value replaced by `***`. */
export function printableUrl(url: URL): string {
  const query = [...url.searchParams.keys()].map((k) => `${encodeURIComponent(k)}=***`).join('&');
  return terminalSafe(`${url.protocol}//${url.host}${url.pathname}${query ? `?${query}` : ''}`, 500);
}

/** An expected failure: printed as one line on stderr, exit code 1 (never a stack trace). */
export class CliError extends Error {
  static {
    this.prototype.name = 'CliError';
  }
}

/** The process's own streams. */
export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  },
};
