/**
 * Targets (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html and the
 * pages of RemoveTargets, ListTargetsByRule, ListRuleNamesByTarget). PutTargets adds or replaces
 * targets by Id; a target whose content is not valid (Input not JSON, a bad InputPath or
 * InputTransformer, more than one of them, a FIFO queue without SqsParameters) is answered in
 * FailedEntries and the others are kept. More than 5 targets on a rule is LimitExceededException for
 * the whole call (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html).
 * docs/eventbridge.md#targets.
 */
import type { EventTarget } from '../../store/types.ts';
import type { OperationDefs } from '../types.ts';
import { onRule } from './access.ts';
import { findBus } from './buses.ts';
import { limitExceeded, managedRule } from './errors.ts';
import { checkInputPath, checkInputTransformer, InputError } from './input.ts';
import type { Operations as Ops, Output, PutTargetsResultEntry, Target } from './model.generated.ts';
import { decodeToken, page, PAGE_SIZE } from './pagination.ts';
import { findRule } from './rules.ts';

export const MAX_TARGETS = 5;

/** Why the target cannot be kept, as AWS words it; undefined when it can. */
function targetProblem(t: Target): string | undefined {
  if (!/^arn:aws[\w-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+/.test(t.Arn)) return `Parameter ${t.Arn} is not valid. Reason: Provided Arn is not in correct format.`;
  const given = [t.Input, t.InputPath, t.InputTransformer].filter((x) => x !== undefined).length;
  if (given > 1) return `Only one of Input, InputPath, or InputTransformer can be provided for target ${t.Id}.`;
  if (t.Input !== undefined) {
    try {
      JSON.parse(t.Input);
    } catch {
      return `Parameter Input is not valid. Reason: Input for target ${t.Id} is not valid JSON text.`;
    }
  }
  try {
    if (t.InputPath !== undefined) checkInputPath(t.InputPath, t.Id);
    if (t.InputTransformer !== undefined) checkInputTransformer(t.InputTransformer, t.Id);
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  if (/^arn:aws[\w-]*:sqs:/.test(t.Arn) && t.Arn.endsWith('.fifo') && !t.SqsParameters?.MessageGroupId)
    return `Parameter(s) SqsParameters must be specified for target: ${t.Id}.`;
  return undefined;
}

function stored(t: Target): EventTarget {
  return {
    id: t.Id,
    arn: t.Arn,
    ...(t.RoleArn !== undefined ? { roleArn: t.RoleArn } : {}),
    ...(t.Input !== undefined ? { input: t.Input } : {}),
    ...(t.InputPath !== undefined ? { inputPath: t.InputPath } : {}),
    ...(t.InputTransformer !== undefined ? { inputTransformer: t.InputTransformer } : {}),
    ...(t.RetryPolicy !== undefined ? { retryPolicy: t.RetryPolicy } : {}),
    ...(t.DeadLetterConfig?.Arn !== undefined ? { deadLetterArn: t.DeadLetterConfig.Arn } : {}),
    ...(t.SqsParameters?.MessageGroupId !== undefined ? { sqsMessageGroupId: t.SqsParameters.MessageGroupId } : {}),
    ...(t.HttpParameters !== undefined ? { httpParameters: t.HttpParameters } : {}),
    wire: JSON.parse(JSON.stringify(t)) as Record<string, unknown>,
  };
}

export const targetHandlers = {
  PutTargets: {
    readOnly: false,
    authorize: (input, ctx) => onRule(ctx, input.EventBusName, input.Rule, { 'events:TargetArn': (input.Targets ?? []).map((t) => t.Arn) }),
    async handler(input, ctx): Promise<Output<'PutTargets'>> {
      const rule = await findRule(ctx, input.EventBusName, input.Rule);
      if (rule.managedBy !== undefined) throw managedRule(`Rule ${rule.name} is managed by ${rule.managedBy} and cannot be modified.`);
      const failed: PutTargetsResultEntry[] = [];
      const keep = new Map<string, EventTarget>();
      for (const t of input.Targets) {
        const problem = targetProblem(t);
        if (problem) failed.push({ TargetId: t.Id, ErrorCode: 'ValidationException', ErrorMessage: problem });
        else keep.set(t.Id, stored(t));
      }
      const ids = new Set([...rule.targets.map((t) => t.id), ...keep.keys()]);
      if (ids.size > MAX_TARGETS) throw limitExceeded();
      await ctx.store.eventBuses.putTargets(rule.accountId, rule.region, rule.busName, rule.name, [...keep.values()]);
      return { FailedEntryCount: failed.length, FailedEntries: failed };
    },
  },

  RemoveTargets: {
    readOnly: false,
    authorize: (input, ctx) => onRule(ctx, input.EventBusName, input.Rule),
    async handler(input, ctx): Promise<Output<'RemoveTargets'>> {
      const rule = await findRule(ctx, input.EventBusName, input.Rule);
      if (rule.managedBy !== undefined && !input.Force)
        throw managedRule(`Rule ${rule.name} is managed by ${rule.managedBy}; set Force to change its targets.`);
      await ctx.store.eventBuses.removeTargets(rule.accountId, rule.region, rule.busName, rule.name, input.Ids);
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
  },

  ListTargetsByRule: {
    readOnly: true,
    authorize: (input, ctx) => onRule(ctx, input.EventBusName, input.Rule),
    async handler(input, ctx): Promise<Output<'ListTargetsByRule'>> {
      const rule = await findRule(ctx, input.EventBusName, input.Rule);
      const limit = input.Limit ?? PAGE_SIZE;
      const after = decodeToken('target', input.NextToken);
      const rest = rule.targets.filter((t) => after === undefined || t.id > after);
      const p = page(rest, limit, 'target', (t) => t.id);
      return { Targets: p.items.map((t) => t.wire as unknown as Target), ...(p.next ? { NextToken: p.next } : {}) };
    },
  },

  ListRuleNamesByTarget: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'ListRuleNamesByTarget'>> {
      const bus = await findBus(ctx, input.EventBusName);
      const limit = input.Limit ?? PAGE_SIZE;
      const after = decodeToken('rule-name', input.NextToken);
      const names = await ctx.store.eventBuses.ruleNamesByTarget(bus.accountId, bus.region, bus.name, input.TargetArn, { after, limit: limit + 1 });
      const p = page(names, limit, 'rule-name', (n) => n);
      return { RuleNames: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },
  },
} satisfies OperationDefs<Ops, 'PutTargets' | 'RemoveTargets' | 'ListTargetsByRule' | 'ListRuleNamesByTarget'>;
