/**
 * Step 6: run the handler and commit its changes together with the call's audit record, in one
 * transaction. Calls a service makes on the caller's behalf (ctx.invoke) run in the same
 * transaction and add their own records, marked invokedBy.
 */
import { appendRecords } from '../audit/append.ts';
import { observe, type ObservedCall } from '../audit/observer.ts';
import { AwsError, unknownOperation } from '../errors/aws-error.ts';
import type { Ids } from '../ids.ts';
import type { Config, OperationContext, ServiceDef } from '../services/types.ts';
import type { Store, StoredEvent } from '../store/types.ts';
import type { Call } from './call.ts';

export interface InvokeDeps {
  store: Store;
  services: Map<string, ServiceDef>;
  config: Config;
  ids: Ids;
  clock: () => Date;
  audit: boolean;
}

function context(call: Call, tx: Store, deps: InvokeDeps, records: StoredEvent[], region: string): OperationContext {
  const ctx: OperationContext = {
    requestId: call.requestId,
    principal: call.principal!,
    accountId: deps.config.accountId,
    region,
    now: call.startedAt,
    sourceIp: call.sourceIp,
    userAgent: call.userAgent,
    store: tx,
    ids: deps.ids,
    config: deps.config,
    async invoke(serviceName, operation, input, invokedBy) {
      const service = deps.services.get(serviceName);
      const op = service?.operations[operation];
      if (!service || !op) throw unknownOperation('json', `${serviceName}.${operation}`);
      const sub: Call = { ...call, requestId: deps.ids.uuid(), eventId: deps.ids.uuid(), region: service.global ? 'us-east-1' : region };
      const subCtx = context(sub, tx, deps, records, sub.region);
      const observed: ObservedCall = { ...base(sub, deps), service, operation, op, invokedBy, input, ctx: subCtx };
      try {
        observed.output = await op.handler(input, subCtx);
        return observed.output as any;
      } catch (e) {
        if (e instanceof AwsError) observed.error = e;
        throw e;
      } finally {
        records.push(observe(observed));
      }
    },
  };
  return ctx;
}

export function base(call: Call, deps: InvokeDeps) {
  return {
    requestId: call.requestId, eventId: call.eventId, time: deps.clock(), region: call.region, accountId: deps.config.accountId,
    sourceIp: call.sourceIp, userAgent: call.userAgent, principal: call.principal, claimedAccessKeyId: call.claimedAccessKeyId, console: call.console,
  };
}

export async function invoke(call: Call, deps: InvokeDeps): Promise<unknown> {
  const { service, operation, op } = call.target!;
  return deps.store.transaction(async (tx) => {
    const records: StoredEvent[] = [];
    const ctx = context(call, tx, deps, records, call.region);
    const output = await op!.handler(call.input ?? {}, ctx);
    if (deps.audit) {
      const own = observe({ ...base(call, deps), service, operation: operation!, op, input: call.input, output, ctx });
      await appendRecords(tx, [...records, own]);
    }
    return output;
  });
}
