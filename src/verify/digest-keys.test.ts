/** Digest key layout and dates as the official CLI computes them (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html, https://github.com/aws/aws-cli/blob/develop/awscli/customizations/cloudtrail/validation.py). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDisplayDate, parseDate } from './dates.ts';
import { digestKey, digestKeyRegex, extractDigestKeyDate, listingMarker, selectDigestKeys, type DigestScope } from './digest-keys.ts';

const scope: DigestScope = { accountId: '123456789012', trailName: 'my-trail', homeRegion: 'us-east-1', sourceRegion: 'eu-west-1' };

async function* from(keys: string[]) {
  yield* keys;
}

describe('digest keys', () => {
  it('lays out a digest key with the delivering region first and the home region last', () => {
    assert.equal(
      digestKey(scope, new Date('2026-11-24T05:01:31Z')),
      'AWSLogs/123456789012/CloudTrail-Digest/eu-west-1/2026/11/24/123456789012_CloudTrail-Digest_eu-west-1_my-trail_us-east-1_20261124T050131Z.json.gz',
    );
    assert.equal(
      digestKey({ ...scope, prefix: 'logs/x', organizationId: 'o-abc' }, new Date('2026-01-02T00:00:00Z'), true),
      'logs/x/AWSLogs/o-abc/123456789012/CloudTrail-Digest/eu-west-1/2026/01/02/123456789012_CloudTrail-Digest_eu-west-1_my-trail_us-east-1_20260102T000000Z_backfill.json.gz',
    );
  });

  it('uses the key a digest one minute before the start would have as the listing marker', () => {
    assert.match(listingMarker(scope, new Date('2026-11-24T00:00:00Z')), /\/2026\/11\/23\/.*_20261123T235900Z\.json\.gz$/);
  });

  it('cuts the date at [-24:-8], or [-33:-17] for backfill keys', () => {
    assert.equal(extractDigestKeyDate(digestKey(scope, new Date('2026-11-24T05:00:00Z'))), '20261124T050000Z');
    assert.equal(extractDigestKeyDate(digestKey(scope, new Date('2026-11-24T05:00:00Z'), true)), '20261124T050000Z');
  });

  it("matches only this trail's keys", () => {
    const re = digestKeyRegex(scope);
    const k = digestKey(scope, new Date('2026-11-24T05:00:00Z'));
    assert.ok(re.test(k));
    assert.ok(!re.test(k.replace('my-trail', 'other')));
    assert.ok(!re.test(k.replace('_us-east-1_', '_us-west-2_')));
    assert.ok(!re.test(`x/${k}`));
    assert.ok(digestKeyRegex({ ...scope, prefix: 'a.b' }).test(`a.b/${k}`));
    assert.ok(!digestKeyRegex({ ...scope, prefix: 'a.b' }).test(`axb/${k}`));
  });

  it('keeps keys dated in [start, end + 1 h], stops past it, and splits backfill from standard', async () => {
    const at = (h: number, b = false) => digestKey(scope, new Date(Date.UTC(2026, 10, 24, h)), b);
    const listed = [at(1), at(2), at(3, true), 'AWSLogs/unrelated', at(4), at(5), at(6)];
    const r = await selectDigestKeys(from(listed), scope, new Date('2026-11-24T02:00:00Z'), new Date('2026-11-24T04:00:00Z'));
    assert.deepEqual(r, { standard: [at(2), at(4), at(5)], backfill: [at(3, true)] });
  });
});

describe('dates', () => {
  it('reads the forms people pass to --start-time, as UTC wall-clock time', () => {
    for (const [text, want] of [
      ['2015-01-08T05:21:42Z', '2015-01-08T05:21:42Z'],
      ['2015-01-08', '2015-01-08T00:00:00Z'],
      ['2015-01-08 05:21', '2015-01-08T05:21:00Z'],
      ['20150108T052142Z', '2015-01-08T05:21:42Z'],
      ['2015-01-08T05:21:42.999+02:00', '2015-01-08T05:21:42Z'],
    ] as const)
      assert.equal(formatDisplayDate(parseDate(text)), want, text);
  });

  it("rejects what is not a date with the CLI's message", () => {
    assert.throws(() => parseDate('garbage'), { message: 'Unable to parse date value: garbage' });
    assert.throws(() => parseDate('2026-02-31'), /Unable to parse date value/);
  });
});
