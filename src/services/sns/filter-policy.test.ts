/**
 * Filter policies (filter-policy.ts): which policies SNS refuses and with what message, and which
 * messages each operator lets through, for both scopes — the examples of AWS's filter-policy pages.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FilterPolicyError, matchesAttributes, matchesBody, parseFilterPolicy, type AttributeValue } from './filter-policy.ts';

const s = (v: string): AttributeValue => ({ DataType: 'String', StringValue: v });
const n = (v: string): AttributeValue => ({ DataType: 'Number', StringValue: v });
const arr = (v: unknown[]): AttributeValue => ({ DataType: 'String.Array', StringValue: JSON.stringify(v) });

const attrs = (policy: object, a: Record<string, AttributeValue>) => matchesAttributes(parseFilterPolicy(JSON.stringify(policy), 'MessageAttributes'), a);
const body = (policy: object, b: unknown) =>
  matchesBody(parseFilterPolicy(JSON.stringify(policy), 'MessageBody'), typeof b === 'string' ? b : JSON.stringify(b));

function refused(policy: string, message: string, scope: 'MessageAttributes' | 'MessageBody' = 'MessageAttributes') {
  assert.throws(
    () => parseFilterPolicy(policy, scope),
    (e: unknown) => e instanceof FilterPolicyError && e.message === message,
  );
}

describe('refused policies', () => {
  test('structure', () => {
    refused('{', 'FilterPolicy: failed to parse JSON.');
    refused('[]', 'FilterPolicy: Filter policy must be a JSON object');
    refused('{"a":"b"}', 'FilterPolicy: "a" must be an object or an array');
    refused('{"a":[]}', 'FilterPolicy: Empty arrays are not allowed');
    refused(JSON.stringify({ a: [1], b: [1], c: [1], d: [1], e: [1], f: [1] }), 'FilterPolicy: Filter policy can not have more than 5 keys');
    refused('{"a":{"b":["x"]}}', 'Filter policy scope MessageAttributes does not support nested filter policy');
    refused('{"a":[{"prefix":"x","suffix":"y"}]}', 'FilterPolicy: Only one key allowed in match expression');
    refused('{"a":[{"wildcard":"x*"}]}', 'FilterPolicy: Unrecognized match type wildcard');
    refused('{"a":[["x"]]}', 'FilterPolicy: Match value must be String, number, true, false, or null');
  });

  test('operators', () => {
    refused('{"a":[{"prefix":1}]}', 'FilterPolicy: prefix match pattern must be a string');
    refused('{"a":[{"equals-ignore-case":true}]}', 'FilterPolicy: equals-ignore-case match pattern must be a string');
    refused('{"a":[{"exists":"yes"}]}', 'FilterPolicy: exists match pattern must be either true or false.');
    refused('{"a":[{"anything-but":{"wildcard":"x"}}]}', 'FilterPolicy: Unsupported anything-but pattern: wildcard');
    refused('{"a":[{"numeric":["<","x"]}]}', 'FilterPolicy: Value of < must be numeric');
    refused('{"a":[{"numeric":["=","x"]}]}', 'FilterPolicy: Value of equals must be numeric');
    refused('{"a":[{"numeric":["~",1]}]}', 'FilterPolicy: Unrecognized numeric range operator: ~');
    refused('{"a":[{"numeric":["<",1,">",0]}]}', 'FilterPolicy: Too many elements in numeric expression');
    refused('{"a":[{"numeric":[">",1,">",2]}]}', 'FilterPolicy: Bad numeric range operator: >');
    refused('{"a":[{"numeric":[">",5,"<",2]}]}', 'FilterPolicy: Bottom must be less than top');
    refused('{"a":[{"numeric":[">",0,"<",2,"<",3]}]}', 'FilterPolicy: Too many terms in numeric range expression');
    refused('{"a":[1000000000]}', 'FilterPolicy: Numeric value 1000000000 is out of range (it must be between -1.0E9 and 1.0E9)');
  });

  test('complexity: the product of the values may not pass 150', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `v${i}`);
    assert.doesNotThrow(() => parseFilterPolicy(JSON.stringify({ a: ten, b: ten.slice(0, 5), c: ['x', 'y', 'z'] }), 'MessageAttributes'));
    refused(JSON.stringify({ a: ten, b: ten.slice(0, 5), c: ['x', 'y', 'z', 'w'] }), 'FilterPolicy: Filter policy is too complex');
    // the documented nested example: 4 values three levels deep, 3 values two levels deep: 3 x 4 x 2 x 3 = 72
    assert.doesNotThrow(() => parseFilterPolicy(JSON.stringify({ a: { b: { c: ['1', '2', '3', '4'] } }, d: { e: ['1', '2', '3'] } }), 'MessageBody'));
    refused(JSON.stringify({ a: { b: { c: ten } }, d: { e: ['1', '2', '3'] } }), 'FilterPolicy: Filter policy is too complex', 'MessageBody');
  });
});

describe('MessageAttributes scope', () => {
  test('exact strings and numbers; every key must match, any value of a key', () => {
    const p = { store: ['example_corp'], event: ['order_placed', 'order_cancelled'] };
    assert.equal(attrs(p, { store: s('example_corp'), event: s('order_placed') }), true);
    assert.equal(attrs(p, { store: s('example_corp'), event: s('order_shipped') }), false);
    assert.equal(attrs(p, { store: s('example_corp') }), false, 'a missing attribute fails its key');
    assert.equal(attrs({ price: [100] }, { price: n('100.0') }), true, 'numbers compare as numbers');
    assert.equal(attrs({ price: [100] }, { price: s('100') }), false, 'a number rule does not match a string');
    assert.equal(attrs({ price: ['100'] }, { price: n('100') }), false, 'a string rule does not match a number');
    assert.equal(attrs({ flag: [true] }, { flag: arr([true]) }), true);
  });

  test('String.Array attributes match when any element does', () => {
    assert.equal(attrs({ customer_interests: ['rugby'] }, { customer_interests: arr(['basketball', 'rugby']) }), true);
    assert.equal(attrs({ customer_interests: ['rugby'] }, { customer_interests: arr(['basketball']) }), false);
    assert.equal(attrs({ customer_interests: ['rugby'] }, { customer_interests: s('["rugby"]') }), false, 'a String attribute is not an array');
  });

  test('prefix, suffix, equals-ignore-case, anything-but', () => {
    assert.equal(attrs({ a: [{ prefix: 'bas' }] }, { a: s('baseball') }), true);
    assert.equal(attrs({ a: [{ prefix: 'bas' }] }, { a: s('rugby') }), false);
    assert.equal(attrs({ a: [{ suffix: 'ball' }] }, { a: s('baseball') }), true);
    assert.equal(attrs({ a: [{ suffix: 'ball' }] }, { a: s('ballet') }), false);
    assert.equal(attrs({ a: [{ 'equals-ignore-case': 'TRACKED' }] }, { a: s('Tracked') }), true);
    assert.equal(attrs({ a: [{ 'anything-but': ['rugby', 'tennis'] }] }, { a: s('baseball') }), true);
    assert.equal(attrs({ a: [{ 'anything-but': ['rugby', 'tennis'] }] }, { a: s('rugby') }), false);
    assert.equal(attrs({ a: [{ 'anything-but': 'rugby' }] }, {}), false, 'anything-but needs the attribute');
    assert.equal(attrs({ a: [{ 'anything-but': 100 }] }, { a: n('101') }), true);
    assert.equal(attrs({ a: [{ 'anything-but': 100 }] }, { a: n('100') }), false);
    assert.equal(attrs({ a: [{ 'anything-but': { prefix: 'order-' } }] }, { a: s('order-1') }), false);
    assert.equal(attrs({ a: [{ 'anything-but': { prefix: 'order-' } }] }, { a: s('refund-1') }), true);
    assert.equal(attrs({ a: [{ 'anything-but': { suffix: '.tmp' } }] }, { a: s('x.tmp') }), false);
  });

  test('numeric ranges', () => {
    const p = { price: [{ numeric: ['>', 0, '<=', 150] }] };
    assert.equal(attrs(p, { price: n('150') }), true);
    assert.equal(attrs(p, { price: n('0') }), false);
    assert.equal(attrs(p, { price: n('150.5') }), false);
    assert.equal(attrs(p, { price: s('100') }), false, 'numeric rules need a Number');
    assert.equal(attrs({ price: [{ numeric: ['=', 3.5] }] }, { price: n('3.50') }), true);
    assert.equal(attrs({ price: [{ numeric: ['>=', -5] }] }, { price: n('-5') }), true);
  });

  test('exists', () => {
    assert.equal(attrs({ a: [{ exists: true }] }, { a: s('x') }), true);
    assert.equal(attrs({ a: [{ exists: true }] }, {}), false);
    assert.equal(attrs({ a: [{ exists: false }] }, {}), true);
    assert.equal(attrs({ a: [{ exists: false }] }, { a: s('x') }), false);
  });

  test('$or between keys', () => {
    const p = { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }] };
    assert.equal(attrs(p, { source: s('aws.cloudwatch'), namespace: s('AWS/EC2') }), true);
    assert.equal(attrs(p, { source: s('aws.cloudwatch'), metricName: s('CPUUtilization') }), true);
    assert.equal(attrs(p, { source: s('aws.cloudwatch'), metricName: s('DiskIO') }), false);
    assert.equal(attrs(p, { source: s('aws.ec2'), namespace: s('AWS/EC2') }), false);
  });

  test('binary attributes match nothing', () => {
    assert.equal(attrs({ a: [{ exists: true }] }, { a: { DataType: 'Binary', BinaryValue: Buffer.from('x') } }), true);
    assert.equal(attrs({ a: ['eA=='] }, { a: { DataType: 'Binary', BinaryValue: Buffer.from('x') } }), false);
  });
});

describe('MessageBody scope', () => {
  test('nested keys follow the JSON body', () => {
    const p = { patient: { type: ['outpatient'], ward: { floor: [{ numeric: ['>=', 3] }] } } };
    assert.equal(body(p, { patient: { type: 'outpatient', ward: { floor: 4 } } }), true);
    assert.equal(body(p, { patient: { type: 'outpatient', ward: { floor: 2 } } }), false);
    assert.equal(body(p, { patient: { type: 'inpatient', ward: { floor: 4 } } }), false);
    assert.equal(body(p, { patient: { type: 'outpatient' } }), false);
  });

  test('arrays in the body match when any element does, objects in arrays too', () => {
    assert.equal(body({ tags: ['b'] }, { tags: ['a', 'b'] }), true);
    assert.equal(body({ items: { sku: ['x1'] } }, { items: [{ sku: 'x0' }, { sku: 'x1' }] }), true);
    assert.equal(body({ items: { sku: ['x9'] } }, { items: [{ sku: 'x0' }, { sku: 'x1' }] }), false);
  });

  test('null, booleans and exists', () => {
    assert.equal(body({ a: [null] }, { a: null }), true);
    assert.equal(body({ a: [false] }, { a: false }), true);
    assert.equal(body({ a: [false] }, { a: 'false' }), false);
    assert.equal(body({ a: { b: [{ exists: false }] } }, { c: 1 }), true);
    assert.equal(body({ a: { b: [{ exists: false }] } }, { a: { b: 1 } }), false);
  });

  test('a body that is not a JSON object matches nothing', () => {
    assert.equal(body({ a: [{ exists: false }] }, 'plain text'), false);
    assert.equal(body({ a: [{ exists: false }] }, '[1,2]'), false);
  });
});

describe('IP address matching (cidr), shared with event patterns', () => {
  test('matches String attributes and body values inside the block', () => {
    const policy = { source_ip: [{ cidr: '10.0.0.0/24' }] };
    assert.equal(attrs(policy, { source_ip: s('10.0.0.255') }), true);
    assert.equal(attrs(policy, { source_ip: s('10.0.1.0') }), false);
    assert.equal(attrs(policy, { source_ip: s('not-an-ip') }), false);
    assert.equal(body({ ip: [{ cidr: '2001:db8::/64' }] }, { ip: '2001:db8::1' }), true);
    assert.equal(body({ ip: [{ cidr: '2001:db8::/64' }] }, { ip: '2001:db9::1' }), false);
  });
  test('refused forms', () => {
    refused('{"a":[{"cidr":1}]}', 'FilterPolicy: prefix match pattern must be a string');
    refused('{"a":[{"cidr":"10.0.0.0"}]}', "FilterPolicy: Malformed CIDR, one '/' required");
    refused('{"a":[{"cidr":"10.0.0.0/x"}]}', 'FilterPolicy: Malformed CIDR, mask bits must be an integer');
    refused('{"a":[{"cidr":"host/8"}]}', 'FilterPolicy: Nonstandard IP address: host');
  });
});
