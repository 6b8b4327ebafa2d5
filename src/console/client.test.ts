/** The console's reading of AWS Query answers (client.ts lists): `<member>` lists become arrays. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { lists } from './client.ts';

const parse = (text: string) => lists(new XMLParser({ parseTagValue: false, ignoreAttributes: true }).parse(text));

test('a list of several members, of one, and an empty one; nested lists; scalars stay strings', () => {
  const doc = parse(
    `<R><Groups><member><GroupName>a</GroupName></member><member><GroupName>b</GroupName></member></Groups>` +
      `<PolicyNames><member>only</member></PolicyNames><AttachedPolicies/><IsTruncated>false</IsTruncated>` +
      `<User><Tags><member><Key>team</Key><Value>7</Value></member></Tags></User></R>`,
  );
  assert.deepEqual(doc, {
    R: {
      Groups: [{ GroupName: 'a' }, { GroupName: 'b' }],
      PolicyNames: ['only'],
      AttachedPolicies: '',
      IsTruncated: 'false',
      User: { Tags: [{ Key: 'team', Value: '7' }] },
    },
  });
});
