/** Trail name and ARN rules (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html "Common rules"). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AwsError } from '../../errors/aws-error.ts';
import { checkTrailName, parseTrailRef } from './trail-names.ts';

const code = (f: () => unknown) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return (e as AwsError).code;
  }
};

const NAMES: [string, string][] = [
  ['my-trail', 'ok'],
  ['My_Trail.2', 'ok'],
  ['abc', 'ok'],
  ['a'.repeat(128), 'ok'],
  ['ab', 'InvalidTrailNameException'],
  ['a'.repeat(129), 'InvalidTrailNameException'],
  ['-trail', 'InvalidTrailNameException'],
  ['trail_', 'InvalidTrailNameException'],
  ['my trail', 'InvalidTrailNameException'],
  ['my--x', 'InvalidTrailNameException'],
  ['my-_x', 'InvalidTrailNameException'],
  ['my..x', 'InvalidTrailNameException'],
  ['192.168.0.1', 'InvalidTrailNameException'],
  ['tr@il', 'InvalidTrailNameException'],
];
for (const [name, want] of NAMES)
  test(`trail name ${JSON.stringify(name.length > 20 ? `${name.slice(0, 5)}…(${name.length})` : name)} → ${want}`, () =>
    assert.equal(
      code(() => checkTrailName(name)),
      want,
    ));

test("moto's messages for the common mistakes", () => {
  assert.throws(() => checkTrailName('ab'), { message: 'Trail name too short. Minimum allowed length: 3 characters. Specified name length: 2 characters.' });
  assert.throws(() => checkTrailName('-ab'), { message: 'Trail name must starts with a letter or number.' });
});

test('an ARN is accepted wherever a name is; a malformed one is CloudTrailARNInvalidException', () => {
  assert.deepEqual(parseTrailRef('arn:aws:cloudtrail:eu-west-1:123456789012:trail/my-trail'), {
    name: 'my-trail',
    arn: 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/my-trail',
    region: 'eu-west-1',
    account: '123456789012',
  });
  assert.deepEqual(parseTrailRef('my-trail'), { name: 'my-trail' });
  assert.equal(
    code(() => parseTrailRef('arn:aws:cloudtrail:eu-west-1:1234:trail/my-trail')),
    'CloudTrailARNInvalidException',
  );
  assert.equal(
    code(() => parseTrailRef('arn:aws:s3:::bucket')),
    'CloudTrailARNInvalidException',
  );
  assert.equal(
    code(() => parseTrailRef('arn:aws:cloudtrail:eu-west-1:123456789012:trail/x')),
    'InvalidTrailNameException',
  );
});
