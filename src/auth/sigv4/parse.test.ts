/** Table tests for SigV4 credential parsing and the request-time check (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRequestTime, parseSigV4, SigV4Error, type SignedRequest, type SigV4FailureKind } from './index.ts';

const SIG = 'f'.repeat(64);
const CRED = 'AKIDEXAMPLE/20150830/us-east-1/codestar/aws4_request';
const AUTH = `AWS4-HMAC-SHA256 Credential=${CRED}, SignedHeaders=host;x-amz-date, Signature=${SIG}`;

function req(headers: SignedRequest['headers'], rawQuery = ''): SignedRequest {
  return { method: 'POST', rawPath: '/', rawQuery, headers: { host: 'localhost', ...headers }, body: Buffer.alloc(0) };
}
const presigned = (q: Record<string, string>) =>
  Object.entries({
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': CRED,
    'X-Amz-Date': '20150830T123600Z',
    'X-Amz-Expires': '60',
    'X-Amz-SignedHeaders': 'host',
    'X-Amz-Signature': SIG,
    ...q,
  })
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');

const fails = (kind: SigV4FailureKind, message: string | RegExp) => (e: unknown) =>
  e instanceof SigV4Error && e.kind === kind && (typeof message === 'string' ? e.message === message : message.test(e.message));

const DATE = { 'x-amz-date': '20150830T123600Z' };
const parseCases: [string, SignedRequest, SigV4FailureKind, string | RegExp][] = [
  ['no credential at all', req(DATE), 'missing', 'Missing Authentication Token'],
  ['empty Authorization', req({ ...DATE, authorization: ' ' }), 'missing', 'Missing Authentication Token'],
  [
    'Bearer token',
    req({ ...DATE, authorization: 'Bearer abc' }),
    'incomplete',
    "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=Bearer abc",
  ],
  [
    'Bearer token, no date',
    req({ authorization: 'Bearer abc' }),
    'incomplete',
    /requires 'SignedHeaders' parameter\. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header\. Authorization=Bearer abc$/,
  ],
  [
    'no Signature',
    req({ ...DATE, authorization: `AWS4-HMAC-SHA256 Credential=${CRED}, SignedHeaders=host;x-amz-date` }),
    'incomplete',
    `Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 Credential=${CRED}, SignedHeaders=host;x-amz-date`,
  ],
  [
    'space after Credential=',
    req({ ...DATE, authorization: AUTH.replace('Credential=', 'Credential= ') }),
    'incomplete',
    /^'AKIDEXAMPLE\/20150830\/us-east-1\/codestar\/aws4_request' not a valid key=value pair \(missing equal-sign\) in Authorization header: 'AWS4-HMAC-SHA256 Credential= AKID/,
  ],
  ['credential with 4 parts', req({ ...DATE, authorization: AUTH.replace('/codestar', '') }), 'incomplete', /^Credential is malformed/],
  ['bad scope date', req({ ...DATE, authorization: AUTH.replace('20150830', '2015-08-30') }), 'incomplete', /scoped to a valid date/],
  [
    'bad terminator',
    req({ ...DATE, authorization: AUTH.replace('aws4_request', 'aws5_request') }),
    'incomplete',
    "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'.",
  ],
  [
    'host not signed',
    req({ ...DATE, authorization: AUTH.replace('host;', '') }),
    'incomplete',
    "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
  ],
  [
    'x-amz-date not signed',
    req({ ...DATE, authorization: AUTH.replace(';x-amz-date', '') }),
    'incomplete',
    "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
  ],
  ['empty SignedHeaders entry', req({ ...DATE, authorization: AUTH.replace('host;', 'host;;') }), 'incomplete', /SignedHeaders is malformed/],
  [
    'extended X-Amz-Date',
    req({ 'x-amz-date': '2015-08-30T12:36:00Z', authorization: AUTH }),
    'incomplete',
    "Date must be in ISO-8601 'basic format'. Got '2015-08-30T12:36:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
  ],
  ['impossible X-Amz-Date', req({ 'x-amz-date': '20150231T123600Z', authorization: AUTH }), 'incomplete', /basic format/],
  ['header and query both', req({ ...DATE, authorization: AUTH }, presigned({})), 'incomplete', /^Only one auth mechanism allowed/],
  [
    'query without X-Amz-Signature',
    req({}, presigned({ 'X-Amz-Signature': '' })),
    'incomplete',
    'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
  ],
  ['query without X-Amz-Expires', req({}, presigned({ 'X-Amz-Expires': '' })), 'incomplete', /requires the X-Amz-Algorithm/],
  ['query with SigV4a', req({}, presigned({ 'X-Amz-Algorithm': 'AWS4-ECDSA-P256-SHA256' })), 'incomplete', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"'],
  ['query expiring after a week', req({}, presigned({ 'X-Amz-Expires': '604801' })), 'incomplete', /less than a week/],
  ['query with host unsigned', req({}, presigned({ 'X-Amz-SignedHeaders': 'x-amz-date' })), 'incomplete', /'Host' or ':authority'/],
];
for (const [name, request, kind, message] of parseCases) {
  test(`parseSigV4 rejects: ${name}`, () => assert.throws(() => parseSigV4(request), fails(kind, message)));
}

test('parseSigV4 reads header credentials, token and Date-header time', () => {
  const a = parseSigV4(req({ ...DATE, authorization: AUTH, 'x-amz-security-token': 'tok' }));
  assert.deepEqual(
    { ...a, requestTime: a.requestTime.toISOString() },
    {
      kind: 'header',
      accessKeyId: 'AKIDEXAMPLE',
      scopeDate: '20150830',
      region: 'us-east-1',
      service: 'codestar',
      signedHeaders: ['host', 'x-amz-date'],
      signature: SIG,
      requestTime: '2015-08-30T12:36:00.000Z',
      amzDate: '20150830T123600Z',
      securityToken: 'tok',
    },
  );
  const d = parseSigV4(req({ date: 'Sun, 30 Aug 2015 12:36:00 GMT', authorization: AUTH.replace('x-amz-date', 'date') }));
  assert.equal(d.amzDate, '20150830T123600Z');
  const q = parseSigV4(req({}, presigned({ 'X-Amz-Security-Token': 'a+b/c=' })));
  assert.deepEqual([q.kind, q.expiresSeconds, q.securityToken, q.signedHeaders], ['query', 60, 'a+b/c=', ['host']]);
});

/** Parses a header-signed request dated `amzDate`, scoped to `scopeDate` (default: the same day). */
const at = (amzDate: string, scopeDate = amzDate.slice(0, 8)) => parseSigV4(req({ 'x-amz-date': amzDate, authorization: AUTH.replace('20150830', scopeDate) }));
const amz = (d: Date) =>
  d
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
const T = new Date('2015-08-30T12:36:00Z');
const plus = (minutes: number) => new Date(T.getTime() + minutes * 60_000);

test('checkRequestTime: AWS messages for past and future skew', () => {
  assert.throws(
    () => checkRequestTime(at('20140325T143453Z'), new Date('2014-03-25T14:52:51Z')),
    fails('skew', 'Signature expired: 20140325T143453Z is now earlier than 20140325T143751Z (20140325T145251Z - 15 min.)'),
  );
  assert.throws(
    () => checkRequestTime(at('20140325T150000Z'), new Date('2014-03-25T14:27:51Z')),
    fails('skew', 'Signature not yet current: 20140325T150000Z is still later than 20140325T144251Z (20140325T142751Z + 15 min.)'),
  );
});

const skewCases: [string, Date, boolean][] = [
  ['request 16 min old', plus(16), false],
  ['request 16 min ahead', plus(-16), false],
  ['request 14 min old', plus(14), true],
  ['request 14 min ahead', plus(-14), true],
  ['exactly 15 min old', plus(15), true],
];
for (const [name, now, ok] of skewCases) {
  test(`checkRequestTime: ${name} → ${ok ? 'ok' : 'skew'}`, () => {
    const run = () => checkRequestTime(at(amz(T)), now);
    if (ok) run();
    else assert.throws(run, fails('skew', /^Signature (expired|not yet current): 20150830T123600Z /));
  });
}

test('checkRequestTime: presigned URLs live for X-Amz-Expires, not the skew window', () => {
  const q = parseSigV4(req({}, presigned({ 'X-Amz-Expires': '3600' })));
  checkRequestTime(q, plus(30));
  checkRequestTime(q, plus(60));
  assert.throws(() => checkRequestTime(q, new Date(plus(60).getTime() + 1000)), fails('expired', 'Request has expired'));
  assert.throws(() => checkRequestTime(q, plus(-16)), fails('skew', /^Signature not yet current/));
  const short = parseSigV4(req({}, presigned({ 'X-Amz-Expires': '60' })));
  assert.throws(() => checkRequestTime(short, plus(1.1)), fails('expired', 'Request has expired'));
});

test('checkRequestTime: X-Amz-Date day must equal the scope date', () => {
  assert.throws(
    () => checkRequestTime(at('20150831T000100Z', '20150830'), new Date('2015-08-31T00:01:00Z')),
    fails('incomplete', /^Date in Credential scope does not match YYYYMMDD .*'20150830' != '20150831'/),
  );
});
