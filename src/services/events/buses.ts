/**
 * Event buses (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html and
 * the pages of DescribeEventBus, ListEventBuses, UpdateEventBus, DeleteEventBus, PutPermission,
 * RemovePermission). `default` exists in every account and Region and cannot be created or deleted;
 * PutPermission / RemovePermission edit the bus's resource policy. docs/eventbridge.md#buses.
 */
import { PolicyDocumentError, parsePolicy } from '../../auth/policy/document.ts';
import type { EventBus } from '../../store/types.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import { onBus, tagKeys } from './access.ts';
import { busArn, busRef, ownBus } from './arns.ts';
import { alreadyExists, busNotFound, limitExceeded, policyTooLong, resourceNotFound, validation } from './errors.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { decodeToken, page, PAGE_SIZE } from './pagination.ts';
import { checkTags } from './tags.ts';

/** Event buses per account and Region (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html). */
export const MAX_BUSES = 100;
/** A bus policy's size limit (PolicyLengthExceededException). */
export const MAX_POLICY_BYTES = 10_240;

const time = (d: Date) => (d.getTime() === 0 ? {} : { CreationTime: d });
const modified = (d: Date) => (d.getTime() === 0 ? {} : { LastModifiedTime: d });

export async function findBus(ctx: OperationContext, given: string | undefined): Promise<EventBus> {
  const ref = ownBus(ctx, given);
  const bus = await ctx.store.eventBuses.getBus(ref.accountId, ref.region, ref.name);
  if (!bus) throw busNotFound(ref.name);
  return bus;
}

interface Statement {
  Sid?: string;
  [k: string]: unknown;
}

function statementsOf(policy: string | undefined): Statement[] {
  if (!policy) return [];
  const p = JSON.parse(policy) as { Statement?: Statement[] };
  return Array.isArray(p.Statement) ? p.Statement : [];
}

const policyOf = (statements: Statement[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

export const busHandlers = {
  CreateEventBus: {
    readOnly: false,
    authorize: (input, ctx) => ({ resource: busArn(ctx.region, ctx.accountId, input.Name ?? ''), keys: tagKeys(input.Tags) }),
    async handler(input, ctx): Promise<Output<'CreateEventBus'>> {
      if (input.EventSourceName !== undefined) throw resourceNotFound(`Event source ${input.EventSourceName} does not exist.`);
      if (input.Name.includes('/')) throw validation("Event bus name must not contain '/'.");
      const tags = checkTags(input.Tags ?? []);
      const arn = busArn(ctx.region, ctx.accountId, input.Name);
      if (await ctx.store.eventBuses.getBus(ctx.accountId, ctx.region, input.Name)) throw alreadyExists(`Event bus ${input.Name} already exists.`);
      if ((await ctx.store.eventBuses.countBuses(ctx.accountId, ctx.region)) >= MAX_BUSES) throw limitExceeded();
      const bus: EventBus = {
        accountId: ctx.accountId,
        region: ctx.region,
        name: input.Name,
        arn,
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        ...(input.KmsKeyIdentifier !== undefined ? { kmsKeyIdentifier: input.KmsKeyIdentifier } : {}),
        ...(input.DeadLetterConfig?.Arn !== undefined ? { deadLetterArn: input.DeadLetterConfig.Arn } : {}),
        createdAt: ctx.now,
        updatedAt: ctx.now,
      };
      if (!(await ctx.store.eventBuses.createBus(bus, tags))) throw alreadyExists(`Event bus ${input.Name} already exists.`);
      return {
        EventBusArn: arn,
        ...(bus.description !== undefined ? { Description: bus.description } : {}),
        ...(bus.kmsKeyIdentifier !== undefined ? { KmsKeyIdentifier: bus.kmsKeyIdentifier } : {}),
        ...(bus.deadLetterArn !== undefined ? { DeadLetterConfig: { Arn: bus.deadLetterArn } } : {}),
      };
    },
  },

  DescribeEventBus: {
    readOnly: true,
    authorize: (input, ctx) => onBus(ctx, input.Name),
    async handler(input, ctx): Promise<Output<'DescribeEventBus'>> {
      const b = await findBus(ctx, input.Name);
      return {
        Name: b.name,
        Arn: b.arn,
        ...(b.description !== undefined ? { Description: b.description } : {}),
        ...(b.kmsKeyIdentifier !== undefined ? { KmsKeyIdentifier: b.kmsKeyIdentifier } : {}),
        ...(b.deadLetterArn !== undefined ? { DeadLetterConfig: { Arn: b.deadLetterArn } } : {}),
        ...(b.policy !== undefined ? { Policy: b.policy } : {}),
        ...time(b.createdAt),
        ...modified(b.updatedAt),
      };
    },
  },

  ListEventBuses: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'ListEventBuses'>> {
      const limit = input.Limit ?? PAGE_SIZE;
      const after = decodeToken('bus', input.NextToken);
      const rows = await ctx.store.eventBuses.listBuses(ctx.accountId, ctx.region, { prefix: input.NamePrefix, after, limit: limit + 1 });
      const p = page(rows, limit, 'bus', (b) => b.name);
      return {
        EventBuses: p.items.map((b) => ({
          Name: b.name,
          Arn: b.arn,
          ...(b.description !== undefined ? { Description: b.description } : {}),
          ...(b.policy !== undefined ? { Policy: b.policy } : {}),
          ...time(b.createdAt),
          ...modified(b.updatedAt),
        })),
        ...(p.next ? { NextToken: p.next } : {}),
      };
    },
  },

  UpdateEventBus: {
    readOnly: false,
    authorize: (input, ctx) => onBus(ctx, input.Name),
    async handler(input, ctx): Promise<Output<'UpdateEventBus'>> {
      const b = await findBus(ctx, input.Name);
      await ctx.store.eventBuses.updateBus(b.accountId, b.region, b.name, {
        ...(input.Description !== undefined ? { description: input.Description || null } : {}),
        ...(input.KmsKeyIdentifier !== undefined ? { kmsKeyIdentifier: input.KmsKeyIdentifier || null } : {}),
        ...(input.DeadLetterConfig !== undefined ? { deadLetterArn: input.DeadLetterConfig.Arn || null } : {}),
        updatedAt: ctx.now,
      });
      const u = await findBus(ctx, b.name);
      return {
        Arn: u.arn,
        Name: u.name,
        ...(u.description !== undefined ? { Description: u.description } : {}),
        ...(u.kmsKeyIdentifier !== undefined ? { KmsKeyIdentifier: u.kmsKeyIdentifier } : {}),
        ...(u.deadLetterArn !== undefined ? { DeadLetterConfig: { Arn: u.deadLetterArn } } : {}),
      };
    },
  },

  DeleteEventBus: {
    readOnly: false,
    authorize: (input, ctx) => onBus(ctx, input.Name),
    async handler(input, ctx): Promise<Output<'DeleteEventBus'>> {
      if (input.Name === 'default') throw validation('Cannot delete event bus default.');
      // deleting a bus that does not exist (of the caller's: another account's ARN names none) succeeds, as on AWS
      const ref = busRef(ctx, input.Name);
      if (ref.name === 'default') throw validation('Cannot delete event bus default.');
      if (ref.accountId === ctx.accountId && ref.region === ctx.region) await ctx.store.eventBuses.deleteBus(ref.accountId, ref.region, ref.name);
      return {};
    },
  },

  PutPermission: {
    readOnly: false,
    authorize: (input, ctx) => onBus(ctx, input.EventBusName),
    async handler(input, ctx): Promise<Output<'PutPermission'>> {
      const b = await findBus(ctx, input.EventBusName);
      let policy: string;
      if (input.Policy !== undefined) {
        // a whole policy replaces the bus's
        let doc: unknown;
        try {
          doc = JSON.parse(input.Policy);
        } catch {
          throw validation('Parameter Policy is not valid.');
        }
        if (!doc || typeof doc !== 'object' || !Array.isArray((doc as { Statement?: unknown }).Statement)) throw validation('Parameter Policy is not valid.');
        policy = input.Policy;
      } else {
        if (input.Action !== 'events:PutEvents') throw validation("Provided value in parameter 'action' is not supported.");
        if (input.Principal === undefined || !/^(\d{12}|\*)$/.test(input.Principal)) throw validation('Parameter Principal is not valid.');
        if (input.StatementId === undefined || !/^[a-zA-Z0-9-_]{1,64}$/.test(input.StatementId)) throw validation('Parameter StatementId is not valid.');
        if (input.Principal === '*' && !input.Condition)
          throw validation('Parameter Condition is not valid. Reason: A Condition is required when the Principal is "*".');
        const statement: Statement = {
          Sid: input.StatementId,
          Effect: 'Allow',
          Principal: input.Principal === '*' ? '*' : { AWS: `arn:aws:iam::${input.Principal}:root` },
          Action: 'events:PutEvents',
          Resource: b.arn,
          ...(input.Condition ? { Condition: { [input.Condition.Type]: { [input.Condition.Key]: input.Condition.Value } } } : {}),
        };
        const rest = statementsOf(b.policy).filter((s) => s.Sid !== input.StatementId);
        policy = policyOf([...rest, statement]);
      }
      if (Buffer.byteLength(policy, 'utf8') > MAX_POLICY_BYTES) throw policyTooLong();
      // a bus policy is a resource policy: IAM's grammar (principals required), as every later call evaluates it
      try {
        parsePolicy(policy, 'resource');
      } catch (e) {
        if (e instanceof PolicyDocumentError) throw validation(`Parameter Policy is not valid. Reason: ${e.message}`);
        throw e;
      }
      await ctx.store.eventBuses.updateBus(b.accountId, b.region, b.name, { policy, updatedAt: ctx.now });
      return {};
    },
  },

  RemovePermission: {
    readOnly: false,
    authorize: (input, ctx) => onBus(ctx, input.EventBusName),
    async handler(input, ctx): Promise<Output<'RemovePermission'>> {
      const b = await findBus(ctx, input.EventBusName);
      if (input.RemoveAllPermissions) {
        await ctx.store.eventBuses.updateBus(b.accountId, b.region, b.name, { policy: null, updatedAt: ctx.now });
        return {};
      }
      if (input.StatementId === undefined) throw validation('Parameter StatementId is not valid.');
      if (!b.policy) throw resourceNotFound('EventBus does not have a policy.');
      const statements = statementsOf(b.policy);
      const rest = statements.filter((s) => s.Sid !== input.StatementId);
      if (rest.length === statements.length) throw resourceNotFound('Statement with the provided id does not exist.');
      await ctx.store.eventBuses.updateBus(b.accountId, b.region, b.name, { policy: rest.length ? policyOf(rest) : null, updatedAt: ctx.now });
      return {};
    },
  },
} satisfies OperationDefs<
  Ops,
  'CreateEventBus' | 'DescribeEventBus' | 'ListEventBuses' | 'UpdateEventBus' | 'DeleteEventBus' | 'PutPermission' | 'RemovePermission'
>;
