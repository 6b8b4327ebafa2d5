/**
 * Fixtures for the S3 handler tests (no HTTP): the account's root and an IAM user whose one inline
 * policy is the statement given, as OperationContexts with only what the handlers read.
 */
import type { Answer } from '../testing.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import type { Input, OperationName, Operations as Ops, Output } from './model.generated.ts';

// no bucket has a notification configuration
const rootStore: Record<string, unknown> = {
  accountId: '000000000000',
  forAccount: () => rootStore,
  bucketNotifications: { get: async () => undefined, delete: async () => {} },
  // no account is in an organization
  organizations: { ofAccount: async () => undefined },
};

export const rootContext = {
  accountId: '000000000000',
  config: { accountId: '000000000000', region: 'us-east-1', maxBodyBytes: 1 << 20, publicUrl: 'http://127.0.0.1:4600' },
  region: 'us-east-1',
  now: new Date('2026-11-24T10:00:00Z'),
  sourceIp: '127.0.0.1',
  principal: {
    type: 'Root',
    accountId: '000000000000',
    arn: 'arn:aws:iam::000000000000:root',
    principalId: '000000000000',
    accessKeyId: 'AKIA',
    displayName: 'root',
  },
  store: rootStore,
} as unknown as OperationContext;

/** IAM user `name` allowed exactly `statement` (Effect Allow, Action, Resource). */
export function userContext(name: string, statement: { Action: string; Resource: string }): OperationContext {
  const upper = name.toUpperCase();
  const store = {
    ...rootContext.store,
    accountId: '000000000000',
    forAccount: () => store,
    identities: {
      listInlinePolicies: async () => [{ document: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', ...statement }] }) }],
      listAttachedPolicies: async () => [],
      listGroupsForUser: async () => [],
      // no permissions boundary
      getUser: async () => ({ userName: name }),
    },
  };
  return {
    ...rootContext,
    principal: {
      type: 'IAMUser',
      accountId: '000000000000',
      arn: `arn:aws:iam::000000000000:user/${name}`,
      principalId: `AIDA${upper}`,
      accessKeyId: `AKIA${upper}`,
      userName: name,
      displayName: name,
    },
    store,
  } as unknown as OperationContext;
}

/** Calls one handler with a test's input (deliberately loose: tests also send what the validator would refuse). */
export const callHandler = <O extends OperationName>(ops: OperationDefs<Ops>, op: O, input: object, ctx: OperationContext) =>
  ops[op].handler(input as Input<O>, ctx) as Promise<Answer<Output<O>>>;
