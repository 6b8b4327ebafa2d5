/**
 * The web console at /console (docs/architecture.md#console): static pages, and a small JSON
 * API that turns each action into the AWS call it stands for, made through the pipeline with the
 * person's console session credentials (client.ts). Routes:
 *
 *   GET  /console/static/<file>               HTML, CSS and ES modules (static.ts)
 *   GET  /console/api/session                 who is signed in, and the session's CSRF token
 *   POST /console/api/signin                  access key pair → session cookie   (sign-in.ts; ConsoleLogin)
 *   POST /console/api/signout
 *   POST /console/api/call/<service>/<Op>     one AWS call: codestar, cloudtrail, sts GetCallerIdentity
 *   POST /console/api/download                Event history as CSV or JSON      (download.ts)
 *   POST /console/api/download/query-results  a Lake query's results as CSV     (download.ts)
 *   GET  /console[/<page>]                    the app shell
 *
 * Every POST but sign-in needs the session's token in X-CSRF-Token; every POST needs JSON from this
 * origin (respond.ts sameOriginJson). The session id lives only in an HttpOnly, SameSite=Strict cookie.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRequest, HttpResponse } from '../pipeline/call.ts';
import { ApiError, type Caller } from './client.ts';
import { routeApi } from './routes.ts';
import type { ConsoleSessionStore } from '../store/types.ts';
import { DEFAULT_LIMITS, SessionStore, type SessionLimits } from './sessions.ts';
import { headerOf, SECURITY_HEADERS, sendError } from './respond.ts';
import { StaticFiles } from './static.ts';

export interface ConsoleOptions {
  api: (req: HttpRequest) => Promise<HttpResponse>;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  /** the Region the console's calls are signed for */
  region?: string;
  limits?: Partial<SessionLimits>;
  /** Where sign-in sessions are kept: the Store's consoleSessions, so every node on the database knows them and a restart keeps them. */
  sessions: ConsoleSessionStore;
  now?: () => number;
}

export interface WebConsole {
  handle(req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void>;
}

const CONSOLE_VERSION = '0.1.0';

/**
 * A request for the console: a /console path, not SigV4-signed. Signed requests there are API calls
 * (a path-style S3 request for a bucket named "console") and stay with the pipeline.
 */
export function isConsoleRequest(rawPath: string, authorization: string | undefined, rawQuery: string): boolean {
  if (rawPath !== '/console' && !rawPath.startsWith('/console/')) return false;
  return !/^AWS4-HMAC-SHA256 /i.test(authorization ?? '') && !/(?:^|&)X-Amz-(?:Credential|Signature)=/i.test(rawQuery);
}

export function createConsole(opts: ConsoleOptions): WebConsole {
  const now = opts.now ?? Date.now;
  const sessions = new SessionStore(opts.sessions, { ...DEFAULT_LIMITS, ...opts.limits }, now);
  const files = new StaticFiles();
  const region = opts.region ?? 'us-east-1';

  /** The caller a request acts as (credentials filled in per route): the browser's address and agent. */
  const caller = (req: IncomingMessage): Omit<Caller, 'credentials' | 'console'> => {
    const browser = (headerOf(req, 'user-agent') ?? '').slice(0, 900);
    const forwardedFor = headerOf(req, 'x-forwarded-for');
    return {
      api: opts.api,
      region,
      remoteAddress: req.socket.remoteAddress ?? '',
      userAgent: browser,
      ...(forwardedFor ? { forwardedFor } : {}),
    };
  };

  async function handle(req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> {
    const method = req.method ?? 'GET';
    try {
      if (rawPath.startsWith('/console/api/')) {
        await routeApi({ req, res, path: rawPath.slice('/console/api/'.length), sessions, caller: caller(req), now, version: CONSOLE_VERSION });
        return;
      }
      if (method !== 'GET' && method !== 'HEAD') {
        sendError(res, 405, 'MethodNotAllowed', 'The console pages accept GET only', { allow: 'GET, HEAD' });
        return;
      }
      if (rawPath.startsWith('/console/static/')) {
        if (!(await files.serve(req, res, decodeURIComponent(rawPath.slice('/console/static/'.length))))) notFound(res);
        return;
      }
      if (rawPath === '/console') {
        res.writeHead(308, { ...SECURITY_HEADERS, location: '/console/' });
        res.end();
        return;
      }
      if (!(await files.serve(req, res, 'index.html'))) notFound(res);
    } catch (e) {
      if (e instanceof ApiError) {
        if (!res.headersSent) sendError(res, e.status, e.code, e.message);
        else res.destroy();
        return;
      }
      if (e instanceof URIError) return notFound(res);
      opts.log('console failure', { path: rawPath, error: e instanceof Error ? e.stack : String(e) });
      if (!res.headersSent) sendError(res, 500, 'InternalFailure', 'The console could not complete the request.');
      else res.destroy();
    }
  }

  return { handle };
}

function notFound(res: ServerResponse): void {
  sendError(res, 404, 'NotFound', 'There is no such page.');
}
