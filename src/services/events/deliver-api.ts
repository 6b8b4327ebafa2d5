/**
 * API destinations (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-api-destinations.html,
 * docs/eventbridge-delivery.md#api-destinations): one HTTP request per delivery row to the
 * destination's InvocationEndpoint with its HttpMethod, the connection's authorization (API key
 * header, Basic, or an OAuth client-credentials token fetched from its AuthorizationEndpoint and
 * cached until it expires), the connection's and the target's HttpParameters, AWS's headers
 * (User-Agent `Amazon/EventBridge/ApiDestinations`, JSON content type) and a 5-second timeout.
 * Statuses AWS retries: 401, 407, 409, 429 and 5xx; other 4xx (and 1xx/3xx) are final; a timeout or
 * a connection failure is retried. Runs outside any transaction (the loop records the outcome).
 */
import type { ApiDestination, Connection, EventTarget } from '../../store/contracts/event-buses.ts';
import type { Store } from '../../store/types.ts';
import type { TargetFailure } from './deliver-dlq.ts';

export const API_DESTINATION_USER_AGENT = 'Amazon/EventBridge/ApiDestinations';
const TIMEOUT_MS = 5_000;
const RETRYABLE = new Set([401, 407, 409, 429]);

type Param = { Key?: string; Value?: string };
interface AuthParameters {
  ApiKeyAuthParameters?: { ApiKeyName?: string; ApiKeyValue?: string };
  BasicAuthParameters?: { Username?: string; Password?: string };
  OAuthParameters?: {
    ClientParameters?: { ClientID?: string; ClientSecret?: string };
    AuthorizationEndpoint?: string;
    HttpMethod?: string;
    OAuthHttpParameters?: HttpParams;
  };
  InvocationHttpParameters?: HttpParams;
}
interface HttpParams {
  HeaderParameters?: Param[];
  QueryStringParameters?: Param[];
  BodyParameters?: Param[];
}

export type ApiOutcome = { ok: true } | ({ ok: false; deferUntil?: Date } & TargetFailure);

/** OAuth tokens by connection ARN (and client id, so a changed connection fetches a new one). */
const tokens = new Map<string, { token: string; expiresAt: number }>();
/** InvocationRateLimitPerSecond, per destination on this node: sends in the current second. */
const rates = new Map<string, { second: number; sent: number }>();

export async function sendToApiDestination(store: Store, target: EventTarget, body: string, now: Date): Promise<ApiOutcome> {
  const dest = await store.eventBuses.getApiDestination(target.arn);
  if (!dest) return { ok: false, code: 'NO_RESOURCE', message: `API destination ${target.arn} does not exist.`, final: true };
  const connection = await store.eventBuses.getConnection(dest.connectionArn);
  if (!connection) return { ok: false, code: 'NO_RESOURCE', message: `Connection ${dest.connectionArn} does not exist.`, final: true };
  const limited = rateLimited(dest, now);
  if (limited) return { ok: false, code: 'THROTTLING', message: 'InvocationRateLimitPerSecond reached.', deferUntil: limited };
  const auth = connection.authParameters as AuthParameters;
  let authHeader: Record<string, string>;
  try {
    authHeader = await authorization(connection, auth, now);
  } catch (e) {
    return { ok: false, code: 'CONNECTION_FAILURE', message: `OAuth token request failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  const url = endpoint(dest, target, auth.InvocationHttpParameters);
  const headers: Record<string, string> = {
    'User-Agent': API_DESTINATION_USER_AGENT,
    'Content-Type': 'application/json; charset=utf-8',
    ...params(auth.InvocationHttpParameters?.HeaderParameters),
    ...(target.httpParameters?.HeaderParameters ?? {}),
    ...authHeader,
  };
  const method = dest.httpMethod.toUpperCase();
  const res = await request(url, method, headers, method === 'GET' || method === 'HEAD' ? undefined : body);
  if ('error' in res) return { ok: false, ...res.error };
  if (res.status >= 200 && res.status < 300) return { ok: true };
  if (res.status === 401 && connection.authorizationType === 'OAUTH_CLIENT_CREDENTIALS') tokens.delete(connection.arn);
  const retry = RETRYABLE.has(res.status) || res.status >= 500;
  return {
    ok: false,
    code: 'SDK_CLIENT_ERROR',
    message: `Unable to invoke ApiDestination endpoint: The request failed because the endpoint returned ${res.status}.`,
    final: !retry,
  };
}

/** The endpoint with `*` replaced by the target's PathParameterValues in order, and the query string parameters appended. */
function endpoint(dest: ApiDestination, target: EventTarget, invocation?: HttpParams): string {
  const values = [...(target.httpParameters?.PathParameterValues ?? [])];
  const url = new URL(dest.invocationEndpoint.replace(/\*/g, () => encodeURIComponent(values.shift() ?? '')));
  for (const [k, v] of Object.entries(params(invocation?.QueryStringParameters))) url.searchParams.set(k, v);
  for (const [k, v] of Object.entries(target.httpParameters?.QueryStringParameters ?? {})) url.searchParams.set(k, v);
  return url.toString();
}

function params(list: Param[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of list ?? []) if (p.Key !== undefined && p.Value !== undefined) out[p.Key] = p.Value;
  return out;
}

async function authorization(connection: Connection, auth: AuthParameters, now: Date): Promise<Record<string, string>> {
  if (connection.authorizationType === 'API_KEY') {
    const k = auth.ApiKeyAuthParameters;
    return k?.ApiKeyName && k.ApiKeyValue !== undefined ? { [k.ApiKeyName]: k.ApiKeyValue } : {};
  }
  if (connection.authorizationType === 'BASIC') {
    const b = auth.BasicAuthParameters;
    return { Authorization: `Basic ${Buffer.from(`${b?.Username ?? ''}:${b?.Password ?? ''}`).toString('base64')}` };
  }
  return { Authorization: `Bearer ${await oauthToken(connection, auth, now)}` };
}

/**
 * The client-credentials token: the client id and secret as Basic authorization to the
 * AuthorizationEndpoint with the OAuth HTTP parameters (grant_type etc. as body parameters), the
 * answer's access_token kept until its expires_in (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-target-connection-auth.html).
 */
async function oauthToken(connection: Connection, auth: AuthParameters, now: Date): Promise<string> {
  const o = auth.OAuthParameters;
  const cached = tokens.get(connection.arn);
  if (cached && cached.expiresAt > now.getTime()) return cached.token;
  if (!o?.AuthorizationEndpoint) throw new Error('no AuthorizationEndpoint');
  const url = new URL(o.AuthorizationEndpoint);
  for (const [k, v] of Object.entries(params(o.OAuthHttpParameters?.QueryStringParameters))) url.searchParams.set(k, v);
  const method = (o.HttpMethod ?? 'POST').toUpperCase();
  const form = new URLSearchParams(params(o.OAuthHttpParameters?.BodyParameters)).toString();
  const basic = Buffer.from(`${o.ClientParameters?.ClientID ?? ''}:${o.ClientParameters?.ClientSecret ?? ''}`).toString('base64');
  const headers = {
    'User-Agent': API_DESTINATION_USER_AGENT,
    Authorization: `Basic ${basic}`,
    ...(method === 'GET' ? {} : { 'Content-Type': 'application/x-www-form-urlencoded' }),
    ...params(o.OAuthHttpParameters?.HeaderParameters),
  };
  const res = await request(url.toString(), method, headers, method === 'GET' ? undefined : form);
  if ('error' in res) throw new Error(res.error.message);
  if (res.status < 200 || res.status >= 300) throw new Error(`authorization endpoint returned ${res.status}`);
  const answer = JSON.parse(res.text) as { access_token?: unknown; expires_in?: unknown };
  if (typeof answer.access_token !== 'string') throw new Error('no access_token in the answer');
  const lifetime = typeof answer.expires_in === 'number' ? answer.expires_in * 1000 : 3_600_000;
  tokens.set(connection.arn, { token: answer.access_token, expiresAt: now.getTime() + lifetime });
  return answer.access_token;
}

function rateLimited(dest: ApiDestination, now: Date): Date | undefined {
  const limit = dest.invocationRateLimitPerSecond;
  if (!limit) return undefined;
  const second = Math.floor(now.getTime() / 1000);
  const r = rates.get(dest.arn);
  if (!r || r.second !== second) {
    rates.set(dest.arn, { second, sent: 1 });
    return undefined;
  }
  if (r.sent >= limit) return new Date((second + 1) * 1000);
  r.sent++;
  return undefined;
}

async function request(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<{ status: number; text: string } | { error: TargetFailure }> {
  try {
    const res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'manual' });
    return { status: res.status, text: await res.text() };
  } catch (e) {
    const timeout = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
    return timeout
      ? { error: { code: 'TIMEOUT', message: 'Unable to invoke ApiDestination endpoint: the request timed out after 5 seconds.' } }
      : { error: { code: 'CONNECTION_FAILURE', message: `Unable to invoke ApiDestination endpoint: ${e instanceof Error ? e.message : String(e)}` } };
  }
}
