/**
 * A static host for the site benchmarks that caches the way real hosts do, so a warm visit means something:
 * hashed build output (`/_astro/…`) is `immutable` for a year, everything else (HTML, unhashed files) must be
 * revalidated (`no-cache`, with an ETag answered by 304). The test server (tests/browser/global-setup.ts)
 * sends `no-store` on purpose, so tests never see a stale file; a benchmark of warm loads needs a cache.
 *
 * Usage: const server = await startCachingHost(dist); … server.close();
 */
import { createServer, type Server } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
};

/** `/a/` → `/a/index.html`, `/a` → `/a.html` or `/a/index.html`; undefined outside `dist` or when missing. */
function resolveFile(dist: string, urlPath: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return undefined;
  }
  const file = normalize(join(dist, path));
  if (file !== dist && !file.startsWith(dist + sep)) return undefined;
  return [file, join(file, 'index.html'), `${file}.html`].find((c) => existsSync(c) && statSync(c).isFile());
}

export function startCachingHost(dist: string): Promise<Server> {
  const server = createServer((req, res) => {
    const file = resolveFile(dist, req.url ?? '/');
    if (!file) {
      res.writeHead(404, { 'content-type': MIME['.html'] }).end('404 not found');
      return;
    }
    const stat = statSync(file);
    const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    const hashed = (req.url ?? '').startsWith('/_astro/');
    const headers = {
      'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      etag,
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': stat.size });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(server));
  });
}
