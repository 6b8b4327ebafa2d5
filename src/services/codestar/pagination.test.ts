/** CodeStar's nextToken (pagination.ts): the listing, its scope and the last seq; anything else is InvalidNextTokenException. The ProjectStore it pages over: store/conformance/projects.ts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cursor, page } from './pagination.ts';

test('nextToken: base64 of the listing, its scope and the last seq; anything else is InvalidNextTokenException', async () => {
  const rows = [1, 2, 3, 4, 5].map((seq) => ({ seq, v: seq }));
  const fetch = async (after: number | undefined, limit: number) => rows.filter((r) => r.seq > (after ?? 0)).slice(0, limit);
  const p1 = await page({ maxResults: 2 }, 'teamMembers', 'alpha', fetch);
  assert.deepEqual(
    p1.items.map((r) => r.v),
    [1, 2],
  );
  assert.match(p1.nextToken!, /^[\w/+=]+$/);
  const p2 = await page({ maxResults: 3, nextToken: p1.nextToken! }, 'teamMembers', 'alpha', fetch);
  assert.deepEqual(
    p2.items.map((r) => r.v),
    [3, 4, 5],
  );
  assert.equal(p2.nextToken, undefined);
  for (const bad of ['abc', p1.nextToken! + 'A', Buffer.from('teamMembers\nalpha\n-1').toString('base64')]) {
    assert.throws(() => cursor({ nextToken: bad }, 'teamMembers', 'alpha'), { name: 'InvalidNextTokenException', message: 'The next token is not valid.' });
  }
  assert.throws(() => cursor({ nextToken: p1.nextToken! }, 'teamMembers', 'beta'), { name: 'InvalidNextTokenException' });
  assert.throws(() => cursor({ nextToken: p1.nextToken! }, 'projects', ''), { name: 'InvalidNextTokenException' });
});
