/**
 * The HTTP edge: node:http, the body read once as bytes (with a size limit), then routing:
 * GET /health, unsigned /console requests to the web console (itself a client of the API), everything
 * else to the API pipeline. Nothing thrown here reaches a client as a 5xx except a genuine InternalFailure. Requests signed for s3 may carry object bodies up to
 * S3_MAX_BODY_BYTES (64 MiB); a HEAD response keeps the Content-Length the pipeline set.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createConsole, isConsoleRequest } from '../console/index.ts';
import type { HttpRequest, HttpResponse } from '../pipeline/call.ts';
import type { ConsoleSessionStore } from '../store/types.ts';
import { S3_MAX_BODY_BYTES } from '../protocol/rest-xml/index.ts';

export interface EdgeOptions {
  maxBodyBytes: number;
  api: (req: HttpRequest) => Promise<HttpResponse>;
  health: () => Promise<Record<string, unknown>>;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  /** region the console's calls are signed for */
  region?: string;
  /** where console sign-in sessions live: the Store's, shared by every node on the database */
  consoleSessions: ConsoleSessionStore;
  /** unsigned GETs a service answers itself (SNS's certificate, SubscribeURL, UnsubscribeURL); undefined = not one */
  unsigned?: (req: {
    method: string;
    rawPath: string;
    rawQuery: string;
    headers: Record<string, string | string[] | undefined>;
  }) => Promise<HttpResponse | undefined>;
  /**
   * startrail's clock, when it is shifted (STARTRAIL_CLOCK_OFFSET_SECONDS): responses' Date header tells
   * its time, as the records and signatures do. Unset: Node's own Date header (the machine's time).
   */
  shiftedClock?: () => Date;
}

function readBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve({ body: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge }));
    req.on('error', reject);
  });
}

/** Signed for s3 (header or presigned credential scope): the S3 route's larger body limit applies. */
function signedForS3(req: IncomingMessage, rawQuery: string): boolean {
  return /\/s3\/aws4_request/.test(req.headers.authorization ?? '') || /X-Amz-Credential=[^&]*%2Fs3%2Faws4_request/i.test(rawQuery);
}

function send(res: ServerResponse, r: HttpResponse, head = false): void {
  const body = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
  const length = head && r.headers['content-length'] !== undefined ? r.headers['content-length'] : String(body.length);
  res.writeHead(r.status, { ...r.headers, 'content-length': length });
  res.end(head ? undefined : body);
}

export function createEdge(opts: EdgeOptions): Server {
  const webConsole = createConsole({ api: opts.api, log: opts.log, ...(opts.region ? { region: opts.region } : {}), sessions: opts.consoleSessions });
  const clock = opts.shiftedClock;
  const server = createServer(async (req, res) => {
    if (clock) res.setHeader('date', clock().toUTCString());
    try {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const rawPath = q < 0 ? url : url.slice(0, q);
      const rawQuery = q < 0 ? '' : url.slice(q + 1);
      if (req.method === 'GET' && rawPath === '/health') {
        send(res, { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(await opts.health()) });
        return;
      }
      const unsigned = opts.unsigned && (await opts.unsigned({ method: req.method ?? 'GET', rawPath, rawQuery, headers: req.headers }));
      if (unsigned) {
        send(res, unsigned, false);
        return;
      }
      if (isConsoleRequest(rawPath, req.headers.authorization, rawQuery)) {
        await webConsole.handle(req, res, rawPath);
        return;
      }
      const limit = signedForS3(req, rawQuery) ? Math.max(opts.maxBodyBytes, S3_MAX_BODY_BYTES) : opts.maxBodyBytes;
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > limit) req.resume();
      const { body, tooLarge } = declared > limit ? { body: Buffer.alloc(0), tooLarge: true } : await readBody(req, limit);
      const response = await opts.api({
        method: req.method ?? 'GET',
        rawPath,
        rawQuery,
        headers: req.headersDistinct,
        body,
        bodyTooLarge: tooLarge,
        remoteAddress: req.socket.remoteAddress ?? '',
      });
      send(res, response, req.method === 'HEAD');
    } catch (e) {
      opts.log('edge failure', { error: e instanceof Error ? e.stack : String(e) });
      if (!res.headersSent) send(res, { status: 500, headers: { 'content-type': 'application/json' }, body: '{"__type":"InternalFailure"}' });
    }
  });
  server.keepAliveTimeout = 65_000;
  return server;
}
