/**
 * EventBusStore conformance (store/contracts/event-buses.ts, docs/eventbridge.md): the default bus
 * that exists without a row, buses / rules / connections / API destinations by name with prefix and
 * paging, rules keeping their targets across PutRule, deletes that take dependants (targets, tags)
 * with them, scheduled rules across accounts, connection secrets sealed at rest.
 */
import assert from 'node:assert/strict';
import type { ApiDestination, Connection, EventBus, EventTarget, NewEventRule } from '../types.ts';
import { at, storeTest, T0, type Suite } from './harness.ts';

const A = '000000000000';
const R = 'us-east-1';
const bus = (name: string, over: Partial<EventBus> = {}): EventBus => ({
  accountId: A,
  region: R,
  name,
  arn: `arn:aws:events:${R}:${A}:event-bus/${name}`,
  createdAt: T0,
  updatedAt: T0,
  ...over,
});
const rule = (busName: string, name: string, over: Partial<NewEventRule> = {}): NewEventRule => ({
  accountId: A,
  region: R,
  busName,
  name,
  arn: `arn:aws:events:${R}:${A}:rule/${busName === 'default' ? '' : `${busName}/`}${name}`,
  eventPattern: '{"source":["a"]}',
  state: 'ENABLED',
  createdBy: A,
  createdAt: T0,
  updatedAt: T0,
  ...over,
});
const target = (id: string, arn = `arn:aws:sqs:${R}:${A}:q`): EventTarget => ({ id, arn, input: '{"x":1}', wire: { Id: id, Arn: arn, Input: '{"x":1}' } });
const connection = (name: string, over: Partial<Connection> = {}): Connection => ({
  accountId: A,
  region: R,
  name,
  arn: `arn:aws:events:${R}:${A}:connection/${name}/11111111-2222-3333-4444-555555555555`,
  authorizationType: 'API_KEY',
  state: 'AUTHORIZED',
  secretArn: `arn:aws:secretsmanager:${R}:${A}:secret:events!connection/${name}/x`,
  authParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'very-secret-value' } },
  createdAt: T0,
  updatedAt: T0,
  ...over,
});
const destination = (name: string, connectionArn: string): ApiDestination => ({
  accountId: A,
  region: R,
  name,
  arn: `arn:aws:events:${R}:${A}:api-destination/${name}/abc`,
  connectionArn,
  invocationEndpoint: 'https://example.com/hook',
  httpMethod: 'POST',
  invocationRateLimitPerSecond: 300,
  state: 'ACTIVE',
  createdAt: T0,
  updatedAt: T0,
});

export function runEventBusConformance(suite: Suite): void {
  storeTest(suite, 'buses: default exists without a row; create once; list by name with prefix and paging; update; delete', async (s) => {
    const d = await s.eventBuses.getBus(A, R, 'default');
    assert.equal(d?.arn, `arn:aws:events:${R}:${A}:event-bus/default`);
    assert.equal(await s.eventBuses.getBus(A, 'eu-west-1', 'nope'), undefined);
    assert.equal(await s.eventBuses.createBus(bus('orders', { description: 'd' }), { team: 'x' }), true);
    assert.equal(await s.eventBuses.createBus(bus('orders'), {}), false);
    assert.equal(await s.eventBuses.createBus(bus('alpha'), {}), true);
    assert.equal((await s.eventBuses.getBus(A, R, 'orders'))?.description, 'd');
    assert.deepEqual(await s.eventBuses.tagsOf(bus('orders').arn), { team: 'x' });
    assert.equal(await s.eventBuses.countBuses(A, R), 2);
    const names = async (p: { prefix?: string; after?: string; limit: number }) => (await s.eventBuses.listBuses(A, R, p)).map((b) => b.name);
    assert.deepEqual(await names({ limit: 10 }), ['alpha', 'default', 'orders']);
    assert.deepEqual(await names({ limit: 2 }), ['alpha', 'default']);
    assert.deepEqual(await names({ after: 'default', limit: 2 }), ['orders']);
    assert.deepEqual(await names({ prefix: 'd', limit: 10 }), ['default']);
    assert.deepEqual(await names({ prefix: 'or', limit: 10 }), ['orders']);
    assert.deepEqual(
      (await s.eventBuses.listBuses(A, 'eu-west-1', { limit: 10 })).map((b) => b.name),
      ['default'],
    );

    await s.eventBuses.updateBus(A, R, 'default', { policy: '{"Version":"2012-10-17"}', updatedAt: at('2026-01-02T00:00:00Z') });
    const d2 = await s.eventBuses.getBus(A, R, 'default');
    assert.equal(d2?.policy, '{"Version":"2012-10-17"}');
    assert.deepEqual(await names({ limit: 10 }), ['alpha', 'default', 'orders']);
    await s.eventBuses.updateBus(A, R, 'default', { policy: null, updatedAt: at('2026-01-03T00:00:00Z') });
    assert.equal((await s.eventBuses.getBus(A, R, 'default'))?.policy, undefined);
    await s.eventBuses.updateBus(A, R, 'orders', { description: null, updatedAt: at('2026-01-03T00:00:00Z') });
    const o = await s.eventBuses.getBus(A, R, 'orders');
    assert.equal(o?.description, undefined);
    assert.equal(o?.updatedAt.toISOString(), '2026-01-03T00:00:00.000Z');

    await s.eventBuses.putRule(rule('orders', 'r1'));
    await s.eventBuses.putTargets(A, R, 'orders', 'r1', [target('t1')]);
    await s.eventBuses.tag(A, rule('orders', 'r1').arn, { k: 'v' });
    await s.eventBuses.deleteBus(A, R, 'orders');
    assert.equal(await s.eventBuses.getBus(A, R, 'orders'), undefined);
    assert.equal(await s.eventBuses.getRule(A, R, 'orders', 'r1'), undefined);
    assert.deepEqual(await s.eventBuses.tagsOf(rule('orders', 'r1').arn), {});
    assert.deepEqual(await s.eventBuses.tagsOf(bus('orders').arn), {});
    assert.deepEqual(await s.eventBuses.ruleNamesByTarget(A, R, 'orders', target('t1').arn, { limit: 10 }), []);
  });

  storeTest(
    suite,
    'rules: put creates then replaces keeping targets and createdAt; list with prefix and paging; state; delete takes targets and tags',
    async (s) => {
      assert.equal(await s.eventBuses.putRule(rule('default', 'b-rule')), true);
      assert.equal(await s.eventBuses.putRule(rule('default', 'a_rule', { scheduleExpression: 'rate(1 minute)', eventPattern: undefined })), true);
      assert.equal(await s.eventBuses.putRule(rule('other', 'b-rule')), true);
      await s.eventBuses.putTargets(A, R, 'default', 'b-rule', [target('t2'), target('t1', 'arn:aws:sns:us-east-1:000000000000:t')]);
      assert.equal(
        await s.eventBuses.putRule(
          rule('default', 'b-rule', { description: 'new', updatedAt: at('2026-02-01T00:00:00Z'), createdAt: at('2027-01-01T00:00:00Z') }),
        ),
        false,
      );
      const r = await s.eventBuses.getRule(A, R, 'default', 'b-rule');
      assert.equal(r?.description, 'new');
      assert.equal(r?.createdAt.toISOString(), T0.toISOString());
      assert.deepEqual(
        r?.targets.map((t) => t.id),
        ['t1', 't2'],
      );
      assert.deepEqual(r?.targets[1]?.wire, { Id: 't2', Arn: `arn:aws:sqs:${R}:${A}:q`, Input: '{"x":1}' });
      assert.equal(await s.eventBuses.countRules(A, R, 'default'), 2);
      const names = async (p: { prefix?: string; after?: string; limit: number }) => (await s.eventBuses.listRules(A, R, 'default', p)).map((x) => x.name);
      assert.deepEqual(await names({ limit: 10 }), ['a_rule', 'b-rule']);
      assert.deepEqual(await names({ limit: 1 }), ['a_rule']);
      assert.deepEqual(await names({ after: 'a_rule', limit: 1 }), ['b-rule']);
      assert.deepEqual(await names({ prefix: 'a_', limit: 10 }), ['a_rule']);
      assert.deepEqual(await names({ prefix: 'a%', limit: 10 }), []);
      assert.deepEqual(
        (await s.eventBuses.rulesOfBus(A, R, 'default')).map((x) => [x.name, x.targets.length]),
        [
          ['a_rule', 0],
          ['b-rule', 2],
        ],
      );
      assert.deepEqual(
        (await s.eventBuses.scheduledRules()).map((x) => [x.busName, x.name, x.scheduleExpression]),
        [['default', 'a_rule', 'rate(1 minute)']],
      );

      await s.eventBuses.setRuleState(A, R, 'default', 'b-rule', 'DISABLED', at('2026-03-01T00:00:00Z'));
      assert.equal((await s.eventBuses.getRule(A, R, 'default', 'b-rule'))?.state, 'DISABLED');

      // targets: replace by id, ruleNamesByTarget, remove ignores absent ids
      await s.eventBuses.putTargets(A, R, 'default', 'a_rule', [target('t9')]);
      await s.eventBuses.putTargets(A, R, 'default', 'b-rule', [
        { ...target('t2', 'arn:aws:sqs:us-east-1:000000000000:q2'), input: undefined, wire: { Id: 't2' } },
      ]);
      assert.deepEqual(await s.eventBuses.ruleNamesByTarget(A, R, 'default', `arn:aws:sqs:${R}:${A}:q`, { limit: 10 }), ['a_rule']);
      assert.deepEqual(await s.eventBuses.ruleNamesByTarget(A, R, 'default', 'arn:aws:sqs:us-east-1:000000000000:q2', { limit: 10 }), ['b-rule']);
      await s.eventBuses.removeTargets(A, R, 'default', 'b-rule', ['t2', 'absent']);
      assert.deepEqual(
        (await s.eventBuses.getRule(A, R, 'default', 'b-rule'))?.targets.map((t) => t.id),
        ['t1'],
      );

      await s.eventBuses.tag(A, rule('default', 'b-rule').arn, { a: '1', b: '2' });
      await s.eventBuses.tag(A, rule('default', 'b-rule').arn, { a: '3' });
      await s.eventBuses.untag(rule('default', 'b-rule').arn, ['b', 'absent']);
      assert.deepEqual(await s.eventBuses.tagsOf(rule('default', 'b-rule').arn), { a: '3' });
      await s.eventBuses.deleteRule(A, R, 'default', 'b-rule');
      assert.equal(await s.eventBuses.getRule(A, R, 'default', 'b-rule'), undefined);
      assert.deepEqual(await s.eventBuses.tagsOf(rule('default', 'b-rule').arn), {});
      assert.ok(await s.eventBuses.getRule(A, R, 'other', 'b-rule'), 'a rule of that name on another bus stays');
      await s.eventBuses.putRule(rule('default', 'b-rule'));
      assert.deepEqual((await s.eventBuses.getRule(A, R, 'default', 'b-rule'))?.targets, [], 'a recreated rule has no targets');
    },
  );

  storeTest(suite, 'connections: auth parameters round-trip through the seal, by name and ARN, list by state, update, delete; API destinations', async (s) => {
    assert.equal(await s.eventBuses.createConnection(connection('c1')), true);
    assert.equal(await s.eventBuses.createConnection(connection('c1')), false);
    await s.eventBuses.createConnection(connection('c2', { state: 'DEAUTHORIZED', lastAuthorizedAt: at('2026-01-05T00:00:00Z') }));
    const c = await s.eventBuses.getConnection(connection('c1').arn);
    assert.deepEqual(c?.authParameters, connection('c1').authParameters);
    assert.equal((await s.eventBuses.getConnectionByName(A, R, 'c2'))?.lastAuthorizedAt?.toISOString(), '2026-01-05T00:00:00.000Z');
    assert.equal(await s.eventBuses.countConnections(A, R), 2);
    assert.deepEqual(
      (await s.eventBuses.listConnections(A, R, { state: 'DEAUTHORIZED', limit: 10 })).map((x) => x.name),
      ['c2'],
    );
    assert.deepEqual(
      (await s.eventBuses.listConnections(A, R, { after: 'c1', limit: 10 })).map((x) => x.name),
      ['c2'],
    );
    await s.eventBuses.updateConnection({ ...connection('c1'), state: 'DEAUTHORIZED', description: 'now', updatedAt: at('2026-01-09T00:00:00Z') });
    const u = await s.eventBuses.getConnectionByName(A, R, 'c1');
    assert.equal(u?.state, 'DEAUTHORIZED');
    assert.equal(u?.description, 'now');
    assert.equal(u?.createdAt.toISOString(), T0.toISOString());

    assert.equal(await s.eventBuses.createApiDestination(destination('d1', connection('c1').arn)), true);
    assert.equal(await s.eventBuses.createApiDestination(destination('d1', connection('c1').arn)), false);
    await s.eventBuses.createApiDestination(destination('d2', connection('c2').arn));
    assert.equal((await s.eventBuses.getApiDestination(destination('d1', '').arn))?.invocationRateLimitPerSecond, 300);
    assert.deepEqual(
      (await s.eventBuses.listApiDestinations(A, R, { connectionArn: connection('c2').arn, limit: 10 })).map((x) => x.name),
      ['d2'],
    );
    await s.eventBuses.updateApiDestination({ ...destination('d1', connection('c2').arn), httpMethod: 'PUT' });
    assert.equal((await s.eventBuses.getApiDestinationByName(A, R, 'd1'))?.httpMethod, 'PUT');
    assert.equal(await s.eventBuses.countApiDestinations(A, R), 2);
    await s.eventBuses.deleteApiDestination(A, R, 'd1');
    assert.equal(await s.eventBuses.getApiDestinationByName(A, R, 'd1'), undefined);
    await s.eventBuses.deleteConnection(A, R, 'c1');
    assert.equal(await s.eventBuses.getConnection(connection('c1').arn), undefined);
  });
}
