import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextFireTime, parseSchedule, ScheduleError } from './schedule.ts';

const next = (expr: string, after: string) => nextFireTime(parseSchedule(expr), new Date(after))?.toISOString();
/** The first `n` fire times after `after`. */
function fires(expr: string, after: string, n: number): string[] {
  const s = parseSchedule(expr);
  const out: string[] = [];
  let t: Date | undefined = new Date(after);
  for (let i = 0; i < n && t; i++) {
    t = nextFireTime(s, t);
    if (t) out.push(t.toISOString());
  }
  return out;
}

describe('parseSchedule', () => {
  it('accepts the documented rate and cron examples', () => {
    for (const e of [
      'rate(1 minute)',
      'rate(5 minutes)',
      'rate(1 hour)',
      'rate(12 hours)',
      'rate(1 day)',
      'rate(7 days)',
      'cron(0 10 * * ? *)',
      'cron(15 12 * * ? *)',
      'cron(0 18 ? * MON-FRI *)',
      'cron(0 8 1 * ? *)',
      'cron(0/15 * * * ? *)',
      'cron(0/10 * ? * MON-FRI *)',
      'cron(0/5 8-17 ? * MON-FRI *)',
      'cron(0 9 ? * 2#1 *)',
      'cron(0 0 L * ? *)',
      'cron(0 0 LW * ? *)',
      'cron(0 0 15W * ? *)',
      'cron(0 0 ? * 6L *)',
      'cron(0 0 1 JAN,JUL ? 2030-2035)',
      'cron(1/10 * * * ? *)',
    ])
      assert.doesNotThrow(() => parseSchedule(e), e);
  });
  it('rejects invalid expressions with AWS ValidationException text', () => {
    for (const e of [
      '',
      'rate(0 minutes)',
      'rate(1 minutes)',
      'rate(5 minute)',
      'rate(5 seconds)',
      'rate(-1 days)',
      'rate(1.5 hours)',
      'rate( 5 minutes)',
      'cron(0 10 * * * *)',
      'cron(0 10 ? * ? *)',
      'cron(0 10 * *)',
      'cron(0 10 * * ? * *)',
      'cron(60 10 * * ? *)',
      'cron(0 24 * * ? *)',
      'cron(0 0 32 * ? *)',
      'cron(0 0 0 * ? *)',
      'cron(0 0 1 13 ? *)',
      'cron(0 0 ? * 8 *)',
      'cron(0 0 ? * 3#1,6#3 *)',
      'cron(0 0 ? * 1/2 *)',
      'cron(0 0 1 * ? 1969)',
      'cron(0 0 1 * ? 2200)',
      'cron(a 0 1 * ? *)',
      'cron(0 0 1 FOO ? *)',
      'cron(0/0 * * * ? *)',
      'at(2030-01-01T00:00:00)',
    ])
      assert.throws(
        () => parseSchedule(e),
        (err: unknown) => err instanceof ScheduleError && err.message === 'Parameter ScheduleExpression is not valid.',
        e,
      );
  });
});

describe('nextFireTime', () => {
  it('rate: one period after the given time', () => {
    assert.equal(next('rate(5 minutes)', '2026-01-01T00:00:30.000Z'), '2026-01-01T00:05:30.000Z');
    assert.equal(next('rate(1 day)', '2026-01-01T00:00:00.000Z'), '2026-01-02T00:00:00.000Z');
  });
  it('cron: strictly after, in UTC, to the minute', () => {
    assert.equal(next('cron(0 10 * * ? *)', '2026-03-01T10:00:00.000Z'), '2026-03-02T10:00:00.000Z');
    assert.equal(next('cron(0 10 * * ? *)', '2026-03-01T09:59:59.999Z'), '2026-03-01T10:00:00.000Z');
    assert.deepEqual(fires('cron(0/15 * * * ? *)', '2026-03-01T10:07:00Z', 3), [
      '2026-03-01T10:15:00.000Z',
      '2026-03-01T10:30:00.000Z',
      '2026-03-01T10:45:00.000Z',
    ]);
    assert.deepEqual(fires('cron(1/10 * * * ? *)', '2026-03-01T10:00:00Z', 3), [
      '2026-03-01T10:01:00.000Z',
      '2026-03-01T10:11:00.000Z',
      '2026-03-01T10:21:00.000Z',
    ]);
  });
  it('cron: weekdays, ranges and wrap-around', () => {
    // 2026-03-06 is a Friday.
    assert.deepEqual(fires('cron(0 18 ? * MON-FRI *)', '2026-03-06T18:00:00Z', 2), ['2026-03-09T18:00:00.000Z', '2026-03-10T18:00:00.000Z']);
    assert.deepEqual(fires('cron(0 0 ? * FRI-SUN *)', '2026-03-05T00:00:00Z', 4), [
      '2026-03-06T00:00:00.000Z',
      '2026-03-07T00:00:00.000Z',
      '2026-03-08T00:00:00.000Z',
      '2026-03-13T00:00:00.000Z',
    ]);
  });
  it('cron: L, LW, nW, nL and #', () => {
    assert.deepEqual(fires('cron(0 0 L * ? *)', '2026-01-15T00:00:00Z', 3), [
      '2026-01-31T00:00:00.000Z',
      '2026-02-28T00:00:00.000Z',
      '2026-03-31T00:00:00.000Z',
    ]);
    assert.equal(next('cron(0 0 L 2 ? *)', '2028-01-01T00:00:00Z'), '2028-02-29T00:00:00.000Z');
    // 2026-05-31 is a Sunday: the last weekday is Friday the 29th.
    assert.equal(next('cron(0 0 LW * ? *)', '2026-05-01T00:00:00Z'), '2026-05-29T00:00:00.000Z');
    // 2026-08-15 is a Saturday → Friday 14th; 2026-11-01 is a Sunday and day 1 → Monday 2nd.
    assert.equal(next('cron(0 0 15W * ? *)', '2026-08-01T00:00:00Z'), '2026-08-14T00:00:00.000Z');
    assert.equal(next('cron(0 0 1W * ? *)', '2026-10-31T00:00:00Z'), '2026-11-02T00:00:00.000Z');
    // Last Friday of March 2026 is the 27th; first Monday of April 2026 is the 6th.
    assert.equal(next('cron(0 0 ? * 6L *)', '2026-03-01T00:00:00Z'), '2026-03-27T00:00:00.000Z');
    assert.equal(next('cron(0 9 ? * 2#1 *)', '2026-03-31T00:00:00Z'), '2026-04-06T09:00:00.000Z');
    // L alone in day-of-week: Saturday.
    assert.equal(next('cron(0 0 ? * L *)', '2026-03-01T00:00:00Z'), '2026-03-07T00:00:00.000Z');
  });
  it('cron: months, years, and no fire after the last year', () => {
    assert.equal(next('cron(0 0 1 JAN,JUL ? 2030-2035)', '2026-01-01T00:00:00Z'), '2030-01-01T00:00:00.000Z');
    assert.equal(next('cron(0 0 1 JAN,JUL ? 2030-2035)', '2030-01-01T00:00:00Z'), '2030-07-01T00:00:00.000Z');
    assert.equal(next('cron(0 0 1 1 ? 2020)', '2026-01-01T00:00:00Z'), undefined);
    assert.equal(next('cron(0 0 31 2 ? *)', '2026-01-01T00:00:00Z'), undefined);
  });
});
