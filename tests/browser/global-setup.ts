/**
 * Global setup of the `browser` Vitest project: serves the already-built site (dist/) on a free
 * local port and hands its base URL to the specs (`inject('baseURL')`).
 *
 * A small node:http static server rather than `astro preview`: it starts in milliseconds, binds
 * port 0 (no clash with a dev server on 4321) and serves the MIME types the checkpoint page needs
 * (`.js` module workers, `.wasm` for QuickJS — browsers refuse both with the wrong type).
 *
 * Fails (never skips) when dist/ or Chromium is missing: see ./browser.ts for the Chromium check.
 */
import { createServer, type Server } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { assertChromiumInstalled } from './browser.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** e.g. `http://127.0.0.1:40123`, no trailing slash */
    baseURL: string;
  }
}

/** The built site; PARTITION_LAB_DIST points elsewhere (e.g. `astro build --outDir /tmp/site`). */
const DIST = resolve(process.env.PARTITION_LAB_DIST ?? resolve(import.meta.dirname, '../../dist'));

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Map a URL path to a file in `root` the way a static host does (`/a/` → `/a/index.html`, `/a` → `/a.html`
 * or `/a/index.html`); with `base` (e.g. `/partition-lab/`, as GitHub Pages serves a project site) only
 * paths under it exist.
 */
function resolveFile(urlPath: string, root: string, base: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return undefined;
  }
  if (!path.startsWith(base)) return undefined;
  const file = normalize(join(root, path.slice(base.length - 1)));
  if (file !== root && !file.startsWith(root + sep)) return undefined; // no ../ escapes
  const candidates = [file, join(file, 'index.html'), `${file}.html`];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/**
 * A static server over a built site on a free port of 127.0.0.1.
 * @param options.root the built site; default dist/ (or PARTITION_LAB_DIST)
 * @param options.base the URL path it is served under, with slashes at both ends; default `/`
 */
export function startStaticServer(options: { root?: string; base?: string } = {}): Promise<Server> {
  const root = resolve(options.root ?? DIST);
  const base = options.base ?? '/';
  const server = createServer((req, res) => {
    const file = resolveFile(req.url ?? '/', root, base);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (!file) {
      const notFound = join(root, '404.html');
      res.writeHead(404, { 'content-type': MIME['.html'] });
      if (existsSync(notFound)) createReadStream(notFound).pipe(res);
      else res.end('404 not found');
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': statSync(file).size,
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(server));
  });
}

export default async function setup(project: TestProject) {
  assertChromiumInstalled();
  if (!existsSync(join(DIST, 'index.html'))) {
    throw new Error(
      `The browser tests run against the built site, but ${DIST}/index.html does not exist. ` +
        'Run `npm run test:browser` (it builds first) or `npx astro build`.',
    );
  }
  const server = await startStaticServer();
  const { port } = server.address() as AddressInfo;
  const baseURL = `http://127.0.0.1:${port}`;
  process.env.PARTITION_LAB_BASE_URL = baseURL;
  project.provide('baseURL', baseURL);
  return async () => {
    server.closeAllConnections();
    await new Promise<void>((ok) => server.close(() => ok()));
  };
}
