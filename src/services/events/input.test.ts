/**
 * InputPath and InputTransformer (input.ts): the examples of
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html and
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyInputPath, checkInputPath, checkInputTransformer, InputError, transformInput } from './input.ts';

// the documentation's sample event
const event = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING' },
};
const paths = { instance: '$.detail.instance-id', state: '$.detail.state', timestamp: '$.time', resource: '$.resources[0]' };
const run = (InputTemplate: string, context = {}) => transformInput({ InputPathsMap: paths, InputTemplate }, event, context);

describe('InputTransformer output', () => {
  test('a plain string template takes the values bare', () => {
    assert.equal(run('instance <instance> is in <state>'), 'instance i-0123456789 is in RUNNING');
  });
  test('a quoted string template stays a JSON string', () => {
    assert.equal(run('"instance <instance> is in <state>"'), '"instance i-0123456789 is in RUNNING"');
  });
  test('JSON template: a value outside quotes is JSON, inside quotes its characters', () => {
    assert.equal(run('{"instance" : <instance>, "state": <state>}'), '{"instance" : "i-0123456789", "state": "RUNNING"}');
    assert.equal(run('{"instance" : "<instance>", "state": "<state>"}'), '{"instance" : "i-0123456789", "state": "RUNNING"}');
    assert.equal(
      run('{"myInstance": <instance>,"myStatus": "<instance> is in state \\"<state>\\""}'),
      '{"myInstance": "i-0123456789","myStatus": "i-0123456789 is in state \\"RUNNING\\""}',
    );
  });
  test('array indexes and non-string values', () => {
    assert.equal(run('{"r": <resource>}'), '{"r": "arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"}');
    const out = transformInput({ InputPathsMap: { d: '$.detail', rs: '$.resources' }, InputTemplate: '{"d": <d>, "rs": <rs>, "s": "<d>"}' }, event);
    assert.deepEqual(JSON.parse(out), { d: event.detail, rs: event.resources, s: JSON.stringify(event.detail) });
  });
  test('a path missing from the event: null outside quotes, nothing inside', () => {
    const out = transformInput({ InputPathsMap: { x: '$.detail.nope' }, InputTemplate: '{"a": <x>, "b": "<x>"}' }, event);
    assert.equal(out, '{"a": null, "b": ""}');
    assert.equal(transformInput({ InputPathsMap: { x: '$.nope' }, InputTemplate: 'value=<x>' }, event), 'value=');
  });
  test('predefined variables', () => {
    const ctx = { ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/r1', ruleName: 'r1', ingestionTime: '2015-11-11T21:29:55Z' };
    const out = JSON.parse(
      run(
        '{"arn": <aws.events.rule-arn>, "name": "<aws.events.rule-name>", "at": <aws.events.event.ingestion-time>, "e": <aws.events.event>, "j": <aws.events.event.json>}',
        ctx,
      ),
    );
    assert.equal(out.arn, ctx.ruleArn);
    assert.equal(out.name, 'r1');
    assert.equal(out.at, '2015-11-11T21:29:55Z');
    assert.equal(out.e.detail, undefined);
    assert.equal(out.e.detailType, 'EC2 Instance State-change Notification');
    assert.equal(out.e.source, 'aws.ec2');
    assert.deepEqual(out.j, event);
    // the exact envelope text is used when given
    assert.equal(run('<aws.events.event.json>', { eventJson: '{"x":1}' }), '{"x":1}');
    // ingestion time defaults to the event time
    assert.equal(run('<aws.events.event.ingestion-time>'), '2015-11-11T21:29:54Z');
  });
  test('a string value with quotes is escaped inside a JSON string', () => {
    const e = { detail: { msg: 'say "hi"' } };
    const out = transformInput({ InputPathsMap: { m: '$.detail.msg' }, InputTemplate: '{"text": "<m>!", "raw": <m>}' }, e);
    assert.deepEqual(JSON.parse(out), { text: 'say "hi"!', raw: 'say "hi"' });
  });
});

describe('InputPath', () => {
  test('selects a part of the event as JSON', () => {
    assert.equal(applyInputPath('$.detail', event), JSON.stringify(event.detail));
    assert.equal(applyInputPath('$.detail.state', event), '"RUNNING"');
    assert.equal(applyInputPath('$', event), JSON.stringify(event));
    assert.equal(applyInputPath('$.resources[0]', event), '"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"');
    assert.equal(applyInputPath('$.detail.missing', event), 'null');
  });
  test('accepts dot notation, refuses the rest', () => {
    for (const ok of ['$', '$.detail', '$.detail.instance-id', '$.detail-type', '$.resources[0]', '$.a.b[2].c'])
      assert.doesNotThrow(() => checkInputPath(ok, 't1'));
    for (const bad of ['', 'detail', '$.', '$..detail', "$['detail']", '$.a[x]', '$.a b', '$.*']) {
      assert.throws(
        () => checkInputPath(bad, 't1'),
        (e: unknown) => e instanceof InputError && e.message === 'Invalid InputPath for target t1.',
        bad,
      );
    }
  });
});

describe('checkInputTransformer', () => {
  const refused = (t: Parameters<typeof checkInputTransformer>[0], message: string) =>
    assert.throws(
      () => checkInputTransformer(t, 'T'),
      (e: unknown) => e instanceof InputError && e.message === message,
    );
  test('accepts the documented forms', () => {
    for (const InputTemplate of [
      '<instance> is in state <state>',
      '<instance> is in state "<state>"',
      '{"myInstance": <instance>,"myStatus": "<instance> is in state \\"<state>\\""}',
      '"<aws.events.rule-name>"',
    ])
      assert.doesNotThrow(() => checkInputTransformer({ InputPathsMap: paths, InputTemplate }, 'T'));
  });
  test('an unknown placeholder', () => {
    refused({ InputPathsMap: paths, InputTemplate: 'x <nope>' }, 'InputTemplate for target T contains invalid placeholder nope.');
  });
  test('more than 100 paths', () => {
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, '$.id']));
    refused({ InputPathsMap: many, InputTemplate: 'x' }, 'InputPathsMap for target T has more than 100 entries.');
    const hundred = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, '$.id']));
    assert.doesNotThrow(() => checkInputTransformer({ InputPathsMap: hundred, InputTemplate: 'x' }));
  });
  test('keys and paths', () => {
    refused({ InputPathsMap: { 'a.b': '$.id' }, InputTemplate: 'x' }, 'InputPathsMap for target T contains invalid key a.b.');
    refused({ InputPathsMap: { a: 'id' }, InputTemplate: 'x' }, 'InputPathsMap for target T contains invalid path id.');
  });
  test('an object template that is not JSON', () => {
    refused({ InputPathsMap: paths, InputTemplate: '{"a": <instance>' }, 'InputTemplate for target T is not a valid JSON text.');
    refused({ InputPathsMap: paths, InputTemplate: '{<instance>: 1}' }, 'InputTemplate for target T is not a valid JSON text.');
  });
});

test('without a target id the messages name no target', () => {
  assert.throws(() => checkInputPath('x'), { message: 'Invalid InputPath.' });
  assert.throws(() => checkInputTransformer({ InputTemplate: '<x>' }), { message: 'InputTemplate contains invalid placeholder x.' });
});
