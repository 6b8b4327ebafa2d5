import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../../errors/aws-error.ts';
import { loadModel } from '../model.ts';
import { decodeQuery, encodeQueryError, encodeQueryResponse, parseForm } from './index.ts';

const iam = loadModel('iam');
const sts = loadModel('sts');

test('form parsing decodes percent-escapes and plus signs', () => {
  const f = parseForm('Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr&RoleSessionName=a+b');
  assert.equal(f.get('RoleArn'), 'arn:aws:iam::123456789012:role/r');
  assert.equal(f.get('RoleSessionName'), 'a b');
  assert.throws(
    () => parseForm('Action=%E0%A4%A'),
    (e: unknown) => e instanceof AwsError && e.status === 400,
  );
});

test('lists, nested structures and integers decode by the model', () => {
  const input = decodeQuery(
    sts,
    'AssumeRoleRequest',
    parseForm(
      'RoleArn=r&RoleSessionName=s&DurationSeconds=900&PolicyArns.member.1.arn=a1&PolicyArns.member.2.arn=a2&Tags.member.1.Key=k&Tags.member.1.Value=v',
    ),
  );
  assert.deepEqual(input, {
    RoleArn: 'r',
    RoleSessionName: 's',
    DurationSeconds: 900,
    PolicyArns: [{ arn: 'a1' }, { arn: 'a2' }],
    Tags: [{ Key: 'k', Value: 'v' }],
  });
});

test('a non-numeric integer is a 400 ValidationError', () => {
  assert.throws(
    () => decodeQuery(iam, 'ListUsersRequest', parseForm('MaxItems=ten')),
    (e: unknown) => e instanceof AwsError && e.code === 'ValidationError' && e.status === 400,
  );
});

test('responses wrap the result and list members; errors use ErrorResponse', () => {
  const xml = encodeQueryResponse(
    iam,
    'ListUsers',
    { Users: [{ Path: '/', UserName: 'a&b', UserId: 'AIDA1', Arn: 'arn', CreateDate: new Date('2024-08-01T13:33:28.123Z') }], IsTruncated: false },
    'rid',
  );
  assert.equal(
    xml,
    '<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><Users><member><Path>/</Path><UserName>a&amp;b</UserName><UserId>AIDA1</UserId><Arn>arn</Arn><CreateDate>2024-08-01T13:33:28Z</CreateDate></member></Users><IsTruncated>false</IsTruncated></ListUsersResult><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></ListUsersResponse>',
  );
  const err = encodeQueryError(
    'https://sts.amazonaws.com/doc/2011-06-15/',
    new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
    'rid',
  );
  assert.equal(err.status, 403);
  assert.equal(
    err.body,
    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error><RequestId>rid</RequestId></ErrorResponse>',
  );
});

test('an error echoing characters XML 1.0 cannot carry stays well-formed: those become U+FFFD', () => {
  const { body } = encodeQueryError(
    'https://iam.amazonaws.com/doc/2010-05-08/',
    new AwsError('ValidationError', "Value 'a\u0000b\u0001\u000b\ufffe\r\t\n<&>' at 'userName'", 400),
    'rid',
  );
  assert.match(body, /<Message>Value 'a\ufffdb\ufffd\ufffd\ufffd&#xD;\t\n&lt;&amp;&gt;' at 'userName'<\/Message>/);
  assert.doesNotMatch(body, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
});
