/**
 * PutEvents (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html) and
 * TestEventPattern (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TestEventPattern.html).
 *
 * PutEvents takes 1–10 entries whose total size, as EventBridge counts it (Time 14 bytes, the UTF-8
 * bytes of Source, DetailType, Detail and each Resources entry;
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html), is at most 256 KB.
 * Each entry is accepted (an EventId) or refused (ErrorCode / ErrorMessage) on its own; accepted
 * entries are matched and delivered (dispatch.ts) in the call's transaction, so an accepted event is
 * never lost. CloudTrail records PutEvents as a data event on the bus
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/logging-cloudtrail-data-events.html).
 * docs/eventbridge.md#putevents.
 */
import type { Destinations } from '../../delivery/destinations.ts';
import type { AuthorizationContext, AuthorizationTarget, OperationContext, OperationDefs } from '../types.ts';
import { busArn, busRef, type BusRef } from './arns.ts';
import { type BusEvent, dispatchEvents, type IncomingEvent } from './dispatch.ts';
import { invalidPattern, validation } from './errors.ts';
import type { Operations as Ops, Output, PutEventsRequestEntry, PutEventsResultEntry } from './model.generated.ts';
import { matchesEventPattern, PatternError, parseEventPattern } from './pattern/index.ts';

export const MAX_REQUEST_BYTES = 256 * 1024;

/** The entry's size as EventBridge computes it. */
export function entrySize(e: PutEventsRequestEntry): number {
  let n = e.Time !== undefined ? 14 : 0;
  n += Buffer.byteLength(e.Source ?? '', 'utf8') + Buffer.byteLength(e.DetailType ?? '', 'utf8');
  if (e.Detail !== undefined) n += Buffer.byteLength(e.Detail, 'utf8');
  for (const r of e.Resources ?? []) n += Buffer.byteLength(r ?? '', 'utf8');
  return n;
}

/** AWS's envelope time: ISO 8601 to the second, UTC. */
const envelopeTime = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

const refused = (ErrorCode: string, ErrorMessage: string): PutEventsResultEntry => ({ ErrorCode, ErrorMessage });

/** Why the entry is refused, before its bus is looked at. */
function entryProblem(e: PutEventsRequestEntry): PutEventsResultEntry | undefined {
  if (e.Source === undefined) return refused('InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.');
  if (e.DetailType === undefined) return refused('InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.');
  if (e.Detail === undefined) return refused('InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.');
  let detail: unknown;
  try {
    detail = JSON.parse(e.Detail);
  } catch {
    return refused('MalformedDetail', 'Detail is malformed.');
  }
  if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return refused('MalformedDetail', 'Detail is malformed.');
  // the aws. prefix is reserved for AWS services' events
  if (e.Source.startsWith('aws.')) return refused('NotAuthorizedForSourceException', 'Not authorized for the source.');
  return undefined;
}

const refKey = (b: BusRef) => `${b.accountId}\u0000${b.region}\u0000${b.name}`;
const strings = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => x !== undefined))];

async function authorizePutEvents(input: Partial<Ops['PutEvents']['input']>, ctx: AuthorizationContext): Promise<AuthorizationTarget> {
  const entries = input.Entries ?? [];
  const refs = new Map<string, BusRef>();
  for (const e of entries) {
    const r = busRef(ctx, e.EventBusName);
    refs.set(refKey(r), r);
  }
  if (!refs.size) refs.set('default', busRef(ctx, undefined));
  const buses = [...refs.values()];
  const only = buses.length === 1 ? buses[0] : undefined;
  const policy = only ? (await ctx.store.eventBuses.getBus(only.accountId, only.region, only.name))?.policy : undefined;
  return {
    resource: buses.map((b) => busArn(b.region, b.accountId, b.name)),
    ...(policy ? { resourcePolicy: policy } : {}),
    keys: { 'events:source': strings(entries.map((e) => e.Source)), 'events:detail-type': strings(entries.map((e) => e.DetailType)) },
  };
}

export function putEventsHandlers(destinations: Destinations) {
  return {
    PutEvents: {
      readOnly: false,
      eventCategory: 'Data',
      authorize: authorizePutEvents,
      async handler(input, ctx): Promise<Output<'PutEvents'>> {
        const total = input.Entries.reduce((n, e) => n + entrySize(e), 0);
        if (total > MAX_REQUEST_BYTES) throw validation('Total size of the entries in the request is over the limit.');
        const results: PutEventsResultEntry[] = [];
        const byBus = new Map<string, { bus: BusRef; events: IncomingEvent[] }>();
        for (const e of input.Entries) {
          const problem = entryProblem(e);
          if (problem) {
            results.push(problem);
            continue;
          }
          const ref = busRef(ctx, e.EventBusName);
          const bus = await ctx.store.eventBuses.getBus(ref.accountId, ref.region, ref.name);
          if (!bus) {
            results.push(refused('ResourceNotFoundException', `Event bus ${ref.name} does not exist.`));
            continue;
          }
          const id = ctx.ids.uuid();
          const event: BusEvent = {
            version: '0',
            id,
            'detail-type': e.DetailType ?? '',
            source: e.Source ?? '',
            // the event belongs to the account that put it, on whichever bus it lands
            account: ctx.accountId,
            time: envelopeTime(e.Time ?? ctx.now),
            region: ctx.region,
            resources: (e.Resources ?? []).map((r) => r ?? ''),
            detail: JSON.parse(e.Detail ?? '{}') as unknown,
          };
          const key = refKey(ref);
          const group = byBus.get(key) ?? { bus: ref, events: [] };
          group.events.push({ event, json: JSON.stringify(event) });
          byBus.set(key, group);
          results.push({ EventId: id });
        }
        const env = { now: ctx.now, ids: ctx.ids, config: ctx.config, destinations };
        for (const { bus, events } of byBus.values()) await dispatchEvents(ctx.store, bus, events, env);
        return { FailedEntryCount: results.filter((r) => r.ErrorCode !== undefined).length, Entries: results };
      },
      resources: (input, _output, ctx) => {
        const seen = new Map<string, BusRef>();
        for (const e of input.Entries ?? []) {
          const r = busRef(ctx, e.EventBusName);
          seen.set(refKey(r), r);
        }
        return [...seen.values()].map((b) => ({ accountId: b.accountId, type: 'AWS::Events::EventBus', ARN: busArn(b.region, b.accountId, b.name) }));
      },
    },

    TestEventPattern: {
      readOnly: true,
      async handler(input, _ctx: OperationContext): Promise<Output<'TestEventPattern'>> {
        let pattern: ReturnType<typeof parseEventPattern>;
        try {
          pattern = parseEventPattern(input.EventPattern);
        } catch (e) {
          if (e instanceof PatternError) throw invalidPattern(e.message);
          throw e;
        }
        let event: unknown;
        try {
          event = JSON.parse(input.Event);
        } catch {
          throw validation('Parameter Event is not valid.');
        }
        // the envelope's mandatory fields (the TestEventPattern page above)
        const mandatory = ['id', 'account', 'source', 'time', 'region', 'detail-type'];
        if (!event || typeof event !== 'object' || Array.isArray(event) || mandatory.some((k) => !(k in event)))
          throw validation('Parameter Event is not valid.');
        return { Result: matchesEventPattern(pattern, event) };
      },
    },
  } satisfies OperationDefs<Ops, 'PutEvents' | 'TestEventPattern'>;
}
