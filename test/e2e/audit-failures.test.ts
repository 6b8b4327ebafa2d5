/**
 * The audit trail's failures: a denied call, validation errors, a bad signature, an unknown key and an
 * oversized body are each in Event history with their errorCode (docs/architecture.md#audit: every call with a
 * parseable SigV4 credential leaves exactly one record); and when the record cannot be written the
 * caller gets InternalFailure and nothing changed. The write failure is injected below the server,
 * in its database (a trigger that refuses new records: SQLite, or PostgreSQL under
 * STARTRAIL_E2E_BACKEND=postgres), so the server code runs unmodified.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { IAMClient, CreateAccessKeyCommand, CreateUserCommand, GetUserCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { startServer, TEST_DATABASE_URL, type Credentials, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { cliWithRequestId, sdkLookup } from './helpers/history.ts';

const ACCT = '000000000000';
const PG = process.env.STARTRAIL_E2E_BACKEND === 'postgres';
const PG_URL = TEST_DATABASE_URL;
const SCHEMA = `e2e_auditfail_${process.pid}`;
let server: TestServer;
let nobody: Credentials;
let nobodyId = '';
/** request ids of every call this file makes that must be in history */
const calls: string[] = [];

const iam = (c: Credentials) => new IAMClient(sdkConfig(server.endpoint, c));
async function rejects(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected the call to fail');
}
/** The parsed record with this request id (looked up by the claimed key, as a security team would). */
async function record(accessKeyId: string, requestId: string): Promise<any> {
  const all = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'AccessKeyId', AttributeValue: accessKeyId }]);
  const found = all.map((e) => JSON.parse(e.CloudTrailEvent!)).filter((r) => r.requestID === requestId);
  assert.equal(found.length, 1, `one record for ${requestId}`);
  return found[0];
}

/** Makes the server's store refuse every new record until the returned function is called. */
async function refuseRecords(): Promise<() => Promise<void>> {
  const message = 'injected: the audit store refuses writes';
  if (!PG) {
    const db = new Database(join(server.dataDir, 'startrail.db'));
    db.exec(`CREATE TRIGGER audit_down BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, '${message}'); END`);
    return async () => {
      db.exec('DROP TRIGGER audit_down');
      db.close();
    };
  }
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`CREATE FUNCTION ${SCHEMA}.refuse_records() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message}'; END $$`);
  await c.query(`CREATE TRIGGER audit_down BEFORE INSERT ON ${SCHEMA}.events FOR EACH ROW EXECUTE FUNCTION ${SCHEMA}.refuse_records()`);
  return async () => {
    await c.query(`DROP TRIGGER audit_down ON ${SCHEMA}.events`);
    await c.end();
  };
}

before(async () => {
  server = await startServer(PG ? { STARTRAIL_DATABASE_URL: PG_URL, STARTRAIL_DATABASE_SCHEMA: SCHEMA } : {});
  const u = await iam(server.root).send(new CreateUserCommand({ UserName: 'nobody' }));
  nobodyId = u.User!.UserId!;
  const k = await iam(server.root).send(new CreateAccessKeyCommand({ UserName: 'nobody' }));
  nobody = { accessKeyId: k.AccessKey!.AccessKeyId!, secretAccessKey: k.AccessKey!.SecretAccessKey! };
});

after(async () => {
  await server?.dispose();
});

test('a denied call: errorCode AccessDenied, the denial message, requestParameters and responseElements null', async () => {
  const r = cliWithRequestId(server.endpoint, nobody, ['iam', 'create-user', '--user-name', 'mallory']);
  assert.equal(r.status, 254);
  calls.push(r.requestId);
  const rec = await record(nobody.accessKeyId, r.requestId);
  const message = `User: arn:aws:iam::${ACCT}:user/nobody is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCT}:user/mallory because no identity-based policy allows the iam:CreateUser action`;
  assert.deepEqual(rec.userIdentity, {
    type: 'IAMUser',
    principalId: nobodyId,
    arn: `arn:aws:iam::${ACCT}:user/nobody`,
    accountId: ACCT,
    accessKeyId: nobody.accessKeyId,
    userName: 'nobody',
  });
  assert.deepEqual(
    [rec.eventName, rec.errorCode, rec.errorMessage, rec.requestParameters, rec.responseElements, rec.readOnly],
    ['CreateUser', 'AccessDenied', message, null, null, false],
  );
  // a JSON-protocol denial is recorded as AccessDenied too (the wire says AccessDeniedException)
  const e = await rejects(new CloudTrailClient(sdkConfig(server.endpoint, nobody)).send(new LookupEventsCommand({})));
  assert.equal(e.name, 'AccessDeniedException');
  calls.push(e.$metadata.requestId);
  const json = await record(nobody.accessKeyId, e.$metadata.requestId);
  assert.deepEqual([json.eventSource, json.errorCode, json.requestParameters, json.readOnly], ['cloudtrail.amazonaws.com', 'AccessDenied', null, true]);
});

test('validation errors: recorded with their code and the parameters that were sent', async () => {
  const r = cliWithRequestId(server.endpoint, server.root, ['iam', 'create-user', '--user-name', 'not valid!']);
  assert.equal(r.status, 254);
  calls.push(r.requestId);
  const rec = await record(server.root.accessKeyId, r.requestId);
  assert.deepEqual([rec.errorCode, rec.requestParameters, rec.responseElements, rec.readOnly], ['ValidationError', { userName: 'not valid!' }, null, false]);
  // IAM's own wording for a name outside its pattern (docs/iam.md#validation)
  assert.equal(rec.errorMessage, 'The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-');
  const e = await rejects(new CloudTrailClient(sdkConfig(server.endpoint, server.root)).send(new LookupEventsCommand({ MaxResults: 51 })));
  assert.deepEqual([e.name, e.$metadata.httpStatusCode], ['InvalidMaxResultsException', 400]);
  calls.push(e.$metadata.requestId);
  const lr = await record(server.root.accessKeyId, e.$metadata.requestId);
  assert.deepEqual(
    [lr.errorCode, lr.errorMessage, lr.requestParameters, lr.readOnly],
    ['InvalidMaxResultsException', 'MaxResults 51 is not valid. MaxResults must be between 1 and 50.', { maxResults: 51 }, true],
  );
});

test('a bad signature and an unknown key: userIdentity Unknown with the claimed key, and the error', async () => {
  const wrong = { accessKeyId: nobody.accessKeyId, secretAccessKey: 'x'.repeat(40) };
  const e = await rejects(new STSClient(sdkConfig(server.endpoint, wrong)).send(new GetCallerIdentityCommand({})));
  assert.equal(e.name, 'SignatureDoesNotMatch');
  calls.push(e.$metadata.requestId);
  const rec = await record(nobody.accessKeyId, e.$metadata.requestId);
  assert.deepEqual(rec.userIdentity, { type: 'Unknown', accessKeyId: nobody.accessKeyId });
  assert.deepEqual([rec.eventName, rec.errorCode, rec.requestParameters, rec.responseElements], ['GetCallerIdentity', 'SignatureDoesNotMatch', null, null]);
  assert.match(rec.errorMessage, /^The request signature we calculated does not match the signature you provided/);

  const unknown = { accessKeyId: 'AKIAUNKNOWNUNKNOWN22', secretAccessKey: 'y'.repeat(40) };
  const u = cliWithRequestId(server.endpoint, unknown, ['cloudtrail', 'lookup-events']);
  assert.equal(u.status, 254);
  calls.push(u.requestId);
  const ur = await record(unknown.accessKeyId, u.requestId);
  assert.deepEqual(
    [ur.userIdentity, ur.eventSource, ur.eventName, ur.errorCode, ur.errorMessage],
    [
      { type: 'Unknown', accessKeyId: 'AKIAUNKNOWNUNKNOWN22' },
      'cloudtrail.amazonaws.com',
      'LookupEvents',
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    ],
  );
  // found by the Username attribute? No: an unauthenticated caller has no user name in history.
  const byKey = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'AccessKeyId', AttributeValue: unknown.accessKeyId }]);
  assert.deepEqual(
    byKey.map((x) => [x.Username, x.ReadOnly, x.EventName]),
    [[undefined, 'true', 'LookupEvents']],
  );
});

test('an oversized body, refused before authentication, is still recorded', async () => {
  const e = await rejects(
    new CloudTrailClient(sdkConfig(server.endpoint, nobody)).send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'x'.repeat(1_100_000) }] }),
    ),
  );
  assert.equal(e.$metadata.httpStatusCode, 413);
  calls.push(e.$metadata.requestId);
  const rec = await record(nobody.accessKeyId, e.$metadata.requestId);
  assert.deepEqual(
    [rec.userIdentity, rec.eventName, rec.errorCode, rec.requestParameters],
    [{ type: 'Unknown', accessKeyId: nobody.accessKeyId }, 'LookupEvents', e.name, null],
  );
});

test('every call above left exactly one record', async () => {
  const all = (await sdkLookup(server.endpoint, server.root, [])).map((e) => JSON.parse(e.CloudTrailEvent!).requestID);
  for (const id of calls) assert.equal(all.filter((x) => x === id).length, 1, id);
  assert.equal(calls.length, 7);
  assert.equal(new Set(all).size, all.length, 'no request id twice');
});

test('when the record cannot be written: InternalFailure, and nothing changed (writes and reads alike)', async () => {
  const keysBefore = (await iam(server.root).send(new ListAccessKeysCommand({ UserName: 'nobody' }))).AccessKeyMetadata!.length;
  const restore = await refuseRecords();
  try {
    const cli = awsCli(server.endpoint, server.root, ['iam', 'create-user', '--user-name', 'carol']);
    assert.equal(cli.status, 254);
    assert.match(cli.stderr, /An error occurred \(InternalFailure\) when calling the CreateUser operation/);
    const e = await rejects(iam(server.root).send(new CreateAccessKeyCommand({ UserName: 'nobody' })));
    assert.deepEqual([e.name, e.$metadata.httpStatusCode], ['InternalFailure', 500]);
    const read = await rejects(new STSClient(sdkConfig(server.endpoint, server.root)).send(new GetCallerIdentityCommand({})));
    assert.deepEqual([read.name, read.$metadata.httpStatusCode], ['InternalFailure', 500]);
  } finally {
    await restore();
  }
  const gone = await rejects(iam(server.root).send(new GetUserCommand({ UserName: 'carol' })));
  assert.equal(gone.name, 'NoSuchEntityException'); // the SDK's class for the wire code NoSuchEntity
  assert.equal((await iam(server.root).send(new ListAccessKeysCommand({ UserName: 'nobody' }))).AccessKeyMetadata!.length, keysBefore);
  const creates = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }]);
  assert.deepEqual(
    creates.map((x) => JSON.parse(x.CloudTrailEvent!).requestParameters?.userName),
    ['not valid!', undefined, 'nobody'],
  ); // the denied mallory has requestParameters null
});
