/**
 * NUL and other edge characters through the store: the PostgreSQL text escape (text.ts) round-trips
 * and keeps order, and SQLite and PostgreSQL store and return the same bytes — records, lookup
 * columns, resource names, projects — and answer lookups by such values the same way.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storedEvent } from '../../audit/columns.ts';
import { BACKENDS, openTestStore } from '../testing.ts';
import type { LookupAttributeKey, Store } from '../types.ts';
import { escapeText, unescapeText } from './text.ts';

describe('PostgreSQL text escape', () => {
  test('round-trips every mix of NUL, U+0001, U+0002 and ordinary text', () => {
    const alphabet = ['\u0000', '\u0001', '\u0002', 'a', '\u{1F600}', '\u2028', '\\'];
    for (let i = 0; i < 2000; i++) {
      const s = Array.from({ length: i % 9 }, (_, j) => alphabet[(i * 7 + j * 13 + (i >> 3)) % alphabet.length]).join('');
      const e = escapeText(s);
      assert.ok(!e.includes('\u0000'), JSON.stringify(s));
      assert.equal(unescapeText(e), s);
    }
    assert.equal(escapeText('plain'), 'plain');
    assert.equal(escapeText('a\u0000b\u0001c'), 'a\u0001\u0001b\u0001\u0002c');
  });

  test('keeps byte order, equality and prefixes', () => {
    const words = ['', '\u0000', '\u0000\u0000', '\u0001', '\u0001\u0000', '\u0002', 'a', 'a\u0000', 'a\u0000b', 'a\u0001', 'a\u0002', 'ab', 'b'];
    const byBytes = (x: string, y: string) => Buffer.compare(Buffer.from(x), Buffer.from(y));
    for (const x of words) {
      for (const y of words) {
        assert.equal(Math.sign(byBytes(escapeText(x), escapeText(y))), Math.sign(byBytes(x, y)), `${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
        assert.equal(escapeText(x + y), escapeText(x) + escapeText(y));
      }
    }
  });
});

const backends: [string, () => Promise<{ store: Store; dispose(): Promise<void> }>][] = BACKENDS.map((b) => [
  b,
  async () => {
    const store = await openTestStore(b, { schemaPrefix: 'text' });
    return { store, dispose: () => store.close() };
  },
]);

const NAMES = ['Get\u0000', '\u0000', 'x\u0001y', 'u\u0001\u0002', 'e\u{1F600}\u2028'];
function record(i: number, name: string): string {
  return JSON.stringify({
    eventVersion: '1.11',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDA1',
      arn: `arn:aws:iam::000000000000:user/${name}`,
      accountId: '000000000000',
      accessKeyId: `AKIA${name}`,
      userName: name,
    },
    eventTime: `2026-01-01T00:00:0${i}Z`,
    eventSource: `${name}.amazonaws.com`,
    eventName: name,
    awsRegion: 'us-east-1',
    eventID: `id-${name}`,
    readOnly: true,
    resources: [{ type: `AWS::${name}`, ARN: `arn:aws:s3:::b/${name}` }],
  });
}

/** What each backend answers, compared across backends at the end. */
const answers = new Map<string, unknown[]>();

for (const [backend, open] of backends)
  describe(`edge characters in the ${backend} store`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    const seen: unknown[] = [];
    before(async () => {
      ({ store, dispose } = await open());
      for (const [i, name] of NAMES.entries()) {
        const json = record(i, name);
        await store.events.append([storedEvent(JSON.parse(json), json)]);
      }
    });
    after(async () => {
      answers.set(backend, seen);
      await dispose();
    });

    test('every lookup attribute finds exactly the record with the value, and returns its bytes', async () => {
      const value: Record<LookupAttributeKey, (n: string) => string> = {
        EventId: (n) => `id-${n}`,
        EventName: (n) => n,
        EventSource: (n) => `${n}.amazonaws.com`,
        Username: (n) => n,
        AccessKeyId: (n) => `AKIA${n}`,
        ResourceName: (n) => `arn:aws:s3:::b/${n}`,
        ResourceType: (n) => `AWS::${n}`,
        ReadOnly: () => 'true',
      };
      for (const [i, name] of NAMES.entries()) {
        for (const key of Object.keys(value) as LookupAttributeKey[]) {
          if (key === 'ReadOnly') continue;
          const page = await store.events.lookup({ attributes: [{ key, value: value[key](name) }], limit: 50 });
          assert.deepEqual(
            page.events.map((e) => e.eventName),
            [name],
            `${key} ${JSON.stringify(name)}`,
          );
          const e = page.events[0]!;
          assert.equal(e.json, record(i, name));
          assert.equal(e.username, name);
          assert.deepEqual(e.resources, [{ type: `AWS::${name}`, name: `arn:aws:s3:::b/${name}` }]);
          seen.push([key, name, e.json, e.eventName, e.eventSource, e.username, e.accessKeyId, e.resources]);
        }
      }
      // a value that merely contains an escape's characters matches nothing
      for (const v of ['Get\u0001\u0001', 'Get', '\u0001\u0001', 'x\u0001\u0002y']) {
        assert.deepEqual((await store.events.lookup({ attributes: [{ key: 'EventName', value: v }], limit: 50 })).events, [], JSON.stringify(v));
      }
    });

    test('a project keeps NUL and control characters in its name and description', async () => {
      const description = 'd\u0000\u0001\u0002\u001f\u{1F600}';
      assert.equal(
        await store.projects.create({
          id: 'p-edge',
          arn: 'arn:aws:codestar:us-east-1:000000000000:project/p-edge',
          name: 'N\u0000',
          description,
          creatorArn: 'arn:aws:iam::000000000000:user/u\u0000',
          state: 'CreateComplete',
          createdAt: new Date('2026-01-01T00:00:00Z'),
          version: 1,
          source: { sourceCode: [{ n: 'x\u0000' }], toolchain: null },
        }),
        true,
      );
      const p = await store.projects.get('p-edge');
      assert.equal(p?.name, 'N\u0000');
      assert.equal(p?.description, description);
      assert.equal(p?.creatorArn, 'arn:aws:iam::000000000000:user/u\u0000');
      assert.deepEqual(p?.source, { sourceCode: [{ n: 'x\u0000' }], toolchain: null });
      seen.push([p?.name, p?.description, p?.creatorArn, p?.source]);
    });
  });

test('SQLite and PostgreSQL returned the same values', () => {
  assert.ok((answers.get('sqlite')?.length ?? 0) > 20);
  assert.deepEqual(answers.get('postgres'), answers.get('sqlite'));
});
