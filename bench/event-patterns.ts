/**
 * Event-pattern benchmark (docs/event-patterns.md): how fast patterns compile and how many
 * (event, rule) tests run per second — the dispatcher tests each event against every rule of its
 * bus. Uses the table of src/services/events/pattern/cases.ts as the rule set and CloudTrail-shaped
 * events from the reference records beside the repository when they are there (as the tests read them),
 * else the table's.
 *
 *   node --import tsx bench/event-patterns.ts [seconds=2]
 *
 * Prints figures; asserts nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { matchCases } from '../src/services/events/pattern/cases.ts';
import { matchesEventPattern, parseEventPattern } from '../src/services/events/pattern/index.ts';
import { RECORDS_FILE } from '../src/reference-data.ts';

const seconds = Number(process.argv[2] ?? 2);
const texts = matchCases.map((c) => JSON.stringify(c.pattern));

function rate(label: string, unit: string, run: () => number): void {
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const start = performance.now();
  while (performance.now() < end) n += run();
  const per = n / ((performance.now() - start) / 1000);
  console.log(`${label}: ${Math.round(per).toLocaleString('en')} ${unit}/s`);
}

rate('compile', 'patterns', () => {
  for (const t of texts) parseEventPattern(t);
  return texts.length;
});

const patterns = texts.map(parseEventPattern);
const corpus = RECORDS_FILE;
const envelopes: unknown[] = existsSync(corpus)
  ? readFileSync(corpus, 'utf8')
      .split('\n')
      .filter(Boolean)
      .slice(0, 500)
      .map((line) => {
        const record = JSON.parse(line) as Record<string, unknown>;
        const detail = (record.record ?? record) as Record<string, unknown>;
        return {
          version: '0',
          id: 'x',
          'detail-type': 'AWS API Call via CloudTrail',
          source: `aws.${String(detail.eventSource ?? 'x').split('.')[0]}`,
          account: '1',
          time: 't',
          region: 'us-east-1',
          resources: [],
          detail,
        };
      })
  : matchCases.map((c) => c.event);
console.log(`${patterns.length} patterns, ${envelopes.length} events`);

rate('match, event flattened once per batch (dispatch)', 'tests', () => {
  for (const e of envelopes) for (const p of patterns) matchesEventPattern(p, e);
  return envelopes.length * patterns.length;
});
rate('match, a fresh event per test (worst case)', 'tests', () => {
  let n = 0;
  for (const e of envelopes.slice(0, 50)) {
    for (const p of patterns) {
      matchesEventPattern(p, { ...(e as object) });
      n++;
    }
  }
  return n;
});
