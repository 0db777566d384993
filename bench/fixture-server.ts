// Loopback HTTP server for the per-call benchmark, run in its own process so that serving does not
// compete with the measured clients for the benchmark's event loop. Answers every request with one
// fixed JSON body (the documented example of GET /partner/me) and prints its port on stdout.
import { createServer } from 'node:http';

const body = Buffer.from(process.argv[2] ?? '{}');
const headers = {
  'content-type': 'application/json',
  'content-length': String(body.length),
  'x-ratelimit-limit': '1000',
  'x-ratelimit-remaining': '999',
  'x-ratelimit-reset': '1735689600',
};

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  if (addr && typeof addr === 'object') process.stdout.write(`${addr.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
