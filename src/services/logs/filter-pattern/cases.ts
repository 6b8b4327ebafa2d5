/**
 * The filter-pattern table: (pattern, log event, match?, extracted value) from AWS's documentation,
 * cited per group. filter-pattern.test.ts runs it in process; test/e2e/filter-patterns.test.ts runs it
 * through TestMetricFilter over the wire.
 */

export interface MatchCase {
  pattern: string;
  message: string;
  match: boolean;
  /** a metric value spec and what it yields on this event (when it matches) */
  value?: { spec: string; expected: number | undefined };
  /** a dimension spec and the text it yields */
  text?: { spec: string; expected: string | undefined };
  source: string;
}

export interface InvalidCase {
  pattern: string;
  source: string;
}

const SYNTAX = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html';
const TERMS = `${SYNTAX}#matching-terms-unstructured-log-events`;
const JSON_PAGE = `${SYNTAX}#matching-terms-json-log-events`;
const DELIM = `${SYNTAX}#matching-terms-space-delimited-log-events`;
const REGEX = `${SYNTAX}#regex-expressions`;
const VALUES = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringPolicyExamples.html';

const ERR400 = '[ERROR 400] BAD REQUEST';
const ERR401 = '[ERROR 401] UNAUTHORIZED REQUEST';
const ERR419 = '[ERROR 419] MISSING ARGUMENTS';
const ERR420 = '[ERROR 420] INVALID ARGUMENTS';
const OK200 = '[SUCCESS 200] AUTHORIZED REQUEST';
const WARN = '[WARN 100] SLOW REQUEST';

const terms = (pattern: string, rows: [string, boolean][]): MatchCase[] => rows.map(([message, match]) => ({ pattern, message, match, source: TERMS }));

/** The JSON log event of AWS's JSON examples. */
export const JSON_EVENT = JSON.stringify({
  eventType: 'UpdateTrail',
  sourceIPAddress: '123.123.123.123',
  arrayKey: ['value', 'another value'],
  objectList: [
    { name: 'a', id: 1 },
    { name: 'b', id: 2 },
  ],
  SomeObject: null,
  cluster: true,
  bandwidth: 1200,
  latency: 90,
  ThisFlag: true,
  user: { id: 1, email: 'John.Doe@example.com' },
  users: [
    { id: 2, email: 'John.Doe@example.com' },
    { id: 3, email: 'Jane.Doe@example.com' },
  ],
  message: 'bind: address already in use',
  errorCode: 'AccessDenied',
  count: '42',
});

const json = (pattern: string, match: boolean, extra: Partial<MatchCase> = {}): MatchCase => ({
  pattern,
  message: JSON_EVENT,
  match,
  source: JSON_PAGE,
  ...extra,
});

/** AWS's space-delimited example: an Apache-style access log line. */
export const APACHE = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534';
const APACHE_404 = '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /index.html HTTP/1.0" 404 2326';
const APACHE_500 = '10.0.0.7 - - [10/Oct/2000:14:01:02 -0700] "POST /api HTTP/1.1" 500 10';
const FULL = '[ip, user, username, timestamp, request, status_code, bytes]';

const delim = (pattern: string, message: string, match: boolean, extra: Partial<MatchCase> = {}): MatchCase => ({
  pattern,
  message,
  match,
  source: DELIM,
  ...extra,
});

export const MATCH_CASES: MatchCase[] = [
  // Everything
  { pattern: '', message: ERR400, match: true, source: SYNTAX },
  { pattern: '""', message: 'anything at all', match: true, source: TERMS },
  { pattern: '" "', message: OK200, match: true, source: TERMS },
  // Single term, case-sensitive
  ...terms('ERROR', [
    [ERR400, true],
    [ERR401, true],
    [ERR419, true],
    [OK200, false],
    ['[error 400] bad request', false],
    ['ERRORS everywhere', false],
    ['status=ERROR', true],
  ]),
  // Terms joined by spaces: all must appear
  ...terms('ERROR ARGUMENTS', [
    [ERR419, true],
    [ERR420, true],
    [ERR400, false],
    [OK200, false],
  ]),
  // Exact phrases
  ...terms('"INVALID ARGUMENTS"', [
    [ERR420, true],
    [ERR419, false],
    ['ARGUMENTS INVALID', false],
  ]),
  ...terms('"[ERROR 400]"', [
    [ERR400, true],
    [ERR401, false],
  ]),
  // OR terms
  ...terms('?ERROR ?ARGUMENTS', [
    [ERR400, true],
    [ERR420, true],
    [OK200, false],
    [WARN, false],
  ]),
  ...terms('?ERROR ?WARN', [
    [WARN, true],
    [ERR401, true],
    [OK200, false],
  ]),
  // Exclusion
  ...terms('ERROR -ARGUMENTS', [
    [ERR400, true],
    [ERR401, true],
    [ERR419, false],
    [ERR420, false],
  ]),
  ...terms('ERROR -"BAD REQUEST"', [
    [ERR400, false],
    [ERR401, true],
  ]),
  ...terms('REQUEST -UNAUTHORIZED -BAD', [
    [OK200, true],
    [ERR401, false],
    [ERR400, false],
  ]),
  // Numbers as terms
  ...terms('401', [
    [ERR401, true],
    [ERR400, false],
  ]),
  // Regex
  { pattern: '%AUTHORIZED%', message: ERR401, match: true, source: REGEX },
  { pattern: '%AUTHORIZED%', message: OK200, match: true, source: REGEX },
  { pattern: '%AUTHORIZED%', message: ERR400, match: false, source: REGEX },
  { pattern: '%[Ee]rror|[Ff]ail%', message: 'connection error', match: true, source: REGEX },
  { pattern: '%[Ee]rror|[Ff]ail%', message: 'Failed to bind', match: true, source: REGEX },
  { pattern: '%[Ee]rror|[Ff]ail%', message: 'all good', match: false, source: REGEX },
  { pattern: '%\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}%', message: 'from 10.0.0.1 port 22', match: true, source: REGEX },
  { pattern: '%\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}%', message: 'from localhost', match: false, source: REGEX },
  { pattern: '%^\\[ERROR%', message: ERR400, match: true, source: REGEX },
  { pattern: '%^\\[ERROR%', message: `x ${ERR400}`, match: false, source: REGEX },
  { pattern: '%REQUEST$%', message: ERR400, match: true, source: REGEX },
  { pattern: '%colou?r%', message: 'favourite colour', match: true, source: REGEX },
  // JSON: strings
  json('{ $.eventType = "UpdateTrail" }', true),
  json('{ $.eventType = UpdateTrail }', true),
  json('{ $.eventType = "updatetrail" }', false),
  json('{ $.eventType != "UpdateTrail" }', false),
  json('{ $.eventType != "CreateTrail" }', true),
  json('{ $.eventType = "Update*" }', true),
  json('{ $.eventType = "*Trail" }', true),
  json('{ $.eventType = "*date*" }', true),
  json('{ $.eventType = "Create*" }', false),
  json('{ $.sourceIPAddress != 123.123.* }', false),
  json('{ $.sourceIPAddress != 124.* }', true),
  json('{ $.sourceIPAddress = 123.123.* }', true),
  json('{ $.missing = "x" }', false),
  json('{ $.missing != "x" }', false),
  // JSON: arrays and nested objects
  json('{ $.arrayKey[0] = "value" }', true),
  json('{ $.arrayKey[1] = "another value" }', true),
  json('{ $.arrayKey[2] = "value" }', false),
  json('{ $.objectList[1].id = 2 }', true),
  json('{ $.objectList[0].name = "b" }', false),
  json('{ $.user.email = "John.Doe@example.com" }', true),
  json('{ $.users[1].email = "Jane.Doe@example.com" }', true),
  json('{ $.user.id = 1 && $.users[0].email = "John.Doe@example.com" }', true),
  json('{ ($.user.id = 2) && ($.users[0].email = "John.Doe@example.com") }', false),
  json('{ $.user = "x" }', false),
  // JSON: numbers
  json('{ $.bandwidth > 1000 }', true),
  json('{ $.bandwidth >= 1200 }', true),
  json('{ $.bandwidth < 1200 }', false),
  json('{ $.bandwidth <= 1200 }', true),
  json('{ $.bandwidth = 1200 }', true),
  json('{ $.bandwidth != 1200 }', false),
  json('{ $.latency > 100 }', false),
  json('{ $.latency < 100 }', true),
  json('{ $.latency = 9e1 }', true),
  json('{ $.count = 42 }', true),
  json('{ $.count > 40 }', true),
  // JSON: IS TRUE / FALSE / NULL, NOT EXISTS
  json('{ $.ThisFlag IS TRUE }', true),
  json('{ $.ThisFlag IS FALSE }', false),
  json('{ $.cluster IS TRUE }', true),
  json('{ $.eventType IS TRUE }', false),
  json('{ $.SomeObject IS NULL }', true),
  json('{ $.eventType IS NULL }', false),
  json('{ $.SomeOtherObject NOT EXISTS }', true),
  json('{ $.SomeObject NOT EXISTS }', false),
  json('{ $.missing IS NULL }', false),
  // JSON: compound
  json('{ ($.user.id = 1) || ($.user.id = 2) }', true),
  json('{ ($.user.id = 5) || ($.user.id = 6) }', false),
  json('{ ($.eventType = "UpdateTrail" && $.bandwidth > 2000) || $.latency < 100 }', true),
  json('{ $.eventType = "UpdateTrail" && ($.bandwidth > 2000 || $.latency > 100) }', false),
  json('{ $.eventType = "X" || $.eventType = "UpdateTrail" && $.latency = 90 }', true),
  json('{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}', true),
  // JSON: regex values
  json('{ $.message = %bind: address already in use% }', true),
  json('{ $.message = %^bind% }', true),
  json('{ $.message != %^bind% }', false),
  json('{ $.eventType = %Trail$% && $.errorCode = %^Access% }', true),
  // JSON patterns on events that are not JSON
  { pattern: '{ $.eventType = "UpdateTrail" }', message: 'eventType = UpdateTrail', match: false, source: JSON_PAGE },
  { pattern: '{ $.eventType NOT EXISTS }', message: 'not json', match: false, source: JSON_PAGE },
  // JSON: metric values and dimensions
  json('{ $.latency > 0 }', true, { value: { spec: '$.latency', expected: 90 } }),
  json('{ $.bandwidth > 0 }', true, { value: { spec: '$.bandwidth', expected: 1200 }, text: { spec: '$.eventType', expected: 'UpdateTrail' } }),
  json('{ $.eventType = "UpdateTrail" }', true, { value: { spec: '$.count', expected: 42 }, text: { spec: '$.sourceIPAddress', expected: '123.123.123.123' } }),
  json('{ $.eventType = "UpdateTrail" }', true, { value: { spec: '$.eventType', expected: undefined }, text: { spec: '$.nothing', expected: undefined } }),
  json('{ $.eventType = "UpdateTrail" }', true, { value: { spec: '1', expected: 1 }, text: { spec: '$.users[1].email', expected: 'Jane.Doe@example.com' } }),
  // Space-delimited
  delim(FULL, APACHE, true),
  delim(FULL, `${APACHE} extra`, false),
  delim('[ip, user, username, timestamp, request, status_code]', APACHE, false),
  delim('[ip, user, username, timestamp, request, status_code = 200, bytes]', APACHE, true),
  delim('[ip, user, username, timestamp, request, status_code = 404, bytes]', APACHE, false),
  delim('[ip, user, username, timestamp, request, status_code = 4*, bytes]', APACHE_404, true),
  delim('[ip, user, username, timestamp, request, status_code = 4*, bytes]', APACHE, false),
  delim('[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]', APACHE_404, true),
  delim('[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]', APACHE, false),
  delim('[ip, user, username, timestamp, request, status_code, bytes > 1000]', APACHE, true),
  delim('[ip, user, username, timestamp, request, status_code, bytes > 5000]', APACHE, false),
  delim('[ip, user, username = frank, ...]', APACHE, true),
  delim('[ip, user, username = frank, ...]', APACHE_500, false),
  delim('[ip = 127.0.0.1, ...]', APACHE, true),
  delim('[ip != 127.0.0.1, ...]', APACHE_500, true),
  delim('[..., status_code, bytes]', APACHE, true, { value: { spec: '$bytes', expected: 1534 }, text: { spec: '$status_code', expected: '200' } }),
  delim('[..., status_code = 4* || status_code = 5*, bytes]', APACHE_500, true),
  delim('[..., status_code = 4* || status_code = 5*, bytes]', APACHE, false),
  delim('[..., status_code >= 400 && status_code < 500, bytes]', APACHE_404, true),
  delim('[..., status_code >= 400 && status_code < 500, bytes]', APACHE_500, false),
  delim('[ip, ..., bytes]', APACHE, true, { value: { spec: '$bytes', expected: 1534 }, text: { spec: '$ip', expected: '127.0.0.1' } }),
  delim(FULL, APACHE, true, { text: { spec: '$timestamp', expected: '10/Oct/2000:13:25:15 -0700' } }),
  delim(FULL, APACHE, true, { text: { spec: '$request', expected: 'GET /apache_pb.gif HTTP/1.0' }, value: { spec: '$user', expected: undefined } }),
  delim('[w1 = ERROR, w2]', 'ERROR 400', true),
  delim('[w1 = ERROR, w2]', 'WARN 400', false),
  delim('[w1 = %^ERR%, ...]', 'ERROR 400 BAD', true),
  delim('[..., request = %\\.gif%, status_code, bytes]', APACHE, true),
  delim('[w1, w2]', '"quoted field" second', true, { text: { spec: '$w1', expected: 'quoted field' } }),
  // Metric values on patterns without fields: literals only
  { pattern: 'ERROR', message: ERR400, match: true, value: { spec: '1', expected: 1 }, source: VALUES },
  { pattern: 'ERROR', message: ERR400, match: true, value: { spec: '2.5', expected: 2.5 }, source: VALUES },
];

export const INVALID_CASES: InvalidCase[] = [
  { pattern: '{ $.eventType = "UpdateTrail"', source: JSON_PAGE },
  { pattern: '{ }', source: JSON_PAGE },
  { pattern: '{ eventType = "UpdateTrail" }', source: JSON_PAGE },
  { pattern: '{ $.eventType = }', source: JSON_PAGE },
  { pattern: '{ $.eventType "UpdateTrail" }', source: JSON_PAGE },
  { pattern: '{ $.eventType = "UpdateTrail" && }', source: JSON_PAGE },
  { pattern: '{ ($.eventType = "UpdateTrail" }', source: JSON_PAGE },
  { pattern: '{ $.eventType = "UpdateTrail }', source: JSON_PAGE },
  { pattern: '{ $.bandwidth > "high" }', source: JSON_PAGE },
  { pattern: '{ $.eventType IS MAYBE }', source: JSON_PAGE },
  { pattern: '{ $.eventType & $.x }', source: JSON_PAGE },
  { pattern: '{ $.a[x] = 1 }', source: JSON_PAGE },
  { pattern: '{ $.a = %a% && $.b = %b% && $.c = %c% }', source: REGEX },
  { pattern: '[ip, user', source: DELIM },
  { pattern: '[]', source: DELIM },
  { pattern: '[ip, ip]', source: DELIM },
  { pattern: '[ip, status = ]', source: DELIM },
  { pattern: '[status > abc]', source: DELIM },
  { pattern: '[a = 1 || b = 2]', source: DELIM },
  { pattern: '%something!%', source: REGEX },
  { pattern: '%(a|b)%', source: REGEX },
  { pattern: '%unterminated', source: REGEX },
  { pattern: '"unterminated phrase', source: TERMS },
  { pattern: 'a=b', source: TERMS },
];
