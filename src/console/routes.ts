/**
 * The console's JSON API (/console/api/…): session, sign-in/out, one AWS call per action, downloads.
 * Checks, in order: method, same-origin JSON, the session cookie, the CSRF token; only then is
 * anything signed or sent to the pipeline.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, callIam, callJson, callSts, IAM_READS, JSON_TARGETS, type Caller } from './client.ts';
import { downloadFilter, streamDownload, streamQueryResults } from './download.ts';
import { BodyTooLarge, headerOf, parseJsonObject, readBody, sameOriginJson, sendError, sendJson } from './respond.ts';
import { csrfMatches, readCookie, sessionCookie, type ConsoleSession, type SessionStore } from './sessions.ts';
import { signIn } from './sign-in.ts';
import { chosenRegion, REGIONS } from './regions.ts';

export interface ApiContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** the path after /console/api/ */
  path: string;
  sessions: SessionStore;
  caller: Omit<Caller, 'credentials' | 'console'>;
  now: () => number;
  version: string;
}

const BODY_LIMIT = 256 * 1024;
const OPERATION = /^[A-Z][A-Za-z0-9]{1,63}$/;
const EXPIRED = 'Your console session has ended. Sign in again.';

function sessionInfo(ctx: ApiContext, s: ConsoleSession) {
  const ends = ctx.sessions.endsAt(s);
  return { signedIn: true, csrfToken: s.csrf, identity: s.identity, region: ctx.caller.region, regions: REGIONS, ...ends, version: ctx.version };
}

export async function routeApi(ctx: ApiContext): Promise<void> {
  const { req, res, path, sessions } = ctx;
  const cookie = readCookie(headerOf(req, 'cookie'));
  if (path === 'session' && (req.method === 'GET' || req.method === 'HEAD')) {
    const s = await sessions.touch(cookie);
    if (!s) return sendJson(res, 200, { signedIn: false, version: ctx.version }, cookie ? { 'set-cookie': sessionCookie(undefined) } : {});
    return sendJson(res, 200, sessionInfo(ctx, s));
  }
  if (req.method !== 'POST') return sendError(res, 405, 'MethodNotAllowed', 'Use POST', { allow: 'POST' });
  if (!sameOriginJson(req)) return sendError(res, 403, 'InvalidOrigin', 'Console requests must be JSON sent from the console itself.');
  let input: Record<string, unknown> | undefined;
  try {
    input = parseJsonObject(await readBody(req, BODY_LIMIT));
  } catch (e) {
    if (e instanceof BodyTooLarge) return sendError(res, 413, 'RequestEntityTooLarge', `Console requests are limited to ${BODY_LIMIT} bytes.`);
    throw e;
  }
  if (!input) return sendError(res, 400, 'SerializationException', 'The request body must be a JSON object.');

  if (path === 'signin') {
    const host = (headerOf(req, 'host') ?? 'localhost').slice(0, 200);
    const r = await signIn(ctx.caller, `http://${host}/console/`, consoleAgent(ctx), input.accessKeyId, input.secretAccessKey);
    await sessions.delete(cookie);
    const s = await sessions.create(r.credentials, r.identity, r.expiresAt);
    return sendJson(res, 200, sessionInfo(ctx, s), { 'set-cookie': sessionCookie(s, ctx.now()) });
  }

  const session = await sessions.touch(cookie);
  if (!session) return sendError(res, 401, 'SessionExpired', EXPIRED, cookie ? { 'set-cookie': sessionCookie(undefined) } : {});
  if (!csrfMatches(session, headerOf(req, 'x-csrf-token')))
    return sendError(res, 403, 'InvalidCsrfToken', 'The request did not carry this session’s CSRF token. Reload the page and try again.');
  // the Region selector: calls are signed for the Region the page asks for (the server's by default)
  const region = chosenRegion(headerOf(req, 'x-startrail-region'), ctx.caller.region);
  if (!region) return sendError(res, 400, 'InvalidRegion', 'The console does not know that Region.');
  const caller: Caller = { ...ctx.caller, region, credentials: session.credentials, console: {}, userAgent: consoleAgent(ctx) };

  if (path === 'signout') {
    await sessions.delete(session.id);
    return sendJson(res, 200, { signedIn: false }, { 'set-cookie': sessionCookie(undefined) });
  }
  if (path === 'download') {
    const format = input.format === 'json' ? 'json' : input.format === 'csv' ? 'csv' : undefined;
    if (!format) return sendError(res, 400, 'ValidationException', 'format must be csv or json');
    const filter = input.filter && typeof input.filter === 'object' ? downloadFilter(input.filter as Record<string, unknown>) : {};
    return streamDownload(caller, res, format, filter, new Date(ctx.now()));
  }
  if (path === 'download/query-results') {
    if (typeof input.QueryId !== 'string') return sendError(res, 400, 'ValidationException', 'QueryId must be a string');
    return streamQueryResults(caller, res, input.QueryId);
  }
  const call = /^call\/([a-z]+)\/([A-Za-z0-9]+)$/.exec(path);
  if (call && OPERATION.test(call[2]!)) {
    const [, service, operation] = call as unknown as [string, string, string];
    if (service === 'sts' && operation === 'GetCallerIdentity') return sendJson(res, 200, await callSts(caller, 'GetCallerIdentity'));
    if (service === 'iam' && IAM_READS.has(operation)) return sendJson(res, 200, await callIam(caller, operation, queryParams(input)));
    if (JSON_TARGETS[service]) return sendJson(res, 200, await callJson(caller, service, operation, input));
    throw new ApiError(400, 'UnknownOperationException', `The console does not call ${service}:${operation}`);
  }
  return sendError(res, 404, 'NotFound', 'There is no such console API.');
}

/** A console request's members as Query parameters: strings only (the profile page's reads take names and markers). */
function queryParams(input: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(input)) if (typeof v === 'string' && /^[A-Z][A-Za-z]{0,63}$/.test(k)) out[k] = v;
  return out;
}

/** The userAgent the console's calls are recorded with: the console, then the person's browser. */
function consoleAgent(ctx: ApiContext): string {
  return `startrail-console/${ctx.version}${ctx.caller.userAgent ? ` (${ctx.caller.userAgent})` : ''}`;
}
