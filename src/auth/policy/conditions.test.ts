// Tests for the Condition element: every operator family, missing keys, IfExists, set operators, variables.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html ; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conditionsMatch } from './conditions.ts';
import { cidrContains } from './ip.ts';

type Keys = Record<string, string | string[] | undefined>;
type Cond = Record<string, Record<string, string[]>>;
const c = (op: string, key: string, ...values: string[]): Cond => ({ [op]: { [key]: values } });
const run = (cond: Cond, keys: Keys, vars = true) => {
  const lower = new Map(Object.entries(keys).map(([k, v]) => [k.toLowerCase(), v]));
  return conditionsMatch(cond, (k) => lower.get(k.toLowerCase()), vars);
};

const cases: Array<[name: string, cond: Cond, keys: Keys, expected: boolean]> = [
  // String
  ['StringEquals matches', c('StringEquals', 'aws:RequestedRegion', 'us-east-1'), { 'aws:RequestedRegion': 'us-east-1' }, true],
  ['StringEquals is case-sensitive', c('StringEquals', 'aws:RequestedRegion', 'US-EAST-1'), { 'aws:RequestedRegion': 'us-east-1' }, false],
  ['StringEquals values OR', c('StringEquals', 'aws:RequestedRegion', 'eu-west-1', 'us-east-1'), { 'aws:RequestedRegion': 'us-east-1' }, true],
  ['StringEquals on a missing key is false', c('StringEquals', 'aws:RequestTag/team', 'a'), {}, false],
  ['condition key names are case-insensitive', c('StringEquals', 'AWS:UserName', 'alice'), { 'aws:username': 'alice' }, true],
  ['StringNotEquals on a missing key is true', c('StringNotEquals', 'aws:RequestTag/team', 'a'), {}, true],
  ['StringNotEquals must match none of the values', c('StringNotEquals', 'k:k', 'a', 'b'), { 'k:k': 'a' }, false],
  ['StringNotEquals with no value equal', c('StringNotEquals', 'k:k', 'a', 'b'), { 'k:k': 'c' }, true],
  ['StringEqualsIgnoreCase', c('StringEqualsIgnoreCase', 'k:k', 'ALICE'), { 'k:k': 'alice' }, true],
  ['StringNotEqualsIgnoreCase', c('StringNotEqualsIgnoreCase', 'k:k', 'ALICE'), { 'k:k': 'alice' }, false],
  ['StringLike with * and ?', c('StringLike', 's3:prefix', 'home/?lice/*'), { 's3:prefix': 'home/alice/docs/x' }, true],
  ['StringLike is case-sensitive', c('StringLike', 's3:prefix', 'Home/*'), { 's3:prefix': 'home/x' }, false],
  ['StringNotLike', c('StringNotLike', 's3:prefix', 'home/*'), { 's3:prefix': 'tmp/x' }, true],
  ['StringEqualsIfExists on a missing key is true', c('StringEqualsIfExists', 'k:k', 'a'), {}, true],
  ['StringEqualsIfExists on a present key compares', c('StringEqualsIfExists', 'k:k', 'a'), { 'k:k': 'b' }, false],
  ['StringNotEqualsIfExists on a missing key is true', c('StringNotEqualsIfExists', 'k:k', 'a'), {}, true],
  // Numeric
  ['NumericLessThan', c('NumericLessThan', 's3:max-keys', '10'), { 's3:max-keys': '9' }, true],
  ['NumericLessThan at the bound', c('NumericLessThan', 's3:max-keys', '10'), { 's3:max-keys': '10' }, false],
  ['NumericLessThanEquals at the bound', c('NumericLessThanEquals', 's3:max-keys', '10'), { 's3:max-keys': '10' }, true],
  ['NumericGreaterThan with decimals', c('NumericGreaterThan', 'k:n', '1.5'), { 'k:n': '1.75' }, true],
  ['NumericGreaterThanEquals', c('NumericGreaterThanEquals', 'k:n', '2'), { 'k:n': '1' }, false],
  ['NumericEquals compares numbers, not text', c('NumericEquals', 'k:n', '10'), { 'k:n': '10.0' }, true],
  ['NumericNotEquals', c('NumericNotEquals', 'k:n', '10', '11'), { 'k:n': '11' }, false],
  ['Numeric with an unparseable request value is false', c('NumericEquals', 'k:n', '1'), { 'k:n': 'one' }, false],
  ['NumericLessThan on a missing key is false', c('NumericLessThan', 'k:n', '1'), {}, false],
  // Date
  ['DateGreaterThan, ISO values', c('DateGreaterThan', 'aws:CurrentTime', '2020-01-01T00:00:00Z'), { 'aws:CurrentTime': '2026-01-01T00:59:59Z' }, true],
  ['DateLessThan, ISO values', c('DateLessThan', 'aws:CurrentTime', '2020-01-01T00:00:00Z'), { 'aws:CurrentTime': '2026-01-01T00:59:59Z' }, false],
  ['DateLessThanEquals with epoch request value', c('DateLessThanEquals', 'aws:EpochTime', '2026-01-01T00:00:00Z'), { 'aws:EpochTime': '1767225600' }, true],
  ['DateEquals epoch vs ISO', c('DateEquals', 'aws:TokenIssueTime', '1767225600'), { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' }, true],
  ['DateNotEquals', c('DateNotEquals', 'aws:TokenIssueTime', '2026-01-01T00:00:00Z'), { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' }, false],
  ['DateGreaterThanEquals on a missing key is false', c('DateGreaterThanEquals', 'aws:TokenIssueTime', '2020-01-01T00:00:00Z'), {}, false],
  ['DateGreaterThanIfExists on a missing key is true', c('DateGreaterThanIfExists', 'aws:TokenIssueTime', '2020-01-01T00:00:00Z'), {}, true],
  // Bool
  ['Bool false matches false', c('Bool', 'aws:SecureTransport', 'false'), { 'aws:SecureTransport': 'false' }, true],
  ['Bool true does not match false', c('Bool', 'aws:SecureTransport', 'true'), { 'aws:SecureTransport': 'false' }, false],
  ['Bool on a missing key is false', c('Bool', 'aws:MultiFactorAuthPresent', 'false'), {}, false],
  ['BoolIfExists on a missing key is true', c('BoolIfExists', 'aws:MultiFactorAuthPresent', 'false'), {}, true],
  ['BinaryEquals compares base64', c('BinaryEquals', 'k:b', 'QmluYXJ5'), { 'k:b': 'QmluYXJ5' }, true],
  // Null
  ['Null true: key absent', c('Null', 'aws:TokenIssueTime', 'true'), {}, true],
  ['Null true: key present', c('Null', 'aws:TokenIssueTime', 'true'), { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' }, false],
  ['Null false: key present', c('Null', 'aws:TokenIssueTime', 'false'), { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' }, true],
  ['Null false: key absent', c('Null', 'aws:TokenIssueTime', 'false'), {}, false],
  // IP
  ['IpAddress in a v4 CIDR', c('IpAddress', 'aws:SourceIp', '10.0.0.0/8'), { 'aws:SourceIp': '10.1.2.3' }, true],
  ['IpAddress outside a v4 CIDR', c('IpAddress', 'aws:SourceIp', '10.0.0.0/8'), { 'aws:SourceIp': '11.1.2.3' }, false],
  ['IpAddress bare address is /32', c('IpAddress', 'aws:SourceIp', '127.0.0.1'), { 'aws:SourceIp': '127.0.0.1' }, true],
  ['IpAddress with an IPv4-mapped request', c('IpAddress', 'aws:SourceIp', '127.0.0.0/8'), { 'aws:SourceIp': '::ffff:127.0.0.1' }, true],
  ['IpAddress v6 CIDR', c('IpAddress', 'aws:SourceIp', '2001:db8::/32'), { 'aws:SourceIp': '2001:db8:0:1::5' }, true],
  ['NotIpAddress inside the CIDR', c('NotIpAddress', 'aws:SourceIp', '192.0.2.0/24'), { 'aws:SourceIp': '192.0.2.7' }, false],
  ['NotIpAddress on a missing key is true', c('NotIpAddress', 'aws:SourceIp', '192.0.2.0/24'), {}, true],
  // ARN
  [
    'ArnLike per component',
    c('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/dev-*'),
    { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/dev-ops' },
    true,
  ],
  [
    'ArnEquals behaves as ArnLike',
    c('ArnEquals', 'aws:SourceArn', 'arn:aws:cloudtrail:*:123456789012:trail/*'),
    { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t' },
    true,
  ],
  [
    'ArnLike: * does not span components',
    c('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*'),
    { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/x' },
    false,
  ],
  ['StringLike: * does span ":"', c('StringLike', 'aws:PrincipalArn', 'arn:aws:iam::*'), { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/x' }, true],
  [
    'ArnLike is case-sensitive',
    c('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/Dev'),
    { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/dev' },
    false,
  ],
  [
    'ArnNotEquals',
    c('ArnNotEquals', 'iam:PolicyARN', 'arn:aws:iam::aws:policy/AdministratorAccess'),
    { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    true,
  ],
  ['ArnNotLike on a missing key is true', c('ArnNotLike', 'iam:PolicyARN', 'arn:aws:iam::aws:policy/*'), {}, true],
  // Multi-valued keys
  ['ForAllValues: every request value allowed', c('ForAllValues:StringEquals', 'aws:TagKeys', 'team', 'env'), { 'aws:TagKeys': ['team', 'env'] }, true],
  ['ForAllValues: one value not allowed', c('ForAllValues:StringEquals', 'aws:TagKeys', 'team'), { 'aws:TagKeys': ['team', 'owner'] }, false],
  ['ForAllValues: absent key is true', c('ForAllValues:StringEquals', 'aws:TagKeys', 'team'), {}, true],
  ['ForAllValues: empty key is true', c('ForAllValues:StringEquals', 'aws:TagKeys', 'team'), { 'aws:TagKeys': [] }, true],
  ['ForAllValues:StringNotEquals: none forbidden', c('ForAllValues:StringNotEquals', 'aws:TagKeys', 'owner'), { 'aws:TagKeys': ['team', 'env'] }, true],
  ['ForAnyValue: one matches', c('ForAnyValue:StringEquals', 'aws:TagKeys', 'owner'), { 'aws:TagKeys': ['team', 'owner'] }, true],
  ['ForAnyValue: none matches', c('ForAnyValue:StringEquals', 'aws:TagKeys', 'owner'), { 'aws:TagKeys': ['team'] }, false],
  ['ForAnyValue: absent key is false', c('ForAnyValue:StringEquals', 'aws:TagKeys', 'owner'), {}, false],
  ['ForAnyValue IfExists: absent key is true', c('ForAnyValue:StringEqualsIfExists', 'aws:TagKeys', 'owner'), {}, true],
  ['ForAnyValue:StringLike', c('ForAnyValue:StringLike', 'aws:TagKeys', 'cost*'), { 'aws:TagKeys': ['team', 'costcenter'] }, true],
  // Logic
  ['keys under one operator AND', { StringEquals: { 'k:a': ['1'], 'k:b': ['2'] } }, { 'k:a': '1', 'k:b': '3' }, false],
  ['operators AND', { StringEquals: { 'k:a': ['1'] }, NumericLessThan: { 'k:n': ['5'] } }, { 'k:a': '1', 'k:n': '4' }, true],
  ['unknown operator with an empty block is ignored', { Whatever: {} }, {}, true],
  // Variables
  [
    'variable in StringEquals',
    c('StringEquals', 'aws:PrincipalTag/owner', '${aws:username}'),
    { 'aws:PrincipalTag/owner': 'alice', 'aws:username': 'alice' },
    true,
  ],
  ['variable key names are case-insensitive', c('StringEquals', 'k:k', '${AWS:UserName}'), { 'k:k': 'alice', 'aws:username': 'alice' }, true],
  ['missing variable: positive operator false', c('StringEquals', 'k:k', '${aws:username}'), { 'k:k': 'alice' }, false],
  ['missing variable: negated operator true', c('StringNotEquals', 'k:k', '${aws:username}'), { 'k:k': 'alice' }, true],
  ['variable value is literal in StringLike', c('StringLike', 'k:k', 'x-${aws:username}'), { 'k:k': 'x-bob', 'aws:username': '*' }, false],
  [
    'variable in ArnLike',
    c('ArnLike', 'k:arn', 'arn:aws:iam::*:user/${aws:username}'),
    { 'k:arn': 'arn:aws:iam::1:user/alice', 'aws:username': 'alice' },
    true,
  ],
  ['Bool takes no variables', c('Bool', 'k:b', '${k:t}'), { 'k:b': 'true', 'k:t': 'true' }, false],
];
for (const [name, cond, keys, expected] of cases) {
  test(`${name} → ${expected}`, () => assert.equal(run(cond, keys), expected));
}

test('2008-10-17 documents: ${...} is literal text', () => {
  assert.equal(run(c('StringEquals', 'k:k', '${aws:username}'), { 'k:k': '${aws:username}', 'aws:username': 'alice' }, false), true);
});

const cidrCases: Array<[string, string, boolean]> = [
  ['0.0.0.0/0', '203.0.113.9', true],
  ['203.0.113.0/25', '203.0.113.200', false],
  ['::1', '::1', true],
  ['2001:db8::/32', '10.0.0.1', false],
  ['10.0.0.0/33', '10.0.0.1', false],
  ['not-an-ip', '10.0.0.1', false],
];
for (const [cidr, ip, expected] of cidrCases) {
  test(`CIDR ${cidr} ${expected ? 'contains' : 'does not contain'} ${ip}`, () => assert.equal(cidrContains(cidr, ip), expected));
}
