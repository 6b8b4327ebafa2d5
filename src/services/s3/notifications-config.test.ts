import assert from 'node:assert/strict';
import { test } from 'node:test';
import { S3Error } from './errors.ts';
import { checkConfiguration, configurationOutput, eventIncludes } from './notifications-config.ts';

const Q = 'arn:aws:sqs:us-east-1:000000000000:q1';
const Q2 = 'arn:aws:sqs:us-east-1:000000000000:q2';
const T = 'arn:aws:sns:us-east-1:000000000000:t1';
let n = 0;
const ctx = { region: 'us-east-1', newId: () => `gen-${++n}` };

function refused(input: unknown): { code: string; message: string; details: Record<string, string> } {
  try {
    checkConfiguration(input as never, ctx);
  } catch (e) {
    assert.ok(e instanceof S3Error, String(e));
    return { code: e.code, message: e.message, details: e.details };
  }
  assert.fail('accepted');
}

test('event patterns: exact types and the :* wildcard of their family', () => {
  assert.equal(eventIncludes('s3:ObjectCreated:*', 's3:ObjectCreated:Put'), true);
  assert.equal(eventIncludes('s3:ObjectCreated:*', 's3:ObjectCreated:CompleteMultipartUpload'), true);
  assert.equal(eventIncludes('s3:ObjectCreated:Put', 's3:ObjectCreated:Put'), true);
  assert.equal(eventIncludes('s3:ObjectCreated:Put', 's3:ObjectCreated:Copy'), false);
  assert.equal(eventIncludes('s3:ObjectCreated:*', 's3:ObjectRemoved:Delete'), false);
});

test('a valid configuration is stored with generated ids, filter names as S3 answers them, and read back in the wire shape', () => {
  const stored = checkConfiguration(
    {
      QueueConfigurations: [
        {
          QueueArn: Q,
          Events: ['s3:ObjectCreated:*'],
          Filter: {
            Key: {
              FilterRules: [
                { Name: 'prefix', Value: 'AWSLogs/' },
                { Name: 'SUFFIX', Value: '.gz' },
              ],
            },
          },
        },
      ],
      TopicConfigurations: [{ Id: 'mine', TopicArn: T, Events: ['s3:ObjectRemoved:Delete'] }],
    },
    ctx,
  );
  assert.equal(stored.rules.length, 2);
  const [topic, queue] = stored.rules;
  assert.deepEqual(topic, { id: 'mine', kind: 'topic', arn: T, events: ['s3:ObjectRemoved:Delete'], filter: [] });
  assert.match(queue!.id, /^gen-\d+$/);
  assert.deepEqual(queue!.filter, [
    { name: 'Prefix', value: 'AWSLogs/' },
    { name: 'Suffix', value: '.gz' },
  ]);
  assert.deepEqual(configurationOutput(stored), {
    TopicConfigurations: [{ Id: 'mine', Events: ['s3:ObjectRemoved:Delete'], TopicArn: T }],
    QueueConfigurations: [
      {
        Id: queue!.id,
        Events: ['s3:ObjectCreated:*'],
        Filter: {
          Key: {
            FilterRules: [
              { Name: 'Prefix', Value: 'AWSLogs/' },
              { Name: 'Suffix', Value: '.gz' },
            ],
          },
        },
        QueueArn: Q,
      },
    ],
  });
  assert.deepEqual(configurationOutput(undefined), {});
  assert.deepEqual(checkConfiguration({}, ctx), { rules: [] });
});

test('two rules taking a common event for some key: "Configurations overlap" without filters, "ambiguously defined" with them', () => {
  const overlap = 'Configurations overlap. Configurations on the same bucket cannot share a common event type.';
  assert.deepEqual(
    refused({
      QueueConfigurations: [
        { QueueArn: Q, Events: ['s3:ObjectCreated:*'] },
        { QueueArn: Q2, Events: ['s3:ObjectCreated:Put'] },
      ],
    }),
    { code: 'InvalidArgument', message: overlap, details: {} },
  );
  assert.equal(refused({ QueueConfigurations: [{ QueueArn: Q, Events: ['s3:ObjectCreated:*', 's3:ObjectCreated:Put'] }] }).message, overlap);
  const prefixed = (prefix: string, suffix?: string) => ({
    Key: { FilterRules: [{ Name: 'Prefix', Value: prefix }, ...(suffix !== undefined ? [{ Name: 'Suffix', Value: suffix }] : [])] },
  });
  assert.match(
    refused({
      QueueConfigurations: [
        { QueueArn: Q, Events: ['s3:ObjectCreated:*'], Filter: prefixed('logs/') },
        { QueueArn: Q2, Events: ['s3:ObjectCreated:Put'], Filter: prefixed('logs/2026/') },
      ],
    }).message,
    /^Configuration is ambiguously defined/,
  );
  // disjoint prefixes, disjoint suffixes, or different event families may share a bucket
  for (const [a, b, ea, eb] of [
    [prefixed('a/'), prefixed('b/'), 's3:ObjectCreated:*', 's3:ObjectCreated:*'],
    [prefixed('', '.gz'), prefixed('', '.json'), 's3:ObjectCreated:*', 's3:ObjectCreated:*'],
    [undefined, undefined, 's3:ObjectCreated:*', 's3:ObjectRemoved:*'],
  ] as const) {
    const ok = checkConfiguration(
      {
        QueueConfigurations: [
          { QueueArn: Q, Events: [ea], ...(a ? { Filter: a } : {}) },
          { QueueArn: Q2, Events: [eb], ...(b ? { Filter: b } : {}) },
        ],
      },
      ctx,
    );
    assert.equal(ok.rules.length, 2);
  }
});

test("bad rules get S3's InvalidArgument (with ArgumentName/ArgumentValue where S3 names the argument) or MalformedXML", () => {
  assert.deepEqual(refused({ QueueConfigurations: [{ QueueArn: 'arn:aws:sns:us-east-1:000000000000:t', Events: ['s3:ObjectCreated:*'] }] }), {
    code: 'InvalidArgument',
    message: 'The ARN could not be parsed',
    details: { ArgumentName: 'QueueArn', ArgumentValue: 'arn:aws:sns:us-east-1:000000000000:t' },
  });
  assert.deepEqual(refused({ QueueConfigurations: [{ QueueArn: Q, Events: ['s3:ObjectCreated:Nope'] }] }).details, {
    ArgumentName: 'Event',
    ArgumentValue: 's3:ObjectCreated:Nope',
  });
  assert.deepEqual(
    refused({ QueueConfigurations: [{ QueueArn: Q, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'middle', Value: 'x' }] } } }] }),
    {
      code: 'InvalidArgument',
      message: 'filter rule name must be either prefix or suffix',
      details: { ArgumentName: 'FilterRule', ArgumentValue: 'middle' },
    },
  );
  const two = {
    Key: {
      FilterRules: [
        { Name: 'prefix', Value: 'a' },
        { Name: 'Prefix', Value: 'b' },
      ],
    },
  };
  assert.equal(
    refused({ QueueConfigurations: [{ QueueArn: Q, Events: ['s3:ObjectCreated:*'], Filter: two }] }).message,
    'Cannot specify more than one prefix rule in a filter.',
  );
  assert.equal(refused({ QueueConfigurations: [{ QueueArn: `${Q}.fifo`, Events: ['s3:ObjectCreated:*'] }] }).message, 'FIFO SQS queues are not supported.');
  assert.match(
    refused({ QueueConfigurations: [{ QueueArn: 'arn:aws:sqs:eu-west-1:000000000000:q', Events: ['s3:ObjectCreated:*'] }] }).message,
    /region is not valid/,
  );
  assert.equal(refused({ QueueConfigurations: [{ QueueArn: Q, Events: [] }] }).code, 'MalformedXML');
  assert.equal(refused(undefined).code, 'MalformedXML');
  assert.match(
    refused({
      QueueConfigurations: [
        { Id: 'x', QueueArn: Q, Events: ['s3:ObjectCreated:*'] },
        { Id: 'x', QueueArn: Q2, Events: ['s3:ObjectRemoved:*'] },
      ],
    }).message,
    /^Same ID used/,
  );
  const lambda = 'arn:aws:lambda:us-east-1:000000000000:function:f';
  assert.deepEqual(refused({ LambdaFunctionConfigurations: [{ LambdaFunctionArn: lambda, Events: ['s3:ObjectCreated:*'] }] }), {
    code: 'InvalidArgument',
    message: 'Unable to validate the following destination configurations',
    details: { ArgumentName1: `${lambda}, null`, ArgumentValue1: `Not authorized to invoke function [${lambda}]` },
  });
});
