/**
 * Bad input, table-driven: each malformed request gets AWS's error in the protocol's form with a
 * 4xx status, the server keeps serving, and nothing changes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startServer, type TestServer } from './helpers/server.ts';
import { sdkConfig } from './helpers/clients.ts';
import { form, json, signedFetch } from './helpers/raw.ts';

let server: TestServer;
const LIMIT = 8192;

before(async () => {
  server = await startServer({ STARTRAIL_MAX_BODY_BYTES: String(LIMIT) });
});
after(async () => {
  await server?.dispose();
});

interface Case {
  name: string;
  service: string;
  headers: Record<string, string>;
  body: string;
  status: number;
  code: string;
  message?: RegExp;
}

const CS = 'CodeStar_20170419.';
const cases: Case[] = [
  { name: 'malformed JSON', service: 'codestar', headers: json(CS + 'DescribeProject'), body: '{"id":', status: 400, code: 'SerializationException' },
  {
    name: 'JSON array instead of an object',
    service: 'codestar',
    headers: json(CS + 'DescribeProject'),
    body: '["p"]',
    status: 400,
    code: 'SerializationException',
  },
  {
    name: 'wrong member type (number for string)',
    service: 'codestar',
    headers: json(CS + 'DescribeProject'),
    body: '{"id": 5}',
    status: 400,
    code: 'SerializationException',
    message: /can not be converted to a String at 'id'/,
  },
  {
    name: 'wrong member type (string for boolean)',
    service: 'codestar',
    headers: json(CS + 'DeleteProject'),
    body: '{"id": "p1", "deleteStack": "yes"}',
    status: 400,
    code: 'SerializationException',
  },
  {
    name: 'missing required member',
    service: 'codestar',
    headers: json(CS + 'DescribeProject'),
    body: '{}',
    status: 400,
    code: 'ValidationException',
    message: /^1 validation error detected: Value null at 'id' failed to satisfy constraint: Member must not be null$/,
  },
  {
    name: 'over-long value',
    service: 'codestar',
    headers: json(CS + 'DescribeProject'),
    body: JSON.stringify({ id: 'a'.repeat(16) }),
    status: 400,
    code: 'ValidationException',
    message: /Member must have length less than or equal to 15/,
  },
  { name: 'unknown JSON operation', service: 'codestar', headers: json(CS + 'LaunchRocket'), body: '{}', status: 400, code: 'UnknownOperationException' },
  {
    name: 'unknown target prefix',
    service: 'codestar',
    headers: json('Nope_20200101.ListProjects'),
    body: '{}',
    status: 400,
    code: 'UnknownOperationException',
  },
  {
    name: 'oversized JSON body',
    service: 'codestar',
    headers: json(CS + 'ListProjects'),
    body: JSON.stringify({ pad: 'x'.repeat(LIMIT) }),
    status: 413,
    code: 'SerializationException',
  },
  {
    name: 'malformed form encoding',
    service: 'iam',
    headers: form,
    body: 'Action=ListUsers&Version=2010-05-08&Marker=%E0%A4%A',
    status: 400,
    code: 'MalformedQueryString',
  },
  { name: 'unknown Query action', service: 'iam', headers: form, body: 'Action=LaunchRocket&Version=2010-05-08', status: 400, code: 'InvalidAction' },
  { name: 'no Action at all', service: 'iam', headers: form, body: 'Version=2010-05-08', status: 400, code: 'InvalidAction' },
  {
    name: 'wrong Query member type',
    service: 'iam',
    headers: form,
    body: 'Action=ListUsers&Version=2010-05-08&MaxItems=ten',
    status: 400,
    code: 'ValidationError',
  },
  {
    name: 'missing required Query member',
    service: 'iam',
    headers: form,
    body: 'Action=CreateUser&Version=2010-05-08',
    status: 400,
    code: 'ValidationError',
    message: /Value null at 'userName' failed to satisfy constraint: Member must not be null/,
  },
  {
    name: 'over-long Query value',
    service: 'iam',
    headers: form,
    body: `Action=CreateUser&Version=2010-05-08&UserName=${'u'.repeat(65)}`,
    status: 400,
    code: 'ValidationError',
    message: /Member must have length less than or equal to 64/,
  },
  {
    name: 'value outside its range',
    service: 'sts',
    headers: form,
    body: 'Action=GetSessionToken&Version=2011-06-15&DurationSeconds=10',
    status: 400,
    code: 'ValidationError',
    message: /Member must have value greater than or equal to 900/,
  },
  {
    name: 'oversized form body',
    service: 'sts',
    headers: form,
    body: `Action=GetCallerIdentity&Version=2011-06-15&Pad=${'x'.repeat(LIMIT)}`,
    status: 413,
    code: 'RequestEntityTooLarge',
  },
];

function errorCode(body: string): { code?: string; message?: string } {
  if (body.startsWith('{')) {
    const j = JSON.parse(body);
    return { code: j.__type, message: j.message };
  }
  return { code: /<Code>([^<]*)<\/Code>/.exec(body)?.[1], message: /<Message>([^<]*)<\/Message>/.exec(body)?.[1] };
}

for (const c of cases) {
  test(`bad input: ${c.name} → ${c.status} ${c.code}`, async () => {
    const before = (await new IAMClient(sdkConfig(server.endpoint, server.root)).send(new ListUsersCommand({}))).Users!.length;
    const r = await signedFetch(server.endpoint, server.root, c.service, c.headers, c.body);
    assert.equal(r.status, c.status, r.body);
    const { code, message } = errorCode(r.body);
    assert.equal(code, c.code, r.body);
    if (c.message) assert.match(message ?? '', c.message);
    assert.ok(r.headers.get('x-amzn-requestid'));
    // still serving, nothing changed
    const id = await new STSClient(sdkConfig(server.endpoint, server.root)).send(new GetCallerIdentityCommand({}));
    assert.equal(id.Account, '000000000000');
    const after = (await new IAMClient(sdkConfig(server.endpoint, server.root)).send(new ListUsersCommand({}))).Users!.length;
    assert.equal(after, before);
  });
}
