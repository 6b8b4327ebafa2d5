/**
 * Step 6: run the handler and commit its changes together with the call's audit record, in one
 * transaction. A call a service makes on the caller's behalf (ctx.invoke, e.g. CodeStar creating IAM
 * policies) runs through the same `perform` in the same transaction and adds its own record, marked
 * invokedBy.
 */
import { appendRecords } from '../audit/append.ts';
import { observe, observeAll, type ObservedCall } from '../audit/observer.ts';
import { AwsError } from '../errors/aws-error.ts';
import type { Ids } from '../ids.ts';
import type { AuthorizationContext, Config, OperationContext, ServiceDef } from '../services/types.ts';
import type { Store, StoredEvent } from '../store/types.ts';
import type { Caller, Operation } from './call.ts';
import { servedOperation } from './resolve.ts';
import { processWakeups, type Wakeups } from './wakeups.ts';

export interface InvokeDeps {
  store: Store;
  services: Map<string, ServiceDef>;
  config: Config;
  ids: Ids;
  clock: () => Date;
  audit: boolean;
  /** Long polls' wake-ups (default: the process's) */
  wakeups?: Wakeups;
  /** How often a long poll looks again for changes no wake-up announces (other nodes' sends, delays, expiring visibility); default 1000 ms */
  pollIntervalMs?: number;
}

/** One transaction's work: its store and the records it will commit. */
interface Transaction {
  tx: Store;
  records: StoredEvent[];
}

/** What an audit record says of the call and its caller (audit/observer.ts). */
export function recordBase(caller: Omit<Caller, 'principal' | 'accessKeyId'> & Partial<Pick<Caller, 'principal' | 'accessKeyId'>>, deps: InvokeDeps) {
  return {
    requestId: caller.requestId,
    eventId: caller.eventId,
    time: deps.clock(),
    region: caller.region,
    // the recipient account: the caller's (docs/accounts.md#calls); a call that never authenticated, the configured one
    accountId: caller.principal?.accountId ?? deps.config.accountId,
    sourceIp: caller.sourceIp,
    userAgent: caller.userAgent,
    ...(caller.authentication ? { authentication: caller.authentication } : {}),
    bytesIn: caller.bytesIn ?? 0,
    principal: caller.principal,
    claimedAccessKeyId: caller.accessKeyId,
    console: caller.console,
  };
}

function context(caller: Caller, t: Transaction, deps: InvokeDeps): OperationContext {
  return {
    requestId: caller.requestId,
    principal: caller.principal,
    accountId: caller.principal.accountId,
    region: caller.region,
    now: caller.startedAt,
    sourceIp: caller.sourceIp,
    userAgent: caller.userAgent,
    ...(caller.console?.signIn ? { consoleSignIn: true } : {}),
    // the handler sees its caller's account (docs/accounts.md#calls)
    store: t.tx.forAccount(caller.principal.accountId),
    ids: deps.ids,
    config: deps.config,
    async invoke<O>(serviceName: string, operationName: string, input: Record<string, unknown>, invokedBy: string): Promise<O> {
      const service = deps.services.get(serviceName);
      const operation = service && servedOperation(service, operationName);
      if (!service || !operation) throw new Error(`ctx.invoke: ${serviceName} does not serve ${operationName}`);
      const { copiesFor: _own, ...parent } = caller;
      const sub: Caller = { ...parent, requestId: deps.ids.uuid(), eventId: deps.ids.eventId(), region: service.global ? 'us-east-1' : caller.region };
      return (await perform(sub, service, operation, input, invokedBy, t, deps)) as O;
    },
  };
}

/**
 * Runs one operation for `caller` inside the transaction `t` and adds its record: the pipeline's
 * invoke step (`invokedBy` undefined) and every call made on a caller's behalf. A failed call on a
 * caller's behalf is recorded in that transaction (its caller may go on); a caller's own failed call
 * is recorded by the pipeline once the transaction has rolled back (index.ts recordFailure).
 */
async function perform(
  caller: Caller,
  service: ServiceDef,
  operation: Operation,
  input: Record<string, unknown>,
  invokedBy: string | undefined,
  t: Transaction,
  deps: InvokeDeps,
): Promise<unknown> {
  const ctx = context(caller, t, deps);
  const observed = (outcome: Pick<ObservedCall, 'output' | 'error'>): ObservedCall => ({
    ...recordBase(caller, deps),
    service,
    operation: operation.name,
    op: operation.def,
    input,
    ctx,
    ...outcome,
    ...(invokedBy ? { invokedBy } : {}),
  });
  let output: unknown;
  try {
    output = await operation.def.handler(input, ctx);
  } catch (e) {
    if (invokedBy && deps.audit) t.records.push(observe(observed(e instanceof AwsError ? { error: e } : {})));
    throw e;
  }
  if (deps.audit) t.records.push(...observeAll(observed({ output }), invokedBy ? [] : (caller.copiesFor ?? []), deps.ids.eventId));
  return output;
}

/** An empty long-poll attempt: rolls its transaction back (nothing it did is kept, no record). */
const EMPTY = Symbol('empty long-poll attempt');

export async function invoke(caller: Caller, service: ServiceDef, operation: Operation, input: Record<string, unknown>, deps: InvokeDeps): Promise<unknown> {
  const poll = operation.def.longPoll;
  // the wait is measured on the monotonic clock: the injected clock of tests may stand still
  const deadline = poll ? performance.now() + (await poll.waitSeconds(input, authorizationContext(caller, deps))) * 1000 : 0;
  const wakeups = deps.wakeups ?? processWakeups;
  for (let attempt = caller; ; attempt = { ...caller, startedAt: deps.clock() }) {
    const final = !poll || performance.now() >= deadline;
    try {
      const output = await deps.store.transaction(async (tx) => {
        const t: Transaction = { tx, records: [] };
        const out = await perform(attempt, service, operation, input, undefined, t, deps);
        if (!final && poll?.empty(out)) throw EMPTY;
        if (deps.audit) await appendRecords(tx, t.records);
        return out;
      });
      for (const key of operation.def.wakes?.(input, output) ?? []) wakeups.notify(key);
      return output;
    } catch (e) {
      if (e !== EMPTY || !poll) throw e;
    }
    await wakeups.wait(poll.key(input), Math.min(deps.pollIntervalMs ?? 1000, deadline - performance.now()));
  }
}

/** What `authorize` and a long poll's `waitSeconds` read: the call, outside any transaction. */
export function authorizationContext(caller: Caller, deps: InvokeDeps): AuthorizationContext {
  return {
    requestId: caller.requestId,
    principal: caller.principal,
    accountId: caller.principal.accountId,
    region: caller.region,
    now: caller.startedAt,
    sourceIp: caller.sourceIp,
    userAgent: caller.userAgent,
    ...(caller.console?.signIn ? { consoleSignIn: true } : {}),
    store: deps.store.forAccount(caller.principal.accountId),
    ids: deps.ids,
    config: deps.config,
  };
}
