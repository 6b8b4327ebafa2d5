/**
 * Data events reach the trails that select them (docs/architecture.md#delivery), end to end with the
 * official clients: S3 object calls made with /usr/bin/aws are delivered by a trail whose basic
 * selector names their bucket (writes only), not by one that names another prefix, and not by a
 * trail with default selectors (management events only); an advanced-selector trail takes reads
 * and writes of one bucket. They never appear in LookupEvents. The official validate-logs accepts
 * the data trail's chain.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { startServer, type TestServer } from './helpers/server.ts';
import { awsCli } from './helpers/clients.ts';
import { sdkLookup } from './helpers/history.ts';
import { cloudTrailBucketPolicy, listKeys, LOG_KEY, officialValidateLogs, readGzip, s3Client, waitFor } from './helpers/delivery.ts';

const ACCOUNT = '000000000000';
/** each trail's own log bucket */
const logs = (trail: string) => `logs-${trail}`;
const arn = (name: string) => `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${name}`;

let server: TestServer;
let started: Date;
interface Delivered {
  eventName: string;
  eventCategory: string;
  managementEvent: boolean;
  readOnly: boolean;
  resources?: { type: string; ARN: string }[];
}
/** trail name → its delivered records */
const byTrail = new Map<string, Delivered[]>();

function cli(args: string[]) {
  const r = awsCli(server.endpoint, server.root, args);
  assert.equal(r.status, 0, r.stderr);
  return r.json;
}

before(async () => {
  server = await startServer({ STARTRAIL_DELIVERY_INTERVAL: '1', STARTRAIL_DIGEST_INTERVAL: '3' });
});

after(async () => {
  await server?.dispose();
});

test('S3 object calls are delivered by the trails whose selectors ask for them, and only those', async () => {
  for (const b of ['data-a', 'data-b']) cli(['s3', 'mb', `s3://${b}`]);
  const trails = {
    // writes to objects of data-a, no management events
    'writes-a': [
      '--event-selectors',
      JSON.stringify([
        { ReadWriteType: 'WriteOnly', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::data-a/'] }] },
      ]),
    ],
    // a prefix no object is written under
    'prefix-miss': [
      '--event-selectors',
      JSON.stringify([
        { ReadWriteType: 'All', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::data-a/nothing-here/'] }] },
      ]),
    ],
    // reads and writes of data-b's objects, and management events
    'advanced-b': [
      '--advanced-event-selectors',
      JSON.stringify([
        { Name: 'management', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
        {
          Name: 'data-b objects',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
            { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::data-b/'] },
          ],
        },
      ]),
    ],
    // default selectors: management events only
    default: [] as string[],
  };
  for (const [name, selectors] of Object.entries(trails)) {
    cli(['s3', 'mb', `s3://${logs(name)}`]);
    cli(['s3api', 'put-bucket-policy', '--bucket', logs(name), '--policy', cloudTrailBucketPolicy(logs(name), ACCOUNT)]);
    cli(['cloudtrail', 'create-trail', '--name', name, '--s3-bucket-name', logs(name), '--enable-log-file-validation']);
    if (selectors.length) cli(['cloudtrail', 'put-event-selectors', '--trail-name', name, ...selectors]);
  }
  const got = cli(['cloudtrail', 'get-event-selectors', '--trail-name', 'writes-a']);
  assert.deepEqual(got.EventSelectors[0].DataResources, [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::data-a/'] }]);
  started = new Date();
  for (const name of Object.keys(trails)) cli(['cloudtrail', 'start-logging', '--name', name]);

  const dir = mkdtempSync(join(tmpdir(), 'data-events-'));
  writeFileSync(join(dir, 'x.txt'), 'object x');
  cli(['s3', 'cp', '--only-show-errors', join(dir, 'x.txt'), 's3://data-a/x.txt']); // PutObject, data-a
  cli(['s3', 'cp', '--only-show-errors', join(dir, 'x.txt'), 's3://data-b/y.txt']); // PutObject, data-b
  cli(['s3', 'cp', '--only-show-errors', 's3://data-a/x.txt', join(dir, 'back-a.txt')]); // GetObject (HeadObject first), data-a
  cli(['s3', 'cp', '--only-show-errors', 's3://data-b/y.txt', join(dir, 'back-b.txt')]); // GetObject (HeadObject first), data-b
  cli(['codestar', 'list-projects']); // a management event
  for (const name of Object.keys(trails)) cli(['cloudtrail', 'stop-logging', '--name', name]);

  const s3 = s3Client(server.endpoint, server.root);
  const ct = new CloudTrailClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: server.root });
  for (const name of Object.keys(trails)) {
    await waitFor(
      `${name}: the final digest`,
      async () => {
        const s = await ct.send(new GetTrailStatusCommand({ Name: name }));
        return s.LatestDigestDeliveryTime && s.StopLoggingTime && s.LatestDigestDeliveryTime >= s.StopLoggingTime;
      },
      40_000,
    );
    const records: Delivered[] = [];
    for (const key of await listKeys(s3, logs(name), `AWSLogs/${ACCOUNT}/CloudTrail/`)) {
      assert.match(key, LOG_KEY);
      records.push(...(JSON.parse(await readGzip(s3, logs(name), key)) as { Records: Delivered[] }).Records);
    }
    byTrail.set(name, records);
  }
  // "<eventName> <bucket>/<key>", read off the record's object resource
  const data = (name: string) =>
    byTrail
      .get(name)!
      .filter((r) => r.eventCategory === 'Data')
      .map((r) => `${r.eventName} ${r.resources?.find((x) => x.type === 'AWS::S3::Object')?.ARN.replace('arn:aws:s3:::', '')}`)
      .sort();
  const mgmt = (name: string) =>
    byTrail
      .get(name)!
      .filter((r) => r.eventCategory === 'Management')
      .map((r) => r.eventName);

  assert.deepEqual(data('writes-a'), ['PutObject data-a/x.txt'], 'writes to data-a only');
  assert.deepEqual(mgmt('writes-a'), [], 'IncludeManagementEvents false');
  assert.deepEqual(data('prefix-miss'), []);
  assert.deepEqual(data('advanced-b'), ['GetObject data-b/y.txt', 'HeadObject data-b/y.txt', 'PutObject data-b/y.txt']);
  assert.ok(mgmt('advanced-b').includes('ListProjects'));
  assert.deepEqual(data('default'), [], 'default selectors deliver no data event');
  assert.ok(mgmt('default').includes('ListProjects') && mgmt('default').includes('StopLogging'));

  const put = byTrail.get('writes-a')!.find((r) => r.eventName === 'PutObject')!;
  assert.equal(put.managementEvent, false);
  assert.equal(put.readOnly, false);
  assert.deepEqual(
    put.resources?.map((r) => [r.type, r.ARN]),
    [
      ['AWS::S3::Object', 'arn:aws:s3:::data-a/x.txt'],
      ['AWS::S3::Bucket', 'arn:aws:s3:::data-a'],
    ],
  );

  // Event history holds management events only
  const history = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventSource', AttributeValue: 's3.amazonaws.com' }]);
  assert.deepEqual([...new Set(history.map((e) => e.EventName))].sort(), ['CreateBucket', 'PutBucketPolicy']);
});

test('the official validate-logs accepts the chain of a trail that delivered data events', () => {
  const r = officialValidateLogs(server.endpoint, server.endpoint, server.root, [
    '--trail-arn',
    arn('writes-a'),
    '--start-time',
    new Date(started.getTime() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  ]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /\d+\/\d+ digest files valid/);
  assert.match(r.stdout, /1\/1 log files valid/);
});
