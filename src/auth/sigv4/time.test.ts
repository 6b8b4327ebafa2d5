/** parseAmzDate: strict YYYYMMDDTHHMMSSZ, the same answers as formatting the parsed date back and comparing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAmzDate, parseAmzDate } from './time.ts';

/** the definition: a date is accepted when it formats back to exactly the text given */
function byRoundTrip(s: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, se));
  return formatAmzDate(date) === s ? date.getTime() : undefined;
}

test('parseAmzDate accepts exactly the dates that format back to their text', () => {
  const fixed = [
    '20150830T123600Z',
    '20240229T000000Z',
    '20230229T000000Z',
    '20150231T000000Z',
    '20151301T000000Z',
    '20150001T000000Z',
    '20150100T000000Z',
    '20150101T240000Z',
    '20150101T236000Z',
    '20150101T235960Z',
    '00500101T000000Z',
    '00000101T000000Z',
    '99991231T235959Z',
    '20150101T000000',
    '2015-01-01T00:00:00Z',
    '20150101t000000Z',
    ' 20150101T000000Z',
    '',
  ];
  let n = 0;
  const seeded = () => {
    n = (n * 1103515245 + 12345) % 2 ** 31;
    return n;
  };
  const two = (max: number) => String(seeded() % max).padStart(2, '0');
  const random = Array.from({ length: 20_000 }, () => `${String(seeded() % 10_000).padStart(4, '0')}${two(14)}${two(33)}T${two(26)}${two(62)}${two(62)}Z`);
  let accepted = 0;
  for (const s of [...fixed, ...random]) {
    const want = byRoundTrip(s);
    assert.equal(parseAmzDate(s)?.getTime(), want, s);
    if (want !== undefined) accepted++;
  }
  assert.ok(accepted > 5_000 && accepted < 20_000, `a mix of valid and invalid dates (${accepted} valid)`);
  assert.equal(parseAmzDate('20150830T123600Z')?.toISOString(), '2015-08-30T12:36:00.000Z');
});
