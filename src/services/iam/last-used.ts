/**
 * Last-used data from startrail's own audit trail: when, where and with which service an access key
 * last made a call (GetAccessKeyLastUsed, the credential report), and when a role was last assumed
 * (RoleLastUsed in GetRole). AWS reports these with hours of delay; here they are exact the moment
 * the call is recorded. https://docs.aws.amazon.com/IAM/latest/APIReference/API_AccessKeyLastUsed.html ;
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_RoleLastUsed.html
 *
 * What counts (docs/iam.md#last-used): records in Event history (management events; data events such
 * as S3 object calls are not in it), of calls that were authenticated — a call refused for its
 * signature or an unknown key is recorded, but did not use the key. RoleLastUsed is the last
 * successful AssumeRole of the role (the time its credentials were issued), not each call made with them.
 */
import type { Store, StoredEvent } from '../../store/types.ts';
import type { OperationDefs, OperationContext } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { on, userResource } from './access.ts';
import { noSuchAccessKey } from './errors.ts';

export interface LastUse {
  date: Date;
  /** the service's namespace (iam, s3, codestar, …) */
  service: string;
  region: string;
}

/** The record members last-used data reads. */
interface RecordFields {
  eventSource?: unknown;
  awsRegion?: unknown;
  errorCode?: unknown;
  userIdentity?: { type?: unknown };
}

const PAGE = 50;
/** How far back a lookup reads before it gives up: Event history keeps 90 days anyway. */
const MAX_PAGES = 20;

/** The newest record matching `attributes` that `accept` takes, reading Event history newest first. */
async function newest(store: Store, attributes: { key: 'AccessKeyId' | 'ResourceName' | 'EventName'; value: string }[], accept: (r: RecordFields) => boolean) {
  let after: { time: number; seq: number } | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await store.events.lookup({ attributes, limit: PAGE, ...(after ? { after } : {}) });
    for (const e of page.events) {
      if (e.imported) continue;
      const record = parse(e);
      if (record && accept(record)) return { event: e, record };
    }
    if (!page.next) return undefined;
    after = page.next;
  }
  return undefined;
}

function parse(e: StoredEvent): RecordFields | undefined {
  try {
    return JSON.parse(e.json) as RecordFields;
  } catch {
    return undefined;
  }
}

export async function keyLastUsed(store: Store, accessKeyId: string): Promise<LastUse | undefined> {
  const found = await newest(store, [{ key: 'AccessKeyId', value: accessKeyId }], (r) => r.userIdentity?.type !== 'Unknown');
  if (!found) return undefined;
  const eventSource = String(found.record.eventSource ?? '');
  return {
    date: found.event.eventTime,
    service: eventSource.replace(/\.amazonaws\.com$/, ''),
    region: String(found.record.awsRegion ?? found.event.region ?? ''),
  };
}

export async function roleLastUsed(store: Store, roleArn: string): Promise<{ date: Date; region: string } | undefined> {
  const found = await newest(
    store,
    [
      { key: 'ResourceName', value: roleArn },
      { key: 'EventName', value: 'AssumeRole' },
    ],
    (r) => r.eventSource === 'sts.amazonaws.com' && r.errorCode === undefined,
  );
  return found && { date: found.event.eventTime, region: String(found.record.awsRegion ?? '') };
}

export const lastUsed = {
  GetAccessKeyLastUsed: {
    readOnly: true,
    // authorized on the key's owner (root's own keys: root)
    authorize: on('GetAccessKeyLastUsed', async (i, ctx: OperationContext) => {
      const key = i.AccessKeyId ? await ctx.store.identities.getAccessKey(i.AccessKeyId) : undefined;
      return key?.userName ? userResource(ctx, key.userName) : `arn:aws:iam::${ctx.accountId}:root`;
    }),
    async handler(input, ctx): Promise<Output<'GetAccessKeyLastUsed'>> {
      const key = await ctx.store.identities.getAccessKey(input.AccessKeyId);
      if (!key) throw noSuchAccessKey(input.AccessKeyId);
      const used = await keyLastUsed(ctx.store, key.accessKeyId);
      return {
        ...(key.userName ? { UserName: key.userName } : {}),
        AccessKeyLastUsed: used ? { LastUsedDate: used.date, ServiceName: used.service, Region: used.region } : { ServiceName: 'N/A', Region: 'N/A' },
      };
    },
  },
} satisfies OperationDefs<Ops, 'GetAccessKeyLastUsed'>;
