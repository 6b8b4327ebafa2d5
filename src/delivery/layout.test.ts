/** Key layout and derived unique strings (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html, https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html; docs/architecture.md#delivery). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digestFileKey, isoSeconds, logFileKey, uniqueString } from './layout.ts';

const ARN = 'arn:aws:cloudtrail:us-east-2:111122223333:trail/t';

test('log file keys follow AWS: date folders and minute of delivery, 16 alphanumerics', () => {
  const key = logFileKey({ accountId: '111122223333', region: 'us-east-2', time: new Date('2015-08-01T02:10:59.900Z'), unique: 'Mu0KsOhtH1ar15ZZ' });
  assert.equal(key, 'AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz');
  assert.equal(
    logFileKey({ prefix: 'a/b', accountId: '1', region: 'r', time: new Date(0), unique: 'x' }),
    'a/b/AWSLogs/1/CloudTrail/r/1970/01/01/1_CloudTrail_r_19700101T0000Z_x.json.gz',
  );
});

test('digest keys: source region, trail name, home region, end time with seconds; the CLI reads the date at [-24:-8]', () => {
  const key = digestFileKey({
    prefix: 'p',
    accountId: '111122223333',
    region: 'eu-west-1',
    trailName: 't',
    homeRegion: 'us-east-2',
    end: new Date('2015-08-12T04:01:31Z'),
  });
  assert.equal(
    key,
    'p/AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2015/08/12/111122223333_CloudTrail-Digest_eu-west-1_t_us-east-2_20150812T040131Z.json.gz',
  );
  assert.equal(key.slice(-24, -8), '20150812T040131Z');
  assert.equal(isoSeconds(new Date('2015-08-12T04:01:31.999Z')), '2015-08-12T04:01:31Z');
});

test('the unique string is a pure function of trail, region and sequence range', () => {
  const u = uniqueString(ARN, 'us-east-2', 10, 20);
  assert.match(u, /^[A-Za-z0-9]{16}$/);
  assert.equal(uniqueString(ARN, 'us-east-2', 10, 20), u);
  const others = [uniqueString(ARN, 'us-east-2', 10, 21), uniqueString(ARN, 'us-east-1', 10, 20), uniqueString(`${ARN}2`, 'us-east-2', 10, 20)];
  assert.equal(new Set([u, ...others]).size, 4);
});
