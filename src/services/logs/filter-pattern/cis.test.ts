import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CIS_METRIC_FILTERS } from './cis.ts';
import { RECORDS_FILE } from '../../../reference-data.ts';
import { matchFilterPattern, parseFilterPattern } from './index.ts';

/** Real and documented CloudTrail records (reference-data.ts), one JSON text per line. */
const lines = readFileSync(RECORDS_FILE, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '');
const records = lines.map((text) => ({ text, record: JSON.parse(text) as Record<string, unknown> }));

/** An ordinary record: a successful read by an IAM user. */
const ordinary = records.find((r) => r.record.eventName === 'DescribeInstances' && r.record.errorCode === undefined);

describe('CIS / Security Hub CloudWatch.1–14 metric filters on CloudTrail records', () => {
  it('has all fourteen controls', () => {
    assert.deepEqual(
      CIS_METRIC_FILTERS.map((f) => f.control),
      Array.from({ length: 14 }, (_, i) => `CloudWatch.${i + 1}`),
    );
    assert.ok(ordinary, 'an ordinary DescribeInstances record among the reference records');
  });
  for (const f of CIS_METRIC_FILTERS) {
    it(`${f.control} parses, matches the records it targets and not an ordinary one`, () => {
      const p = parseFilterPattern(f.pattern);
      const hits = records.filter((r) => matchFilterPattern(p, r.text) !== null);
      assert.ok(hits.length > 0, `${f.control}: no reference record matches`);
      assert.ok(hits.length < records.length / 4, `${f.control}: ${hits.length} of ${records.length} match`);
      assert.equal(matchFilterPattern(p, ordinary?.text ?? ''), null);
    });
  }
  it('targets what each control means', () => {
    const by = (control: string) => parseFilterPattern(CIS_METRIC_FILTERS.find((f) => f.control === control)?.pattern ?? '');
    const hits = (control: string) => records.filter((r) => matchFilterPattern(by(control), r.text) !== null).map((r) => r.record);
    for (const r of hits('CloudWatch.1')) assert.equal((r.userIdentity as { type?: string }).type, 'Root');
    for (const r of hits('CloudWatch.2')) assert.match(String(r.errorCode), /UnauthorizedOperation$|^AccessDenied/);
    for (const r of hits('CloudWatch.3')) assert.equal(r.eventName, 'ConsoleLogin');
    for (const r of hits('CloudWatch.6')) assert.equal(r.errorMessage, 'Failed authentication');
    for (const r of hits('CloudWatch.7')) assert.equal(r.eventSource, 'kms.amazonaws.com');
    for (const r of hits('CloudWatch.8')) assert.equal(r.eventSource, 's3.amazonaws.com');
    // A root call made by an AWS service on the root's behalf is not root usage.
    const invoked = { userIdentity: { type: 'Root', invokedBy: 'cloudformation.amazonaws.com' }, eventType: 'AwsApiCall' };
    assert.equal(matchFilterPattern(by('CloudWatch.1'), JSON.stringify(invoked)), null);
    assert.notEqual(matchFilterPattern(by('CloudWatch.1'), JSON.stringify({ ...invoked, userIdentity: { type: 'Root' } })), null);
  });
});
