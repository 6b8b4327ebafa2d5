// Tests for parsePolicy: IAM's MalformedPolicyDocument messages per stage and kind, and normalisation
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html ; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy, PolicyDocumentError } from './document.ts';
import type { PolicyKind } from './types.ts';

const V = '2012-10-17';
const doc = (statement: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ Version: V, Statement: statement, ...extra });
const ok = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
const trustOk = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:user/alice' }, Action: 'sts:AssumeRole' };

const SYNTAX = 'Syntax errors in policy.';
const LEGACY = 'The policy failed legacy parsing';
const cases: Array<[name: string, text: string, kind: PolicyKind, message: string]> = [
  ['bad JSON', '{"Version": "2012-10-17", "Statement": [', 'identity', SYNTAX],
  ['not an object', '[]', 'identity', SYNTAX],
  ['unknown top-level key', doc(ok, { Extra: 'x' }), 'identity', SYNTAX],
  ['no Statement', JSON.stringify({ Version: V }), 'identity', SYNTAX],
  ['empty Statement', doc([]), 'identity', SYNTAX],
  ['Statement of strings', doc(['afd']), 'identity', SYNTAX],
  ['unknown Version', JSON.stringify({ Version: '2013-10-17', Statement: ok }), 'identity', SYNTAX],
  ['Id not a string', doc(ok, { Id: ['x'] }), 'identity', SYNTAX],
  ['unknown statement key', doc({ ...ok, Actions: 's3:*' }), 'identity', SYNTAX],
  ['bad Effect', doc({ ...ok, Effect: 'Permit' }), 'identity', SYNTAX],
  ['missing Effect', doc({ Action: 's3:*', Resource: '*' }), 'identity', SYNTAX],
  ['Action and NotAction', doc({ ...ok, NotAction: 'iam:*' }), 'identity', SYNTAX],
  ['Resource and NotResource', doc({ ...ok, NotResource: '*' }), 'identity', SYNTAX],
  ['Action is an object', doc({ ...ok, Action: {} }), 'identity', SYNTAX],
  ['Resource list with an object', doc({ ...ok, Resource: ['arn:aws:s3:::b', {}] }), 'identity', SYNTAX],
  ['Condition is an array', doc({ ...ok, Condition: [] }), 'identity', SYNTAX],
  ['unknown condition operator', doc({ ...ok, Condition: { StringEqualz: { 'k:k': 'v' } } }), 'identity', SYNTAX],
  ['malformed set prefix', doc({ ...ok, Condition: { 'ForAnyValue::StringEquals': { 'k:k': 'v' } } }), 'identity', SYNTAX],
  ['NullIfExists is not an operator', doc({ ...ok, Condition: { NullIfExists: { 'k:k': 'true' } } }), 'identity', SYNTAX],
  ['duplicate key in a statement', `{"Version":"${V}","Statement":{"Effect":"Allow","Action":"s3:*","Action":"iam:*","Resource":"*"}}`, 'identity', SYNTAX],
  ['Effect in the wrong case', doc({ ...ok, Effect: 'allow' }), 'identity', LEGACY],
  ['bad date condition value', doc({ ...ok, Condition: { DateGreaterThan: { 'aws:CurrentTime': 'yesterday' } } }), 'identity', LEGACY],
  ['date month out of range', doc({ ...ok, Condition: { DateLessThan: { 'aws:CurrentTime': '2020-13-01' } } }), 'identity', LEGACY],
  ['resource the old parser cannot split', doc({ ...ok, Resource: 'arn:aws:s3::bucket' }), 'identity', LEGACY],
  ['Principal in an identity policy', doc({ ...ok, Principal: '*' }), 'identity', 'Policy document should not specify a principal.'],
  ['NotPrincipal in a session policy', doc({ ...ok, NotPrincipal: { AWS: '123456789012' } }), 'session', 'Policy document should not specify a principal.'],
  [
    'duplicate Sid',
    doc([
      { ...ok, Sid: 'A1' },
      { ...ok, Sid: 'A1' },
    ]),
    'identity',
    'Statement IDs (SID) in a single policy must be unique.',
  ],
  [
    'Sid not alphanumeric',
    doc({ ...ok, Sid: 'read-objects' }),
    'identity',
    'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
  ],
  ['missing Action', doc({ Effect: 'Allow', Resource: '*' }), 'identity', 'Policy statement must contain actions.'],
  ['empty Action', doc({ ...ok, Action: [] }), 'identity', 'Policy statement must contain actions.'],
  ['resource not an ARN', doc({ ...ok, Resource: 'my-bucket' }), 'identity', 'Resource my-bucket must be in ARN format or "*".'],
  [
    'an IAM resource of no IAM resource type',
    doc({ ...ok, Resource: 'arn:aws:iam::123456789012:example_bucket' }),
    'identity',
    'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.',
  ],
  [
    'an IAM resource whose type is a wildcard',
    doc({ ...ok, Resource: 'arn:aws:iam::123456789012:*/cdk-*' }),
    'identity',
    'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.',
  ],
  [
    'unknown partition',
    doc({ ...ok, Resource: 'aws:s3:::example_bucket' }),
    'identity',
    'Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".',
  ],
  ['vendor not qualified', doc({ ...ok, Resource: 'arn:aws' }), 'identity', 'Resource vendor must be fully qualified and cannot contain regexes.'],
  [
    'IAM resource with a region',
    doc({ ...ok, Resource: 'arn:aws:iam:us-east-1::user/x' }),
    'identity',
    'IAM resource arn:aws:iam:us-east-1::user/x cannot contain region information.',
  ],
  ['action without vendor', doc({ ...ok, Action: 'GetObject' }), 'identity', 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
  ['action with two colons', doc({ ...ok, Action: 's3:Get:Object' }), 'identity', 'Actions/Condition can contain only one colon.'],
  ['action vendor with a space', doc({ ...ok, Action: 'a a:GetObject' }), 'identity', 'Vendor a a is not valid'],
  ['missing Resource in an identity policy', doc({ Effect: 'Allow', Action: 's3:*' }), 'identity', 'Policy statement must contain resources.'],
  ['empty Resource in a session policy', doc({ ...ok, Resource: [] }), 'session', 'Policy statement must contain resources.'],
  ['trust policy without Principal', doc({ Effect: 'Allow', Action: 'sts:AssumeRole' }), 'trust', 'Missing required field Principal'],
  ['trust policy with Resource', doc({ ...trustOk, Resource: '*' }), 'trust', 'Has prohibited field Resource'],
  [
    'trust policy with NotPrincipal',
    doc({ Effect: 'Allow', NotPrincipal: { AWS: '123456789012' }, Action: 'sts:AssumeRole' }),
    'trust',
    'Has prohibited field NotPrincipal',
  ],
  [
    'partial wildcard principal',
    doc({ ...trustOk, Principal: { AWS: 'arn:aws:iam::123456789012:user/*' } }),
    'trust',
    'Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:user/*"',
  ],
  ['unknown principal type', doc({ ...trustOk, Principal: { Group: 'admins' } }), 'trust', 'Invalid principal in policy: "Group":"admins"'],
  ['bucket policy without Principal', doc(ok), 'resource', 'Missing required field Principal'],
];
for (const [name, text, kind, message] of cases) {
  test(`parsePolicy rejects ${name} (${kind}): ${message}`, () => {
    assert.throws(
      () => parsePolicy(text, kind),
      (e: unknown) => e instanceof PolicyDocumentError && e.message === message,
    );
  });
}

test('a managed policy must be version 2012-10-17; inline ones need not', () => {
  const text = JSON.stringify({ Statement: ok });
  assert.throws(() => parsePolicy(text, 'identity', { managed: true }), { message: 'Policy document must be version 2012-10-17 or greater.' });
  assert.throws(() => parsePolicy(JSON.stringify({ Version: '2008-10-17', Statement: ok }), 'identity', { managed: true }), {
    message: 'Policy document must be version 2012-10-17 or greater.',
  });
  assert.equal(parsePolicy(text, 'identity').Version, undefined);
});

test('parsePolicy normalises single values to arrays and condition values to strings', () => {
  const d = parsePolicy(
    doc({ ...ok, Sid: 'S1', Condition: { Bool: { 'aws:SecureTransport': false }, NumericLessThan: { 's3:max-keys': [10, '20'] } } }, { Id: 'p' }),
    'identity',
  );
  assert.deepEqual(d, {
    Version: V,
    Id: 'p',
    Statement: [
      {
        Sid: 'S1',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: ['arn:aws:s3:::b/*'],
        Condition: { Bool: { 'aws:SecureTransport': ['false'] }, NumericLessThan: { 's3:max-keys': ['10', '20'] } },
      },
    ],
  });
});

test('parsePolicy keeps Principal forms of trust and bucket policies', () => {
  const t = parsePolicy(doc([trustOk, { Effect: 'Allow', Principal: { Service: ['cloudtrail.amazonaws.com'] }, Action: 'sts:AssumeRole' }]), 'trust');
  assert.deepEqual(
    t.Statement.map((s) => s.Principal),
    [{ AWS: ['arn:aws:iam::123456789012:user/alice'] }, { Service: ['cloudtrail.amazonaws.com'] }],
  );
  const b = parsePolicy(doc({ ...ok, Principal: '*', Sid: 'Public read' }), 'resource');
  assert.equal(b.Statement[0]?.Principal, '*');
});

test('parsePolicy accepts what IAM accepts', () => {
  const accepted: Array<[string, PolicyKind]> = [
    [doc({ Effect: 'Deny', NotAction: ['iam:*', 'sts:GetCallerIdentity'], NotResource: '*' }), 'identity'],
    [doc({ ...ok, Condition: { x: {}, DateLessThan: { 'aws:CurrentTime': ['2019-07-01T13:20:15Z', '1700000000'] } } }), 'identity'],
    [doc({ ...ok, Resource: 'arn:aws:s3:::bucket/${aws:username}/*', Action: 'service-prefix:action-name' }), 'identity'],
    [doc({ ...ok, Sid: '' }), 'identity'],
    [
      doc({
        ...ok,
        Resource: ['arn:aws:iam::123456789012:root', 'arn:aws:iam::*:role/cdk-*', 'arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::123456789012:*'],
      }),
      'identity',
    ],
    [doc({ ...trustOk, Principal: { AWS: ['123456789012', 'arn:aws:iam::123456789012:root', 'AIDAJQABLZS4A3QDU576Q'] } }), 'trust'],
    [doc({ ...ok, Principal: { AWS: '*' }, Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': 'Department' } } }), 'resource'],
  ];
  for (const [text, kind] of accepted) assert.doesNotThrow(() => parsePolicy(text, kind), text);
});
