/**
 * Connections (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateConnection.html
 * and the pages of DescribeConnection, ListConnections, UpdateConnection, DeleteConnection,
 * DeauthorizeConnection): the authorization an API destination sends with. The secrets (API key
 * value, password, client secret, secret-valued HTTP parameters) are kept sealed at rest (the store's
 * secret box, as AWS keeps them in a Secrets Manager secret) and never answered: DescribeConnection
 * shows the names only. API_KEY and BASIC connections are AUTHORIZED at once; an OAuth connection is
 * AUTHORIZED too, its token fetched when an event is sent (docs/eventbridge-delivery.md).
 * DeauthorizeConnection clears the secrets and leaves the connection DEAUTHORIZED until an update
 * gives new ones. docs/eventbridge.md#connections.
 */
import type { Connection } from '../../store/types.ts';
import type { AuthorizationContext, OperationContext, OperationDefs } from '../types.ts';
import { connectionArnOf } from './arns.ts';
import { alreadyExists, connectionNotFound, limitExceeded, validation } from './errors.ts';
import type { ConnectionAuthResponseParameters, ConnectionHttpParameters, ConnectionState, Operations as Ops, Output } from './model.generated.ts';
import { decodeToken, page, PAGE_SIZE } from './pagination.ts';

/** Connections per account and Region (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html). */
export const MAX_CONNECTIONS = 50;

type Params = Record<string, unknown>;

export async function findConnection(ctx: OperationContext, name: string): Promise<Connection> {
  const c = await ctx.store.eventBuses.getConnectionByName(ctx.accountId, ctx.region, name);
  if (!c) throw connectionNotFound(name);
  return c;
}

/** The IAM resource: the stored ARN, or `connection/<name>` before it exists. */
async function onConnection(ctx: AuthorizationContext, name: string | undefined) {
  const c = name ? await ctx.store.eventBuses.getConnectionByName(ctx.accountId, ctx.region, name) : undefined;
  return { resource: c?.arn ?? `arn:aws:events:${ctx.region}:${ctx.accountId}:connection/${name ?? ''}` };
}

const MEMBER: Record<Connection['authorizationType'], string> = {
  API_KEY: 'ApiKeyAuthParameters',
  BASIC: 'BasicAuthParameters',
  OAUTH_CLIENT_CREDENTIALS: 'OAuthParameters',
};

/** The auth parameters must be those of the authorization type (the CreateConnection page). */
function checkAuth(type: Connection['authorizationType'], params: Params): void {
  const wanted = MEMBER[type];
  if (params[wanted] === undefined) throw validation(`Parameter(s) ${wanted} must be specified for the authorization type ${type}.`);
  for (const m of Object.values(MEMBER))
    if (m !== wanted && params[m] !== undefined) throw validation(`Parameter(s) ${m} cannot be specified for the authorization type ${type}.`);
}

/** HTTP parameters without the values marked secret. */
function publicHttp(p: ConnectionHttpParameters | undefined): ConnectionHttpParameters | undefined {
  if (!p) return undefined;
  const strip = <T extends { Key?: string; Value?: string; IsValueSecret?: boolean }>(xs: T[] | undefined) =>
    xs?.map((x) => (x.IsValueSecret ? { Key: x.Key, IsValueSecret: true } : x));
  return {
    ...(p.HeaderParameters ? { HeaderParameters: strip(p.HeaderParameters) } : {}),
    ...(p.QueryStringParameters ? { QueryStringParameters: strip(p.QueryStringParameters) } : {}),
    ...(p.BodyParameters ? { BodyParameters: strip(p.BodyParameters) } : {}),
  };
}

/** What DescribeConnection shows of the auth parameters: no secret. */
function publicAuth(params: Params): ConnectionAuthResponseParameters {
  const a = params.ApiKeyAuthParameters as { ApiKeyName?: string } | undefined;
  const b = params.BasicAuthParameters as { Username?: string } | undefined;
  const o = params.OAuthParameters as
    | {
        ClientParameters?: { ClientID?: string };
        AuthorizationEndpoint?: string;
        HttpMethod?: 'GET' | 'POST' | 'PUT';
        OAuthHttpParameters?: ConnectionHttpParameters;
      }
    | undefined;
  const http = publicHttp(params.InvocationHttpParameters as ConnectionHttpParameters | undefined);
  return {
    ...(a ? { ApiKeyAuthParameters: { ApiKeyName: a.ApiKeyName } } : {}),
    ...(b ? { BasicAuthParameters: { Username: b.Username } } : {}),
    ...(o
      ? {
          OAuthParameters: {
            ClientParameters: { ClientID: o.ClientParameters?.ClientID },
            AuthorizationEndpoint: o.AuthorizationEndpoint,
            HttpMethod: o.HttpMethod,
            ...(o.OAuthHttpParameters ? { OAuthHttpParameters: publicHttp(o.OAuthHttpParameters) } : {}),
          },
        }
      : {}),
    ...(http ? { InvocationHttpParameters: http } : {}),
  };
}

/** `over` merged into `base`, member by member (UpdateConnection changes only what it names). */
function merge(base: Params, over: Params): Params {
  const out: Params = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b) ? merge(b as Params, v as Params) : v;
  }
  return out;
}

/** The parameters with their secret members removed (DeauthorizeConnection). */
function withoutSecrets(params: Params): Params {
  const drop = new Set(['ApiKeyValue', 'Password', 'ClientSecret']);
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => !drop.has(k))
        .map(([k, x]) => [k, walk(x)]),
    );
  };
  return walk(params) as Params;
}

const times = (c: Connection) => ({
  CreationTime: c.createdAt,
  LastModifiedTime: c.updatedAt,
  ...(c.lastAuthorizedAt ? { LastAuthorizedTime: c.lastAuthorizedAt } : {}),
});

const state = (s: string) => s as ConnectionState;

export const connectionHandlers = {
  CreateConnection: {
    readOnly: false,
    authorize: (input, ctx) => onConnection(ctx, input.Name),
    async handler(input, ctx): Promise<Output<'CreateConnection'>> {
      const params = JSON.parse(JSON.stringify(input.AuthParameters)) as Params;
      checkAuth(input.AuthorizationType, params);
      if (await ctx.store.eventBuses.getConnectionByName(ctx.accountId, ctx.region, input.Name))
        throw alreadyExists(`Connection ${input.Name} already exists.`);
      if ((await ctx.store.eventBuses.countConnections(ctx.accountId, ctx.region)) >= MAX_CONNECTIONS) throw limitExceeded();
      const uuid = ctx.ids.uuid();
      const c: Connection = {
        accountId: ctx.accountId,
        region: ctx.region,
        name: input.Name,
        arn: connectionArnOf(ctx, input.Name, uuid),
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        authorizationType: input.AuthorizationType,
        state: 'AUTHORIZED',
        // the secret AWS would keep the credentials in (DescribeConnection's SecretArn)
        secretArn: `arn:aws:secretsmanager:${ctx.region}:${ctx.accountId}:secret:events!connection/${input.Name}/${uuid}`,
        authParameters: params,
        createdAt: ctx.now,
        updatedAt: ctx.now,
        lastAuthorizedAt: ctx.now,
      };
      if (!(await ctx.store.eventBuses.createConnection(c))) throw alreadyExists(`Connection ${input.Name} already exists.`);
      return { ConnectionArn: c.arn, ConnectionState: state(c.state), CreationTime: c.createdAt, LastModifiedTime: c.updatedAt };
    },
  },

  DescribeConnection: {
    readOnly: true,
    authorize: (input, ctx) => onConnection(ctx, input.Name),
    async handler(input, ctx): Promise<Output<'DescribeConnection'>> {
      const c = await findConnection(ctx, input.Name);
      return {
        ConnectionArn: c.arn,
        Name: c.name,
        ...(c.description !== undefined ? { Description: c.description } : {}),
        ConnectionState: state(c.state),
        ...(c.stateReason !== undefined ? { StateReason: c.stateReason } : {}),
        AuthorizationType: c.authorizationType,
        SecretArn: c.secretArn,
        AuthParameters: publicAuth(c.authParameters),
        ...times(c),
      };
    },
  },

  ListConnections: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'ListConnections'>> {
      const limit = input.Limit ?? PAGE_SIZE;
      const after = decodeToken('connection', input.NextToken);
      const rows = await ctx.store.eventBuses.listConnections(ctx.accountId, ctx.region, {
        prefix: input.NamePrefix,
        state: input.ConnectionState,
        after,
        limit: limit + 1,
      });
      const p = page(rows, limit, 'connection', (c) => c.name);
      return {
        Connections: p.items.map((c) => ({
          ConnectionArn: c.arn,
          Name: c.name,
          ConnectionState: state(c.state),
          ...(c.stateReason !== undefined ? { StateReason: c.stateReason } : {}),
          AuthorizationType: c.authorizationType,
          ...times(c),
        })),
        ...(p.next ? { NextToken: p.next } : {}),
      };
    },
  },

  UpdateConnection: {
    readOnly: false,
    authorize: (input, ctx) => onConnection(ctx, input.Name),
    async handler(input, ctx): Promise<Output<'UpdateConnection'>> {
      const c = await findConnection(ctx, input.Name);
      const type = input.AuthorizationType ?? c.authorizationType;
      const given = input.AuthParameters ? (JSON.parse(JSON.stringify(input.AuthParameters)) as Params) : {};
      // a new authorization type starts from its own parameters, not the old type's
      const base = type === c.authorizationType ? c.authParameters : {};
      const params = merge(base, given);
      checkAuth(type, params);
      const u: Connection = {
        ...c,
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        authorizationType: type,
        authParameters: params,
        state: 'AUTHORIZED',
        updatedAt: ctx.now,
        lastAuthorizedAt: ctx.now,
      };
      await ctx.store.eventBuses.updateConnection(u);
      return { ConnectionArn: u.arn, ConnectionState: state(u.state), ...times(u) };
    },
  },

  DeleteConnection: {
    readOnly: false,
    authorize: (input, ctx) => onConnection(ctx, input.Name),
    async handler(input, ctx): Promise<Output<'DeleteConnection'>> {
      const c = await findConnection(ctx, input.Name);
      await ctx.store.eventBuses.deleteConnection(c.accountId, c.region, c.name);
      return { ConnectionArn: c.arn, ConnectionState: 'DELETING', ...times(c) };
    },
  },

  DeauthorizeConnection: {
    readOnly: false,
    authorize: (input, ctx) => onConnection(ctx, input.Name),
    async handler(input, ctx): Promise<Output<'DeauthorizeConnection'>> {
      const c = await findConnection(ctx, input.Name);
      const u: Connection = { ...c, authParameters: withoutSecrets(c.authParameters), state: 'DEAUTHORIZED', updatedAt: ctx.now };
      await ctx.store.eventBuses.updateConnection(u);
      return { ConnectionArn: u.arn, ConnectionState: 'DEAUTHORIZING', ...times(u) };
    },
  },
} satisfies OperationDefs<
  Ops,
  'CreateConnection' | 'DescribeConnection' | 'ListConnections' | 'UpdateConnection' | 'DeleteConnection' | 'DeauthorizeConnection'
>;
