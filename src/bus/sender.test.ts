/**
 * The delivery-row sender (sender.ts) and API destinations (services/events/deliver-api.ts) against
 * a local node:http server, on a fixed clock: the request AWS sends (method, path parameters, query,
 * headers, User-Agent, the connection's authorization: API key, Basic, OAuth client credentials with
 * its token cached), retries on AWS's retryable statuses with backoff, final statuses and exhausted
 * policies to the DLQ with AWS's attributes.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import { randomIds } from '../ids.ts';
import type { ApiDestination, Connection, EventTarget } from '../store/contracts/event-buses.ts';
import { openTestStore } from '../store/testing.ts';
import type { Store } from '../store/types.ts';
import { backoff, sendDueDeliveries } from './sender.ts';
import { ACCOUNT, type FakeBuses, queueArn, REGION, recording, withBuses } from './testing.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
let server: Server;
let base = '';
const seen: Seen[] = [];
/** statuses the endpoint answers, in turn (then 200) */
let statuses: number[] = [];
let tokenCalls = 0;

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (req.url === '/token') {
        tokenCalls++;
        seen.push({ method: req.method ?? '', url: req.url, headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `tok${tokenCalls}`, expires_in: 60 }));
        return;
      }
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(statuses.shift() ?? 200).end('ok');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((ok) => server.close(() => ok())));
beforeEach(() => {
  seen.length = 0;
  statuses = [];
});

const T0 = new Date('2026-03-01T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const DEST = `arn:aws:events:${REGION}:${ACCOUNT}:api-destination/hook/1`;
const CONN = `arn:aws:events:${REGION}:${ACCOUNT}:connection/c/1`;
const DLQ = queueArn('dlq');

function fixture(auth: Connection['authorizationType'], authParameters: Record<string, unknown>, over: Partial<ApiDestination> = {}): FakeBuses {
  const stamp = { createdAt: T0, updatedAt: T0 };
  return {
    rules: [],
    connections: [
      { accountId: ACCOUNT, region: REGION, name: 'c', arn: CONN, authorizationType: auth, state: 'AUTHORIZED', secretArn: 'x', authParameters, ...stamp },
    ],
    apiDestinations: [
      {
        accountId: ACCOUNT,
        region: REGION,
        name: 'hook',
        arn: DEST,
        connectionArn: CONN,
        invocationEndpoint: `${base}/hooks/*/in`,
        httpMethod: 'POST',
        state: 'ACTIVE',
        ...stamp,
        ...over,
      },
    ],
  };
}

async function withRow(f: FakeBuses, target: Partial<EventTarget> = {}): Promise<{ store: Store; close(): Promise<void> }> {
  const raw = await openTestStore('sqlite');
  const store = withBuses(raw, f);
  const t: EventTarget = { id: 't', arn: DEST, wire: {}, deadLetterArn: DLQ, ...target };
  await store.eventDeliveries.add([
    {
      accountId: ACCOUNT,
      region: REGION,
      ruleArn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/r`,
      targetId: 't',
      targetArn: DEST,
      eventId: 'ev1',
      eventTime: T0,
      body: '{"hello":"world"}',
      target: JSON.stringify({ target: t, event: '{"id":"ev1"}' }),
      attempts: 0,
      nextAttemptAt: T0,
      createdAt: T0,
    },
  ]);
  return { store, close: () => raw.close() };
}

const round = (store: Store, d: ReturnType<typeof recording>, now: Date) => sendDueDeliveries(store, { owner: 'n1', now, ids: randomIds, destinations: d });

test('API key connection: the request AWS sends, with path, query and header parameters', async () => {
  const { store, close } = await withRow(
    fixture('API_KEY', {
      ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 's3cret' },
      InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-conn', Value: 'c' }], QueryStringParameters: [{ Key: 'cq', Value: '1' }] },
    }),
    { httpParameters: { PathParameterValues: ['a b'], HeaderParameters: { 'x-target': 't' }, QueryStringParameters: { tq: '2' } } },
  );
  try {
    const d = recording();
    assert.equal(await round(store, d, T0), 1);
    const [r] = seen;
    assert.equal(r?.method, 'POST');
    assert.equal(r?.url, '/hooks/a%20b/in?cq=1&tq=2');
    assert.equal(r?.headers['x-api-key'], 's3cret');
    assert.equal(r?.headers['x-conn'], 'c');
    assert.equal(r?.headers['x-target'], 't');
    assert.equal(r?.headers['user-agent'], 'Amazon/EventBridge/ApiDestinations');
    assert.equal(r?.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r?.body, '{"hello":"world"}');
    assert.deepEqual(await store.eventDeliveries.list(), [], 'delivered: the row is gone');
    assert.equal(d.messages.length, 0);
  } finally {
    await close();
  }
});

test('Basic connection; a 500 is retried with backoff, then delivered', async () => {
  const { store, close } = await withRow(fixture('BASIC', { BasicAuthParameters: { Username: 'u', Password: 'p' } }));
  try {
    const d = recording();
    statuses = [500];
    await round(store, d, T0);
    assert.equal(seen[0]?.headers.authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
    const [row] = await store.eventDeliveries.list();
    assert.equal(row?.attempts, 1);
    assert.equal(row?.lastErrorCode, 'SDK_CLIENT_ERROR');
    const due = T0.getTime() + backoff(row?.id ?? 0, 1);
    assert.equal(row?.nextAttemptAt.getTime(), due);
    assert.ok(due - T0.getTime() >= 500 && due - T0.getTime() <= 1000, 'the first retry within a second');
    assert.equal(await round(store, d, new Date(due - 1)), 0, 'not before it is due');
    assert.equal(await round(store, d, new Date(due)), 1);
    assert.equal(seen.length, 2);
    assert.deepEqual(await store.eventDeliveries.list(), []);
  } finally {
    await close();
  }
});

test('OAuth client credentials: the token is fetched with the client id and secret, cached, and sent as Bearer', async () => {
  const { store, close } = await withRow(
    fixture('OAUTH_CLIENT_CREDENTIALS', {
      OAuthParameters: {
        ClientParameters: { ClientID: 'id', ClientSecret: 'secret' },
        AuthorizationEndpoint: `${base}/token`,
        HttpMethod: 'POST',
        OAuthHttpParameters: { BodyParameters: [{ Key: 'grant_type', Value: 'client_credentials' }] },
      },
    }),
  );
  try {
    tokenCalls = 0;
    const d = recording();
    statuses = [503];
    await round(store, d, T0);
    const [token, call] = seen;
    assert.equal(token?.headers.authorization, `Basic ${Buffer.from('id:secret').toString('base64')}`);
    assert.equal(token?.body, 'grant_type=client_credentials');
    assert.equal(call?.headers.authorization, 'Bearer tok1');
    await round(store, d, at(60_000 - 1));
    assert.equal(tokenCalls, 1, 'cached until it expires');
    assert.equal(seen.at(-1)?.headers.authorization, 'Bearer tok1');
  } finally {
    await close();
  }
});

test('a non-retryable status goes to the DLQ at once; exhausted retries carry EXHAUSTED_RETRY_CONDITION and RETRY_ATTEMPTS', async () => {
  const a = await withRow(fixture('API_KEY', { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } }));
  try {
    const d = recording();
    statuses = [400];
    await round(a.store, d, T0);
    assert.deepEqual(await a.store.eventDeliveries.list(), []);
    const m = d.messages[0];
    assert.equal(m?.queueArn, DLQ);
    assert.equal(m?.body, '{"id":"ev1"}', 'the event');
    assert.equal(m?.messageAttributes?.ERROR_CODE?.StringValue, 'SDK_CLIENT_ERROR');
    assert.match(m?.messageAttributes?.ERROR_MESSAGE?.StringValue ?? '', /400/);
    assert.equal(m?.messageAttributes?.EXHAUSTED_RETRY_CONDITION, undefined);
    assert.equal(m?.messageAttributes?.RULE_ARN?.StringValue, `arn:aws:events:${REGION}:${ACCOUNT}:rule/r`);
  } finally {
    await a.close();
  }
  const b = await withRow(fixture('API_KEY', { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } }), { retryPolicy: { MaximumRetryAttempts: 1 } });
  try {
    const d = recording();
    seen.length = 0;
    statuses = [429, 502];
    await round(b.store, d, T0);
    assert.equal(d.messages.length, 0, 'one retry left');
    await round(b.store, d, at(10_000));
    assert.equal(seen.length, 2);
    const m = d.messages[0];
    assert.equal(m?.messageAttributes?.EXHAUSTED_RETRY_CONDITION?.StringValue, 'MaximumRetryAttemptsExhausted');
    assert.equal(m?.messageAttributes?.RETRY_ATTEMPTS?.StringValue, '1');
    assert.deepEqual(await b.store.eventDeliveries.list(), []);
  } finally {
    await b.close();
  }
});

test('MaximumEventAgeInSeconds: a retry that would come too late ends in the DLQ as MaximumEventAgeExhausted; without a DLQ the event is dropped', async () => {
  const { store, close } = await withRow(fixture('API_KEY', { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } }), {
    retryPolicy: { MaximumEventAgeInSeconds: 60 },
  });
  try {
    const d = recording();
    statuses = [500];
    await round(store, d, at(59_900));
    assert.equal(d.messages[0]?.messageAttributes?.EXHAUSTED_RETRY_CONDITION?.StringValue, 'MaximumEventAgeExhausted');
  } finally {
    await close();
  }
  const nodlq = await withRow(fixture('API_KEY', {}), { deadLetterArn: undefined });
  try {
    const d = recording();
    statuses = [404];
    await round(nodlq.store, d, T0);
    assert.equal(d.messages.length, 0);
    assert.deepEqual(await nodlq.store.eventDeliveries.list(), []);
  } finally {
    await nodlq.close();
  }
});

test('a connection failure is retried; a missing API destination is final', async () => {
  const f = fixture('API_KEY', {}, { invocationEndpoint: 'http://127.0.0.1:1/nothing' });
  const { store, close } = await withRow(f);
  try {
    const d = recording();
    await round(store, d, T0);
    const [row] = await store.eventDeliveries.list();
    assert.equal(row?.lastErrorCode, 'CONNECTION_FAILURE');
    f.apiDestinations = [];
    await round(store, d, at(600_000));
    assert.equal(d.messages[0]?.messageAttributes?.ERROR_CODE?.StringValue, 'NO_RESOURCE');
  } finally {
    await close();
  }
});
