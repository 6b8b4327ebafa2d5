/** buildRecord: every identity type, exact objects in AWS's key order (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html, https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html, https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html, https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Principal } from '../auth/principal.ts';
import type { Session } from '../store/types.ts';
import { buildRecord, truncateUtf8, type CallOutcome } from './record.ts';

const ACCT = '123456789012';
const created = new Date('2026-03-01T09:15:42.123Z');
const session = (kind: Session['kind'], extra: Partial<Session> = {}): Session => ({
  accessKeyId: 'ASIAEXAMPLEEXAMPLE22',
  secretAccessKey: 's',
  sessionToken: 't',
  expiration: new Date('2026-03-01T10:15:42Z'),
  createDate: created,
  kind,
  sourceName: 'alice',
  mfaAuthenticated: false,
  ...extra,
});

const root: Principal = {
  type: 'Root',
  accountId: ACCT,
  arn: `arn:aws:iam::${ACCT}:root`,
  principalId: ACCT,
  accessKeyId: 'AKIAROOTROOTROOTROOT',
  displayName: 'root',
};
const alice: Principal = {
  type: 'IAMUser',
  accountId: ACCT,
  arn: `arn:aws:iam::${ACCT}:user/alice`,
  principalId: 'AIDAALICEALICEALICE12',
  accessKeyId: 'AKIAALICEALICEALICE2',
  userName: 'alice',
  displayName: 'alice',
};
const role: Principal = {
  type: 'AssumedRole',
  accountId: ACCT,
  arn: `arn:aws:sts::${ACCT}:assumed-role/dev/s1`,
  principalId: 'AROADEVDEVDEVDEVDEV12:s1',
  accessKeyId: 'ASIAEXAMPLEEXAMPLE22',
  session: session('role', { sourceName: 'dev', sessionName: 's1', sourceIdentity: 'alice-src' }),
  displayName: 's1',
  issuer: { type: 'Role', principalId: 'AROADEVDEVDEVDEVDEV12', arn: `arn:aws:iam::${ACCT}:role/dev`, accountId: ACCT, userName: 'dev' },
};
const fed: Principal = {
  type: 'FederatedUser',
  accountId: ACCT,
  arn: `arn:aws:sts::${ACCT}:federated-user/bob`,
  principalId: `${ACCT}:bob`,
  accessKeyId: 'ASIAEXAMPLEEXAMPLE22',
  session: session('federated', { sessionName: 'bob' }),
  displayName: 'bob',
  issuer: { type: 'IAMUser', principalId: 'AIDAALICEALICEALICE12', arn: `arn:aws:iam::${ACCT}:user/alice`, accountId: ACCT, userName: 'alice' },
};

function outcome(over: Partial<CallOutcome> = {}): CallOutcome {
  return {
    eventId: 'e1e1e1e1-0000-4000-8000-000000000001',
    requestId: 'r1r1r1r1-0000-4000-8000-000000000001',
    time: new Date('2026-03-01T09:20:05.987Z'),
    eventSource: 'codestar.amazonaws.com',
    eventName: 'DescribeProject',
    region: 'eu-west-1',
    accountId: ACCT,
    sourceIp: '203.0.113.10',
    userAgent: 'aws-cli/2.9.19 Python/3.11.2',
    requestParameters: { id: 'my-proj' },
    responseElements: null,
    readOnly: true,
    ...over,
  };
}

/** JSON text comparison: equal values and equal key order. */
const same = (actual: unknown, expected: unknown) => assert.equal(JSON.stringify(actual), JSON.stringify(expected));

const tail = (readOnly: boolean) => ({
  requestID: 'r1r1r1r1-0000-4000-8000-000000000001',
  eventID: 'e1e1e1e1-0000-4000-8000-000000000001',
  readOnly,
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: ACCT,
  eventCategory: 'Management',
});
const head = (userIdentity: unknown) => ({
  eventVersion: '1.11',
  userIdentity,
  eventTime: '2026-03-01T09:20:05Z',
  eventSource: 'codestar.amazonaws.com',
  eventName: 'DescribeProject',
  awsRegion: 'eu-west-1',
  sourceIPAddress: '203.0.113.10',
  userAgent: 'aws-cli/2.9.19 Python/3.11.2',
});

test('Root: type, principalId = account, root ARN, accountId, accessKeyId; no userName', () => {
  same(buildRecord(outcome({ principal: root })), {
    ...head({ type: 'Root', principalId: ACCT, arn: `arn:aws:iam::${ACCT}:root`, accountId: ACCT, accessKeyId: 'AKIAROOTROOTROOTROOT' }),
    requestParameters: { id: 'my-proj' },
    responseElements: null,
    ...tail(true),
  });
});

test('IAMUser: userName last; a mutating call keeps its responseElements', () => {
  same(buildRecord(outcome({ principal: alice, eventName: 'DescribeProject', readOnly: false, responseElements: { arn: 'x' } })), {
    ...head({
      type: 'IAMUser',
      principalId: 'AIDAALICEALICEALICE12',
      arn: `arn:aws:iam::${ACCT}:user/alice`,
      accountId: ACCT,
      accessKeyId: 'AKIAALICEALICEALICE2',
      userName: 'alice',
    }),
    requestParameters: { id: 'my-proj' },
    responseElements: { arn: 'x' },
    ...tail(false),
  });
});

test('AssumedRole: sessionContext with sessionIssuer (the role), webIdFederationData, string attributes, sourceIdentity', () => {
  same(buildRecord(outcome({ principal: role })).userIdentity, {
    type: 'AssumedRole',
    principalId: 'AROADEVDEVDEVDEVDEV12:s1',
    arn: `arn:aws:sts::${ACCT}:assumed-role/dev/s1`,
    accountId: ACCT,
    accessKeyId: 'ASIAEXAMPLEEXAMPLE22',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROADEVDEVDEVDEVDEV12', arn: `arn:aws:iam::${ACCT}:role/dev`, accountId: ACCT, userName: 'dev' },
      webIdFederationData: {},
      attributes: { creationDate: '2026-03-01T09:15:42Z', mfaAuthenticated: 'false' },
      sourceIdentity: 'alice-src',
    },
  });
});

test('FederatedUser: the issuer is the IAM user who called GetFederationToken', () => {
  same(buildRecord(outcome({ principal: fed })).userIdentity, {
    type: 'FederatedUser',
    principalId: `${ACCT}:bob`,
    arn: `arn:aws:sts::${ACCT}:federated-user/bob`,
    accountId: ACCT,
    accessKeyId: 'ASIAEXAMPLEEXAMPLE22',
    sessionContext: {
      sessionIssuer: { type: 'IAMUser', principalId: 'AIDAALICEALICEALICE12', arn: `arn:aws:iam::${ACCT}:user/alice`, accountId: ACCT, userName: 'alice' },
      webIdFederationData: {},
      attributes: { creationDate: '2026-03-01T09:15:42Z', mfaAuthenticated: 'false' },
    },
  });
});

test('GetSessionToken credentials: the same IAMUser with an empty sessionIssuer', () => {
  const withSession: Principal = { ...alice, accessKeyId: 'ASIAEXAMPLEEXAMPLE22', session: session('session', { mfaAuthenticated: true }) };
  same(buildRecord(outcome({ principal: withSession })).userIdentity, {
    type: 'IAMUser',
    principalId: 'AIDAALICEALICEALICE12',
    arn: `arn:aws:iam::${ACCT}:user/alice`,
    accountId: ACCT,
    accessKeyId: 'ASIAEXAMPLEEXAMPLE22',
    userName: 'alice',
    sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: '2026-03-01T09:15:42Z', mfaAuthenticated: 'true' } },
  });
});

test("a call a service makes on the caller's behalf: invokedBy last in userIdentity; address and agent are the service", () => {
  const r = buildRecord(
    outcome({
      principal: alice,
      invokedBy: 'codestar.amazonaws.com',
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreatePolicy',
      region: 'us-east-1',
      readOnly: false,
    }),
  );
  same(r.userIdentity, {
    type: 'IAMUser',
    principalId: 'AIDAALICEALICEALICE12',
    arn: `arn:aws:iam::${ACCT}:user/alice`,
    accountId: ACCT,
    accessKeyId: 'AKIAALICEALICEALICE2',
    userName: 'alice',
    invokedBy: 'codestar.amazonaws.com',
  });
  assert.equal(r.sourceIPAddress, 'codestar.amazonaws.com');
  assert.equal(r.userAgent, 'codestar.amazonaws.com');
  assert.equal(r.awsRegion, 'us-east-1');
});

test('a caller whose credentials did not authenticate is Unknown with the claimed key; errorCode/errorMessage follow userAgent', () => {
  same(
    buildRecord(
      outcome({
        claimedAccessKeyId: 'AKIANOSUCHKEYNOSUCH2',
        errorCode: 'UnrecognizedClientException',
        errorMessage: 'The security token included in the request is invalid.',
        requestParameters: null,
      }),
    ),
    {
      ...head({ type: 'Unknown', accessKeyId: 'AKIANOSUCHKEYNOSUCH2' }),
      errorCode: 'UnrecognizedClientException',
      errorMessage: 'The security token included in the request is invalid.',
      requestParameters: null,
      responseElements: null,
      ...tail(true),
    },
  );
});

test('resources after readOnly, with accountId, type, ARN; an unknown operation has no readOnly', () => {
  const r = buildRecord(
    outcome({ principal: root, readOnly: null, resources: [{ type: 'AWS::CodeStar::Project', ARN: `arn:aws:codestar:eu-west-1:${ACCT}:project/my-proj` }] }),
  );
  assert.deepEqual(Object.keys(r).slice(-6), ['eventID', 'resources', 'eventType', 'managementEvent', 'recipientAccountId', 'eventCategory']);
  same(r.resources, [{ accountId: ACCT, type: 'AWS::CodeStar::Project', ARN: `arn:aws:codestar:eu-west-1:${ACCT}:project/my-proj` }]);
});

test('userAgent and errorMessage are cut at 1 KB; parameters over 100 KB are left null; an empty user agent is left out', () => {
  const r = buildRecord(
    outcome({
      principal: root,
      userAgent: 'é'.repeat(600),
      errorCode: 'X',
      errorMessage: 'm'.repeat(2000),
      requestParameters: { big: 'x'.repeat(110 * 1024) },
    }),
  );
  assert.equal(r.userAgent, 'é'.repeat(512));
  assert.equal(r.errorMessage, 'm'.repeat(1024));
  assert.equal(r.requestParameters, null);
  assert.equal('userAgent' in buildRecord(outcome({ principal: root, userAgent: '' })), false);
  assert.equal(truncateUtf8('aé', 2), 'a');
});
