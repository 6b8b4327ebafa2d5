/**
 * The console's static files (src/console/static/: HTML, CSS, ES modules — no build step), read once
 * and kept in memory with an ETag, so a page loads from a revalidated cache. Names are checked against
 * a strict pattern before touching the disk; the app shell is served for every page path.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { headerOf, SECURITY_HEADERS } from './respond.ts';

const ROOT = new URL('./static/', import.meta.url);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};

const SAFE_NAME = /^(?:[a-z0-9][a-z0-9_-]*\/)*[a-z0-9][a-z0-9_.-]*\.(?:html|css|js|svg|json)$/;

interface Asset {
  body: Buffer;
  etag: string;
  type: string;
}

export class StaticFiles {
  private readonly cache = new Map<string, Promise<Asset | undefined>>();

  /** Serves `name` (relative to static/); false when there is no such file. */
  async serve(req: IncomingMessage, res: ServerResponse, name: string): Promise<boolean> {
    if (!SAFE_NAME.test(name) || name.includes('..')) return false;
    const asset = await this.load(name);
    if (!asset) return false;
    const headers = { ...SECURITY_HEADERS, 'content-type': asset.type, etag: asset.etag, 'cache-control': 'no-cache' };
    if (headerOf(req, 'if-none-match') === asset.etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    res.writeHead(200, { ...headers, 'content-length': asset.body.length });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return true;
  }

  private load(name: string): Promise<Asset | undefined> {
    let p = this.cache.get(name);
    if (!p) {
      p = readFile(new URL(name, ROOT)).then(
        (body) => ({
          body,
          etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
          type: TYPES[extname(name)] ?? 'application/octet-stream',
        }),
        () => {
          this.cache.delete(name);
          return undefined;
        },
      );
      this.cache.set(name, p);
    }
    return p;
  }
}
