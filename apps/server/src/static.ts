import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `vite build` writes the web app (apps/web/dist). */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Content-Security-Policy for the app's pages: everything from this origin, nothing inline but styles. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // antd (CSS-in-JS) and Monaco inject style elements.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

export interface StaticHandler {
  /** True when the web app has been built (dist/index.html exists). */
  readonly available: boolean;
  /**
   * Serves a GET/HEAD for the web app: a file under dist/, or index.html for any other path
   * (client-side routes such as /flows/abc). Returns false when it did not answer.
   */
  handle(req: IncomingMessage, res: ServerResponse, pathname: string): boolean;
}

/**
 * Serves the built single-page app. Files under /assets/ carry content hashes and are cached
 * for a year; index.html is never cached so a new build is picked up at once.
 */
export function createStaticHandler(root: string = DEFAULT_WEB_DIR): StaticHandler {
  const base = normalize(root.endsWith(sep) ? root : root + sep);
  const indexPath = join(base, 'index.html');

  function send(req: IncomingMessage, res: ServerResponse, path: string, immutable: boolean): void {
    const size = statSync(path).size;
    const type = CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, {
      'content-type': type,
      'content-length': String(size),
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
      ...(type.startsWith('text/html') && {
        'content-security-policy': CSP,
        'x-frame-options': 'DENY',
        'referrer-policy': 'same-origin',
      }),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(path).pipe(res);
  }

  return {
    get available() {
      return existsSync(indexPath);
    },
    handle(req, res, pathname) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      if (!existsSync(indexPath)) return false;
      let decoded: string;
      try {
        decoded = decodeURIComponent(pathname);
      } catch {
        return false;
      }
      if (decoded.includes('\0')) return false;
      const candidate = normalize(join(base, decoded));
      if (candidate.startsWith(base) && candidate !== base && existsSync(candidate)) {
        if (statSync(candidate).isFile()) {
          send(req, res, candidate, decoded.startsWith('/assets/'));
          return true;
        }
      }
      // A missing hashed asset is a 404, not the app shell.
      if (decoded.startsWith('/assets/') || extname(decoded) !== '') return false;
      send(req, res, indexPath, false);
      return true;
    },
  };
}
