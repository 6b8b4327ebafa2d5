/**
 * The event-pattern table (src/services/events/pattern/cases.ts: AWS's documented examples per
 * operator, and invalid patterns with AWS's reasons) over the wire, through TestEventPattern with
 * @aws-sdk/client-eventbridge. docs/event-patterns.md.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EventBridgeClient, TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import { invalidCases, matchCases } from '../../src/services/events/pattern/cases.ts';
import { sdkConfig } from './helpers/clients.ts';
import { startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let eb: EventBridgeClient;

before(async () => {
  server = await startServer();
  eb = new EventBridgeClient(sdkConfig(server.endpoint, server.root));
});
after(async () => {
  eb?.destroy();
  await server?.dispose();
});

/** Runs `f` over `items`, four at a time. */
async function each<T>(items: T[], f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < items.length) await f(items[next++] as T);
    }),
  );
}

test(`TestEventPattern answers every documented case (${matchCases.length})`, async () => {
  const wrong: string[] = [];
  await each(matchCases, async (c) => {
    const { Result } = await eb.send(new TestEventPatternCommand({ EventPattern: JSON.stringify(c.pattern), Event: JSON.stringify(c.event) }));
    if (Result !== c.matches) wrong.push(`${c.name}: ${Result}`);
  });
  assert.deepEqual(wrong, []);
});

test(`TestEventPattern refuses every invalid pattern with AWS's reason (${invalidCases.length})`, async () => {
  const event = JSON.stringify(matchCases[0]?.event);
  const wrong: string[] = [];
  await each(invalidCases, async (c) => {
    const e = (await eb.send(new TestEventPatternCommand({ EventPattern: c.pattern, Event: event })).then(
      () => undefined,
      (x: unknown) => x,
    )) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } } | undefined;
    const expected = `Event pattern is not valid. Reason: ${c.message ?? c.reason}`;
    const ok =
      e?.name === 'InvalidEventPatternException' &&
      e.$metadata?.httpStatusCode === 400 &&
      (c.message ? e.message === expected : e.message?.startsWith(`${expected}\n at [Source:`));
    if (!ok) wrong.push(`${c.pattern}: ${e?.name} ${e?.message}`);
  });
  assert.deepEqual(wrong, []);
});
