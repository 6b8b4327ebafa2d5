/**
 * EventBusStore over Kysely (docs/eventbridge.md): buses, rules, targets, tags, connections and API
 * destinations. What no query filters on is JSON text (`body`); a connection's auth parameters are
 * sealed with the SecretBox. Names order as bytes (SQLite's binary and PostgreSQL's C collation).
 */
import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { DB, Row } from './schema.ts';
import type { SecretBox } from './secret-box.ts';
import type { ApiDestination, Connection, EventBus, EventBusStore, EventRule, EventTarget, NamePage, NewEventRule, RuleState } from './types.ts';

type Db = Kysely<DB> | Transaction<DB>;

const EPOCH = new Date(0);
const defaultBus = (accountId: string, region: string): EventBus => ({
  accountId,
  region,
  name: 'default',
  arn: `arn:aws:events:${region}:${accountId}:event-bus/default`,
  createdAt: EPOCH,
  updatedAt: EPOCH,
});

type BusBody = Pick<EventBus, 'policy' | 'description' | 'kmsKeyIdentifier' | 'deadLetterArn'>;
type RuleBody = Pick<EventRule, 'eventPattern' | 'scheduleExpression' | 'description' | 'roleArn' | 'managedBy' | 'createdBy'>;
type ConnectionBody = Pick<Connection, 'description' | 'authorizationType' | 'stateReason' | 'secretArn'> & { lastAuthorizedAt?: number };
type DestinationBody = Pick<ApiDestination, 'description' | 'invocationEndpoint' | 'httpMethod' | 'invocationRateLimitPerSecond' | 'state'>;

function busOf(r: Row<'eb_buses'>): EventBus {
  const b = JSON.parse(r.body) as BusBody;
  return {
    accountId: r.account_id,
    region: r.region,
    name: r.name,
    arn: r.arn,
    ...b,
    createdAt: new Date(Number(r.created_at)),
    updatedAt: new Date(Number(r.updated_at)),
  };
}

function ruleOf(r: Row<'eb_rules'>, targets: EventTarget[]): EventRule {
  const b = JSON.parse(r.body) as RuleBody;
  return {
    accountId: r.account_id,
    region: r.region,
    busName: r.bus_name,
    name: r.name,
    arn: r.arn,
    state: r.state as RuleState,
    ...b,
    targets,
    createdAt: new Date(Number(r.created_at)),
    updatedAt: new Date(Number(r.updated_at)),
  };
}

/** The four key columns of a rule. */
const ruleKey = (accountId: string, region: string, busName: string, name: string) => (eb: ExpressionBuilder<DB, 'eb_rules'>) =>
  eb.and([eb('account_id', '=', accountId), eb('region', '=', region), eb('bus_name', '=', busName), eb('name', '=', name)]);

/** A prefix is a range of names (no LIKE: `_` is legal in names). */
const PREFIX_END = '\u{10ffff}';

/** Only the members that are set: undefined members are not stored as null. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export class KyselyEventBusStore implements EventBusStore {
  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
  ) {}

  // ---- buses

  async createBus(bus: EventBus, tags: Record<string, string>): Promise<boolean> {
    const body: BusBody = defined({
      policy: bus.policy,
      description: bus.description,
      kmsKeyIdentifier: bus.kmsKeyIdentifier,
      deadLetterArn: bus.deadLetterArn,
    });
    const r = await this.db
      .insertInto('eb_buses')
      .values({
        account_id: bus.accountId,
        region: bus.region,
        name: bus.name,
        arn: bus.arn,
        body: JSON.stringify(body),
        created_at: bus.createdAt.getTime(),
        updated_at: bus.updatedAt.getTime(),
      })
      .onConflict((oc) => oc.columns(['account_id', 'region', 'name']).doNothing())
      .executeTakeFirst();
    const created = Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    if (created && Object.keys(tags).length) await this.tag(bus.accountId, bus.arn, tags);
    return created;
  }

  async getBus(accountId: string, region: string, name: string): Promise<EventBus | undefined> {
    const r = await this.db
      .selectFrom('eb_buses')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('name', '=', name)
      .executeTakeFirst();
    if (r) return busOf(r);
    return name === 'default' ? defaultBus(accountId, region) : undefined;
  }

  async listBuses(accountId: string, region: string, page: NamePage): Promise<EventBus[]> {
    let q = this.db.selectFrom('eb_buses').selectAll().where('account_id', '=', accountId).where('region', '=', region);
    if (page.prefix) q = q.where('name', '>=', page.prefix).where('name', '<', `${page.prefix}${PREFIX_END}`);
    if (page.after !== undefined) q = q.where('name', '>', page.after);
    const buses = (await q.orderBy('name').limit(page.limit).execute()).map(busOf).filter((b) => !page.prefix || b.name.startsWith(page.prefix));
    // `default` has no row until it is changed: place the made-up one where its name sorts
    const fits = (!page.prefix || 'default'.startsWith(page.prefix)) && (page.after === undefined || 'default' > page.after);
    if (fits && !buses.some((b) => b.name === 'default')) {
      buses.push(defaultBus(accountId, region));
      buses.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    }
    return buses.slice(0, page.limit);
  }

  async countBuses(accountId: string, region: string): Promise<number> {
    const r = await this.db
      .selectFrom('eb_buses')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('name', '!=', 'default')
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async updateBus(
    accountId: string,
    region: string,
    name: string,
    patch: { policy?: string | null; description?: string | null; kmsKeyIdentifier?: string | null; deadLetterArn?: string | null; updatedAt: Date },
  ): Promise<void> {
    const bus = await this.getBus(accountId, region, name);
    if (!bus) return;
    const body: Record<string, unknown> = {
      policy: bus.policy,
      description: bus.description,
      kmsKeyIdentifier: bus.kmsKeyIdentifier,
      deadLetterArn: bus.deadLetterArn,
    };
    for (const k of ['policy', 'description', 'kmsKeyIdentifier', 'deadLetterArn'] as const) {
      const v = patch[k];
      if (v === null) delete body[k];
      else if (v !== undefined) body[k] = v;
    }
    const text = JSON.stringify(defined(body));
    if (name === 'default' && bus.createdAt.getTime() === 0) {
      // first change of the default bus: store its row
      await this.db
        .insertInto('eb_buses')
        .values({ account_id: accountId, region, name, arn: bus.arn, body: text, created_at: patch.updatedAt.getTime(), updated_at: patch.updatedAt.getTime() })
        .onConflict((oc) => oc.columns(['account_id', 'region', 'name']).doUpdateSet({ body: text, updated_at: patch.updatedAt.getTime() }))
        .execute();
      return;
    }
    await this.db
      .updateTable('eb_buses')
      .set({ body: text, updated_at: patch.updatedAt.getTime() })
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('name', '=', name)
      .execute();
  }

  async deleteBus(accountId: string, region: string, name: string): Promise<void> {
    const rules = await this.db
      .selectFrom('eb_rules')
      .select('arn')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('bus_name', '=', name)
      .execute();
    const bus = await this.getBus(accountId, region, name);
    const arns = [...rules.map((r) => r.arn), ...(bus ? [bus.arn] : [])];
    if (arns.length) await this.db.deleteFrom('eb_tags').where('arn', 'in', arns).execute();
    await this.db.deleteFrom('eb_targets').where('account_id', '=', accountId).where('region', '=', region).where('bus_name', '=', name).execute();
    await this.db.deleteFrom('eb_rules').where('account_id', '=', accountId).where('region', '=', region).where('bus_name', '=', name).execute();
    await this.db.deleteFrom('eb_buses').where('account_id', '=', accountId).where('region', '=', region).where('name', '=', name).execute();
  }

  // ---- rules and targets

  async putRule(rule: NewEventRule): Promise<boolean> {
    const body: RuleBody = defined({
      eventPattern: rule.eventPattern,
      scheduleExpression: rule.scheduleExpression,
      description: rule.description,
      roleArn: rule.roleArn,
      managedBy: rule.managedBy,
      createdBy: rule.createdBy,
    });
    const existing = await this.ruleRow(rule.accountId, rule.region, rule.busName, rule.name);
    const values = {
      arn: rule.arn,
      state: rule.state,
      schedule: rule.scheduleExpression ?? null,
      body: JSON.stringify(body),
      updated_at: rule.updatedAt.getTime(),
    };
    if (existing) {
      await this.db
        .updateTable('eb_rules')
        .set(values)
        .where(ruleKey(rule.accountId, rule.region, rule.busName, rule.name))
        .execute();
      return false;
    }
    await this.db
      .insertInto('eb_rules')
      .values({ account_id: rule.accountId, region: rule.region, bus_name: rule.busName, name: rule.name, ...values, created_at: rule.createdAt.getTime() })
      .execute();
    return true;
  }

  async getRule(accountId: string, region: string, busName: string, name: string): Promise<EventRule | undefined> {
    const r = await this.ruleRow(accountId, region, busName, name);
    return r && ruleOf(r, await this.targetsOf(accountId, region, busName, [name]).then((m) => m.get(name) ?? []));
  }

  async listRules(accountId: string, region: string, busName: string, page: NamePage): Promise<EventRule[]> {
    let q = this.db.selectFrom('eb_rules').selectAll().where('account_id', '=', accountId).where('region', '=', region).where('bus_name', '=', busName);
    if (page.prefix) q = q.where('name', '>=', page.prefix).where('name', '<', `${page.prefix}${PREFIX_END}`);
    if (page.after !== undefined) q = q.where('name', '>', page.after);
    const rows = (await q.orderBy('name').limit(page.limit).execute()).filter((r) => !page.prefix || r.name.startsWith(page.prefix));
    return this.withTargets(rows);
  }

  async countRules(accountId: string, region: string, busName: string): Promise<number> {
    const r = await this.db
      .selectFrom('eb_rules')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('bus_name', '=', busName)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async setRuleState(accountId: string, region: string, busName: string, name: string, state: RuleState, updatedAt: Date): Promise<void> {
    await this.db
      .updateTable('eb_rules')
      .set({ state, updated_at: updatedAt.getTime() })
      .where(ruleKey(accountId, region, busName, name))
      .execute();
  }

  async deleteRule(accountId: string, region: string, busName: string, name: string): Promise<void> {
    const r = await this.ruleRow(accountId, region, busName, name);
    if (!r) return;
    await this.db.deleteFrom('eb_tags').where('arn', '=', r.arn).execute();
    await this.db
      .deleteFrom('eb_targets')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('bus_name', '=', busName)
      .where('rule_name', '=', name)
      .execute();
    await this.db
      .deleteFrom('eb_rules')
      .where(ruleKey(accountId, region, busName, name))
      .execute();
  }

  async rulesOfBus(accountId: string, region: string, busName: string): Promise<EventRule[]> {
    const rows = await this.db
      .selectFrom('eb_rules')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('bus_name', '=', busName)
      .orderBy('name')
      .execute();
    return this.withTargets(rows);
  }

  async scheduledRules(): Promise<EventRule[]> {
    const rows = await this.db
      .selectFrom('eb_rules')
      .selectAll()
      .where('schedule', 'is not', null)
      .orderBy('account_id')
      .orderBy('region')
      .orderBy('bus_name')
      .orderBy('name')
      .execute();
    const out: EventRule[] = [];
    for (const r of rows) {
      const t = await this.targetsOf(r.account_id, r.region, r.bus_name, [r.name]);
      out.push(ruleOf(r, t.get(r.name) ?? []));
    }
    return out;
  }

  async putTargets(accountId: string, region: string, busName: string, ruleName: string, targets: EventTarget[]): Promise<void> {
    for (const t of targets) {
      const body = JSON.stringify(t);
      await this.db
        .insertInto('eb_targets')
        .values({ account_id: accountId, region, bus_name: busName, rule_name: ruleName, id: t.id, arn: t.arn, body })
        .onConflict((oc) => oc.columns(['account_id', 'region', 'bus_name', 'rule_name', 'id']).doUpdateSet({ arn: t.arn, body }))
        .execute();
    }
  }

  async removeTargets(accountId: string, region: string, busName: string, ruleName: string, ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.db
      .deleteFrom('eb_targets')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('bus_name', '=', busName)
      .where('rule_name', '=', ruleName)
      .where('id', 'in', ids)
      .execute();
  }

  async ruleNamesByTarget(accountId: string, region: string, busName: string, targetArn: string, page: NamePage): Promise<string[]> {
    let q = this.db
      .selectFrom('eb_targets')
      .select('rule_name')
      .distinct()
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('bus_name', '=', busName)
      .where('arn', '=', targetArn);
    if (page.after !== undefined) q = q.where('rule_name', '>', page.after);
    return (await q.orderBy('rule_name').limit(page.limit).execute()).map((r) => r.rule_name);
  }

  private ruleRow(accountId: string, region: string, busName: string, name: string): Promise<Row<'eb_rules'> | undefined> {
    return this.db
      .selectFrom('eb_rules')
      .selectAll()
      .where(ruleKey(accountId, region, busName, name))
      .executeTakeFirst();
  }

  private async targetsOf(accountId: string, region: string, busName: string, ruleNames: string[]): Promise<Map<string, EventTarget[]>> {
    const m = new Map<string, EventTarget[]>();
    if (!ruleNames.length) return m;
    const rows = await this.db
      .selectFrom('eb_targets')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('bus_name', '=', busName)
      .where('rule_name', 'in', ruleNames)
      .orderBy('rule_name')
      .orderBy('id')
      .execute();
    for (const r of rows) {
      const list = m.get(r.rule_name) ?? [];
      list.push(JSON.parse(r.body) as EventTarget);
      m.set(r.rule_name, list);
    }
    return m;
  }

  private async withTargets(rows: Row<'eb_rules'>[]): Promise<EventRule[]> {
    const first = rows[0];
    if (!first) return [];
    const t = await this.targetsOf(
      first.account_id,
      first.region,
      first.bus_name,
      rows.map((r) => r.name),
    );
    return rows.map((r) => ruleOf(r, t.get(r.name) ?? []));
  }

  // ---- tags

  async tagsOf(arn: string): Promise<Record<string, string>> {
    const rows = await this.db.selectFrom('eb_tags').select(['key', 'value']).where('arn', '=', arn).orderBy('key').execute();
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  async tag(accountId: string, arn: string, tags: Record<string, string>): Promise<void> {
    for (const [key, value] of Object.entries(tags)) {
      await this.db
        .insertInto('eb_tags')
        .values({ arn, key, account_id: accountId, value })
        .onConflict((oc) => oc.columns(['arn', 'key']).doUpdateSet({ value }))
        .execute();
    }
  }

  async untag(arn: string, keys: string[]): Promise<void> {
    if (keys.length) await this.db.deleteFrom('eb_tags').where('arn', '=', arn).where('key', 'in', keys).execute();
  }

  // ---- connections

  private connectionOf(r: Row<'eb_connections'>): Connection {
    const b = JSON.parse(r.body) as ConnectionBody;
    const { lastAuthorizedAt, ...rest } = b;
    return {
      accountId: r.account_id,
      region: r.region,
      name: r.name,
      arn: r.arn,
      state: r.state,
      ...rest,
      authParameters: JSON.parse(this.box.open(r.auth_sealed)) as Record<string, unknown>,
      createdAt: new Date(Number(r.created_at)),
      updatedAt: new Date(Number(r.updated_at)),
      ...(lastAuthorizedAt !== undefined ? { lastAuthorizedAt: new Date(lastAuthorizedAt) } : {}),
    };
  }

  private connectionRow(c: Connection) {
    const body: ConnectionBody = defined({
      description: c.description,
      authorizationType: c.authorizationType,
      stateReason: c.stateReason,
      secretArn: c.secretArn,
      lastAuthorizedAt: c.lastAuthorizedAt?.getTime(),
    });
    return {
      arn: c.arn,
      state: c.state,
      body: JSON.stringify(body),
      auth_sealed: this.box.seal(JSON.stringify(c.authParameters)),
      updated_at: c.updatedAt.getTime(),
    };
  }

  async createConnection(c: Connection): Promise<boolean> {
    const r = await this.db
      .insertInto('eb_connections')
      .values({ account_id: c.accountId, region: c.region, name: c.name, ...this.connectionRow(c), created_at: c.createdAt.getTime() })
      .onConflict((oc) => oc.columns(['account_id', 'region', 'name']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async getConnection(arn: string): Promise<Connection | undefined> {
    const r = await this.db.selectFrom('eb_connections').selectAll().where('arn', '=', arn).executeTakeFirst();
    return r && this.connectionOf(r);
  }

  async getConnectionByName(accountId: string, region: string, name: string): Promise<Connection | undefined> {
    const r = await this.db
      .selectFrom('eb_connections')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('name', '=', name)
      .executeTakeFirst();
    return r && this.connectionOf(r);
  }

  async listConnections(accountId: string, region: string, page: NamePage & { state?: string }): Promise<Connection[]> {
    let q = this.db.selectFrom('eb_connections').selectAll().where('account_id', '=', accountId).where('region', '=', region);
    if (page.prefix) q = q.where('name', '>=', page.prefix).where('name', '<', `${page.prefix}${PREFIX_END}`);
    if (page.state) q = q.where('state', '=', page.state);
    if (page.after !== undefined) q = q.where('name', '>', page.after);
    return (await q.orderBy('name').limit(page.limit).execute()).filter((r) => !page.prefix || r.name.startsWith(page.prefix)).map((r) => this.connectionOf(r));
  }

  async countConnections(accountId: string, region: string): Promise<number> {
    const r = await this.db
      .selectFrom('eb_connections')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async updateConnection(c: Connection): Promise<void> {
    await this.db
      .updateTable('eb_connections')
      .set(this.connectionRow(c))
      .where('account_id', '=', c.accountId)
      .where('region', '=', c.region)
      .where('name', '=', c.name)
      .execute();
  }

  async deleteConnection(accountId: string, region: string, name: string): Promise<void> {
    await this.db.deleteFrom('eb_connections').where('account_id', '=', accountId).where('region', '=', region).where('name', '=', name).execute();
  }

  // ---- API destinations

  async createApiDestination(d: ApiDestination): Promise<boolean> {
    const r = await this.db
      .insertInto('eb_api_destinations')
      .values({ account_id: d.accountId, region: d.region, name: d.name, ...destinationRow(d), created_at: d.createdAt.getTime() })
      .onConflict((oc) => oc.columns(['account_id', 'region', 'name']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async getApiDestination(arn: string): Promise<ApiDestination | undefined> {
    const r = await this.db.selectFrom('eb_api_destinations').selectAll().where('arn', '=', arn).executeTakeFirst();
    return r && destinationOf(r);
  }

  async getApiDestinationByName(accountId: string, region: string, name: string): Promise<ApiDestination | undefined> {
    const r = await this.db
      .selectFrom('eb_api_destinations')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('name', '=', name)
      .executeTakeFirst();
    return r && destinationOf(r);
  }

  async listApiDestinations(accountId: string, region: string, page: NamePage & { connectionArn?: string }): Promise<ApiDestination[]> {
    let q = this.db.selectFrom('eb_api_destinations').selectAll().where('account_id', '=', accountId).where('region', '=', region);
    if (page.prefix) q = q.where('name', '>=', page.prefix).where('name', '<', `${page.prefix}${PREFIX_END}`);
    if (page.connectionArn) q = q.where('connection_arn', '=', page.connectionArn);
    if (page.after !== undefined) q = q.where('name', '>', page.after);
    return (await q.orderBy('name').limit(page.limit).execute()).filter((r) => !page.prefix || r.name.startsWith(page.prefix)).map(destinationOf);
  }

  async countApiDestinations(accountId: string, region: string): Promise<number> {
    const r = await this.db
      .selectFrom('eb_api_destinations')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async updateApiDestination(d: ApiDestination): Promise<void> {
    await this.db
      .updateTable('eb_api_destinations')
      .set(destinationRow(d))
      .where('account_id', '=', d.accountId)
      .where('region', '=', d.region)
      .where('name', '=', d.name)
      .execute();
  }

  async deleteApiDestination(accountId: string, region: string, name: string): Promise<void> {
    await this.db.deleteFrom('eb_api_destinations').where('account_id', '=', accountId).where('region', '=', region).where('name', '=', name).execute();
  }
}

function destinationRow(d: ApiDestination) {
  const body: DestinationBody = defined({
    description: d.description,
    invocationEndpoint: d.invocationEndpoint,
    httpMethod: d.httpMethod,
    invocationRateLimitPerSecond: d.invocationRateLimitPerSecond,
    state: d.state,
  });
  return { arn: d.arn, connection_arn: d.connectionArn, body: JSON.stringify(body), updated_at: d.updatedAt.getTime() };
}

function destinationOf(r: Row<'eb_api_destinations'>): ApiDestination {
  const b = JSON.parse(r.body) as DestinationBody;
  return {
    accountId: r.account_id,
    region: r.region,
    name: r.name,
    arn: r.arn,
    connectionArn: r.connection_arn,
    ...b,
    createdAt: new Date(Number(r.created_at)),
    updatedAt: new Date(Number(r.updated_at)),
  };
}
