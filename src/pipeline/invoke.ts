/**
 * Step 6: run the handler and commit its changes together with the call's audit record, in one
 * transaction. A call a service makes on the caller's behalf (ctx.invoke, e.g. CodeStar creating IAM
 * policies) runs through the same `perform` in the same transaction and adds its own record, marked
 * invokedBy.
 */
import { appendRecords } from '../audit/append.ts';
import { observe, type ObservedCall } from '../audit/observer.ts';
import { AwsError } from '../errors/aws-error.ts';
import type { Ids } from '../ids.ts';
import type { Config, OperationContext, ServiceDef } from '../services/types.ts';
import type { Store, StoredEvent } from '../store/types.ts';
import type { Caller, Operation } from './call.ts';
import { servedOperation } from './resolve.ts';

export interface InvokeDeps {
  store: Store;
  services: Map<string, ServiceDef>;
  config: Config;
  ids: Ids;
  clock: () => Date;
  audit: boolean;
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
    accountId: deps.config.accountId,
    sourceIp: caller.sourceIp,
    userAgent: caller.userAgent,
    principal: caller.principal,
    claimedAccessKeyId: caller.accessKeyId,
    console: caller.console,
  };
}

function context(caller: Caller, t: Transaction, deps: InvokeDeps): OperationContext {
  return {
    requestId: caller.requestId,
    principal: caller.principal,
    accountId: deps.config.accountId,
    region: caller.region,
    now: caller.startedAt,
    sourceIp: caller.sourceIp,
    userAgent: caller.userAgent,
    store: t.tx,
    ids: deps.ids,
    config: deps.config,
    async invoke<O>(serviceName: string, operationName: string, input: Record<string, unknown>, invokedBy: string): Promise<O> {
      const service = deps.services.get(serviceName);
      const operation = service && servedOperation(service, operationName);
      if (!service || !operation) throw new Error(`ctx.invoke: ${serviceName} does not serve ${operationName}`);
      const sub: Caller = { ...caller, requestId: deps.ids.uuid(), eventId: deps.ids.uuid(), region: service.global ? 'us-east-1' : caller.region };
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
  if (deps.audit) t.records.push(observe(observed({ output })));
  return output;
}

export async function invoke(caller: Caller, service: ServiceDef, operation: Operation, input: Record<string, unknown>, deps: InvokeDeps): Promise<unknown> {
  return deps.store.transaction(async (tx) => {
    const t: Transaction = { tx, records: [] };
    const output = await perform(caller, service, operation, input, undefined, t, deps);
    if (deps.audit) await appendRecords(tx, t.records);
    return output;
  });
}
