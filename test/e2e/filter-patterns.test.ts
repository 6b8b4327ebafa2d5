/**
 * The filter-pattern table (src/services/logs/filter-pattern/cases.ts, from AWS's documentation) over
 * the wire: TestMetricFilter with the official SDK answers each pattern's matches, the fields a
 * space-delimited pattern extracts, and InvalidParameterException for each invalid pattern.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CloudWatchLogsClient, TestMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { INVALID_CASES, MATCH_CASES, type MatchCase } from '../../src/services/logs/filter-pattern/cases.ts';
import { sdkConfig } from './helpers/clients.ts';
import { startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let logs: CloudWatchLogsClient;
before(async () => {
  server = await startServer();
  logs = new CloudWatchLogsClient(sdkConfig(server.endpoint, server.root));
});
after(async () => {
  logs?.destroy();
  await server?.dispose();
});

test('TestMetricFilter matches every documented case as the engine does', async () => {
  const byPattern = new Map<string, MatchCase[]>();
  for (const c of MATCH_CASES) byPattern.set(c.pattern, [...(byPattern.get(c.pattern) ?? []), c]);
  for (const [pattern, cases] of byPattern) {
    const r = await logs.send(new TestMetricFilterCommand({ filterPattern: pattern, logEventMessages: cases.map((c) => c.message) }));
    const matched = (r.matches ?? []).map((m) => m.eventNumber);
    const expected = cases.flatMap((c, i) => (c.match ? [i + 1] : []));
    assert.deepEqual(matched, expected, `${pattern}`);
    for (const [i, c] of cases.entries()) {
      if (!c.match || !c.text || pattern.trim()[0] !== '[') continue;
      const m = r.matches?.find((x) => x.eventNumber === i + 1);
      assert.equal(m?.extractedValues?.[c.text.spec], c.text.expected, `${pattern} ${c.text.spec}`);
    }
  }
});

test('TestMetricFilter refuses every documented invalid pattern', async () => {
  for (const c of INVALID_CASES) {
    const e = await logs.send(new TestMetricFilterCommand({ filterPattern: c.pattern, logEventMessages: ['x'] })).then(
      () => undefined,
      (x: unknown) => x as { name?: string; message?: string },
    );
    assert.equal(e?.name, 'InvalidParameterException', c.pattern);
    assert.equal(e?.message, 'Invalid metric filter pattern', c.pattern);
  }
});
