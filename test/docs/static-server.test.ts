// The docs site's static file server: content types, directory index, 404s, no way out of its root.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptsGzip, serveStatic, type StaticServer } from '../../scripts/site/static-server.js';

let dir: string;
let site: string;
let server: StaticServer;

/** A raw request, so that `..` segments reach the server unnormalised. */
function get(rawPath: string, method = 'GET', base = server.url): Promise<{ status: number; type: string | undefined; body: string; location?: string | undefined }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: rawPath, method }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body, location: res.headers.location }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bullseye-static-'));
  site = path.join(dir, 'site');
  await mkdir(path.join(site, 'api'), { recursive: true });
  await writeFile(path.join(site, 'index.html'), '<h1>home</h1>');
  await writeFile(path.join(site, 'api', 'index.html'), '<h1>api</h1>');
  await writeFile(path.join(site, 'openapi.json'), '{"openapi":"3.1.0"}');
  await writeFile(path.join(site, 'style.css'), 'body{}');
  await writeFile(path.join(site, 'big.html'), `<p>${'compressible text '.repeat(500)}</p>`);
  await writeFile(path.join(dir, 'secret.txt'), 'outside the root');
  await symlink(path.join(dir, 'secret.txt'), path.join(site, 'link.txt'));
  server = await serveStatic(site, 0);
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('serveStatic', () => {
  it('listens on a free loopback port when given port 0', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it('serves files with their content type, and index.html for directories', async () => {
    expect(await get('/')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', body: '<h1>home</h1>' });
    expect(await get('/api/')).toMatchObject({ status: 200, body: '<h1>api</h1>' });
    expect(await get('/openapi.json')).toMatchObject({ status: 200, type: 'application/json; charset=utf-8' });
    expect(await get('/style.css')).toMatchObject({ status: 200, type: 'text/css; charset=utf-8' });
    expect(await get('/api?x=1')).toMatchObject({ status: 301, location: '/api/' });
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    expect(await get('/index.html', 'HEAD')).toMatchObject({ status: 200, body: '' });
    expect((await get('/index.html', 'POST')).status).toBe(405);
  });

  it('gives 404 for missing files and for every way out of the root', async () => {
    expect((await get('/nope.html')).status).toBe(404);
    expect((await get('/../secret.txt')).status).toBe(404);
    expect((await get('/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get('/api/%2e%2e%2f%2e%2e%2fsecret.txt')).status).toBe(404);
    expect((await get('/..%5csecret.txt')).status).toBe(404);
    expect((await get('/link.txt')).status).toBe(404);
    expect((await get('/%00')).status).toBe(404);
    for (const r of [await get('/../secret.txt'), await get('/link.txt')]) expect(r.body).not.toContain('outside the root');
  });

  it('serves the in-memory files it is given in place of the disk, and only at their exact path', async () => {
    const withFiles = await serveStatic(site, 0, '127.0.0.1', { files: { '/openapi.json': '{"served":"from memory"}', '/console/mock.json': '{"url":"x"}' } });
    try {
      expect(await get('/openapi.json', 'GET', withFiles.url)).toMatchObject({ status: 200, type: 'application/json; charset=utf-8', body: '{"served":"from memory"}' });
      expect(await get('/console/mock.json', 'HEAD', withFiles.url)).toMatchObject({ status: 200, body: '' });
      expect((await get('/console/mock.json/', 'GET', withFiles.url)).status).toBe(404);
      expect(await get('/index.html', 'GET', withFiles.url)).toMatchObject({ status: 200, body: '<h1>home</h1>' });
      expect((await get('/console/mock.json', 'POST', withFiles.url)).status).toBe(405);
    } finally {
      await withFiles.close();
    }
  });

  it('sends text gzip-compressed to a client that accepts it, and as it is to one that does not', async () => {
    const original = `<p>${'compressible text '.repeat(500)}</p>`;
    const raw = (encoding?: string) =>
      new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        const url = new URL(server.url);
        const req = request({ host: url.hostname, port: url.port, path: '/big.html', headers: encoding ? { 'Accept-Encoding': encoding } : {} }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end();
      });
    for (let i = 0; i < 2; i++) {
      const gz = await raw('br, gzip, deflate');
      expect(gz.headers).toMatchObject({ 'content-encoding': 'gzip', vary: 'Accept-Encoding', 'content-length': String(gz.body.length) });
      expect(gz.body.length).toBeLessThan(original.length / 10);
      expect(gunzipSync(gz.body).toString()).toBe(original);
    }
    for (const refused of [undefined, 'identity', 'gzip;q=0']) {
      const plain = await raw(refused);
      expect(plain.headers['content-encoding'], String(refused)).toBeUndefined();
      expect(plain.body.toString()).toBe(original);
    }
    // A tiny file is not worth compressing.
    const small = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const url = new URL(server.url);
      request({ host: url.hostname, port: url.port, path: '/style.css', headers: { 'Accept-Encoding': 'gzip' } }, (res) => resolve(res.resume().headers)).on('error', reject).end();
    });
    expect(small['content-encoding']).toBeUndefined();
    expect(acceptsGzip('deflate, gzip;q=0.5')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('br')).toBe(false);
  });
});
