/**
 * CloudTrail Lake event data stores (docs/lake.md#event-data-stores;
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateEventDataStore.html):
 * CreateEventDataStore, GetEventDataStore, ListEventDataStores, UpdateEventDataStore,
 * DeleteEventDataStore, RestoreEventDataStore. A store belongs to its account and Region; its ARN is
 * `arn:aws:cloudtrail:<region>:<account>:eventdatastore/<uuid>`; calls name it by ARN or by the UUID.
 * At most 10 per account and Region. Deleting puts it in PENDING_DELETION for 7 days (the sweep in
 * lake/loop.ts then removes it), unless termination protection (on by default) is enabled.
 */
import type { LakeEventDataStore, LakeStoreSettings, Store } from '../../../store/types.ts';
import type { OperationContext, OperationDefs } from '../../types.ts';
import type { AdvancedEventSelector, EventDataStore, Operations as Ops, Output } from '../model.generated.ts';
import {
  eventDataStoreAlreadyExists,
  eventDataStoreArnInvalid,
  eventDataStoreMaxLimit,
  eventDataStoreNotFound,
  eventDataStoreTerminationProtected,
  inactiveEventDataStore,
  invalidEventDataStoreStatus,
  invalidMaxResults,
  invalidNextToken,
  invalidParameter,
} from '../errors.ts';
import { advanced } from '../event-selectors.ts';
import { checkTags, tagConditionKeys } from '../tags.ts';
import { checkOrganization } from '../trail-settings.ts';
import { LAKE_CONSUMER } from './consumer.ts';

export const MAX_STORES_PER_REGION = 10;
/** PENDING_DELETION lasts 7 days (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DeleteEventDataStore.html) */
export const PENDING_DELETION_MS = 7 * 24 * 3600 * 1000;
const NAME = /^[a-zA-Z0-9._-]{3,128}$/;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ARN = /^arn:aws[a-z-]*:cloudtrail:([a-z0-9-]+):(\d{12}):eventdatastore\/(.+)$/;
/** Retention: 7 days at least; at most 3653 (one-year extendable pricing, default 366) or 2557 (seven-year pricing, the default too) */
const RETENTION = { EXTENDABLE_RETENTION_PRICING: { max: 3653, default: 366 }, FIXED_RETENTION_PRICING: { max: 2557, default: 2557 } } as const;

export const DEFAULT_LAKE_SELECTORS: AdvancedEventSelector[] = [
  { Name: 'Default management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
];

export const storeArn = (region: string, account: string, id: string) => `arn:aws:cloudtrail:${region}:${account}:eventdatastore/${id}`;

export function storeStatus(s: LakeEventDataStore): EventDataStore['Status'] {
  if (s.deletedAt) return 'PENDING_DELETION';
  return s.settings.ingestion ? 'ENABLED' : 'STOPPED_INGESTION';
}

/** The wire shape shared by Create/Get/Update/Restore (and, without tags, List). */
export function storeShape(s: LakeEventDataStore) {
  return {
    EventDataStoreArn: s.arn,
    Name: s.name,
    Status: storeStatus(s),
    AdvancedEventSelectors: s.settings.advancedEventSelectors as unknown as AdvancedEventSelector[],
    MultiRegionEnabled: s.settings.multiRegionEnabled,
    OrganizationEnabled: s.settings.organizationEnabled,
    BillingMode: s.settings.billingMode as 'EXTENDABLE_RETENTION_PRICING',
    RetentionPeriod: s.settings.retentionPeriod,
    TerminationProtectionEnabled: s.settings.terminationProtectionEnabled,
    CreatedTimestamp: s.createdAt,
    UpdatedTimestamp: s.updatedAt,
  };
}

/** The store a call names (ARN or id) in the caller's account, or AWS's error. */
export async function findStore(ctx: Pick<OperationContext, 'store' | 'accountId' | 'region'>, ref: string | undefined): Promise<LakeEventDataStore> {
  const value = String(ref ?? '');
  let id = value;
  const m = ARN.exec(value);
  if (m) {
    id = m[3] ?? '';
    if (m[2] !== ctx.accountId || m[1] !== ctx.region) throw eventDataStoreNotFound(value);
  } else if (value.startsWith('arn:')) {
    throw eventDataStoreArnInvalid(value);
  }
  if (!ID.test(id)) throw eventDataStoreArnInvalid(value);
  const s = await ctx.store.lake.getStore(id);
  if (!s || s.accountId !== ctx.accountId || s.region !== ctx.region) throw eventDataStoreNotFound(value);
  return s;
}

/** The ARN a call names, for authorization (the store need not exist). */
export function storeResource(ref: unknown, ctx: { region: string; accountId: string }): string {
  const value = String(ref ?? '');
  if (ARN.test(value)) return value;
  return ID.test(value) ? storeArn(ctx.region, ctx.accountId, value) : '*';
}

function checkName(name: unknown): string {
  const n = String(name ?? '');
  if (!NAME.test(n)) throw invalidParameter(`Event data store name ${n} is not valid: use 3 to 128 letters, digits, periods, underscores and hyphens.`);
  return n;
}

function checkRetention(days: number | undefined, billing: string): number {
  const limits = RETENTION[billing as keyof typeof RETENTION];
  if (!limits) throw invalidParameter(`BillingMode ${billing} is not valid. Valid values are: ${Object.keys(RETENTION).join(', ')}.`);
  const value = days ?? limits.default;
  if (!Number.isInteger(value) || value < 7 || value > limits.max)
    throw invalidParameter(`RetentionPeriod ${value} is not valid: with ${billing} it must be between 7 and ${limits.max} days.`);
  return value;
}

function checkSelectors(list: AdvancedEventSelector[] | undefined): Record<string, unknown>[] {
  if (list === undefined) return DEFAULT_LAKE_SELECTORS as unknown as Record<string, unknown>[];
  if (!list.length) return [];
  return advanced(list).selectors;
}

async function uniqueName(store: Store, ctx: OperationContext, name: string, except?: string): Promise<LakeEventDataStore[]> {
  const mine = (await store.lake.listStores(ctx.accountId)).filter((s) => s.region === ctx.region);
  if (mine.some((s) => s.name === name && s.id !== except)) throw eventDataStoreAlreadyExists(name);
  return mine;
}

export const stores = {
  CreateEventDataStore: {
    readOnly: false,
    authorize: (input, ctx) => ({ resource: storeArn(ctx.region, ctx.accountId, '*'), keys: tagConditionKeys(input.TagsList) }),
    async handler(input, ctx): Promise<Output<'CreateEventDataStore'>> {
      const name = checkName(input.Name);
      const billingMode = input.BillingMode ?? 'EXTENDABLE_RETENTION_PRICING';
      const settings: LakeStoreSettings = {
        advancedEventSelectors: checkSelectors(input.AdvancedEventSelectors),
        multiRegionEnabled: input.MultiRegionEnabled ?? true,
        organizationEnabled: input.OrganizationEnabled ?? false,
        retentionPeriod: checkRetention(input.RetentionPeriod, billingMode),
        terminationProtectionEnabled: input.TerminationProtectionEnabled ?? true,
        billingMode,
        tags: checkTags(input.TagsList),
        ingestion: input.StartIngestion ?? true,
      };
      if (input.KmsKeyId !== undefined) throw invalidParameter('KmsKeyId is not supported: startrail has no AWS KMS.');
      if (settings.organizationEnabled) await checkOrganization(ctx.store, ctx.accountId);
      const mine = await uniqueName(ctx.store, ctx, name);
      if (mine.length >= MAX_STORES_PER_REGION) throw eventDataStoreMaxLimit();
      const id = ctx.ids.uuid();
      const s: LakeEventDataStore = {
        id,
        accountId: ctx.accountId,
        region: ctx.region,
        name,
        arn: storeArn(ctx.region, ctx.accountId, id),
        settings,
        startSeq: await ctx.store.trails.eventHorizon(ctx.now),
        createdAt: ctx.now,
        updatedAt: ctx.now,
      };
      // the consumer that fills every store (lake/consumer.ts), from here on if it is new
      await ctx.store.recordConsumers.ensure(LAKE_CONSUMER, s.startSeq, ctx.now);
      await ctx.store.lake.createStore(s);
      const shape = storeShape(s);
      return { ...shape, Status: s.settings.ingestion ? 'ENABLED' : 'CREATED', TagsList: settings.tags };
    },
  },

  GetEventDataStore: {
    readOnly: true,
    authorize: (input, ctx) => ({ resource: storeResource(input.EventDataStore, ctx) }),
    async handler(input, ctx): Promise<Output<'GetEventDataStore'>> {
      return storeShape(await findStore(ctx, input.EventDataStore));
    },
  },

  ListEventDataStores: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'ListEventDataStores'>> {
      const max = input.MaxResults ?? 1000;
      if (!Number.isInteger(max) || max < 1 || max > 1000) throw invalidMaxResults(max);
      const all = (await ctx.store.lake.listStores(ctx.accountId)).filter((s) => s.region === ctx.region);
      let start = 0;
      if (input.NextToken !== undefined) {
        start = all.findIndex((s) => s.id === input.NextToken);
        if (start < 0) throw invalidNextToken();
      }
      const page = all.slice(start, start + max);
      const next = all[start + max];
      return { EventDataStores: page.map(storeShape), ...(next ? { NextToken: next.id } : {}) };
    },
  },

  UpdateEventDataStore: {
    readOnly: false,
    authorize: (input, ctx) => ({ resource: storeResource(input.EventDataStore, ctx) }),
    async handler(input, ctx): Promise<Output<'UpdateEventDataStore'>> {
      const s = await findStore(ctx, input.EventDataStore);
      if (s.deletedAt) throw inactiveEventDataStore(s.arn);
      const name = input.Name === undefined ? s.name : checkName(input.Name);
      if (name !== s.name) await uniqueName(ctx.store, ctx, name, s.id);
      if (input.KmsKeyId !== undefined) throw invalidParameter('KmsKeyId is not supported: startrail has no AWS KMS.');
      const billingMode = input.BillingMode ?? s.settings.billingMode;
      if (billingMode === 'FIXED_RETENTION_PRICING' && s.settings.billingMode !== billingMode)
        throw invalidParameter('The billing mode can be changed from FIXED_RETENTION_PRICING to EXTENDABLE_RETENTION_PRICING only.');
      const settings: LakeStoreSettings = {
        ...s.settings,
        billingMode,
        retentionPeriod: checkRetention(input.RetentionPeriod ?? s.settings.retentionPeriod, billingMode),
        ...(input.AdvancedEventSelectors !== undefined ? { advancedEventSelectors: checkSelectors(input.AdvancedEventSelectors) } : {}),
        ...(input.MultiRegionEnabled !== undefined ? { multiRegionEnabled: input.MultiRegionEnabled } : {}),
        ...(input.OrganizationEnabled !== undefined ? { organizationEnabled: input.OrganizationEnabled } : {}),
        ...(input.TerminationProtectionEnabled !== undefined ? { terminationProtectionEnabled: input.TerminationProtectionEnabled } : {}),
      };
      if (settings.organizationEnabled && !s.settings.organizationEnabled) await checkOrganization(ctx.store, ctx.accountId);
      await ctx.store.lake.updateStore(s.id, { name, settings, updatedAt: ctx.now });
      return storeShape({ ...s, name, settings, updatedAt: ctx.now });
    },
  },

  DeleteEventDataStore: {
    readOnly: false,
    authorize: (input, ctx) => ({ resource: storeResource(input.EventDataStore, ctx) }),
    async handler(input, ctx): Promise<Output<'DeleteEventDataStore'>> {
      const s = await findStore(ctx, input.EventDataStore);
      if (s.deletedAt) throw inactiveEventDataStore(s.arn);
      if (s.settings.terminationProtectionEnabled) throw eventDataStoreTerminationProtected();
      await ctx.store.lake.updateStore(s.id, { deletedAt: ctx.now, updatedAt: ctx.now });
      return {};
    },
  },

  RestoreEventDataStore: {
    readOnly: false,
    authorize: (input, ctx) => ({ resource: storeResource(input.EventDataStore, ctx) }),
    async handler(input, ctx): Promise<Output<'RestoreEventDataStore'>> {
      const s = await findStore(ctx, input.EventDataStore);
      if (!s.deletedAt) throw invalidEventDataStoreStatus(s.arn, storeStatus(s) ?? 'ENABLED');
      const live = (await ctx.store.lake.listStores(ctx.accountId)).filter((x) => x.region === ctx.region && !x.deletedAt);
      if (live.length >= MAX_STORES_PER_REGION) throw eventDataStoreMaxLimit();
      if (s.settings.organizationEnabled) await checkOrganization(ctx.store, ctx.accountId);
      const { deletedAt: _gone, ...restored } = s;
      await ctx.store.lake.updateStore(s.id, { deletedAt: null, updatedAt: ctx.now });
      return storeShape({ ...restored, updatedAt: ctx.now });
    },
  },
} satisfies OperationDefs<
  Ops,
  'CreateEventDataStore' | 'GetEventDataStore' | 'ListEventDataStores' | 'UpdateEventDataStore' | 'DeleteEventDataStore' | 'RestoreEventDataStore'
>;
