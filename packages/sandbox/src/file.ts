// The data file (`--data FILE`): written so a crash or kill at any moment leaves the old or the new
// state, never a torn file (temporary file in the same directory, fsync, rename, fsync of the
// directory); it carries a format version; what cannot be read is an error, never a silent reset;
// and a lock file refuses a second sandbox on the same file.
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { State } from './store.js';

export const DATA_FORMAT = 'bullseye-sandbox-data';
export const DATA_VERSION = 1;

export class DataFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataFileError';
  }
}

/** The saved state, or `undefined` when the file does not exist; anything else unreadable throws. */
export function readDataFile(file: string): State | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DataFileError(`cannot read the data file ${file}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DataFileError(`the data file ${file} is not a sandbox data file (not valid JSON); move it away or choose another --data file`);
  }
  const head = parsed as { format?: unknown; version?: unknown; state?: unknown } | null;
  if (!head || typeof head !== 'object' || head.format !== DATA_FORMAT) {
    throw new DataFileError(`the data file ${file} is not a sandbox data file (no "format": "${DATA_FORMAT}"); move it away or choose another --data file`);
  }
  if (head.version !== DATA_VERSION) {
    throw new DataFileError(`the data file ${file} has format version ${JSON.stringify(head.version)}; this sandbox reads version ${DATA_VERSION} only`);
  }
  if (!head.state || typeof head.state !== 'object') throw new DataFileError(`the data file ${file} has no state`);
  return head.state as State;
}

let tmpCounter = 0;

/** Replaces the file's content atomically with the state. */
export function writeDataFile(file: string, state: State): void {
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${++tmpCounter}.tmp`);
  const text = JSON.stringify({ format: DATA_FORMAT, version: DATA_VERSION, savedAt: new Date().toISOString(), state });
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, file);
  // The rename itself is durable once the directory is synced (not possible on every platform).
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    /* directories cannot be opened for sync on some systems */
  }
}

/** Temporary files a killed sandbox left half-written (the data file itself is never torn). */
function removeStaleTemporaries(file: string): void {
  const dir = path.dirname(path.resolve(file));
  const prefix = `.${path.basename(file)}.`;
  try {
    for (const name of readdirSync(dir)) {
      const pid = Number(name.slice(prefix.length).split('.')[0]);
      if (name.startsWith(prefix) && name.endsWith('.tmp') && pid !== process.pid && !alive(pid)) rmSync(path.join(dir, name), { force: true });
    }
  } catch {
    /* an unreadable directory fails the first write instead, with its own message */
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<file>.lock` for this process. A lock whose process is gone (a sandbox killed with -9) is
 * taken over; a live one is refused. Returns the release function.
 */
export function lockDataFile(file: string): () => void {
  const lock = `${path.resolve(file)}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      removeStaleTemporaries(file);
      return () => {
        try {
          if (readFileSync(lock, 'utf8') === String(process.pid)) unlinkSync(lock);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new DataFileError(`cannot lock the data file ${file}: ${(err as Error).message}`);
      let owner = NaN;
      try {
        owner = Number(readFileSync(lock, 'utf8').trim());
      } catch {
        /* removed meanwhile: try again */
      }
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
        throw new DataFileError(`the data file ${file} is in use by another sandbox (process ${owner}); stop it or choose another --data file`);
      }
      rmSync(lock, { force: true });
    }
  }
  throw new DataFileError(`cannot lock the data file ${file}`);
}
