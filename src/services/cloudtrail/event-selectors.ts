/**
 * PutEventSelectors / GetEventSelectors (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html): basic selectors
 * (ReadWriteType, IncludeManagementEvents, DataResources, ExcludeManagementEventSources; at most 5,
 * 250 data-resource values) or advanced ones (field selectors; at most 500 values), never both —
 * applying one kind replaces the other. Management selectors take eventCategory, eventSource,
 * eventName, readOnly (eventName and any operator on eventSource go beyond AWS's management fields);
 * Data and NetworkActivity selectors are accepted with AWS's required fields but match nothing here
 * (delivery/scope.ts). Changing selectors is a home-region operation; reading a shadow trail's takes its ARN.
 */
import type { TrailSelectors } from '../../store/types.ts';
import type { OperationDefs } from '../types.ts';
import type { AdvancedEventSelector, EventSelector, Operations as Ops, Output } from './model.generated.ts';
import { invalidEventSelectors as bad } from './errors.ts';
import { findHomeTrail, findTrail, trailResource } from './trail-lookup.ts';

/** A field selector's operators by name (AdvancedFieldSelector without its Field). */
type Operator = 'Equals' | 'StartsWith' | 'EndsWith' | 'NotEquals' | 'NotStartsWith' | 'NotEndsWith';

const DATA_TYPES = ['AWS::S3::Object', 'AWS::Lambda::Function', 'AWS::DynamoDB::Table'];
const EXCLUDABLE = ['kms.amazonaws.com', 'rdsdata.amazonaws.com'];
const OPERATORS: Operator[] = ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'];
const FIELDS: Record<string, { allowed: string[]; required: string[] }> = {
  Management: { allowed: ['eventCategory', 'eventSource', 'eventName', 'readOnly'], required: [] },
  Data: {
    allowed: [
      'eventCategory',
      'resources.type',
      'resources.ARN',
      'eventName',
      'readOnly',
      'eventSource',
      'eventType',
      'userIdentity.arn',
      'sessionCredentialFromConsole',
      'errorCode',
    ],
    required: ['resources.type'],
  },
  NetworkActivity: { allowed: ['eventCategory', 'eventSource', 'eventName', 'errorCode', 'vpcEndpointId'], required: ['eventSource'] },
};

export const DEFAULT_SELECTORS: EventSelector[] = [
  { ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] },
];

function basic(list: EventSelector[]): TrailSelectors {
  if (list.length > 5) throw bad(`You can specify at most 5 event selectors for a trail; the request has ${list.length}.`);
  let values = 0;
  const selectors = list.map((s) => {
    for (const r of s.DataResources ?? []) {
      if (!DATA_TYPES.includes(r.Type ?? ''))
        throw bad(`Value ${r.Type} for parameter DataResources.Type is not valid. Valid values are: ${DATA_TYPES.join(', ')}.`);
      values += (r.Values ?? []).length;
    }
    for (const src of s.ExcludeManagementEventSources ?? []) {
      if (!EXCLUDABLE.includes(src))
        throw bad(`Value ${src} for parameter ExcludeManagementEventSources is not valid. Valid values are: ${EXCLUDABLE.join(', ')}.`);
    }
    const stored: EventSelector = {
      ReadWriteType: s.ReadWriteType ?? 'All',
      IncludeManagementEvents: s.IncludeManagementEvents ?? true,
      DataResources: s.DataResources ?? [],
      ExcludeManagementEventSources: s.ExcludeManagementEventSources ?? [],
    };
    return stored as Record<string, unknown>;
  });
  if (values > 250) throw bad('Specify a valid number of DataResources.Values (0 to 250) for all your selectors.');
  return { kind: 'basic', selectors };
}

export function advanced(list: AdvancedEventSelector[]): TrailSelectors {
  let values = 0;
  for (const s of list) {
    const fields = s.FieldSelectors;
    const names = fields.map((f) => f.Field);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw bad(`Field ${dup} appears more than once in an advanced event selector.`);
    const category = fields.find((f) => f.Field === 'eventCategory');
    const cat = category?.Equals ?? [];
    if (!category || cat.length !== 1 || OPERATORS.some((o) => o !== 'Equals' && category[o] !== undefined)) {
      throw bad('Each advanced event selector needs the field eventCategory with Equals and exactly one value.');
    }
    const rules = FIELDS[cat[0]!];
    if (!rules) throw bad(`Value ${cat[0]} for field eventCategory is not valid. Valid values are: ${Object.keys(FIELDS).join(', ')}.`);
    for (const f of fields) {
      if (!rules.allowed.includes(f.Field)) throw bad(`Field ${f.Field} is not valid for eventCategory ${cat[0]}.`);
      const ops = OPERATORS.filter((o) => f[o] !== undefined);
      if (!ops.length) throw bad(`Field selector ${f.Field} needs at least one operator.`);
      for (const o of ops) values += f[o]?.length ?? 0;
      const equals = f.Equals ?? [];
      if (f.Field === 'readOnly' && (ops.join() !== 'Equals' || !equals.every((v) => v === 'true' || v === 'false') || equals.length !== 1)) {
        throw bad('Field readOnly takes Equals with one value, true or false.');
      }
    }
    for (const r of rules.required) if (!names.includes(r)) throw bad(`Advanced event selectors with eventCategory ${cat[0]} need the field ${r}.`);
  }
  if (values > 500) throw bad(`Advanced event selectors can hold at most 500 values in all; the request has ${values}.`);
  return {
    kind: 'advanced',
    selectors: list.map((s): Record<string, unknown> => ({ ...(s.Name !== undefined ? { Name: s.Name } : {}), FieldSelectors: s.FieldSelectors })),
  };
}

/** The selectors as stored: the wire shapes PutEventSelectors accepted. */
const shape = (arn: string, s: TrailSelectors | null): Output<'GetEventSelectors'> =>
  s?.kind === 'advanced'
    ? { TrailARN: arn, AdvancedEventSelectors: s.selectors as unknown as AdvancedEventSelector[] }
    : { TrailARN: arn, EventSelectors: (s?.selectors as unknown as EventSelector[] | undefined) ?? DEFAULT_SELECTORS };

export const eventSelectors = {
  PutEventSelectors: {
    readOnly: false,
    authorize: async (input, ctx) => ({ resource: await trailResource(ctx, input.TrailName) }),
    async handler(input, ctx): Promise<Output<'PutEventSelectors'>> {
      const trail = await findHomeTrail(ctx, input.TrailName);
      const hasBasic = input.EventSelectors !== undefined;
      const hasAdvanced = input.AdvancedEventSelectors !== undefined;
      if (hasBasic === hasAdvanced) throw bad('Specify either EventSelectors or AdvancedEventSelectors, but not both.');
      const selectors = input.EventSelectors ? basic(input.EventSelectors) : advanced(input.AdvancedEventSelectors ?? []);
      await ctx.store.trails.updateTrail(trail.id, { selectors });
      return shape(trail.arn, selectors);
    },
  },

  GetEventSelectors: {
    readOnly: true,
    authorize: async (input, ctx) => ({ resource: await trailResource(ctx, input.TrailName) }),
    async handler(input, ctx): Promise<Output<'GetEventSelectors'>> {
      const trail = await findTrail(ctx, input.TrailName, 'shadow');
      return shape(trail.arn, trail.selectors);
    },
  },
} satisfies OperationDefs<Ops, 'PutEventSelectors' | 'GetEventSelectors'>;
