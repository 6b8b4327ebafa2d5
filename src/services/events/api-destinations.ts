/**
 * API destinations (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateApiDestination.html
 * and the pages of DescribeApiDestination, ListApiDestinations, UpdateApiDestination,
 * DeleteApiDestination): an HTTP endpoint, its method, the connection that authorizes calls to it, and
 * the rate limit (1–300 invocations per second, default 300). The endpoint is HTTPS, as AWS requires
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-api-destinations.html); plain HTTP is
 * let through to loopback hosts only, for local receivers. docs/eventbridge.md#api-destinations.
 */
import type { ApiDestination } from '../../store/types.ts';
import type { AuthorizationContext, OperationContext, OperationDefs } from '../types.ts';
import { destinationArnOf } from './arns.ts';
import { alreadyExists, destinationNotFound, limitExceeded, resourceNotFound, validation } from './errors.ts';
import type { ApiDestinationHttpMethod, ApiDestinationState, Operations as Ops, Output } from './model.generated.ts';
import { decodeToken, page, PAGE_SIZE } from './pagination.ts';

/** API destinations per account and Region (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html). */
export const MAX_API_DESTINATIONS = 3000;
export const DEFAULT_RATE = 300;

async function findDestination(ctx: OperationContext, name: string): Promise<ApiDestination> {
  const d = await ctx.store.eventBuses.getApiDestinationByName(ctx.accountId, ctx.region, name);
  if (!d) throw destinationNotFound(name);
  return d;
}

async function onDestination(ctx: AuthorizationContext, name: string | undefined) {
  const d = name ? await ctx.store.eventBuses.getApiDestinationByName(ctx.accountId, ctx.region, name) : undefined;
  return { resource: d?.arn ?? `arn:aws:events:${ctx.region}:${ctx.accountId}:api-destination/${name ?? ''}` };
}

function checkEndpoint(endpoint: string): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw validation('Parameter InvocationEndpoint is not valid.');
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw validation('Parameter InvocationEndpoint is not valid. Reason: Invocation endpoint must use HTTPS.');
}

async function checkConnection(ctx: OperationContext, arn: string): Promise<void> {
  const c = await ctx.store.eventBuses.getConnection(arn);
  if (!c || c.accountId !== ctx.accountId || c.region !== ctx.region) throw resourceNotFound(`Connection '${arn.split('/')[1] ?? arn}' does not exist.`);
}

const wireState = (s: string) => s as ApiDestinationState;
const wireMethod = (m: string) => m as ApiDestinationHttpMethod;

export const apiDestinationHandlers = {
  CreateApiDestination: {
    readOnly: false,
    authorize: (input, ctx) => onDestination(ctx, input.Name),
    async handler(input, ctx): Promise<Output<'CreateApiDestination'>> {
      checkEndpoint(input.InvocationEndpoint);
      await checkConnection(ctx, input.ConnectionArn);
      if (await ctx.store.eventBuses.getApiDestinationByName(ctx.accountId, ctx.region, input.Name))
        throw alreadyExists(`An api-destination '${input.Name}' already exists.`);
      if ((await ctx.store.eventBuses.countApiDestinations(ctx.accountId, ctx.region)) >= MAX_API_DESTINATIONS) throw limitExceeded();
      const d: ApiDestination = {
        accountId: ctx.accountId,
        region: ctx.region,
        name: input.Name,
        arn: destinationArnOf(ctx, input.Name, ctx.ids.uuid()),
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        connectionArn: input.ConnectionArn,
        invocationEndpoint: input.InvocationEndpoint,
        httpMethod: input.HttpMethod,
        invocationRateLimitPerSecond: input.InvocationRateLimitPerSecond ?? DEFAULT_RATE,
        state: 'ACTIVE',
        createdAt: ctx.now,
        updatedAt: ctx.now,
      };
      if (!(await ctx.store.eventBuses.createApiDestination(d))) throw alreadyExists(`An api-destination '${input.Name}' already exists.`);
      return { ApiDestinationArn: d.arn, ApiDestinationState: wireState(d.state), CreationTime: d.createdAt, LastModifiedTime: d.updatedAt };
    },
  },

  DescribeApiDestination: {
    readOnly: true,
    authorize: (input, ctx) => onDestination(ctx, input.Name),
    async handler(input, ctx): Promise<Output<'DescribeApiDestination'>> {
      const d = await findDestination(ctx, input.Name);
      return {
        ApiDestinationArn: d.arn,
        Name: d.name,
        ...(d.description !== undefined ? { Description: d.description } : {}),
        ApiDestinationState: wireState(d.state),
        ConnectionArn: d.connectionArn,
        InvocationEndpoint: d.invocationEndpoint,
        HttpMethod: wireMethod(d.httpMethod),
        ...(d.invocationRateLimitPerSecond !== undefined ? { InvocationRateLimitPerSecond: d.invocationRateLimitPerSecond } : {}),
        CreationTime: d.createdAt,
        LastModifiedTime: d.updatedAt,
      };
    },
  },

  ListApiDestinations: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'ListApiDestinations'>> {
      const limit = input.Limit ?? PAGE_SIZE;
      const after = decodeToken('api-destination', input.NextToken);
      const rows = await ctx.store.eventBuses.listApiDestinations(ctx.accountId, ctx.region, {
        prefix: input.NamePrefix,
        connectionArn: input.ConnectionArn,
        after,
        limit: limit + 1,
      });
      const p = page(rows, limit, 'api-destination', (d) => d.name);
      return {
        ApiDestinations: p.items.map((d) => ({
          ApiDestinationArn: d.arn,
          Name: d.name,
          ApiDestinationState: wireState(d.state),
          ConnectionArn: d.connectionArn,
          InvocationEndpoint: d.invocationEndpoint,
          HttpMethod: wireMethod(d.httpMethod),
          ...(d.invocationRateLimitPerSecond !== undefined ? { InvocationRateLimitPerSecond: d.invocationRateLimitPerSecond } : {}),
          CreationTime: d.createdAt,
          LastModifiedTime: d.updatedAt,
        })),
        ...(p.next ? { NextToken: p.next } : {}),
      };
    },
  },

  UpdateApiDestination: {
    readOnly: false,
    authorize: (input, ctx) => onDestination(ctx, input.Name),
    async handler(input, ctx): Promise<Output<'UpdateApiDestination'>> {
      const d = await findDestination(ctx, input.Name);
      if (input.InvocationEndpoint !== undefined) checkEndpoint(input.InvocationEndpoint);
      if (input.ConnectionArn !== undefined) await checkConnection(ctx, input.ConnectionArn);
      const u: ApiDestination = {
        ...d,
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        ...(input.ConnectionArn !== undefined ? { connectionArn: input.ConnectionArn } : {}),
        ...(input.InvocationEndpoint !== undefined ? { invocationEndpoint: input.InvocationEndpoint } : {}),
        ...(input.HttpMethod !== undefined ? { httpMethod: input.HttpMethod } : {}),
        ...(input.InvocationRateLimitPerSecond !== undefined ? { invocationRateLimitPerSecond: input.InvocationRateLimitPerSecond } : {}),
        updatedAt: ctx.now,
      };
      await ctx.store.eventBuses.updateApiDestination(u);
      return { ApiDestinationArn: u.arn, ApiDestinationState: wireState(u.state), CreationTime: u.createdAt, LastModifiedTime: u.updatedAt };
    },
  },

  DeleteApiDestination: {
    readOnly: false,
    authorize: (input, ctx) => onDestination(ctx, input.Name),
    async handler(input, ctx): Promise<Output<'DeleteApiDestination'>> {
      const d = await findDestination(ctx, input.Name);
      await ctx.store.eventBuses.deleteApiDestination(d.accountId, d.region, d.name);
      return {};
    },
  },
} satisfies OperationDefs<Ops, 'CreateApiDestination' | 'DescribeApiDestination' | 'ListApiDestinations' | 'UpdateApiDestination' | 'DeleteApiDestination'>;
