/**
 * Cross-account access through the pipeline, in process (testing.ts; docs/accounts.md#cross-account-access):
 * AssumeRole into another account's role (trust policy AND the caller's own policies), the session
 * acting in the role's account, role chaining back, aws:PrincipalOrgID, and the records delivered
 * to both accounts with one sharedEventID.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { provisionAccount } from '../accounts/provision.ts';
import { randomIds } from '../ids.ts';
import { ACCOUNT, allow, harness, type Credentials, type Harness, type Reply } from './testing.ts';

let h: Harness;
let alice: Credentials;
let bob: Credentials;
let b: string;
let bRoot: Credentials;
const trusting = (principal: unknown, condition?: object) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }],
  });

before(async () => {
  h = await harness();
  const made = await provisionAccount(h.store, randomIds, { name: 'b', email: 'b@example.com', now: h.now() });
  b = made.account.accountId;
  bRoot = { accessKeyId: made.rootKey.accessKeyId, secretAccessKey: made.rootKey.secretAccessKey };
  alice = await h.user('alice', allow('sts:AssumeRole'));
  bob = await h.user('bob', allow('iam:ListUsers'));
  const inB = { credentials: bRoot };
  await h.query('iam', 'CreateRole', { RoleName: 'reader', AssumeRolePolicyDocument: trusting({ AWS: `arn:aws:iam::${ACCOUNT}:root` }) }, inB);
  await h.query(
    'iam',
    'PutRolePolicy',
    { RoleName: 'reader', PolicyName: 'p', PolicyDocument: JSON.stringify(allow(['iam:CreateUser', 'iam:ListUsers', 'sts:AssumeRole'])) },
    inB,
  );
  await h.query('iam', 'CreateRole', { RoleName: 'closed', AssumeRolePolicyDocument: trusting({ AWS: '111111111111' }) }, inB);
  await h.query(
    'iam',
    'CreateRole',
    { RoleName: 'org-only', AssumeRolePolicyDocument: trusting({ AWS: '*' }, { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg1' } }) },
    inB,
  );
  // a role of A that B's reader role may chain back into
  await h.query('iam', 'CreateRole', { RoleName: 'back', AssumeRolePolicyDocument: trusting({ AWS: `arn:aws:iam::${b}:role/reader` }) });
  await h.query('iam', 'PutRolePolicy', { RoleName: 'back', PolicyName: 'p', PolicyDocument: JSON.stringify(allow('iam:ListUsers')) });
});
after(async () => {
  await h.close();
});

const sts = (action: string, params: Record<string, string>, credentials: Credentials) => h.query('sts', action, params, { credentials });
function result(r: Reply, action: string): any {
  assert.equal(r.status, 200, r.text);
  return r.xml()[`${action}Response`][`${action}Result`];
}
function error(r: Reply): [number, string, string] {
  const e = r.xml().ErrorResponse?.Error;
  return [r.status, e?.Code, e?.Message];
}
const credentialsOf = (c: any): Credentials => ({ accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken });
const roleArn = (name: string) => `arn:aws:iam::${b}:role/${name}`;
const userNames = async (credentials?: Credentials) => {
  const users = result(await h.query('iam', 'ListUsers', {}, credentials ? { credentials } : {}), 'ListUsers').Users?.member;
  return ([] as any[]).concat(users ?? []).map((u) => u.UserName);
};
/** LookupEvents in us-east-1 (STS's records) of the account `credentials` belong to. */
async function history(credentials: Credentials, eventName: string): Promise<any[]> {
  const r = await h.json(
    'cloudtrail',
    'LookupEvents',
    { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }] },
    { credentials, region: 'us-east-1' },
  );
  assert.equal(r.status, 200, r.text);
  return r.json().Events.map((e: any) => JSON.parse(e.CloudTrailEvent));
}

test('AssumeRole into another account: the session acts in that account', async () => {
  const out = result(await sts('AssumeRole', { RoleArn: roleArn('reader'), RoleSessionName: 'visit' }, alice), 'AssumeRole');
  assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${b}:assumed-role/reader/visit`);
  const session = credentialsOf(out.Credentials);
  const me = result(await sts('GetCallerIdentity', {}, session), 'GetCallerIdentity');
  assert.deepEqual([me.Account, me.Arn], [b, `arn:aws:sts::${b}:assumed-role/reader/visit`]);
  assert.equal((await h.query('iam', 'CreateUser', { UserName: 'made-in-b' }, { credentials: session })).status, 200);
  assert.deepEqual(await userNames(bRoot), ['made-in-b']);
  assert.equal((await userNames()).includes('made-in-b'), false);
  // chaining back into A: B's role session assumes A's role that trusts it
  const back = result(await sts('AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/back`, RoleSessionName: 'home' }, session), 'AssumeRole');
  const home = result(await sts('GetCallerIdentity', {}, credentialsOf(back.Credentials)), 'GetCallerIdentity');
  assert.deepEqual([home.Account, home.Arn], [ACCOUNT, `arn:aws:sts::${ACCOUNT}:assumed-role/back/home`]);
  assert.deepEqual((await userNames(credentialsOf(back.Credentials))).sort(), ['alice', 'bob']);
});

test('AssumeRole into another account needs the caller’s own permission and the role’s trust', async () => {
  assert.deepEqual(error(await sts('AssumeRole', { RoleArn: roleArn('reader'), RoleSessionName: 's' }, bob)), [
    403,
    'AccessDenied',
    `User: arn:aws:iam::${ACCOUNT}:user/bob is not authorized to perform: sts:AssumeRole on resource: ${roleArn('reader')} because no identity-based policy allows the sts:AssumeRole action`,
  ]);
  assert.deepEqual(error(await sts('AssumeRole', { RoleArn: roleArn('closed'), RoleSessionName: 's' }, alice)), [
    403,
    'AccessDenied',
    `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: sts:AssumeRole on resource: ${roleArn('closed')}`,
  ]);
  // a role that does not exist in that account is refused the same way
  assert.deepEqual(error(await sts('AssumeRole', { RoleArn: roleArn('nobody'), RoleSessionName: 's' }, alice)).slice(0, 2), [403, 'AccessDenied']);
});

test('AssumeRole across accounts is recorded in both accounts, one sharedEventID, each its own eventID', async () => {
  result(await sts('AssumeRole', { RoleArn: roleArn('reader'), RoleSessionName: 'recorded' }, alice), 'AssumeRole');
  const mine = (await history(h.root, 'AssumeRole')).find((r) => r.requestParameters?.roleSessionName === 'recorded');
  const theirs = (await history(bRoot, 'AssumeRole')).find((r) => r.requestParameters?.roleSessionName === 'recorded');
  assert.ok(mine && theirs);
  assert.deepEqual([mine.recipientAccountId, theirs.recipientAccountId], [ACCOUNT, b]);
  assert.match(mine.sharedEventID, /^[0-9a-f-]{36}$/);
  assert.equal(mine.sharedEventID, theirs.sharedEventID);
  assert.notEqual(mine.eventID, theirs.eventID);
  assert.equal(mine.requestID, theirs.requestID);
  assert.deepEqual([mine.userIdentity.type, mine.userIdentity.arn], ['IAMUser', `arn:aws:iam::${ACCOUNT}:user/alice`]);
  assert.deepEqual(theirs.userIdentity, { type: 'AWSAccount', principalId: mine.userIdentity.principalId, accountId: ACCOUNT });
  assert.deepEqual(mine.resources, [{ accountId: b, type: 'AWS::IAM::Role', ARN: roleArn('reader') }]);
  assert.deepEqual(theirs.resources, mine.resources);
  // fields in AWS's order: sharedEventID right after recipientAccountId
  const keys = Object.keys(mine);
  assert.equal(keys[keys.indexOf('recipientAccountId') + 1], 'sharedEventID');
  // a call within one account has no sharedEventID
  const own = (await history(h.root, 'ListUsers'))[0];
  assert.equal('sharedEventID' in own, false);
});

test('a refused cross-account AssumeRole is recorded in both accounts', async () => {
  error(await sts('AssumeRole', { RoleArn: roleArn('closed'), RoleSessionName: 'refused' }, alice));
  const mine = (await history(h.root, 'AssumeRole')).find((r) => r.requestParameters === null && r.errorMessage?.includes(roleArn('closed')));
  const theirs = (await history(bRoot, 'AssumeRole')).find((r) => r.errorCode === 'AccessDenied' && r.errorMessage?.includes(roleArn('closed')));
  assert.ok(mine && theirs);
  assert.equal(mine.sharedEventID, theirs.sharedEventID);
  assert.deepEqual([mine.recipientAccountId, theirs.recipientAccountId, mine.errorCode], [ACCOUNT, b, 'AccessDenied']);
});

test('aws:PrincipalOrgID: a trust policy naming the organization admits its accounts once they are in it', async () => {
  const params = { RoleArn: roleArn('org-only'), RoleSessionName: 'org' };
  assert.deepEqual(error(await sts('AssumeRole', params, alice)).slice(0, 2), [403, 'AccessDenied']);
  const org = { id: 'o-exampleorg1', arn: `arn:aws:organizations::${ACCOUNT}:organization/o-exampleorg1`, featureSet: 'ALL' as const, rootId: 'r-ab12' };
  assert.equal(await h.store.organizations.create({ ...org, managementAccountId: ACCOUNT, createdAt: h.now() }, 'CREATED', h.now()), true);
  try {
    assert.equal(result(await sts('AssumeRole', params, alice), 'AssumeRole').AssumedRoleUser.Arn, `arn:aws:sts::${b}:assumed-role/org-only/org`);
  } finally {
    await h.store.organizations.delete(org.id);
  }
});
