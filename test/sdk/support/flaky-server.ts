// A scripted node:http server on 127.0.0.1:0: each request is answered by the next step of the
// script (the last step repeats). Steps can misbehave the way real networks and proxies do.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
// From node:timers, not the globals: tests fake the global timers, the server must keep real time.
import { clearTimeout, setTimeout } from 'node:timers';

export type Step =
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string>; reason?: string }
  | { kind: 'raw'; status: number; body: string; headers?: Record<string, string>; reason?: string }
  /** Accept the request, then destroy the socket without answering. */
  | { kind: 'reset' }
  /** Announce a Content-Length, send part of the body, then destroy the socket. */
  | { kind: 'truncated'; status: number; body: string }
  /** Answer after `delayMs` (real time). */
  | { kind: 'slow'; delayMs: number; status: number; body: unknown };

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FlakyServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFlakyServer(script: Step[] | ((req: RecordedRequest, index: number) => Step)): Promise<FlakyServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(rec);
      const index = requests.length - 1;
      const step = typeof script === 'function' ? script(rec, index) : script[Math.min(index, script.length - 1)]!;
      answer(step, req, res);
    });
  });
  const answer = (step: Step, req: IncomingMessage, res: ServerResponse): void => {
    switch (step.kind) {
      case 'json':
        if (step.reason !== undefined) res.statusMessage = step.reason;
        res.writeHead(step.status, { 'Content-Type': 'application/json', ...step.headers });
        res.end(step.status === 204 ? undefined : JSON.stringify(step.body));
        return;
      case 'raw':
        if (step.reason !== undefined) res.statusMessage = step.reason;
        res.writeHead(step.status, step.headers ?? {});
        res.end(step.body);
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'truncated': {
        res.writeHead(step.status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(step.body) + 100) });
        res.write(step.body.slice(0, Math.floor(step.body.length / 2)));
        const t = setTimeout(() => req.socket.destroy(), 20);
        timers.add(t);
        return;
      }
      case 'slow': {
        const t = setTimeout(() => {
          if (res.destroyed || req.socket.destroyed) return;
          res.writeHead(step.status, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(step.body));
        }, step.delayMs);
        timers.add(t);
        return;
      }
    }
  };
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
