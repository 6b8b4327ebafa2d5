/**
 * AWS Organizations through the pipeline, in process (src/pipeline/testing.ts; docs/organizations.md):
 * organizations, asynchronous CreateAccount, OUs, MoveAccount, the parent/child listings, trusted
 * service access, paging, the callers that are refused, and the CloudTrail records (us-east-1,
 * organizations.amazonaws.com).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, allow, harness, type Credentials, type Harness, type Reply } from './testing.ts';
import { provisionAccount } from '../accounts/provision.ts';
import { organizationKeys } from '../auth/authorize.ts';
import { randomIds } from '../ids.ts';
import { CREATE_ACCOUNT_DELAY_MS } from '../services/organizations/create-account.ts';

let h: Harness;

before(async () => {
  h = await harness();
});
after(async () => {
  await h.close();
});

const call = (operation: string, input: object = {}, credentials?: Credentials, region = 'eu-west-1'): Promise<Reply> =>
  h.send({
    service: 'organizations',
    region,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSOrganizationsV20161128.${operation}`, 'user-agent': 'harness' },
    body: JSON.stringify(input),
    ...(credentials ? { credentials } : {}),
  });
async function ok(operation: string, input: object = {}, credentials?: Credentials): Promise<any> {
  const r = await call(operation, input, credentials);
  assert.equal(r.status, 200, `${operation}: ${r.text}`);
  return r.json();
}
async function fails(operation: string, input: object = {}, credentials?: Credentials): Promise<string> {
  const r = await call(operation, input, credentials);
  assert.notEqual(r.status, 200, `${operation} succeeded: ${r.text}`);
  const body = r.json();
  return `${body.__type}: ${body.message ?? body.Message}`;
}
/** CreateAccount, then DescribeCreateAccountStatus once the request is due. */
async function createAccount(name: string, email: string): Promise<any> {
  const started = (await ok('CreateAccount', { AccountName: name, Email: email })).CreateAccountStatus;
  assert.equal(started.State, 'IN_PROGRESS');
  assert.match(started.Id, /^car-[a-z0-9]{32}$/);
  h.advance(CREATE_ACCOUNT_DELAY_MS);
  return (await ok('DescribeCreateAccountStatus', { CreateAccountRequestId: started.Id })).CreateAccountStatus;
}

let orgId: string;
let rootId: string;
let member: string;

test('before an organization: AWSOrganizationsNotInUseException; CreateOrganization makes the organization, its root and the management account', async () => {
  assert.equal(await fails('DescribeOrganization'), 'AWSOrganizationsNotInUseException: Your account is not a member of an organization.');
  assert.equal(await fails('ListAccounts'), 'AWSOrganizationsNotInUseException: Your account is not a member of an organization.');
  const org = (await ok('CreateOrganization', {})).Organization;
  orgId = org.Id;
  assert.match(orgId, /^o-[a-z0-9]{10}$/);
  assert.equal(org.Arn, `arn:aws:organizations::${ACCOUNT}:organization/${orgId}`);
  assert.equal(org.FeatureSet, 'ALL');
  assert.equal(org.MasterAccountId, ACCOUNT);
  assert.equal(org.MasterAccountArn, `arn:aws:organizations::${ACCOUNT}:account/${orgId}/${ACCOUNT}`);
  assert.equal(await fails('CreateOrganization', {}), 'AlreadyInOrganizationException: The AWS account is already a member of an organization.');
  assert.deepEqual((await ok('DescribeOrganization')).Organization, org);
  const roots = (await ok('ListRoots')).Roots;
  assert.equal(roots.length, 1);
  rootId = roots[0].Id;
  assert.match(rootId, /^r-[0-9a-z]{4}$/);
  assert.equal(roots[0].Arn, `arn:aws:organizations::${ACCOUNT}:root/${orgId}/${rootId}`);
  assert.equal(roots[0].Name, 'Root');
  const accounts = (await ok('ListAccounts')).Accounts;
  assert.deepEqual(
    accounts.map((a: any) => [a.Id, a.Arn, a.JoinedMethod, a.Status]),
    [[ACCOUNT, `arn:aws:organizations::${ACCOUNT}:account/${orgId}/${ACCOUNT}`, 'INVITED', 'ACTIVE']],
  );
});

test('CreateAccount is asynchronous: IN_PROGRESS, then SUCCEEDED with the account, its OrganizationAccountAccessRole and its root key', async () => {
  const started = (await ok('CreateAccount', { AccountName: 'dev', Email: 'dev@example.com' })).CreateAccountStatus;
  assert.equal(started.State, 'IN_PROGRESS');
  assert.equal(started.AccountName, 'dev');
  assert.equal(started.AccountId, undefined);
  // not yet due
  const early = (await ok('DescribeCreateAccountStatus', { CreateAccountRequestId: started.Id })).CreateAccountStatus;
  assert.equal(early.State, 'IN_PROGRESS');
  h.advance(CREATE_ACCOUNT_DELAY_MS);
  const done = (await ok('DescribeCreateAccountStatus', { CreateAccountRequestId: started.Id })).CreateAccountStatus;
  assert.equal(done.State, 'SUCCEEDED');
  assert.match(done.AccountId, /^[1-9]\d{11}$/);
  assert.equal(typeof done.CompletedTimestamp, 'number');
  member = done.AccountId;
  // the outcome is a CreateAccountResult service event in the management account's CloudTrail
  const result = (await h.records()).find((r) => r.eventName === 'CreateAccountResult' && r.serviceEventDetails.createAccountStatus.id === started.Id);
  assert.deepEqual(
    [result.eventType, result.awsRegion, result.eventSource, result.recipientAccountId, result.userIdentity],
    ['AwsServiceEvent', 'us-east-1', 'organizations.amazonaws.com', ACCOUNT, { accountId: ACCOUNT, invokedBy: 'AWS Internal' }],
  );
  assert.deepEqual([result.serviceEventDetails.createAccountStatus.state, result.serviceEventDetails.createAccountStatus.accountId], ['SUCCEEDED', member]);
  const role = await h.store.forAccount(member).identities.getRole('OrganizationAccountAccessRole');
  assert.deepEqual(JSON.parse(role?.assumeRolePolicyDocument ?? '{}').Statement[0].Principal, { AWS: `arn:aws:iam::${ACCOUNT}:root` });
  const account = (await ok('DescribeAccount', { AccountId: member })).Account;
  assert.deepEqual(
    [account.Id, account.Name, account.Email, account.Status, account.JoinedMethod, account.Arn],
    [member, 'dev', 'dev@example.com', 'ACTIVE', 'CREATED', `arn:aws:organizations::${ACCOUNT}:account/${orgId}/${member}`],
  );
  assert.equal((await h.store.organizations.ofAccount(member))?.member.parentId, rootId);
  assert.equal(
    await fails('DescribeCreateAccountStatus', { CreateAccountRequestId: 'car-00000000000000000000000000000000' }),
    "CreateAccountStatusNotFoundException: We can't find an create account request with the CreateAccountRequestId that you specified.",
  );
});

test('a taken email fails the request with EMAIL_ALREADY_EXISTS; ListCreateAccountStatus filters by state, newest first', async () => {
  const failed = await createAccount('again', 'DEV@example.com');
  assert.equal(failed.State, 'FAILED');
  assert.equal(failed.FailureReason, 'EMAIL_ALREADY_EXISTS');
  assert.equal(failed.AccountId, undefined);
  const result = (await h.records()).find((r) => r.eventName === 'CreateAccountResult' && r.serviceEventDetails.createAccountStatus.id === failed.Id);
  assert.deepEqual(
    [result.serviceEventDetails.createAccountStatus.state, result.serviceEventDetails.createAccountStatus.failureReason],
    ['FAILED', 'EMAIL_ALREADY_EXISTS'],
  );
  const all = (await ok('ListCreateAccountStatus', {})).CreateAccountStatuses;
  assert.deepEqual(
    all.map((s: any) => [s.AccountName, s.State]),
    [
      ['again', 'FAILED'],
      ['dev', 'SUCCEEDED'],
    ],
  );
  const succeeded = (await ok('ListCreateAccountStatus', { States: ['SUCCEEDED'] })).CreateAccountStatuses;
  assert.deepEqual(
    succeeded.map((s: any) => s.AccountId),
    [member],
  );
});

test('OUs: create, describe, list, rename, duplicates refused, MoveAccount, ListParents/ListChildren, delete only when empty', async () => {
  const eng = (await ok('CreateOrganizationalUnit', { ParentId: rootId, Name: 'Eng' })).OrganizationalUnit;
  assert.match(eng.Id, new RegExp(`^ou-${rootId.slice(2)}-[a-z0-9]{8}$`));
  assert.equal(eng.Arn, `arn:aws:organizations::${ACCOUNT}:ou/${orgId}/${eng.Id}`);
  assert.equal(
    await fails('CreateOrganizationalUnit', { ParentId: rootId, Name: 'Eng' }),
    'DuplicateOrganizationalUnitException: An OU with the same name already exists.',
  );
  assert.equal(
    await fails('CreateOrganizationalUnit', { ParentId: 'ou-zzzz-zzzzzzzz', Name: 'x' }),
    "ParentNotFoundException: You specified parent that doesn't exist.",
  );
  const web = (await ok('CreateOrganizationalUnit', { ParentId: eng.Id, Name: 'Web' })).OrganizationalUnit;
  assert.deepEqual((await ok('DescribeOrganizationalUnit', { OrganizationalUnitId: eng.Id })).OrganizationalUnit, eng);
  assert.deepEqual(
    (await ok('ListOrganizationalUnitsForParent', { ParentId: rootId })).OrganizationalUnits.map((u: any) => u.Name),
    ['Eng'],
  );
  assert.equal((await ok('UpdateOrganizationalUnit', { OrganizationalUnitId: web.Id, Name: 'Frontend' })).OrganizationalUnit.Name, 'Frontend');

  assert.equal(
    await fails('MoveAccount', { AccountId: member, SourceParentId: eng.Id, DestinationParentId: web.Id }),
    "SourceParentNotFoundException: You specified a source parent that doesn't exist.",
  );
  assert.equal(
    await fails('MoveAccount', { AccountId: member, SourceParentId: rootId, DestinationParentId: 'ou-zzzz-zzzzzzzz' }),
    "DestinationParentNotFoundException: You specified a destination parent that doesn't exist.",
  );
  assert.equal(
    await fails('MoveAccount', { AccountId: '999999999999', SourceParentId: rootId, DestinationParentId: web.Id }),
    "AccountNotFoundException: You specified an account that doesn't exist.",
  );
  assert.equal(
    await fails('MoveAccount', { AccountId: member, SourceParentId: rootId, DestinationParentId: rootId }),
    'DuplicateAccountException: That account is already present in the specified destination.',
  );
  await ok('MoveAccount', { AccountId: member, SourceParentId: rootId, DestinationParentId: web.Id });
  // aws:PrincipalOrgPaths names every OU from the root down
  assert.deepEqual(await organizationKeys(h.store, member), {
    'aws:PrincipalOrgID': orgId,
    'aws:PrincipalOrgPaths': [`${orgId}/${rootId}/${eng.Id}/${web.Id}/`],
  });
  assert.deepEqual((await organizationKeys(h.store, ACCOUNT))['aws:PrincipalOrgPaths'], [`${orgId}/${rootId}/`]);
  assert.deepEqual((await ok('ListParents', { ChildId: member })).Parents, [{ Id: web.Id, Type: 'ORGANIZATIONAL_UNIT' }]);
  assert.deepEqual((await ok('ListParents', { ChildId: eng.Id })).Parents, [{ Id: rootId, Type: 'ROOT' }]);
  assert.deepEqual((await ok('ListChildren', { ParentId: web.Id, ChildType: 'ACCOUNT' })).Children, [{ Id: member, Type: 'ACCOUNT' }]);
  assert.deepEqual((await ok('ListChildren', { ParentId: eng.Id, ChildType: 'ORGANIZATIONAL_UNIT' })).Children, [{ Id: web.Id, Type: 'ORGANIZATIONAL_UNIT' }]);
  assert.deepEqual((await ok('ListChildren', { ParentId: rootId, ChildType: 'ACCOUNT' })).Children, [{ Id: ACCOUNT, Type: 'ACCOUNT' }]);
  assert.deepEqual(
    (await ok('ListAccountsForParent', { ParentId: web.Id })).Accounts.map((a: any) => a.Id),
    [member],
  );
  assert.equal(await fails('ListParents', { ChildId: '999999999999' }), "ChildNotFoundException: You specified a child that doesn't exist.");

  assert.equal(
    await fails('DeleteOrganizationalUnit', { OrganizationalUnitId: eng.Id }),
    'OrganizationalUnitNotEmptyException: The specified organizational unit is not empty.',
  );
  assert.equal(
    await fails('DeleteOrganizationalUnit', { OrganizationalUnitId: web.Id }),
    'OrganizationalUnitNotEmptyException: The specified organizational unit is not empty.',
  );
  await ok('MoveAccount', { AccountId: member, SourceParentId: web.Id, DestinationParentId: rootId });
  await ok('DeleteOrganizationalUnit', { OrganizationalUnitId: web.Id });
  assert.equal(
    await fails('DescribeOrganizationalUnit', { OrganizationalUnitId: web.Id }),
    "OrganizationalUnitNotFoundException: You specified an organizational unit that doesn't exist.",
  );
  assert.deepEqual((await ok('ListOrganizationalUnitsForParent', { ParentId: eng.Id })).OrganizationalUnits, []);
});

test('OU trees are at most five levels deep', async () => {
  let parent = rootId;
  const made: string[] = [];
  for (let level = 1; level <= 5; level++) {
    parent = (await ok('CreateOrganizationalUnit', { ParentId: parent, Name: `level-${level}` })).OrganizationalUnit.Id;
    made.push(parent);
  }
  assert.match(await fails('CreateOrganizationalUnit', { ParentId: parent, Name: 'level-6' }), /^ConstraintViolationException: /);
  for (const id of made.reverse()) await ok('DeleteOrganizationalUnit', { OrganizationalUnitId: id });
});

test('trusted service access: enable (idempotent), list, disable; an unknown principal is refused', async () => {
  const before = h.now();
  await ok('EnableAWSServiceAccess', { ServicePrincipal: 'cloudtrail.amazonaws.com' });
  await ok('EnableAWSServiceAccess', { ServicePrincipal: 'cloudtrail.amazonaws.com' });
  await ok('EnableAWSServiceAccess', { ServicePrincipal: 'config.amazonaws.com' });
  const listed = (await ok('ListAWSServiceAccessForOrganization')).EnabledServicePrincipals;
  assert.deepEqual(
    listed.map((s: any) => s.ServicePrincipal),
    ['cloudtrail.amazonaws.com', 'config.amazonaws.com'],
  );
  assert.ok(listed[0].DateEnabled * 1000 >= before.getTime() - 1000);
  await ok('DisableAWSServiceAccess', { ServicePrincipal: 'config.amazonaws.com' });
  assert.deepEqual(
    (await ok('ListAWSServiceAccessForOrganization')).EnabledServicePrincipals.map((s: any) => s.ServicePrincipal),
    ['cloudtrail.amazonaws.com'],
  );
  assert.equal(
    await fails('EnableAWSServiceAccess', { ServicePrincipal: 'nonsense' }),
    'InvalidInputException: You specified an unrecognized service principal.',
  );
});

test('paging: MaxResults and NextToken walk the accounts; a foreign token is refused', async () => {
  await createAccount('qa', 'qa@example.com');
  const first = await ok('ListAccounts', { MaxResults: 2 });
  assert.equal(first.Accounts.length, 2);
  assert.equal(typeof first.NextToken, 'string');
  const second = await ok('ListAccounts', { MaxResults: 2, NextToken: first.NextToken });
  assert.equal(second.Accounts.length, 1);
  assert.equal(second.NextToken, undefined);
  const ids = [...first.Accounts, ...second.Accounts].map((a: any) => a.Id);
  assert.equal(new Set(ids).size, 3);
  assert.deepEqual(ids.slice(0, 2), [ACCOUNT, member]);
  assert.equal(second.Accounts[0].Name, 'qa');
  assert.match(await fails('ListRoots', { NextToken: first.NextToken }), /^InvalidInputException: /);
});

test('callers: a member account may DescribeOrganization only; an IAM user needs organizations:* in a policy', async () => {
  const made = await h.store.forAccount(member).identities.listAccessKeys(null);
  const key = made[0];
  assert.ok(key);
  const memberRoot = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
  assert.equal((await ok('DescribeOrganization', {}, memberRoot)).Organization.Id, orgId);
  for (const op of ['ListAccounts', 'CreateAccount', 'ListRoots', 'DeleteOrganization']) {
    const input = op === 'CreateAccount' ? { AccountName: 'x', Email: 'x@example.com' } : {};
    assert.equal(await fails(op, input, memberRoot), "AccessDeniedException: You don't have permissions to access this resource.", op);
  }
  const nobody = await h.user('nobody');
  const r = await call('ListAccounts', {}, nobody);
  assert.equal(r.status, 400);
  assert.equal(r.json().__type, 'AccessDeniedException');
  assert.match(r.json().Message ?? r.json().message, /is not authorized to perform: organizations:ListAccounts/);
  const reader = await h.user('reader', allow('organizations:List*'));
  assert.equal((await ok('ListAccounts', {}, reader)).Accounts.length, 3);
});

test('DeleteOrganization with member accounts: OrganizationNotEmptyException; calls are recorded in us-east-1 from organizations.amazonaws.com', async () => {
  assert.equal(
    await fails('DeleteOrganization'),
    'OrganizationNotEmptyException: To delete an organization you must first remove all member accounts (except the master).',
  );
  const records = (await h.records()).filter((r) => r.eventSource === 'organizations.amazonaws.com');
  const create = records.find((r) => r.eventName === 'CreateOrganization' && !r.errorCode);
  assert.equal(create.awsRegion, 'us-east-1');
  assert.equal(create.recipientAccountId, ACCOUNT);
  assert.equal(create.readOnly, false);
  const denied = records.find((r) => r.eventName === 'DeleteOrganization' && r.errorCode && r.recipientAccountId === ACCOUNT);
  assert.equal(denied.errorCode, 'OrganizationNotEmptyException');
  assert.equal(denied.awsRegion, 'us-east-1');
  const list = records.find((r) => r.eventName === 'ListAccounts' && !r.errorCode);
  assert.equal(list.readOnly, true);
  // the management account's refusal of a member is recorded in the member's account
  const refused = records.find((r) => r.eventName === 'DeleteOrganization' && r.recipientAccountId === member);
  assert.equal(refused.errorCode, 'AccessDenied');
  assert.equal(refused.errorMessage, "You don't have permissions to access this resource.");
});

test('an empty organization can be deleted', async () => {
  // a fresh account outside: its own organization, deleted at once
  const made = await provisionAccount(h.store, randomIds, { name: 'solo', email: 'solo@example.com', now: h.now() });
  const solo = { accessKeyId: made.rootKey.accessKeyId, secretAccessKey: made.rootKey.secretAccessKey };
  const org = (await ok('CreateOrganization', { FeatureSet: 'CONSOLIDATED_BILLING' }, solo)).Organization;
  assert.equal(org.FeatureSet, 'CONSOLIDATED_BILLING');
  assert.equal(org.MasterAccountEmail, 'solo@example.com');
  await ok('DeleteOrganization', {}, solo);
  assert.equal(await fails('DescribeOrganization', {}, solo), 'AWSOrganizationsNotInUseException: Your account is not a member of an organization.');
});
