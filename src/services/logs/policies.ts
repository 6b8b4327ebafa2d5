/**
 * Account-level resource policies (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutResourcePolicy.html
 * and the pages of DescribeResourcePolicies, DeleteResourcePolicy): what lets AWS services —
 * EventBridge's log-group targets, Route 53 query logging — write to the account's log groups
 * (ingest.ts logGroupAllowsService). At most 10 per Region
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html).
 * Resource-scoped policies (resourceArn) are not served: docs/logs.md#resource-policies.
 */
import type { LogResourcePolicy } from '../../store/types.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import { invalidParameter, limitExceeded, policyNotFound } from './errors.ts';
import type { Operations as Ops, Output, ResourcePolicy } from './model.generated.ts';
import { decodeToken, encodeToken } from './tokens.ts';

export const MAX_POLICIES = 10;
const scopeOf = (ctx: OperationContext) => ({ accountId: ctx.accountId, region: ctx.region });

const policyOut = (p: LogResourcePolicy): ResourcePolicy => ({
  policyName: p.policyName,
  policyDocument: p.policyDocument,
  lastUpdatedTime: p.lastUpdatedTime,
  policyScope: 'ACCOUNT',
});

const isPage = (v: Record<string, unknown>): v is { after: string } => typeof v.after === 'string';

export const policyHandlers = {
  PutResourcePolicy: {
    readOnly: false,
    async handler(input, ctx): Promise<Output<'PutResourcePolicy'>> {
      if (input.resourceArn !== undefined) throw invalidParameter('Resource-scoped policies (resourceArn) are not supported.');
      if (input.policyName === undefined) throw invalidParameter('policyName is required.');
      if (input.policyDocument === undefined) throw invalidParameter('policyDocument is required.');
      try {
        const doc: unknown = JSON.parse(input.policyDocument);
        if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('not an object');
      } catch {
        throw invalidParameter('Policy document is not valid JSON.');
      }
      const scope = scopeOf(ctx);
      const all = await ctx.store.logs.listResourcePolicies(scope);
      if (!all.some((p) => p.policyName === input.policyName) && all.length >= MAX_POLICIES) throw limitExceeded();
      const p = { policyName: input.policyName, policyDocument: input.policyDocument, lastUpdatedTime: ctx.now.getTime() };
      await ctx.store.logs.putResourcePolicy(scope, p);
      return { resourcePolicy: policyOut(p) };
    },
  },
  DescribeResourcePolicies: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'DescribeResourcePolicies'>> {
      const after = input.nextToken !== undefined ? decodeToken(input.nextToken, isPage).after : undefined;
      const limit = input.limit ?? 50;
      const all = (await ctx.store.logs.listResourcePolicies(scopeOf(ctx))).filter((p) => after === undefined || p.policyName > after);
      const page = all.slice(0, limit);
      const last = page[page.length - 1];
      return { resourcePolicies: page.map(policyOut), ...(all.length > limit && last ? { nextToken: encodeToken({ after: last.policyName }) } : {}) };
    },
  },
  DeleteResourcePolicy: {
    readOnly: false,
    async handler(input, ctx): Promise<Output<'DeleteResourcePolicy'>> {
      const name = input.policyName ?? '';
      if (!(await ctx.store.logs.deleteResourcePolicy(scopeOf(ctx), name))) throw policyNotFound(name);
      return {};
    },
  },
} satisfies OperationDefs<Ops, 'PutResourcePolicy' | 'DescribeResourcePolicies' | 'DeleteResourcePolicy'>;
