/**
 * LookupEvents against a real store — SQLite in memory, and PostgreSQL (STARTRAIL_TEST_DATABASE_URL,
 * as the store conformance suite) — attributes, AND, time range, order, paging, errors (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html). The same queries must answer the same on both backends.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { storedEvent } from '../../audit/columns.ts';
import type { AwsError } from '../../errors/aws-error.ts';
import { loadModel } from '../../protocol/model.ts';
import { validateInput } from '../../protocol/validate.ts';
import { SecretBox } from '../../store/secret-box.ts';
import { dropSchema, openPostgresStore } from '../../store/postgres/open.ts';
import { openSqliteStore } from '../../store/sqlite/open.ts';
import type { Store } from '../../store/types.ts';
import type { OperationContext } from '../types.ts';
import { cloudtrail } from './index.ts';
import type { Answer } from '../testing.ts';
import type { Output } from './model.generated.ts';
import { lookupEvents, weightedLength, type LookupEventsRequest } from './lookup-events.ts';

const TEST_DATABASE_URL = process.env.STARTRAIL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const backends: [string, () => Promise<{ store: Store; dispose(): Promise<void> }>][] = [
  [
    'sqlite',
    async () => {
      const store = await openSqliteStore(':memory:', new SecretBox(randomBytes(32)));
      return { store, dispose: () => store.close() };
    },
  ],
  [
    'postgres',
    async () => {
      const schema = `lookup_${process.pid}_${Date.now().toString(36)}`;
      const store = await openPostgresStore(TEST_DATABASE_URL, new SecretBox(randomBytes(32)), { schema, maxConnections: 2 });
      return {
        store,
        dispose: async () => {
          await store.close();
          await dropSchema(TEST_DATABASE_URL, schema);
        },
      };
    },
  ],
];

for (const [backend, open] of backends)
  describe(`LookupEvents on ${backend}`, () => {
    let store: Store;
    const ctx = () => ({ store }) as OperationContext;
    const lookup = (input: LookupEventsRequest) => lookupEvents(input, ctx()) as Promise<Answer<Output<'LookupEvents'>>>;
    const ids = async (input: LookupEventsRequest) => (await lookup(input)).Events.map((e) => e.EventId);
    const code = async (input: LookupEventsRequest) => {
      try {
        await lookup(input);
      } catch (e) {
        return (e as AwsError).code;
      }
      return 'none';
    };
    const attr = (AttributeKey: string, AttributeValue: string) => ({ LookupAttributes: [{ AttributeKey, AttributeValue }] });

    const PROJECT = 'arn:aws:codestar:us-east-1:000000000000:project/web';
    const ROLE = 'arn:aws:iam::000000000000:role/dev';
    function rec(id: string, time: string, over: Record<string, unknown> = {}): string {
      return JSON.stringify({
        eventVersion: '1.11',
        userIdentity: {
          type: 'IAMUser',
          principalId: 'AIDA1',
          arn: 'arn:aws:iam::000000000000:user/alice',
          accountId: '000000000000',
          accessKeyId: 'AKIAALICE',
          userName: 'alice',
        },
        eventTime: time,
        eventSource: 'codestar.amazonaws.com',
        eventName: 'DescribeProject',
        awsRegion: 'us-east-1',
        eventID: id,
        readOnly: true,
        ...over,
      });
    }
    const FIXTURES = [
      rec('e1', '2026-01-01T00:00:00Z'),
      rec('e2', '2026-01-01T00:00:10Z', {
        eventName: 'CreateProject',
        readOnly: false,
        resources: [{ accountId: '000000000000', type: 'AWS::CodeStar::Project', ARN: PROJECT }],
      }),
      rec('e3', '2026-01-01T00:00:10Z', {
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRole',
        resources: [{ accountId: '000000000000', type: 'AWS::IAM::Role', ARN: ROLE }],
      }),
      rec('e4', '2026-01-01T00:00:20Z', {
        userIdentity: { type: 'Root', principalId: '000000000000', arn: 'arn:aws:iam::000000000000:root', accountId: '000000000000', accessKeyId: 'AKIAROOT' },
      }),
      rec('e5', '2026-01-01T00:00:30Z', {
        userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::000000000000:assumed-role/dev/s1', accessKeyId: 'ASIAROLE' },
        eventName: 'UpdateProject',
        readOnly: false,
        resources: [
          { type: 'AWS::IAM::Role', ARN: ROLE },
          { type: 'AWS::IAM::Role', ARN: `${ROLE}-2` },
          { type: 'AWS::CodeStar::Project', ARN: PROJECT },
        ],
      }),
    ];

    let dispose: () => Promise<void>;
    before(async () => {
      ({ store, dispose } = await open());
      for (const json of FIXTURES) await store.events.append([storedEvent(JSON.parse(json), json)]);
    });
    after(async () => {
      await dispose();
    });

    test('newest first; equal times in reverse order of arrival; every event by default', async () => {
      assert.deepEqual(await ids({}), ['e5', 'e4', 'e3', 'e2', 'e1']);
    });

    test('each of the eight attributes matches exactly', async () => {
      assert.deepEqual(await ids(attr('EventId', 'e3')), ['e3']);
      assert.deepEqual(await ids(attr('EventName', 'CreateProject')), ['e2']);
      assert.deepEqual(await ids(attr('EventName', 'Create')), []);
      assert.deepEqual(await ids(attr('ReadOnly', 'false')), ['e5', 'e2']);
      assert.deepEqual(await ids(attr('ReadOnly', 'true')), ['e4', 'e3', 'e1']);
      assert.deepEqual(await ids(attr('ReadOnly', 'yes')), []);
      assert.deepEqual(await ids(attr('Username', 'root')), ['e4']);
      assert.deepEqual(await ids(attr('Username', 's1')), ['e5']);
      assert.deepEqual(await ids(attr('Username', 'alice')), ['e3', 'e2', 'e1']);
      assert.deepEqual(await ids(attr('ResourceType', 'AWS::IAM::Role')), ['e5', 'e3']);
      assert.deepEqual(await ids(attr('ResourceName', PROJECT)), ['e5', 'e2']);
      assert.deepEqual(await ids(attr('ResourceName', 'web')), []);
      assert.deepEqual(await ids(attr('EventSource', 'sts.amazonaws.com')), ['e3']);
      assert.deepEqual(await ids(attr('AccessKeyId', 'ASIAROLE')), ['e5']);
    });

    test('several attributes combine with AND, resource attributes included', async () => {
      const both = (a: [string, string], b: [string, string]) =>
        ids({
          LookupAttributes: [
            { AttributeKey: a[0], AttributeValue: a[1] },
            { AttributeKey: b[0], AttributeValue: b[1] },
          ],
        });
      assert.deepEqual(await both(['ReadOnly', 'false'], ['Username', 'alice']), ['e2']);
      assert.deepEqual(await both(['ResourceType', 'AWS::IAM::Role'], ['ResourceName', PROJECT]), ['e5']);
      assert.deepEqual(await both(['ResourceType', 'AWS::IAM::Role'], ['EventSource', 'sts.amazonaws.com']), ['e3']);
      assert.deepEqual(await both(['EventName', 'CreateProject'], ['EventName', 'AssumeRole']), []);
    });

    test('StartTime and EndTime are inclusive', async () => {
      assert.deepEqual(await ids({ StartTime: new Date('2026-01-01T00:00:10Z'), EndTime: new Date('2026-01-01T00:00:20Z') }), ['e4', 'e3', 'e2']);
      assert.deepEqual(await ids({ StartTime: new Date('2026-01-01T00:00:30Z') }), ['e5']);
      assert.deepEqual(await ids({ EndTime: new Date('2026-01-01T00:00:00Z') }), ['e1']);
    });

    test('an Event item: ReadOnly as a string, Username, Resources, the record text as CloudTrailEvent', async () => {
      const [e] = (await lookup(attr('EventId', 'e5'))).Events;
      assert.deepEqual(e, {
        EventId: 'e5',
        EventName: 'UpdateProject',
        ReadOnly: 'false',
        AccessKeyId: 'ASIAROLE',
        EventTime: new Date('2026-01-01T00:00:30Z'),
        EventSource: 'codestar.amazonaws.com',
        Username: 's1',
        Resources: [
          { ResourceType: 'AWS::IAM::Role', ResourceName: ROLE },
          { ResourceType: 'AWS::IAM::Role', ResourceName: `${ROLE}-2` },
          { ResourceType: 'AWS::CodeStar::Project', ResourceName: PROJECT },
        ],
        CloudTrailEvent: FIXTURES[4],
      });
    });

    test('paging: MaxResults per page, NextToken until the end, each event once (also when one event has two matching resources)', async () => {
      const walk = async (input: LookupEventsRequest, sizes: number[]) => {
        const seen: string[] = [];
        let token: string | undefined;
        for (const size of sizes) {
          const r = await lookup({ ...input, MaxResults: size, ...(token ? { NextToken: token } : {}) });
          seen.push(...r.Events.map((e) => e.EventId!));
          token = r.NextToken;
        }
        return { seen, token };
      };
      assert.deepEqual(await walk({}, [2, 2, 1]), { seen: ['e5', 'e4', 'e3', 'e2', 'e1'], token: undefined });
      assert.deepEqual(await walk({}, [2, 3]), { seen: ['e5', 'e4', 'e3', 'e2', 'e1'], token: undefined });
      // a page ending between two events of the same second (e3, e2) continues with the second
      assert.deepEqual(await walk({}, [3, 2]), { seen: ['e5', 'e4', 'e3', 'e2', 'e1'], token: undefined });
      assert.deepEqual(await walk(attr('ResourceType', 'AWS::IAM::Role'), [1, 1]), { seen: ['e5', 'e3'], token: undefined });
      assert.equal((await lookup({ MaxResults: 5 })).NextToken, undefined);
    });

    test('a NextToken only continues the query it came from', async () => {
      const first = await lookup({ ...attr('Username', 'alice'), MaxResults: 1 });
      assert.equal(await code({ ...attr('Username', 'root'), NextToken: first.NextToken! }), 'InvalidNextTokenException');
      assert.equal(await code({ ...attr('Username', 'alice'), StartTime: new Date(0), NextToken: first.NextToken! }), 'InvalidNextTokenException');
      assert.equal(await code({ NextToken: 'not-a-token' }), 'InvalidNextTokenException');
      assert.deepEqual(await ids({ ...attr('Username', 'alice'), NextToken: first.NextToken! }), ['e2', 'e1']);
    });

    test('every error the spec lists for bad input', async () => {
      assert.equal(await code({ MaxResults: 0 }), 'InvalidMaxResultsException');
      assert.equal(await code({ MaxResults: 51 }), 'InvalidMaxResultsException');
      assert.equal(await code({ StartTime: new Date('2026-01-02T00:00:00Z'), EndTime: new Date('2026-01-01T00:00:00Z') }), 'InvalidTimeRangeException');
      assert.equal(await code({ StartTime: new Date(-1000) }), 'InvalidTimeRangeException');
      assert.equal(await code({ EventCategory: 'management' }), 'InvalidEventCategoryException');
      assert.equal(await code(attr('UserName', 'alice')), 'InvalidLookupAttributesException');
      assert.equal(await code(attr('EventName', '')), 'InvalidLookupAttributesException');
      assert.equal(await code(attr('EventName', '_'.repeat(1001))), 'InvalidLookupAttributesException');
      assert.equal(await code(attr('EventName', 'a'.repeat(2000))), 'none');
      assert.equal(weightedLength('a_b c,d\ne'), 13);
      const err = await lookup({ MaxResults: 51 }).catch((e: AwsError) => e);
      assert.deepEqual([(err as AwsError).status, (err as AwsError).message], [400, 'MaxResults 51 is not valid. MaxResults must be between 1 and 50.']);
    });

    test("those constraints are the service's to answer: the validator's copy of the model no longer has them", () => {
      const input = { MaxResults: 51, EventCategory: 'x', LookupAttributes: [{ AttributeKey: 'Nope', AttributeValue: '' }] };
      assert.deepEqual(validateInput(cloudtrail.model, 'LookupEventsRequest', input), []);
      assert.equal(loadModel('cloudtrail').shapes.MaxResults?.max, 50);
    });

    test('EventCategory insight answers an empty list (no Insights events here)', async () => {
      assert.deepEqual(await lookup({ EventCategory: 'insight' }), { Events: [] });
    });
  });
