/**
 * Step 4: IAM policy evaluation of the decoded input (src/auth/authorize.ts). The operation says what
 * it acts on (`authorize`: action, resources, resource policy, condition keys), reading the call but
 * never acting: it gets an AuthorizationContext, which has no `invoke`.
 */
import { authorize as evaluate } from '../auth/authorize.ts';
import { isAnonymous } from '../auth/principal.ts';
import { authorizationContext } from './invoke.ts';
import type { Caller, Operation, Target } from './call.ts';
import type { PipelineDeps } from './index.ts';

/**
 * `onResourceAccount` hears, before the evaluation, the account owning the resource when it is not the
 * caller's: the call (allowed or refused) is recorded there too (docs/accounts.md#cross-account-access).
 */
export async function authorize(
  caller: Caller,
  target: Target,
  operation: Operation,
  input: Record<string, unknown>,
  deps: PipelineDeps,
  onResourceAccount: (accountId: string) => void = () => {},
): Promise<void> {
  const { service, wire } = target;
  const ctx = authorizationContext(caller, deps);
  const t = operation.def.authorize ? await operation.def.authorize(input, ctx) : { resource: '*' };
  if (t === 'none') return;
  // an anonymous call's only record is the resource account's (observer.ts observeAll)
  const anonymous = isAnonymous(caller.principal);
  if (
    t.resourceAccount !== undefined &&
    t.resourceAccount !== caller.principal.accountId &&
    (anonymous || (await deps.store.accounts.get(t.resourceAccount)))
  ) {
    onResourceAccount(t.resourceAccount);
  }
  await evaluate(deps.store, {
    principal: caller.principal,
    action: t.action ?? `${service.actionPrefix}:${operation.name}`,
    resources: Array.isArray(t.resource) ? t.resource : [t.resource],
    region: caller.region,
    sourceIp: caller.sourceIp,
    now: caller.startedAt,
    keys: t.keys,
    resourcePolicy: t.resourcePolicy,
    trustPolicy: t.trustPolicy,
    ...(t.resourceAccount !== undefined ? { resourceAccount: t.resourceAccount } : {}),
    protocol: wire,
    s3: service.name === 's3',
  });
}
