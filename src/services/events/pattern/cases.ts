/**
 * The event-pattern table: (pattern, event, matches?) cases from AWS's documentation of each
 * operator, and invalid patterns with AWS's reason. Data only: pattern.test.ts runs it through the
 * engine, test/e2e/event-patterns.test.ts through TestEventPattern over the wire. Every event is a
 * full envelope (TestEventPattern requires id, account, source, time, region, resources and
 * detail-type). docs/event-patterns.md.
 */

export interface MatchCase {
  /** the AWS documentation page the case comes from */
  source: string;
  name: string;
  pattern: Record<string, unknown>;
  event: Record<string, unknown>;
  matches: boolean;
}

export interface InvalidCase {
  source: string;
  pattern: string;
  /** the reason, after "Event pattern is not valid. Reason: " */
  reason: string;
  /** the whole message with the parser location, where it is known exactly */
  message?: string;
}

const DOCS = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/';
const PATTERNS = `${DOCS}eb-event-patterns.html`;
const ARRAYS = `${DOCS}eb-event-patterns-arrays.html`;
const OPERATORS = `${DOCS}eb-create-pattern-operators.html`;
const FILTERING = `${DOCS}eb-event-patterns-content-based-filtering.html`;
const ENGINE = 'https://github.com/aws/event-ruler';

/** The EC2 sample event of eb-event-patterns.html, with `detail` and top-level fields overridden. */
export function envelope(detail: unknown, top: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '111122223333',
    time: '2017-12-22T18:43:48Z',
    region: 'us-west-1',
    resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
    detail,
    ...top,
  };
}

export const matchCases: MatchCase[] = [];

/** Adds cases of one group: each row is [name, pattern, detail or full event, matches]. */
function group(source: string, rows: [string, Record<string, unknown>, unknown, boolean][], top = false): void {
  for (const [name, pattern, event, matches] of rows) {
    matchCases.push({ source, name, pattern, event: top ? envelope({}, event as Record<string, unknown>) : envelope(event), matches });
  }
}

const d = (detail: Record<string, unknown>) => ({ detail });

// ---- structure, envelope fields, nesting (eb-event-patterns.html)
const ec2 = { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } };
group(PATTERNS, [
  ['EC2 termination: matches', ec2, { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' }, true],
  ['EC2 termination: other state', ec2, { 'instance-id': 'i-1234567890abcdef0', state: 'running' }, false],
  ['EC2 termination: no state', ec2, { 'instance-id': 'i-1234567890abcdef0' }, false],
  ['source only', { source: ['aws.ec2'] }, {}, true],
  ['source list', { source: ['aws.s3', 'aws.ec2'] }, {}, true],
  ['source mismatch', { source: ['aws.s3'] }, {}, false],
  ['matching is case-sensitive', { source: ['AWS.EC2'] }, {}, false],
  ['account', { account: ['111122223333'] }, {}, true],
  ['region', { region: ['us-west-1', 'us-east-1'] }, {}, true],
  ['region mismatch', { region: ['eu-west-1'] }, {}, false],
  ['version', { version: ['0'] }, {}, true],
  ['time exact', { time: ['2017-12-22T18:43:48Z'] }, {}, true],
  ['fields not in the pattern are ignored', d({ state: ['terminated'] }), { state: 'terminated', a: 1, b: { c: 2 } }, true],
  ['nested field', d({ a: { b: { c: ['x'] } } }), { a: { b: { c: 'x' } } }, true],
  ['nested field: wrong value', d({ a: { b: { c: ['x'] } } }), { a: { b: { c: 'y' } } }, false],
  ['nested field: missing level', d({ a: { b: { c: ['x'] } } }), { a: { c: 'x' } }, false],
  ['a field holding an object never matches a value', d({ a: ['x'] }), { a: { b: 'x' } }, false],
  ['a field holding an object does not match its JSON text', d({ a: ['{"b":"x"}'] }), { a: { b: 'x' } }, false],
  ['all fields must match (AND)', d({ a: ['1'], b: ['2'] }), { a: '1', b: '2' }, true],
  ['all fields must match: one fails', d({ a: ['1'], b: ['2'] }), { a: '1', b: '3' }, false],
  ['a dotted field name matches the nested path', d({ 'a.b': ['x'] }), { a: { b: 'x' } }, true],
  ['a dotted field name matches a dotted key', d({ 'a.b': ['x'] }), { 'a.b': 'x' }, true],
]);
group(
  PATTERNS,
  [
    ['detail-type list', { 'detail-type': ['EC2 Instance State-change Notification', 'Other'] }, {}, true],
    ['resources exact', { resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'] }, {}, true],
    ['custom source', { source: ['com.mycompany.myapp'] }, { source: 'com.mycompany.myapp' }, true],
    ['custom source mismatch', { source: ['com.mycompany.myapp'] }, { source: 'com.mycompany.other' }, false],
  ],
  true,
);

// ---- value types: strings, numbers, booleans, null, empty strings (eb-event-patterns.html, "Matching null values and empty strings")
group(PATTERNS, [
  ['number exact', d({ n: [5] }), { n: 5 }, true],
  ['number equal in another spelling', d({ n: [300] }), { n: 300.0 }, true],
  ['number equal in exponent form', d({ n: [3.0e2] }), { n: 300 }, true],
  ['number vs its string', d({ n: [5] }), { n: '5' }, false],
  ['string vs a number', d({ n: ['5'] }), { n: 5 }, false],
  ['number mismatch', d({ n: [5] }), { n: 6 }, false],
  ['numbers agree to six decimals', d({ n: [1.0000001] }), { n: 1 }, true],
  ['large number (account id) literally', d({ n: [123456789012] }), { n: 123456789012 }, true],
  ['large number mismatch', d({ n: [123456789012] }), { n: 123456789013 }, false],
  ['true', d({ b: [true] }), { b: true }, true],
  ['true vs false', d({ b: [true] }), { b: false }, false],
  ['true vs "true"', d({ b: [true] }), { b: 'true' }, false],
  ['false', d({ b: [false] }), { b: false }, true],
  ['null matches null', d({ eventVersion: [null] }), { eventVersion: null }, true],
  ['null vs missing', d({ eventVersion: [null] }), {}, false],
  ['null vs "null"', d({ eventVersion: [null] }), { eventVersion: 'null' }, false],
  ['empty string matches empty string', d({ responseElements: [''] }), { responseElements: '' }, true],
  ['empty string vs null', d({ responseElements: [''] }), { responseElements: null }, false],
  ['empty string vs missing', d({ responseElements: [''] }), {}, false],
  ['null or empty string', d({ x: [null, ''] }), { x: null }, true],
  ['unicode string', d({ x: ['日本語'] }), { x: '日本語' }, true],
  ['string with escapes', d({ x: ['a"b\\c'] }), { x: 'a"b\\c' }, true],
]);

// ---- arrays (eb-event-patterns-arrays.html)
const r = (a: string) => `arn:aws:ec2:us-east-1:${a}:instance/i-b188560f`;
group(
  ARRAYS,
  [
    [
      'pattern array vs event array: intersection',
      { resources: [r('123456789012'), r('111122223333'), r('444455556666')] },
      { resources: ['arn:aws:autoscaling:x', r('123456789012')] },
      true,
    ],
    [
      'pattern array vs event array: disjoint',
      { resources: [r('111122223333'), r('444455556666')] },
      { resources: ['arn:aws:autoscaling:x', r('123456789012')] },
      false,
    ],
    ['event array vs single value', { resources: [r('123456789012')] }, { resources: [r('123456789012')] }, true],
    ['empty event array matches nothing', { resources: [r('123456789012')] }, { resources: [] }, false],
  ],
  true,
);
group(ARRAYS, [
  ['array of scalars: any element', d({ tags: ['b'] }), { tags: ['a', 'b', 'c'] }, true],
  ['array of scalars: none', d({ tags: ['z'] }), { tags: ['a', 'b', 'c'] }, false],
  ['array of numbers', d({ n: [2] }), { n: [1, 2, 3] }, true],
  [
    'nested arrays are flattened',
    d({ n: [4] }),
    {
      n: [
        [1, 2],
        [3, [4]],
      ],
    },
    true,
  ],
  ['array of objects: field of an element', d({ items: { id: ['b'] } }), { items: [{ id: 'a' }, { id: 'b' }] }, true],
  ['array of objects: no element', d({ items: { id: ['c'] } }), { items: [{ id: 'a' }, { id: 'b' }] }, false],
  [
    'array of objects: two fields of one element',
    d({ items: { id: ['b'], n: [2] } }),
    {
      items: [
        { id: 'a', n: 1 },
        { id: 'b', n: 2 },
      ],
    },
    true,
  ],
  [
    'array of objects: two fields from different elements do not match',
    d({ items: { id: ['b'], n: [1] } }),
    {
      items: [
        { id: 'a', n: 1 },
        { id: 'b', n: 2 },
      ],
    },
    false,
  ],
  [
    'array of objects: a field outside the array and one inside',
    d({ kind: ['k'], items: { id: ['b'] } }),
    { kind: 'k', items: [{ id: 'a' }, { id: 'b' }] },
    true,
  ],
  [
    'array of objects: nested arrays consistent',
    d({ a: { b: { c: ['x'], e: ['y'] } } }),
    {
      a: [
        {
          b: [
            { c: 'x', e: 'z' },
            { c: 'q', e: 'y' },
          ],
        },
        { b: [{ c: 'x', e: 'y' }] },
      ],
    },
    true,
  ],
  [
    'array of objects: nested arrays inconsistent',
    d({ a: { b: { c: ['x'], e: ['y'] } } }),
    {
      a: [
        {
          b: [
            { c: 'x', e: 'z' },
            { c: 'q', e: 'y' },
          ],
        },
      ],
    },
    false,
  ],
  ['array holding null', d({ x: [null] }), { x: ['a', null] }, true],
]);

// ---- prefix, suffix, ignore case (eb-create-pattern-operators.html)
group(OPERATORS, [
  ['prefix', { time: [{ prefix: '2017-10-02' }] }, {}, false],
  ['prefix of time', { time: [{ prefix: '2017-12-22' }] }, {}, true],
  ['prefix: Region in the US', d({ Region: [{ prefix: 'us-' }] }), { Region: 'us-east-1' }, true],
  ['prefix: Region not in the US', d({ Region: [{ prefix: 'us-' }] }), { Region: 'eu-west-1' }, false],
  ['prefix is case-sensitive', d({ Region: [{ prefix: 'us-' }] }), { Region: 'US-east-1' }, false],
  ['prefix: the whole value', d({ Region: [{ prefix: 'us-' }] }), { Region: 'us-' }, true],
  ['prefix: empty prefix matches any string', d({ Region: [{ prefix: '' }] }), { Region: 'x' }, true],
  ['prefix does not apply to numbers', d({ n: [{ prefix: '1' }] }), { n: 12 }, false],
  ['prefix: an element of an array', d({ Region: [{ prefix: 'us-' }] }), { Region: ['eu-west-1', 'us-west-2'] }, true],
  ['prefix ignore case', d({ service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] }), { service: 'eventbridge' }, true],
  ['prefix ignore case: upper', d({ service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] }), { service: 'EVENTBRIDGE' }, true],
  ['prefix ignore case: mismatch', d({ service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] }), { service: 'sqs' }, false],
  ['suffix', d({ FileName: [{ suffix: '.png' }] }), { FileName: 'image.png' }, true],
  ['suffix mismatch', d({ FileName: [{ suffix: '.png' }] }), { FileName: 'image.jpg' }, false],
  ['suffix is case-sensitive', d({ FileName: [{ suffix: '.png' }] }), { FileName: 'image.PNG' }, false],
  ['suffix ignore case', d({ FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] }), { FileName: 'image.PNG' }, true],
  ['suffix ignore case: mismatch', d({ FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] }), { FileName: 'image.gif' }, false],
  ['equals-ignore-case', d({ name: [{ 'equals-ignore-case': 'alice' }] }), { name: 'ALICE' }, true],
  ['equals-ignore-case: mixed', d({ name: [{ 'equals-ignore-case': 'alice' }] }), { name: 'aLiCe' }, true],
  ['equals-ignore-case: mismatch', d({ name: [{ 'equals-ignore-case': 'alice' }] }), { name: 'alicia' }, false],
  ['equals-ignore-case: not a number', d({ name: [{ 'equals-ignore-case': '5' }] }), { name: 5 }, false],
  ['several operators in one field: any', d({ f: [{ prefix: 'a' }, { suffix: 'z' }, 'exact'] }), { f: 'xyz' }, true],
  ['several operators in one field: none', d({ f: [{ prefix: 'a' }, { suffix: 'z' }, 'exact'] }), { f: 'xyy' }, false],
]);

// ---- anything-but (eb-create-pattern-operators.html)
group(OPERATORS, [
  ['anything-but string', d({ state: [{ 'anything-but': 'initializing' }] }), { state: 'running' }, true],
  ['anything-but string: excluded', d({ state: [{ 'anything-but': 'initializing' }] }), { state: 'initializing' }, false],
  ['anything-but string: missing field', d({ state: [{ 'anything-but': 'initializing' }] }), {}, false],
  ['anything-but number', d({ 'x-limit': [{ 'anything-but': 123 }] }), { 'x-limit': 456 }, true],
  ['anything-but number: excluded', d({ 'x-limit': [{ 'anything-but': 123 }] }), { 'x-limit': 123 }, false],
  ['anything-but number: excluded in another spelling', d({ 'x-limit': [{ 'anything-but': 123 }] }), { 'x-limit': 123.0 }, false],
  ['anything-but string list', d({ state: [{ 'anything-but': ['stopped', 'overloaded'] }] }), { state: 'running' }, true],
  ['anything-but string list: excluded', d({ state: [{ 'anything-but': ['stopped', 'overloaded'] }] }), { state: 'overloaded' }, false],
  ['anything-but number list', d({ 'x-limit': [{ 'anything-but': [100, 200, 300] }] }), { 'x-limit': 150 }, true],
  ['anything-but number list: excluded', d({ 'x-limit': [{ 'anything-but': [100, 200, 300] }] }), { 'x-limit': 200 }, false],
  ['anything-but string: a number passes', d({ state: [{ 'anything-but': 'initializing' }] }), { state: 5 }, true],
  ['anything-but number: a string passes', d({ n: [{ 'anything-but': 5 }] }), { n: '5' }, true],
  ['anything-but string: null passes', d({ state: [{ 'anything-but': 'initializing' }] }), { state: null }, true],
  ['anything-but: an event array with another value', d({ state: [{ 'anything-but': 'a' }] }), { state: ['a', 'b'] }, true],
  ['anything-but: an event array of excluded values', d({ state: [{ 'anything-but': ['a', 'b'] }] }), { state: ['a', 'b'] }, false],
  ['anything-but prefix', d({ Region: [{ 'anything-but': { prefix: 'us-' } }] }), { Region: 'eu-west-1' }, true],
  ['anything-but prefix: excluded', d({ Region: [{ 'anything-but': { prefix: 'us-' } }] }), { Region: 'us-east-1' }, false],
  ['anything-but prefix list', d({ Region: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] }), { Region: 'ap-south-1' }, true],
  ['anything-but prefix list: excluded', d({ Region: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] }), { Region: 'eu-west-1' }, false],
  ['anything-but suffix', d({ FileName: [{ 'anything-but': { suffix: '.png' } }] }), { FileName: 'a.jpg' }, true],
  ['anything-but suffix: excluded', d({ FileName: [{ 'anything-but': { suffix: '.png' } }] }), { FileName: 'a.png' }, false],
  ['anything-but ignore case', d({ state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }), { state: 'running' }, true],
  ['anything-but ignore case: excluded', d({ state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }), { state: 'INITIALIZING' }, false],
  ['anything-but ignore case list', d({ state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'overloaded'] } }] }), { state: 'STOPPED' }, false],
  ['anything-but wildcard', d({ FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }), { FilePath: '/usr/bin/x' }, true],
  ['anything-but wildcard: excluded', d({ FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }), { FilePath: '/usr/lib/x' }, false],
  ['anything-but wildcard list', d({ FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] }), { FilePath: '/usr/bin/x' }, false],
]);

// ---- numeric (eb-create-pattern-operators.html)
const between = d({ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] });
group(OPERATORS, [
  ['numeric range: inside', between, { 'c-count': 5 }, true],
  ['numeric range: open bottom', between, { 'c-count': 0 }, false],
  ['numeric range: above', between, { 'c-count': 5.000001 }, false],
  ['numeric range: a fraction', between, { 'c-count': 0.5 }, true],
  ['numeric: a string is no number', between, { 'c-count': '3' }, false],
  ['numeric less than', d({ 'd-count': [{ numeric: ['<', 10] }] }), { 'd-count': 9.999 }, true],
  ['numeric less than: equal', d({ 'd-count': [{ numeric: ['<', 10] }] }), { 'd-count': 10 }, false],
  ['numeric less or equal', d({ n: [{ numeric: ['<=', 10] }] }), { n: 10 }, true],
  ['numeric greater or equal', d({ n: [{ numeric: ['>=', -3] }] }), { n: -3 }, true],
  ['numeric greater', d({ n: [{ numeric: ['>', -3] }] }), { n: -3 }, false],
  ['numeric equals', d({ 'x-limit': [{ numeric: ['=', 3.018e2] }] }), { 'x-limit': 301.8 }, true],
  ['numeric equals: mismatch', d({ 'x-limit': [{ numeric: ['=', 3.018e2] }] }), { 'x-limit': 301.81 }, false],
  ['numeric: negative range', d({ n: [{ numeric: ['>=', -10, '<', -5] }] }), { n: -7 }, true],
  ['numeric: an element of an array', d({ n: [{ numeric: ['>', 100] }] }), { n: [1, 2, 300] }, true],
  ['numeric: beyond the comparable range', d({ n: [{ numeric: ['>', 0] }] }), { n: 6e9 }, false],
  ['numeric: at the edge of the range', d({ n: [{ numeric: ['>=', 5e9] }] }), { n: 5e9 }, true],
  ['numeric: six decimals', d({ n: [{ numeric: ['>', 1] }] }), { n: 1.0000001 }, false],
  [
    'numeric: two fields (documented example)',
    d({ 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] }),
    { 'c-count': 5, 'd-count': 7, 'x-limit': 301.8 },
    true,
  ],
  [
    'numeric: two fields, one fails',
    d({ 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] }),
    { 'c-count': 5, 'd-count': 12, 'x-limit': 301.8 },
    false,
  ],
]);

// ---- IP addresses (eb-create-pattern-operators.html, "IP address matching")
group(OPERATORS, [
  ['cidr IPv4', d({ sourceIPAddress: [{ cidr: '10.0.0.0/24' }] }), { sourceIPAddress: '10.0.0.255' }, true],
  ['cidr IPv4: outside', d({ sourceIPAddress: [{ cidr: '10.0.0.0/24' }] }), { sourceIPAddress: '10.0.1.0' }, false],
  ['cidr IPv4: a host part in the pattern', d({ sourceIPAddress: [{ cidr: '10.0.0.7/8' }] }), { sourceIPAddress: '10.200.1.2' }, true],
  ['cidr IPv4: not an address', d({ sourceIPAddress: [{ cidr: '10.0.0.0/24' }] }), { sourceIPAddress: 'ec2.amazonaws.com' }, false],
  ['cidr IPv4 vs IPv6 value', d({ sourceIPAddress: [{ cidr: '10.0.0.0/8' }] }), { sourceIPAddress: '::a00:1' }, false],
  ['cidr IPv6', d({ sourceIPAddress: [{ cidr: '2001:db8::/64' }] }), { sourceIPAddress: '2001:db8::ff00:42:8329' }, true],
  ['cidr IPv6: full spelling', d({ sourceIPAddress: [{ cidr: '2001:db8::/64' }] }), { sourceIPAddress: '2001:0db8:0000:0000:0000:ff00:0042:8329' }, true],
  ['cidr IPv6: outside', d({ sourceIPAddress: [{ cidr: '2001:db8::/64' }] }), { sourceIPAddress: '2001:db8:0:1::1' }, false],
  ['cidr: numbers are no addresses', d({ ip: [{ cidr: '10.0.0.0/8' }] }), { ip: 10 }, false],
  ['an exact IPv6 value matches any spelling', d({ ip: ['2001:db8::1'] }), { ip: '2001:DB8:0:0:0:0:0:1' }, true],
  ['an exact IPv4 value', d({ ip: ['10.0.0.1'] }), { ip: '10.0.0.1' }, true],
  ['an exact IPv4 value: another address', d({ ip: ['10.0.0.1'] }), { ip: '10.0.0.2' }, false],
]);

// ---- exists (eb-create-pattern-operators.html, "Exists matching")
group(OPERATORS, [
  ['exists true', d({ state: [{ exists: true }] }), { state: 'x' }, true],
  ['exists true: missing', d({ state: [{ exists: true }] }), {}, false],
  ['exists true: null is a value', d({ state: [{ exists: true }] }), { state: null }, true],
  ['exists true: a number', d({ state: [{ exists: true }] }), { state: 0 }, true],
  ['exists true: an object is no leaf', d({ state: [{ exists: true }] }), { state: { a: 1 } }, false],
  ['exists true: an empty array has no leaf', d({ state: [{ exists: true }] }), { state: [] }, false],
  ['exists false', d({ state: [{ exists: false }] }), {}, true],
  ['exists false: present', d({ state: [{ exists: false }] }), { state: 'x' }, false],
  ['exists false: present as null', d({ state: [{ exists: false }] }), { state: null }, false],
  ['exists false: an object (only leaves count)', d({ state: [{ exists: false }] }), { state: { a: 1 } }, true],
  ['exists false: detail itself missing', d({ 'c-count': [{ exists: false }] }), { other: 1 }, true],
  ['exists false: in an array of objects, present in one element', d({ items: { id: [{ exists: false }] } }), { items: [{ id: 'a' }, { n: 1 }] }, false],
  ['exists false: in an array of objects, in none', d({ items: { id: [{ exists: false }] } }), { items: [{ n: 2 }, { n: 1 }] }, true],
  ['exists false with another field', d({ a: ['1'], b: [{ exists: false }] }), { a: '1' }, true],
  ['exists false or a value: missing', d({ b: [{ exists: false }, 'x'] }), {}, true],
  ['exists false or a value: the value', d({ b: [{ exists: false }, 'x'] }), { b: 'x' }, true],
  ['exists false or a value: another value', d({ b: [{ exists: false }, 'x'] }), { b: 'y' }, false],
]);
group(
  OPERATORS,
  [
    ['exists false on an envelope field that is there', { source: [{ exists: false }] }, {}, false],
    ['exists true on detail (an object) fails', { detail: [{ exists: true }] }, { detail: { a: 1 } }, false],
  ],
  true,
);

// ---- wildcard (eb-create-pattern-operators.html, "Wildcard matching")
group(OPERATORS, [
  [
    'wildcard suffix form',
    d({ EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }),
    { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' },
    true,
  ],
  [
    'wildcard: other region',
    d({ EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }),
    { EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/default' },
    false,
  ],
  ['wildcard: *.png', d({ f: [{ wildcard: '*.png' }] }), { f: 'dir/a.png' }, true],
  ['wildcard: *.png on a .jpg', d({ f: [{ wildcard: '*.png' }] }), { f: 'dir/a.jpg' }, false],
  ['wildcard: * matches zero characters', d({ f: [{ wildcard: 'a*b' }] }), { f: 'ab' }, true],
  ['wildcard: middle', d({ f: [{ wildcard: '*Title*' }] }), { f: 'MyTitleHere' }, true],
  ['wildcard: middle mismatch', d({ f: [{ wildcard: '*Title*' }] }), { f: 'MyTitlHere' }, false],
  ['wildcard: the whole value must match', d({ f: [{ wildcard: 'a*b' }] }), { f: 'abc' }, false],
  ['wildcard: a lone star matches the empty string', d({ f: [{ wildcard: '*' }] }), { f: '' }, true],
  ['wildcard: no star is an exact match', d({ f: [{ wildcard: 'abc' }] }), { f: 'abc' }, true],
  ['wildcard: escaped star is literal', d({ f: [{ wildcard: 'a\\*b' }] }), { f: 'a*b' }, true],
  ['wildcard: escaped star does not wildcard', d({ f: [{ wildcard: 'a\\*b' }] }), { f: 'axb' }, false],
  ['wildcard: escaped backslash', d({ f: [{ wildcard: 'a\\\\*' }] }), { f: 'a\\zzz' }, true],
  ['wildcard: overlapping pieces', d({ f: [{ wildcard: '*ab*ab' }] }), { f: 'xabab' }, true],
  ['wildcard: pieces in order', d({ f: [{ wildcard: '*b*a' }] }), { f: 'ab' }, false],
  ['wildcard: not on numbers', d({ f: [{ wildcard: '1*' }] }), { f: 12 }, false],
]);

// ---- $or (eb-create-pattern-operators.html, "Multiple matching")
const or = {
  detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }, { 'x-limit': [{ numeric: ['=', 3.018e2] }] }] },
};
const topOr = {
  source: ['aws.cloudwatch'],
  $or: [{ 'detail-type': ['CPUUtilization', 'ReadLatency'] }, { 'detail-type': ['MetricType'], region: ['us-west-1'] }],
};
group(OPERATORS, [
  ['$or: first alternative', or, { 'c-count': 3 }, true],
  ['$or: second alternative', or, { 'd-count': 3 }, true],
  ['$or: third alternative', or, { 'x-limit': 301.8 }, true],
  ['$or: none', or, { 'c-count': 9, 'd-count': 11 }, false],
  ['$or nested in $or', d({ $or: [{ a: ['1'] }, { $or: [{ b: ['2'] }, { c: ['3'] }] }] }), { c: '3' }, true],
  ['$or nested in $or: none', d({ $or: [{ a: ['1'] }, { $or: [{ b: ['2'] }, { c: ['3'] }] }] }), { c: '4' }, false],
  ['$or with a field beside it (AND)', d({ k: ['x'], $or: [{ a: ['1'] }, { b: ['2'] }] }), { k: 'x', b: '2' }, true],
  ['$or with a field beside it: the field fails', d({ k: ['x'], $or: [{ a: ['1'] }, { b: ['2'] }] }), { k: 'y', b: '2' }, false],
  [
    'two $or at different levels multiply',
    { detail: { $or: [{ a: ['1'] }, { b: ['2'] }] }, $or: [{ region: ['us-west-1'] }, { region: ['eu-west-1'] }] },
    { b: '2' },
    true,
  ],
]);
group(
  OPERATORS,
  [
    ['$or on envelope fields: first', topOr, { source: 'aws.cloudwatch', 'detail-type': 'ReadLatency' }, true],
    ['$or on envelope fields: second', topOr, { source: 'aws.cloudwatch', 'detail-type': 'MetricType' }, true],
    ['$or on envelope fields: second needs both', topOr, { source: 'aws.cloudwatch', 'detail-type': 'MetricType', region: 'us-east-1' }, false],
    ['$or on envelope fields: source fails', topOr, { source: 'aws.ec2', 'detail-type': 'ReadLatency' }, false],
  ],
  true,
);

// ---- combined example of the content-filtering page
const combined = {
  source: ['aws.ec2'],
  'detail-type': ['EC2 Instance State-change Notification'],
  detail: { state: [{ 'anything-but': 'initializing' }], 'instance-id': [{ prefix: 'i-' }], count: [{ numeric: ['>=', 1] }], ip: [{ cidr: '10.0.0.0/8' }] },
};
group(FILTERING, [
  ['all operators together', combined, { state: 'running', 'instance-id': 'i-1', count: 2, ip: '10.1.2.3' }, true],
  ['all operators together: initializing', combined, { state: 'initializing', 'instance-id': 'i-1', count: 2, ip: '10.1.2.3' }, false],
  ['all operators together: bad prefix', combined, { state: 'running', 'instance-id': 'x-1', count: 2, ip: '10.1.2.3' }, false],
  ['all operators together: low count', combined, { state: 'running', 'instance-id': 'i-1', count: 0, ip: '10.1.2.3' }, false],
  ['all operators together: other network', combined, { state: 'running', 'instance-id': 'i-1', count: 2, ip: '11.1.2.3' }, false],
  ['all operators together: missing field', combined, { state: 'running', 'instance-id': 'i-1', count: 2 }, false],
]);

// ---- invalid patterns
const at = (pattern: string, line: number, column: number) => `\n at [Source: (String)"${pattern}"; line: ${line}, column: ${column}]`;
const slug = '{\n  "detail-type": [ "Build Started", "Build Finished" ],\n  "detail": {\n    "pipeline": {\n      "slug": "some-pipeline"\n    }\n  }\n}';
const wild = '{"key": [{"wildcard": "abc**def"}]}';

export const invalidCases: InvalidCase[] = [
  // captured from AWS (https://github.com/buildkite/docs/pull/896) and the engine's own tests
  {
    source: 'https://github.com/buildkite/docs/pull/896',
    pattern: slug,
    reason: '"slug" must be an object or an array',
    message: `"slug" must be an object or an array${at(slug, 5, 16)}`,
  },
  { source: ENGINE, pattern: wild, reason: 'Consecutive wildcard characters at pos 4', message: `Consecutive wildcard characters at pos 4${at(wild, 1, 33)}` },
  ...(
    [
      ['[]', 'Filter is not an object'],
      ['"x"', 'Filter is not an object'],
      ['{}', 'Empty objects are not allowed'],
      ['{"a":{}}', 'Empty objects are not allowed'],
      ['{"a":"b"}', '"a" must be an object or an array'],
      ['{"a":1}', '"a" must be an object or an array'],
      ['{"a":[]}', 'Empty arrays are not allowed'],
      ['{"a":[["x"]]}', 'Match value must be String, number, true, false, or null'],
      ['{"a":[{}]}', 'Match expression name not found'],
      ['{"a":[{"prefix":"x","suffix":"y"}]}', 'Only one key allowed in match expression'],
      ['{"a":[{"regex":"x"}]}', 'Unrecognized match type regex'],
      ['{"a":[{"prefix":1}]}', 'prefix match pattern must be a string'],
      ['{"a":[{"suffix":null}]}', 'suffix match pattern must be a string'],
      ['{"a":[{"prefix":{"x":"y"}}]}', 'Unsupported prefix pattern: x'],
      ['{"a":[{"suffix":{"equals-ignore-case":1}}]}', 'equals-ignore-case match pattern must be a string'],
      ['{"a":[{"equals-ignore-case":["x"]}]}', 'equals-ignore-case match pattern must be a string'],
      ['{"a":[{"wildcard":5}]}', 'wildcard match pattern must be a string'],
      ['{"a":[{"wildcard":"a\\\\b"}]}', 'Invalid escape character at pos 2'],
      [
        '{"a":[{"wildcard":"*a*b*c*d*e*f*"}]}',
        'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character',
      ],
      ['{"a":[{"exists":"true"}]}', 'exists match pattern must be either true or false.'],
      ['{"a":[{"anything-but":null}]}', 'Value of anything-but must be an array or single string/number value.'],
      ['{"a":[{"anything-but":[true]}]}', 'Inside anything but list, start|null|boolean is not supported.'],
      ['{"a":[{"anything-but":["x",1]}]}', 'Inside anything but list, either all values are number or string, mixed type is not supported'],
      ['{"a":[{"anything-but":[]}]}', 'Inside anything but list, either all values are number or string, mixed type is not supported'],
      ['{"a":[{"anything-but":{"exists":true}}]}', 'Unsupported anything-but pattern: exists'],
      ['{"a":[{"anything-but":{"prefix":""}}]}', 'Null prefix/suffix not allowed'],
      ['{"a":[{"anything-but":{"prefix":1}}]}', 'prefix/suffix match pattern must be a string'],
      ['{"a":[{"anything-but":{"equals-ignore-case":1}}]}', 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'],
      ['{"a":[{"anything-but":{"wildcard":[1]}}]}', 'wildcard match pattern must be a string'],
      ['{"a":[{"anything-but":[6e9]}]}', 'Value must be between -5.0E9 and 5.0E9, inclusive'],
      ['{"a":[{"numeric":">"}]}', 'Value of numeric must be an array.'],
      ['{"a":[{"numeric":[]}]}', 'Invalid member in numeric match: ]'],
      ['{"a":[{"numeric":[5]}]}', 'Invalid member in numeric match: 5'],
      ['{"a":[{"numeric":["~",1]}]}', 'Unrecognized numeric range operator: ~'],
      ['{"a":[{"numeric":["=","x"]}]}', 'Value of equals must be numeric'],
      ['{"a":[{"numeric":["<","x"]}]}', 'Value of < must be numeric'],
      ['{"a":[{"numeric":["<",1,">",0]}]}', 'Too many elements in numeric expression'],
      ['{"a":[{"numeric":[">",0,5]}]}', 'Bad value in numeric range: 5'],
      ['{"a":[{"numeric":[">",0,">",5]}]}', 'Bad numeric range operator: >'],
      ['{"a":[{"numeric":[">",0,"<","x"]}]}', 'Value of < must be numeric'],
      ['{"a":[{"numeric":[">",5,"<",5]}]}', 'Bottom must be less than top'],
      ['{"a":[{"numeric":[">",0,"<",2,"<",3]}]}', 'Too many terms in numeric range expression'],
      ['{"a":[{"numeric":[">",6e9]}]}', 'Value must be between -5.0E9 and 5.0E9, inclusive'],
      ['{"a":[{"cidr":1}]}', 'prefix match pattern must be a string'],
      ['{"$or":{"a":["x"]}}', 'It must be an Array followed with $or.'],
      ['{"$or":[{"a":["x"]}]}', 'There must have at least 2 Objects in $or relationship.'],
      ['{"$or":[{"a":["x"]},"b"]}', 'Only JSON object is allowed in array of $or relationship.'],
      ['{"$or":[{"a":["x"]},{"numeric":["x"]}]}', 'numeric is Ruler reserved fieldName which cannot be used inside $or.'],
      ['{"a":["x"', 'Unexpected end-of-input: expected close marker for Array (start marker at [Source: (String)"{"a":["x""; line: 1, column: 6])'],
      ['{"a":[x]}', "Unrecognized token 'x': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"],
      ['{a:["x"]}', "Unexpected character ('a' (code 97)): was expecting double-quote to start field name"],
    ] as const
  ).map(([pattern, reason]) => ({ source: pattern.includes('$or') ? OPERATORS : ENGINE, pattern, reason })),
  // CIDR faults carry no parser location
  ...(
    [
      ['{"a":[{"cidr":"10.0.0.0"}]}', "Malformed CIDR, one '/' required"],
      ['{"a":[{"cidr":"10.0.0.0/x"}]}', 'Malformed CIDR, mask bits must be an integer'],
      ['{"a":[{"cidr":"10.0.0.0/-1"}]}', 'Malformed CIDR, mask bits must not be negative'],
      ['{"a":[{"cidr":"10.0.0.0/32"}]}', 'IPv4 mask bits must be < 32'],
      ['{"a":[{"cidr":"2001:db8::/128"}]}', 'IPv6 mask bits must be < 128'],
      ['{"a":[{"cidr":"host.example/8"}]}', 'Nonstandard IP address: host.example'],
      ['{"a":[{"cidr":"999.0.0.0/8"}]}', 'Invalid IP address: 999.0.0.0'],
    ] as const
  ).map(([pattern, reason]) => ({ source: OPERATORS, pattern, reason, message: reason })),
];
