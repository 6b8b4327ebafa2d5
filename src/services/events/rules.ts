/**
 * Rules (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html and the pages
 * of DescribeRule, ListRules, EnableRule, DisableRule, DeleteRule). PutRule creates or replaces: the
 * arguments it omits are not kept (State becomes ENABLED), its tags apply only to a new rule, and the
 * rule keeps its targets. A rule has an EventPattern, a ScheduleExpression (default bus only), or
 * both. DeleteRule refuses while the rule has targets; Force is for managed rules only, as on AWS.
 * docs/eventbridge.md#rules.
 */
import type { EventRule, NewEventRule, RuleState } from '../../store/types.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import { onRule, patternKeys, tagKeys } from './access.ts';
import { ruleArn } from './arns.ts';
import { findBus } from './buses.ts';
import { invalidPattern, limitExceeded, managedRule, ruleNotFound, validation } from './errors.ts';
import type { Operations as Ops, Output, Rule } from './model.generated.ts';
import { decodeToken, page, PAGE_SIZE } from './pagination.ts';
import { PatternError, parseEventPattern } from './pattern/index.ts';
import { parseSchedule, ScheduleError } from './schedule.ts';
import { checkTags } from './tags.ts';

/** Rules per event bus (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html). */
export const MAX_RULES = 300;

export async function findRule(ctx: OperationContext, busName: string | undefined, name: string): Promise<EventRule> {
  const bus = await findBus(ctx, busName);
  const rule = await ctx.store.eventBuses.getRule(bus.accountId, bus.region, bus.name, name);
  if (!rule) throw ruleNotFound(name, bus.name);
  return rule;
}

export function checkPattern(text: string): void {
  try {
    parseEventPattern(text);
  } catch (e) {
    if (e instanceof PatternError) throw invalidPattern(e.message);
    throw e;
  }
}

export function wireRule(r: EventRule): Rule {
  return {
    Name: r.name,
    Arn: r.arn,
    ...(r.eventPattern !== undefined ? { EventPattern: r.eventPattern } : {}),
    State: r.state,
    ...(r.description !== undefined ? { Description: r.description } : {}),
    ...(r.scheduleExpression !== undefined ? { ScheduleExpression: r.scheduleExpression } : {}),
    ...(r.roleArn !== undefined ? { RoleArn: r.roleArn } : {}),
    ...(r.managedBy !== undefined ? { ManagedBy: r.managedBy } : {}),
    EventBusName: r.busName,
  };
}

async function setState(ctx: OperationContext, busName: string | undefined, name: string, state: RuleState): Promise<void> {
  const r = await findRule(ctx, busName, name);
  if (r.managedBy !== undefined) throw managedRule(`Rule ${name} is managed by ${r.managedBy} and cannot be modified.`);
  await ctx.store.eventBuses.setRuleState(r.accountId, r.region, r.busName, r.name, state, ctx.now);
}

export const ruleHandlers = {
  PutRule: {
    readOnly: false,
    authorize: (input, ctx) => onRule(ctx, input.EventBusName, input.Name, { ...tagKeys(input.Tags), ...patternKeys(input.EventPattern) }),
    async handler(input, ctx): Promise<Output<'PutRule'>> {
      const bus = await findBus(ctx, input.EventBusName);
      if (input.EventPattern === undefined && input.ScheduleExpression === undefined)
        throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
      if (input.EventPattern !== undefined) checkPattern(input.EventPattern);
      if (input.ScheduleExpression !== undefined) {
        if (bus.name !== 'default') throw validation('ScheduleExpression is supported only on the default event bus.');
        try {
          parseSchedule(input.ScheduleExpression);
        } catch (e) {
          if (e instanceof ScheduleError) throw validation(e.message);
          throw e;
        }
      }
      const tags = checkTags(input.Tags ?? []);
      const existing = await ctx.store.eventBuses.getRule(bus.accountId, bus.region, bus.name, input.Name);
      if (existing?.managedBy !== undefined) throw managedRule(`Rule ${input.Name} is managed by ${existing.managedBy} and cannot be modified.`);
      if (!existing && (await ctx.store.eventBuses.countRules(bus.accountId, bus.region, bus.name)) >= MAX_RULES) throw limitExceeded();
      const arn = ruleArn(bus.region, bus.accountId, bus.name, input.Name);
      const rule: NewEventRule = {
        accountId: bus.accountId,
        region: bus.region,
        busName: bus.name,
        name: input.Name,
        arn,
        ...(input.EventPattern !== undefined ? { eventPattern: input.EventPattern } : {}),
        ...(input.ScheduleExpression !== undefined ? { scheduleExpression: input.ScheduleExpression } : {}),
        state: input.State ?? 'ENABLED',
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        ...(input.RoleArn !== undefined ? { roleArn: input.RoleArn } : {}),
        createdBy: existing?.createdBy ?? ctx.accountId,
        createdAt: existing?.createdAt ?? ctx.now,
        updatedAt: ctx.now,
      };
      const created = await ctx.store.eventBuses.putRule(rule);
      if (created && Object.keys(tags).length) await ctx.store.eventBuses.tag(ctx.accountId, arn, tags);
      return { RuleArn: arn };
    },
  },

  DescribeRule: {
    readOnly: true,
    authorize: (input, ctx) => onRule(ctx, input.EventBusName, input.Name),
    async handler(input, ctx): Promise<Output<'DescribeRule'>> {
      const r = await findRule(ctx, input.EventBusName, input.Name);
      return { ...wireRule(r), CreatedBy: r.createdBy };
    },
  },

  ListRules: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'ListRules'>> {
      const bus = await findBus(ctx, input.EventBusName);
      const limit = input.Limit ?? PAGE_SIZE;
      const after = decodeToken('rule', input.NextToken);
      const rows = await ctx.store.eventBuses.listRules(bus.accountId, bus.region, bus.name, { prefix: input.NamePrefix, after, limit: limit + 1 });
      const p = page(rows, limit, 'rule', (r) => r.name);
      return { Rules: p.items.map(wireRule), ...(p.next ? { NextToken: p.next } : {}) };
    },
  },

  EnableRule: {
    readOnly: false,
    authorize: (input, ctx) => onRule(ctx, input.EventBusName, input.Name),
    async handler(input, ctx): Promise<Output<'EnableRule'>> {
      await setState(ctx, input.EventBusName, input.Name, 'ENABLED');
      return {};
    },
  },

  DisableRule: {
    readOnly: false,
    authorize: (input, ctx) => onRule(ctx, input.EventBusName, input.Name),
    async handler(input, ctx): Promise<Output<'DisableRule'>> {
      await setState(ctx, input.EventBusName, input.Name, 'DISABLED');
      return {};
    },
  },

  DeleteRule: {
    readOnly: false,
    authorize: (input, ctx) => onRule(ctx, input.EventBusName, input.Name),
    async handler(input, ctx): Promise<Output<'DeleteRule'>> {
      const bus = await findBus(ctx, input.EventBusName);
      // deleting a rule that does not exist succeeds, as on AWS
      const r = await ctx.store.eventBuses.getRule(bus.accountId, bus.region, bus.name, input.Name);
      if (!r) return {};
      if (r.managedBy !== undefined && !input.Force) throw managedRule(`Rule ${input.Name} is managed by ${r.managedBy}; set Force to delete it.`);
      if (r.targets.length) throw validation("Rule can't be deleted since it has targets.");
      await ctx.store.eventBuses.deleteRule(r.accountId, r.region, r.busName, r.name);
      return {};
    },
  },
} satisfies OperationDefs<Ops, 'PutRule' | 'DescribeRule' | 'ListRules' | 'EnableRule' | 'DisableRule' | 'DeleteRule'>;
