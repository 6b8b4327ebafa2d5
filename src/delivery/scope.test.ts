/** Which records a trail delivers: region, global services, basic and advanced selectors (docs/architecture.md#delivery). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrailEvent, TrailScope, TrailSelectors } from '../store/types.ts';
import { inScope } from './scope.ts';

const ev = (o: Partial<TrailEvent> = {}): TrailEvent => ({
  seq: 1,
  accountId: '111111111111',
  region: 'us-east-1',
  eventSource: 'codestar.amazonaws.com',
  eventName: 'ListProjects',
  readOnly: true,
  eventTime: new Date(0),
  json: '{"eventCategory":"Management"}',
  ...o,
});
const scope = (selectors: TrailSelectors | null = null, o: Partial<TrailScope> = {}): TrailScope => ({
  homeRegion: 'us-east-1',
  isMultiRegionTrail: false,
  includeGlobalServiceEvents: true,
  selectors,
  ...o,
});
const basic = (...s: Record<string, unknown>[]): TrailSelectors => ({ kind: 'basic', selectors: s });
const adv = (...fields: Record<string, unknown>[][]): TrailSelectors => ({ kind: 'advanced', selectors: fields.map((FieldSelectors) => ({ FieldSelectors })) });
const MGMT = { Field: 'eventCategory', Equals: ['Management'] };
const DATA = { Field: 'eventCategory', Equals: ['Data'] };
const S3 = { Field: 'resources.type', Equals: ['AWS::S3::Object'] };
const s3Event = (name: string, readOnly: boolean, resources: { type: string; ARN: string }[]) =>
  ev({ data: true, eventSource: 's3.amazonaws.com', eventName: name, readOnly, json: JSON.stringify({ eventCategory: 'Data', resources }) });
/** PutObject of logs/2026/a.json: the object and its bucket, as S3 records them */
const put = () =>
  s3Event('PutObject', false, [
    { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::logs/2026/a.json' },
    { type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::logs' },
  ]);
const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:jobs';
const SQS = { Field: 'resources.type', Equals: ['AWS::SQS::Queue'] };
/** SendMessage as SQS records it: a data event on the queue */
const sqsSend = () =>
  ev({
    data: true,
    eventSource: 'sqs.amazonaws.com',
    eventName: 'SendMessage',
    readOnly: false,
    json: JSON.stringify({ eventCategory: 'Data', resources: [{ accountId: '000000000000', type: 'AWS::SQS::Queue', ARN: QUEUE }] }),
  });
const bulk = () => s3Event('DeleteObjects', false, [{ type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::logs' }]);

const cases: [string, TrailScope, TrailEvent, boolean][] = [
  ['home region, default selectors', scope(), ev(), true],
  ['another region, single-region trail', scope(), ev({ region: 'eu-west-1' }), false],
  ['another region, multi-region trail', scope(null, { isMultiRegionTrail: true }), ev({ region: 'eu-west-1' }), true],
  ['IAM with global service events', scope(), ev({ eventSource: 'iam.amazonaws.com' }), true],
  ['IAM without global service events', scope(null, { includeGlobalServiceEvents: false }), ev({ eventSource: 'iam.amazonaws.com' }), false],
  ['a data event, default selectors', scope(), put(), false],
  ['ReadOnly selector, read', scope(basic({ ReadWriteType: 'ReadOnly' })), ev(), true],
  ['ReadOnly selector, write', scope(basic({ ReadWriteType: 'ReadOnly' })), ev({ readOnly: false }), false],
  ['WriteOnly selector, write', scope(basic({ ReadWriteType: 'WriteOnly' })), ev({ readOnly: false }), true],
  ['IncludeManagementEvents false', scope(basic({ IncludeManagementEvents: false })), ev(), false],
  ['excluded source', scope(basic({ ExcludeManagementEventSources: ['codestar.amazonaws.com'] })), ev(), false],
  ['selectors combine with OR', scope(basic({ IncludeManagementEvents: false }, { ReadWriteType: 'All' })), ev(), true],
  ['no selectors at all: nothing', scope(basic()), ev(), false],
  ['advanced: category only', scope(adv([MGMT])), ev(), true],
  ['advanced: readOnly false', scope(adv([MGMT, { Field: 'readOnly', Equals: ['false'] }])), ev(), false],
  ['advanced: eventSource NotEquals', scope(adv([MGMT, { Field: 'eventSource', NotEquals: ['codestar.amazonaws.com'] }])), ev(), false],
  ['advanced: eventName StartsWith', scope(adv([MGMT, { Field: 'eventName', StartsWith: ['List', 'Get'] }])), ev(), true],
  [
    'advanced: eventName EndsWith / NotStartsWith together (AND)',
    scope(adv([MGMT, { Field: 'eventName', EndsWith: ['Projects'], NotStartsWith: ['List'] }])),
    ev(),
    false,
  ],
  [
    'advanced: data selector matches no management event',
    scope(
      adv([
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
      ]),
    ),
    ev(),
    false,
  ],
  // data events (S3 object calls)
  ['data: management-only basic selector', scope(basic({ ReadWriteType: 'All', IncludeManagementEvents: true })), put(), false],
  ['data: basic, every bucket (arn:aws:s3)', scope(basic({ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] })), put(), true],
  ['data: basic, this bucket', scope(basic({ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::logs/'] }] })), put(), true],
  ['data: basic, this bucket and prefix', scope(basic({ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::logs/2026/'] }] })), put(), true],
  ['data: basic, another prefix', scope(basic({ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::logs/2025/'] }] })), put(), false],
  ['data: basic, another bucket', scope(basic({ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::other/'] }] })), put(), false],
  [
    'data: basic, bucket name that only starts the same',
    scope(basic({ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::logs2/'] }] })),
    put(),
    false,
  ],
  ['data: basic, another resource type', scope(basic({ DataResources: [{ Type: 'AWS::Lambda::Function', Values: ['arn:aws:lambda'] }] })), put(), false],
  [
    'data: basic, ReadOnly selector, a write',
    scope(basic({ ReadWriteType: 'ReadOnly', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] })),
    put(),
    false,
  ],
  [
    'data: basic, a bucket-wide call (DeleteObjects) by bucket',
    scope(basic({ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::logs/'] }] })),
    bulk(),
    true,
  ],
  [
    'data: basic, a bucket-wide call by a prefix',
    scope(basic({ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::logs/2026/'] }] })),
    bulk(),
    false,
  ],
  ['data: advanced, S3 objects', scope(adv([DATA, S3])), put(), true],
  ['data: advanced, management only', scope(adv([MGMT])), put(), false],
  ['data: advanced, ARN StartsWith', scope(adv([DATA, S3, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::logs/2026/'] }])), put(), true],
  ['data: advanced, ARN NotStartsWith', scope(adv([DATA, S3, { Field: 'resources.ARN', NotStartsWith: ['arn:aws:s3:::logs/2026/'] }])), put(), false],
  [
    'data: advanced, eventName and readOnly',
    scope(adv([DATA, S3, { Field: 'eventName', Equals: ['PutObject'] }, { Field: 'readOnly', Equals: ['false'] }])),
    put(),
    true,
  ],
  ['data: advanced, eventName NotEquals', scope(adv([DATA, S3, { Field: 'eventName', NotEquals: ['PutObject'] }])), put(), false],
  ['data: advanced, another resource type', scope(adv([DATA, { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] }])), put(), false],
  ['data: management and data selectors together (OR)', scope(adv([MGMT], [DATA, S3])), put(), true],
  ['data: advanced, SQS queues', scope(adv([DATA, SQS])), sqsSend(), true],
  ['data: advanced, SQS selector and an S3 object', scope(adv([DATA, SQS])), put(), false],
  ['data: advanced, S3 selector and an SQS message', scope(adv([DATA, S3])), sqsSend(), false],
  ['data: advanced, SQS queue by ARN', scope(adv([DATA, SQS, { Field: 'resources.ARN', Equals: [QUEUE] }])), sqsSend(), true],
  ['data: advanced, another SQS queue by ARN', scope(adv([DATA, SQS, { Field: 'resources.ARN', Equals: [`${QUEUE}-2`] }])), sqsSend(), false],
  ["account: a trail of the record's account", scope(null, { accountId: '111111111111' }), ev(), true],
  ['account: a trail of another account', scope(null, { accountId: '333333333333' }), ev(), false],
  ['account: a plan made before accounts (none named)', scope(null), ev(), true],
  [
    'account: an organization trail, a member account',
    scope(null, { accountId: '333333333333', organization: { id: 'o-abcdefghij', accounts: ['333333333333', '111111111111'] } }),
    ev(),
    true,
  ],
  [
    'account: an organization trail, an account outside it',
    scope(null, { accountId: '333333333333', organization: { id: 'o-abcdefghij', accounts: ['333333333333', '444444444444'] } }),
    ev(),
    false,
  ],
  ['data: basic S3 data resource and an SQS message', scope(basic({ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] })), sqsSend(), false],
];

for (const [name, s, e, want] of cases) test(`scope: ${name} → ${want ? 'delivered' : 'not delivered'}`, () => assert.equal(inScope(s, e), want));
