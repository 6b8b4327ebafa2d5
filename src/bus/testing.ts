/**
 * Test doubles for EventBridge dispatch: a store whose `eventBuses` answers fixed rules, buses and API
 * destinations (so dispatch, the sender and the scheduler are tested on a real store's deliveries,
 * schedules and record stream without the EventBridge API), and Destinations that record what they
 * were given and refuse the queues and topics a test names.
 */
import type { Destinations, ServiceMessage, ServicePublish } from '../delivery/destinations.ts';
import type { ApiDestination, Connection, EventBus, EventBusStore, EventRule } from '../store/contracts/event-buses.ts';
import type { Store } from '../store/types.ts';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';

export interface FakeBuses {
  rules: EventRule[];
  buses?: string[];
  connections?: Connection[];
  apiDestinations?: ApiDestination[];
}

function busesOf(f: FakeBuses): Pick<EventBusStore, 'getBus' | 'rulesOfBus' | 'scheduledRules' | 'getConnection' | 'getApiDestination'> {
  return {
    async getBus(accountId, region, name) {
      if (name !== 'default' && !(f.buses ?? []).includes(`${region}/${name}`)) return undefined;
      const bus: EventBus = {
        accountId,
        region,
        name,
        arn: `arn:aws:events:${region}:${accountId}:event-bus/${name}`,
        createdAt: new Date(0),
        updatedAt: new Date(0),
      };
      return bus;
    },
    rulesOfBus: async (accountId, region, busName) => f.rules.filter((r) => r.accountId === accountId && r.region === region && r.busName === busName),
    scheduledRules: async () => f.rules.filter((r) => r.scheduleExpression !== undefined),
    getConnection: async (arn) => f.connections?.find((c) => c.arn === arn),
    getApiDestination: async (arn) => f.apiDestinations?.find((d) => d.arn === arn),
  };
}

/** The store with `eventBuses` answering from `f`, in its transactions too. */
export function withBuses(store: Store, f: FakeBuses): Store {
  const buses = busesOf(f);
  return new Proxy(store, {
    get(target, p) {
      if (p === 'eventBuses') return buses;
      if (p === 'transaction') return <T>(fn: (tx: Store) => Promise<T>) => target.transaction((tx) => fn(withBuses(tx, f)));
      return Reflect.get(target, p);
    },
  });
}

export function rule(name: string, over: Partial<EventRule> = {}): EventRule {
  const busName = over.busName ?? 'default';
  const region = over.region ?? REGION;
  return {
    accountId: ACCOUNT,
    region,
    busName,
    name,
    arn: `arn:aws:events:${region}:${ACCOUNT}:rule/${busName === 'default' ? '' : `${busName}/`}${name}`,
    state: 'ENABLED',
    createdBy: ACCOUNT,
    targets: [],
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...over,
  };
}

export const queueArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;

export interface Recorded extends Destinations {
  messages: ServiceMessage[];
  published: ServicePublish[];
}

/** Destinations that record messages; queues in `missing` do not exist, those in `denied` refuse EventBridge. */
export function recording(refuse: { missing?: string[]; denied?: string[] } = {}): Recorded {
  const messages: ServiceMessage[] = [];
  const published: ServicePublish[] = [];
  const verdict = (arn: string) => (refuse.missing?.includes(arn) ? 'missing' : refuse.denied?.includes(arn) ? 'denied' : 'ok');
  return {
    messages,
    published,
    async deliverServiceMessage(_s, msg) {
      const v = verdict(msg.queueArn);
      if (v === 'missing') return { ok: false, reason: 'no-such-queue' };
      if (v === 'denied') return { ok: false, reason: 'policy-denied' };
      messages.push(msg);
      return { ok: true, messageId: `m${messages.length}` };
    },
    queueAllowsService: async (_s, arn) => (verdict(arn) === 'ok' ? 'allowed' : verdict(arn) === 'missing' ? 'no-such-queue' : 'denied'),
    async publishFromService(_s, p) {
      const v = verdict(p.topicArn);
      if (v === 'missing') return { ok: false, reason: 'no-such-topic' };
      if (v === 'denied') return { ok: false, reason: 'policy-denied' };
      published.push(p);
      return { ok: true, messageId: `p${published.length}` };
    },
    topicAllowsService: async (_s, arn) => (verdict(arn) === 'ok' ? 'allowed' : verdict(arn) === 'missing' ? 'no-such-topic' : 'denied'),
  };
}
