/**
 * SNS's unsigned URLs (public.ts): the certificate at SigningCertURL, the SubscribeURL and the
 * UnsubscribeURL, on a store of their own; requests that are none of these are left to the pipeline.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { randomIds } from '../../ids.ts';
import { openTestStore } from '../../store/testing.ts';
import type { Store, Subscription } from '../../store/types.ts';
import type { Config } from '../types.ts';
import { snsPublicRoutes } from './public.ts';
import { signingKey } from './signing.ts';

const T0 = new Date('2026-03-01T00:00:00Z');
const config: Config = { accountId: '000000000000', region: 'us-east-1', maxBodyBytes: 1 << 20, publicUrl: 'https://sns.example' };
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:t';
const pending: Subscription = {
  arn: `${TOPIC}:00000000-0000-4000-8000-000000000001`,
  topicArn: TOPIC,
  accountId: '000000000000',
  owner: '000000000000',
  protocol: 'https',
  endpoint: 'https://example.com/hook',
  confirmed: false,
  token: 'abc123',
  attributes: {},
  createdAt: T0,
};

let store: Store;
let now: Date;
let route: ReturnType<typeof snsPublicRoutes>;
const get = (rawPath: string, rawQuery = '', headers: Record<string, string> = {}) => route({ method: 'GET', rawPath, rawQuery, headers });
const q = (p: Record<string, string>) => new URLSearchParams(p).toString();

beforeEach(async () => {
  store = await openTestStore('sqlite');
  now = T0;
  route = snsPublicRoutes({ store, config, clock: () => now, ids: randomIds, log: () => {} });
  await store.topics.createTopic({ arn: TOPIC, accountId: '000000000000', region: 'us-east-1', name: 't', attributes: {}, tags: [], createdAt: T0 });
  await store.topics.putSubscription(pending);
});
afterEach(() => store.close());

test('the certificate is served at its id only', async () => {
  const { key } = await signingKey(store, T0);
  const r = await get(`/SimpleNotificationService-${key.id}.pem`);
  assert.equal(r?.status, 200);
  assert.equal(r?.body, key.certificatePem);
  assert.equal((await get(`/SimpleNotificationService-${'0'.repeat(32)}.pem`))?.status, 404);
});

test('the SubscribeURL confirms with its token, unauthenticated; a wrong or stale token is InvalidParameter', async () => {
  const wrong = await get('/', q({ Action: 'ConfirmSubscription', TopicArn: TOPIC, Token: 'nope' }));
  assert.equal(wrong?.status, 400);
  assert.match(wrong?.body ?? '', /<Code>InvalidParameter<\/Code><Message>Invalid parameter: Token<\/Message>/);
  now = new Date(T0.getTime() + 4 * 24 * 3600 * 1000);
  assert.equal((await get('/', q({ Action: 'ConfirmSubscription', TopicArn: TOPIC, Token: 'abc123' })))?.status, 400, 'three days at most');
  now = T0;
  const ok = await get('/', q({ Action: 'ConfirmSubscription', TopicArn: TOPIC, Token: 'abc123' }));
  assert.equal(ok?.status, 200);
  assert.match(ok?.body ?? '', new RegExp(`<ConfirmSubscriptionResult><SubscriptionArn>${pending.arn}</SubscriptionArn>`));
  const sub = await store.topics.getSubscription(pending.arn);
  assert.deepEqual([sub?.confirmed, sub?.attributes.ConfirmationWasAuthenticated], [true, 'false']);
});

test('the UnsubscribeURL removes the subscription unless it asked for authentication; signed and other requests pass through', async () => {
  await store.topics.updateSubscription(pending.arn, { confirmed: true, attributes: { AuthenticateOnUnsubscribe: 'true' } });
  const refused = await get('/', q({ Action: 'Unsubscribe', SubscriptionArn: pending.arn }));
  assert.equal(refused?.status, 403);
  assert.match(refused?.body ?? '', /<Code>AuthorizationError<\/Code>/);
  await store.topics.updateSubscription(pending.arn, { attributes: {} });
  const done = await get('/', q({ Action: 'Unsubscribe', SubscriptionArn: pending.arn }));
  assert.equal(done?.status, 200);
  assert.equal(await store.topics.getSubscription(pending.arn), undefined);
  assert.equal((await get('/', q({ Action: 'Unsubscribe', SubscriptionArn: 'x' })))?.status, 400);
  assert.equal(await get('/', q({ Action: 'Publish', TopicArn: TOPIC })), undefined);
  assert.equal(await get('/', q({ Action: 'Unsubscribe', SubscriptionArn: pending.arn }), { authorization: 'AWS4-HMAC-SHA256 Credential=…' }), undefined);
  assert.equal(await get('/bucket/key'), undefined);
  assert.equal(await route({ method: 'POST', rawPath: '/', rawQuery: q({ Action: 'Unsubscribe' }), headers: {} }), undefined);
});
