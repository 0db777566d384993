/// <reference types="node" />
// Node-only module: the build leaves Node types out of the SDK, so this file asks for them itself.
// What a command reads and writes, passed in so the whole CLI runs in-process in tests.

/** The CLI's streams: one line at a time out, the raw bytes of stdin in. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  stdin(): Promise<Uint8Array>;
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
