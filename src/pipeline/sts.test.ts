/**
 * STS handlers through the pipeline, in process (testing.ts): who each kind of credentials is, what
 * each operation issues, and the refusals (root assuming a role, session credentials, trust
 * policies, durations, MFA, session policies), as the Query wire carries them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, allow, harness, type Credentials, type Harness, type Reply } from './testing.ts';

let h: Harness;
let alice: Credentials;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/builder`;
before(async () => {
  h = await harness();
  alice = await h.user('alice', allow(['sts:AssumeRole', 'sts:GetFederationToken', 'iam:ListUsers', 'codestar:ListProjects', 'cloudtrail:LookupEvents']));
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` }, Action: 'sts:AssumeRole' }],
  });
  await h.query('iam', 'CreateRole', { RoleName: 'builder', AssumeRolePolicyDocument: trust, MaxSessionDuration: '7200' });
  await h.query('iam', 'PutRolePolicy', {
    RoleName: 'builder',
    PolicyName: 'p',
    PolicyDocument: JSON.stringify(allow(['sts:AssumeRole', 'iam:ListUsers', 'iam:ListRoles'])),
  });
});
after(async () => {
  await h.close();
});

const sts = (action: string, params: Record<string, string> = {}, credentials?: Credentials) =>
  h.query('sts', action, params, credentials ? { credentials } : {});
function result(r: Reply, action: string): any {
  assert.equal(r.status, 200, r.text);
  return r.xml()[`${action}Response`][`${action}Result`];
}
function error(r: Reply): [number, string, string] {
  const e = r.xml().ErrorResponse?.Error;
  return [r.status, e?.Code, e?.Message];
}
const credentialsOf = (c: any): Credentials => ({ accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken });
const whoami = async (c: Credentials) => result(await sts('GetCallerIdentity', {}, c), 'GetCallerIdentity');

/** An expiration `duration` after the call's second: the call began at or after `from` and ended before now (the clock runs on). */
function assertExpires(expiration: string, from: number, duration: number) {
  const issued = Date.parse(expiration) - duration;
  assert.ok(issued >= from && issued <= h.now().getTime() && issued % 1000 === 0, `${expiration} is ${duration} ms after the call's second`);
}

test('GetCallerIdentity: root and an IAM user', async () => {
  assert.deepEqual(result(await sts('GetCallerIdentity'), 'GetCallerIdentity'), { UserId: ACCOUNT, Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root` });
  const me = await whoami(alice);
  assert.equal(me.Arn, `arn:aws:iam::${ACCOUNT}:user/alice`);
  assert.match(me.UserId, /^AIDA/);
});

test('AssumeRole: ASIA credentials for the role session, which then act as the role', async () => {
  const from = Math.floor(h.now().getTime() / 1000) * 1000;
  const out = result(await sts('AssumeRole', { RoleArn: ROLE, RoleSessionName: 'build-1', DurationSeconds: '1800' }, alice), 'AssumeRole');
  assertExpires(out.Credentials.Expiration, from, 1800_000);
  assert.match(out.Credentials.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/builder/build-1`);
  assert.match(out.AssumedRoleUser.AssumedRoleId, /^AROA[A-Z0-9]{17}:build-1$/);
  const session = credentialsOf(out.Credentials);
  assert.deepEqual(await whoami(session), { UserId: out.AssumedRoleUser.AssumedRoleId, Account: ACCOUNT, Arn: out.AssumedRoleUser.Arn });
  assert.equal((await h.query('iam', 'ListRoles', {}, { credentials: session })).status, 200);
  // the role's policy, not alice's: codestar is not allowed to the role
  const denied = await h.json('codestar', 'ListProjects', {}, { credentials: session });
  assert.deepEqual([denied.status, denied.json().__type], [400, 'AccessDeniedException']);
  // the session token is required and must match
  const noToken = await sts('GetCallerIdentity', {}, { ...session, sessionToken: 'forged' });
  assert.deepEqual(error(noToken).slice(0, 2), [403, 'InvalidClientTokenId']);
});

test('AssumeRole: the record names the role and keeps what was issued, never the secret', async () => {
  const before = (await h.records()).length;
  result(await sts('AssumeRole', { RoleArn: ROLE, RoleSessionName: 'audited' }, alice), 'AssumeRole');
  const [record] = (await h.records()).slice(before);
  assert.deepEqual([record.eventSource, record.eventName, record.readOnly, record.awsRegion], ['sts.amazonaws.com', 'AssumeRole', true, 'us-east-1']);
  assert.deepEqual(record.resources, [{ accountId: ACCOUNT, type: 'AWS::IAM::Role', ARN: ROLE }]);
  assert.match(record.responseElements.credentials.accessKeyId, /^ASIA/);
  assert.equal(JSON.stringify(record).includes('ecretAccessKey'), false);
});

test("AssumeRole refusals: root, an untrusted caller, durations past the role's maximum or the chaining limit", async () => {
  assert.deepEqual(error(await sts('AssumeRole', { RoleArn: ROLE, RoleSessionName: 'session' })), [
    403,
    'AccessDenied',
    'Roles may not be assumed by root accounts.',
  ]);
  const bob = await h.user('bob', allow('sts:AssumeRole'));
  assert.deepEqual(error(await sts('AssumeRole', { RoleArn: ROLE, RoleSessionName: 'session' }, bob)), [
    403,
    'AccessDenied',
    `User: arn:aws:iam::${ACCOUNT}:user/bob is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`,
  ]);
  // a role that does not exist: the same refusal, never a 5xx
  const missing = `arn:aws:iam::${ACCOUNT}:role/no-such-role`;
  assert.deepEqual(error(await sts('AssumeRole', { RoleArn: missing, RoleSessionName: 'session' }, alice)), [
    403,
    'AccessDenied',
    `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: sts:AssumeRole on resource: ${missing}`,
  ]);
  assert.deepEqual(error(await sts('AssumeRole', { RoleArn: `arn:aws:iam::111122223333:role/elsewhere`, RoleSessionName: 'session' }, alice)).slice(0, 2), [
    403,
    'AccessDenied',
  ]);
  assert.deepEqual(error(await sts('AssumeRole', { RoleArn: ROLE, RoleSessionName: 'session', DurationSeconds: '7201' }, alice)), [
    400,
    'ValidationError',
    'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
  ]);
  assert.deepEqual(error(await sts('AssumeRole', { RoleArn: ROLE, RoleSessionName: 'session', DurationSeconds: '60' }, alice)).slice(0, 2), [
    400,
    'ValidationError',
  ]);
  const session = credentialsOf(result(await sts('AssumeRole', { RoleArn: ROLE, RoleSessionName: 'first' }, alice), 'AssumeRole').Credentials);
  const selfTrust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/builder` }, Action: 'sts:AssumeRole' }],
  });
  await h.query('iam', 'CreateRole', { RoleName: 'chained', AssumeRolePolicyDocument: selfTrust, MaxSessionDuration: '43200' });
  const chainedArn = `arn:aws:iam::${ACCOUNT}:role/chained`;
  assert.deepEqual(error(await sts('AssumeRole', { RoleArn: chainedArn, RoleSessionName: 'second', DurationSeconds: '7200' }, session)), [
    400,
    'ValidationError',
    'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
  ]);
  assert.equal(
    result(await sts('AssumeRole', { RoleArn: chainedArn, RoleSessionName: 'second' }, session), 'AssumeRole').AssumedRoleUser.Arn,
    `arn:aws:sts::${ACCOUNT}:assumed-role/chained/second`,
  );
});

test('GetSessionToken: the same user with session credentials; not with session credentials, not with MFA it cannot check', async () => {
  const out = result(await sts('GetSessionToken', { DurationSeconds: '900' }, alice), 'GetSessionToken');
  const session = credentialsOf(out.Credentials);
  assert.equal((await whoami(session)).Arn, `arn:aws:iam::${ACCOUNT}:user/alice`);
  assert.deepEqual(error(await sts('GetSessionToken', {}, session)), [403, 'AccessDenied', 'Cannot call GetSessionToken with session credentials']);
  assert.deepEqual(error(await sts('GetSessionToken', { SerialNumber: 'arn:aws:iam::000000000000:mfa/alice', TokenCode: '123456' }, alice)).slice(0, 2), [
    403,
    'AccessDenied',
  ]);
  assert.deepEqual(error(await sts('GetSessionToken', { DurationSeconds: '10' }, alice)), [
    400,
    'ValidationError',
    "1 validation error detected: Value '10' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
  ]);
  // root's session is capped at an hour
  const rootFrom = Math.floor(h.now().getTime() / 1000) * 1000;
  const rootSession = result(await sts('GetSessionToken', { DurationSeconds: '7200' }), 'GetSessionToken');
  assertExpires(rootSession.Credentials.Expiration, rootFrom, 3600_000);
});

test("GetFederationToken: a federated user whose permissions are the intersection of the user's and the session policy", async () => {
  const policy = JSON.stringify(allow(['codestar:ListProjects', 'cloudtrail:DescribeTrails']));
  const out = result(await sts('GetFederationToken', { Name: 'fed-user', Policy: policy }, alice), 'GetFederationToken');
  assert.deepEqual(out.FederatedUser, { FederatedUserId: `${ACCOUNT}:fed-user`, Arn: `arn:aws:sts::${ACCOUNT}:federated-user/fed-user` });
  assert.ok(Number(out.PackedPolicySize) >= 1);
  const fed = credentialsOf(out.Credentials);
  assert.equal((await whoami(fed)).Arn, `arn:aws:sts::${ACCOUNT}:federated-user/fed-user`);
  assert.equal((await h.json('codestar', 'ListProjects', {}, { credentials: fed })).status, 200);
  // allowed by the session policy only, by alice's only, and IAM, which federated users never reach
  const describe = await h.json('cloudtrail', 'DescribeTrails', {}, { credentials: fed });
  assert.deepEqual([describe.status, describe.json().__type], [400, 'AccessDeniedException']);
  const lookup = await h.json('cloudtrail', 'LookupEvents', {}, { credentials: fed });
  assert.match(lookup.json().message, /because no session policy allows the cloudtrail:LookupEvents action$/);
  assert.deepEqual(error(await h.query('iam', 'ListUsers', {}, { credentials: fed })), [
    403,
    'AccessDenied',
    `User: arn:aws:sts::${ACCOUNT}:federated-user/fed-user is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${ACCOUNT}:user/ because no session policy allows the iam:ListUsers action`,
  ]);
  assert.deepEqual(error(await sts('AssumeRole', { RoleArn: ROLE, RoleSessionName: 'session' }, fed)), [
    403,
    'AccessDenied',
    'Cannot call AssumeRole with session credentials',
  ]);
  assert.deepEqual(error(await sts('GetFederationToken', { Name: 'again' }, fed)), [
    403,
    'AccessDenied',
    'Cannot call GetFederationToken with session credentials',
  ]);
  assert.deepEqual(error(await sts('GetFederationToken', { Name: 'bad-policy', Policy: '{"Statement":' }, alice)).slice(0, 2), [
    400,
    'MalformedPolicyDocument',
  ]);
});
