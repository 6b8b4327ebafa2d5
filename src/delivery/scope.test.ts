/** Which records a trail delivers: region, global services, basic and advanced selectors (spec cloudtrail-codestar §d). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrailEvent, TrailScope, TrailSelectors } from '../store/types.ts';
import { inScope } from './scope.ts';

const ev = (o: Partial<TrailEvent> = {}): TrailEvent => ({
  seq: 1, region: 'us-east-1', eventSource: 'codestar.amazonaws.com', eventName: 'ListProjects', readOnly: true, eventTime: new Date(0), json: '{"eventCategory":"Management"}', ...o,
});
const scope = (selectors: TrailSelectors | null = null, o: Partial<TrailScope> = {}): TrailScope => ({ homeRegion: 'us-east-1', isMultiRegionTrail: false, includeGlobalServiceEvents: true, selectors, ...o });
const basic = (...s: Record<string, unknown>[]): TrailSelectors => ({ kind: 'basic', selectors: s });
const adv = (...fields: Record<string, unknown>[][]): TrailSelectors => ({ kind: 'advanced', selectors: fields.map((FieldSelectors) => ({ FieldSelectors })) });
const MGMT = { Field: 'eventCategory', Equals: ['Management'] };

const cases: [string, TrailScope, TrailEvent, boolean][] = [
  ['home region, default selectors', scope(), ev(), true],
  ['another region, single-region trail', scope(), ev({ region: 'eu-west-1' }), false],
  ['another region, multi-region trail', scope(null, { isMultiRegionTrail: true }), ev({ region: 'eu-west-1' }), true],
  ['IAM with global service events', scope(), ev({ eventSource: 'iam.amazonaws.com' }), true],
  ['IAM without global service events', scope(null, { includeGlobalServiceEvents: false }), ev({ eventSource: 'iam.amazonaws.com' }), false],
  ['a data event is never delivered', scope(), ev({ json: '{"eventCategory":"Data"}' }), false],
  ['ReadOnly selector, read', scope(basic({ ReadWriteType: 'ReadOnly' })), ev(), true],
  ['ReadOnly selector, write', scope(basic({ ReadWriteType: 'ReadOnly' })), ev({ readOnly: false }), false],
  ['WriteOnly selector, write', scope(basic({ ReadWriteType: 'WriteOnly' })), ev({ readOnly: false }), true],
  ['IncludeManagementEvents false', scope(basic({ IncludeManagementEvents: false })), ev(), false],
  ['excluded source', scope(basic({ ExcludeManagementEventSources: ['codestar.amazonaws.com'] })), ev(), false],
  ['selectors combine with OR', scope(basic({ IncludeManagementEvents: false }, { ReadWriteType: 'All' })), ev(), true],
  ['no selectors at all: nothing', scope(basic()), ev(), false],
  ['advanced: category only', scope(adv([MGMT])), ev(), true],
  ['advanced: readOnly false', scope(adv([MGMT, { Field: 'readOnly', Equals: ['false'] }])), ev(), false],
  ['advanced: eventSource NotEquals', scope(adv([MGMT, { Field: 'eventSource', NotEquals: ['codestar.amazonaws.com'] }])), ev(), false],
  ['advanced: eventName StartsWith', scope(adv([MGMT, { Field: 'eventName', StartsWith: ['List', 'Get'] }])), ev(), true],
  ['advanced: eventName EndsWith / NotStartsWith together (AND)', scope(adv([MGMT, { Field: 'eventName', EndsWith: ['Projects'], NotStartsWith: ['List'] }])), ev(), false],
  ['advanced: data selector matches no management event', scope(adv([{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }])), ev(), false],
];

for (const [name, s, e, want] of cases) test(`scope: ${name} → ${want ? 'delivered' : 'not delivered'}`, () => assert.equal(inScope(s, e), want));
