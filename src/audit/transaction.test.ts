/**
 * The audit contract at the pipeline's invoke step (docs/architecture.md#audit): a mutating call's change and its
 * record commit in one transaction; calls a service makes on the caller's behalf are recorded with
 * invokedBy, the service as address and agent; when the handler fails or the record cannot be
 * written, neither the change nor any record remains.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Principal } from '../auth/principal.ts';
import { randomIds } from '../ids.ts';
import type { Caller } from '../pipeline/call.ts';
import { invoke, type InvokeDeps } from '../pipeline/invoke.ts';
import { servedOperation } from '../pipeline/resolve.ts';
import { loadModel } from '../protocol/model.ts';
import { iam } from '../services/iam/index.ts';
import type { ServiceDef } from '../services/types.ts';
import { SecretBox } from '../store/secret-box.ts';
import { openSqliteStore } from '../store/sqlite/open.ts';
import type { Store } from '../store/types.ts';

const ACCT = '000000000000';
const root: Principal = {
  type: 'Root',
  accountId: ACCT,
  arn: `arn:aws:iam::${ACCT}:root`,
  principalId: ACCT,
  accessKeyId: 'AKIAROOTROOTROOTROOT',
  displayName: 'root',
};
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'codestar:Describe*', Resource: '*' }] });

/** A stand-in for CodeStar: its operation creates an IAM policy on the caller's behalf, then maybe fails. */
function fakeCodestar(failAfter: boolean): ServiceDef {
  return {
    name: 'codestar',
    eventSource: 'codestar.amazonaws.com',
    actionPrefix: 'codestar',
    global: false,
    model: loadModel('codestar'),
    operations: {
      CreateProject: {
        readOnly: false,
        async handler(input: { id: string }, ctx) {
          await ctx.invoke('iam', 'CreatePolicy', { PolicyName: `CodeStar_${input.id}_Owner`, PolicyDocument: POLICY }, 'codestar.amazonaws.com');
          if (failAfter) throw new Error('boom after the side effect');
          return { id: input.id, arn: `arn:aws:codestar:eu-west-1:${ACCT}:project/${input.id}` };
        },
        resources: (input: { id: string }) => [{ type: 'AWS::CodeStar::Project', ARN: `arn:aws:codestar:eu-west-1:${ACCT}:project/${input.id}` }],
      },
    },
  };
}

async function run(store: Store, failAfter: boolean): Promise<unknown> {
  const service = fakeCodestar(failAfter);
  const deps: InvokeDeps = {
    store,
    services: new Map([
      ['iam', iam],
      ['codestar', service],
    ]),
    config: { accountId: ACCT, region: 'eu-west-1', maxBodyBytes: 1 << 20, publicUrl: 'http://127.0.0.1:4600' },
    ids: randomIds,
    clock: () => new Date(),
    audit: true,
  };
  const caller: Caller = {
    requestId: 'req-main',
    eventId: 'evt-main',
    startedAt: new Date(),
    sourceIp: '198.51.100.7',
    userAgent: 'aws-cli/2.9.19',
    region: 'eu-west-1',
    principal: root,
    accessKeyId: root.accessKeyId,
  };
  const operation = servedOperation(service, 'CreateProject');
  assert.ok(operation);
  return invoke(caller, service, operation, { id: 'web', name: 'Web' }, deps);
}

const open = () => openSqliteStore(':memory:', new SecretBox(randomBytes(32)));

test('the change, its record and the on-behalf record commit together', async () => {
  const store = await open();
  await run(store, false);
  assert.equal((await store.identities.getManagedPolicy(`arn:aws:iam::${ACCT}:policy/CodeStar_web_Owner`))?.policyName, 'CodeStar_web_Owner');
  const events = (await store.events.lookup({ attributes: [], limit: 50 })).events.map((e) => JSON.parse(e.json));
  assert.deepEqual(events.map((r) => [r.eventSource, r.eventName]).sort(), [
    ['codestar.amazonaws.com', 'CreateProject'],
    ['iam.amazonaws.com', 'CreatePolicy'],
  ]);
  const sub = events.find((r) => r.eventName === 'CreatePolicy');
  assert.deepEqual(sub.userIdentity, {
    type: 'Root',
    principalId: ACCT,
    arn: `arn:aws:iam::${ACCT}:root`,
    accountId: ACCT,
    accessKeyId: root.accessKeyId,
    invokedBy: 'codestar.amazonaws.com',
  });
  assert.deepEqual([sub.sourceIPAddress, sub.userAgent, sub.awsRegion, sub.readOnly], ['codestar.amazonaws.com', 'codestar.amazonaws.com', 'us-east-1', false]);
  assert.deepEqual(sub.requestParameters, { policyName: 'CodeStar_web_Owner', policyDocument: POLICY });
  assert.notEqual(sub.requestID, 'req-main');
  const main = events.find((r) => r.eventName === 'CreateProject');
  assert.deepEqual(
    [main.requestID, main.eventID, main.sourceIPAddress, main.awsRegion, main.requestParameters],
    ['req-main', 'evt-main', '198.51.100.7', 'eu-west-1', { name: 'HIDDEN_DUE_TO_SECURITY_REASONS', id: 'web' }],
  );
  assert.deepEqual(main.resources, [{ accountId: ACCT, type: 'AWS::CodeStar::Project', ARN: `arn:aws:codestar:eu-west-1:${ACCT}:project/web` }]);
  await store.close();
});

test('a handler failing after its side effect leaves neither the change nor any record', async () => {
  const store = await open();
  await assert.rejects(run(store, true), /boom/);
  assert.equal(await store.identities.getManagedPolicy(`arn:aws:iam::${ACCT}:policy/CodeStar_web_Owner`), undefined);
  assert.equal(await store.events.count(), 0);
  await store.close();
});

test('a record that cannot be written undoes the change', async () => {
  const store = await open();
  // every transaction's events store refuses: wrap the transactional view the handler gets
  const transaction = store.transaction.bind(store);
  store.transaction = (fn) =>
    transaction((tx) => {
      tx.events.append = async () => {
        throw new Error('audit store down');
      };
      tx.events.appendAtCommit = async () => {
        throw new Error('audit store down');
      };
      return fn(tx);
    });
  await assert.rejects(run(store, false), /audit store down/);
  assert.equal(await store.identities.getManagedPolicy(`arn:aws:iam::${ACCT}:policy/CodeStar_web_Owner`), undefined);
  assert.equal(await store.events.count(), 0);
  await store.close();
});
