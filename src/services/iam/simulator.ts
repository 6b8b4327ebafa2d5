/**
 * The policy simulator: SimulatePrincipalPolicy and SimulateCustomPolicy
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_testing-policies.html ;
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html). Decisions come from the same
 * evaluator that authorizes real calls (auth/policy/evaluate.ts), over the same policies
 * (auth/authorize.ts: a user's own and its groups' policies, the permissions boundary), so "why was
 * this denied?" gets the true answer. As AWS does now, one EvaluationResult per action: its decision is
 * the most restrictive over the resources asked about, each resource's own in ResourceSpecificResults
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html).
 *
 * Choices (docs/iam.md#simulator): the request context holds the ContextEntries given plus the keys
 * a real call by the principal carries (aws:username, aws:userid, aws:PrincipalArn, aws:PrincipalAccount,
 * aws:PrincipalType); MatchedStatements are the statements that decide (the Deny ones for an explicit
 * deny, the Allow ones otherwise, none for an implicit deny), with their positions in the policy text;
 * MissingContextValues are the condition keys of statements that match the action and resource but
 * whose keys the context lacks. There are no organizations (SCPs) yet, so AllowedByOrganizations is true.
 */
import { parseTree, type Node } from 'jsonc-parser';
import { evaluate, parsePolicy, PolicyDocumentError, statementMatch, type PolicyDocument, type PolicyKind } from '../../auth/policy/index.ts';
import { policyDocument } from '../../auth/authorize.ts';
import type { OperationDefs, OperationContext } from '../types.ts';
import type { ContextEntry, EvaluationResult, Operations as Ops, Output, PolicySourceType, Statement } from './model.generated.ts';
import { anyResource, on } from './access.ts';
import { invalidInput, noSuchGroup, noSuchRole, noSuchUser } from './errors.ts';
import { pageMembers, pageOf } from './pagination.ts';
import { AWS_MANAGED } from './policies.ts';

/** A policy as the simulator reads it: its text (for positions), parsed, and how results name it. */
interface Source {
  id: string;
  type: PolicySourceType;
  text: string;
  doc: PolicyDocument;
}

function source(id: string, type: PolicySourceType, text: string, kind: PolicyKind): Source {
  try {
    return { id, type, text, doc: parsePolicy(text, kind) };
  } catch (e) {
    if (e instanceof PolicyDocumentError) throw invalidInput(`${id}: ${e.message}`);
    throw e;
  }
}

/** The principal's own policies, as authorize.ts gathers them, each named as results name it. */
async function principalSources(ctx: OperationContext, arn: string): Promise<{ identity: Source[]; boundary?: Source; name: string; type: string }> {
  const ids = ctx.store.identities;
  const m = /^arn:aws:iam::(\d{12}):(user|group|role)(?:\/.*)?\/([^/]+)$/.exec(arn);
  if (!m || m[1] !== ctx.accountId) throw invalidInput(`Invalid ARN: ${arn}`);
  const kind = m[2] as 'user' | 'group' | 'role';
  const name = m[3] ?? '';
  const entity = kind === 'user' ? await ids.getUser(name) : kind === 'role' ? await ids.getRole(name) : await ids.getGroup(name);
  if (!entity || entity.arn !== arn) throw (kind === 'user' ? noSuchUser : kind === 'role' ? noSuchRole : noSuchGroup)(name);
  const owned = async (k: 'user' | 'group' | 'role', owner: string): Promise<Source[]> => {
    const out = (await ids.listInlinePolicies(k, owner)).map((p) => source(p.policyName, k, p.document, 'identity'));
    for (const policyArn of await ids.listAttachedPolicies(k, owner)) {
      const text = await policyDocument(ctx.store, policyArn);
      if (text) out.push(source(policyArn.slice(policyArn.lastIndexOf('/') + 1), managedType(policyArn), text, 'identity'));
    }
    return out;
  };
  const identity = await owned(kind, name);
  if (kind === 'user') for (const g of await ids.listGroupsForUser(name)) identity.push(...(await owned('group', g.groupName)));
  const boundaryArn = 'permissionsBoundary' in entity ? entity.permissionsBoundary : undefined;
  const boundaryText = boundaryArn ? await policyDocument(ctx.store, boundaryArn) : undefined;
  const boundary = boundaryArn
    ? source(boundaryArn.slice(boundaryArn.lastIndexOf('/') + 1), managedType(boundaryArn), boundaryText ?? '{"Statement":[]}', 'identity')
    : undefined;
  return { identity, ...(boundary ? { boundary } : {}), name, type: kind };
}

const managedType = (arn: string): PolicySourceType => (AWS_MANAGED.some((p) => p.arn === arn) ? 'aws-managed' : 'user-managed');

/** Line and column (both from 1) of each statement's first and last character in the policy text. */
function positions(text: string): { start: { Line: number; Column: number }; end: { Line: number; Column: number } }[] {
  const tree = parseTree(text);
  const statement = tree?.children?.find((p) => p.children?.[0]?.value === 'Statement')?.children?.[1];
  const nodes: Node[] = statement ? (statement.type === 'array' ? (statement.children ?? []) : [statement]) : [];
  const at = (offset: number) => {
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    return { Line: line, Column: offset - before.lastIndexOf('\n') };
  };
  return nodes.map((n) => ({ start: at(n.offset), end: at(n.offset + n.length - 1) }));
}

/** ContextEntries as condition keys: every value a string (the evaluator's form). */
function contextKeys(entries: ContextEntry[] | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const e of entries ?? []) {
    if (!e.ContextKeyName) continue;
    const values = e.ContextKeyValues ?? [];
    out[e.ContextKeyName] = e.ContextKeyType?.endsWith('List') ? values : (values[0] ?? '');
  }
  return out;
}

interface Simulation {
  identity: Source[];
  boundary?: Source;
  resource?: Source;
  principalArn: string;
  keys: Record<string, string | string[] | undefined>;
}

type Decision = EvaluationResult['EvalDecision'];
const RANK: Record<Decision, number> = { allowed: 0, implicitDeny: 1, explicitDeny: 2 };

function simulateOne(sim: Simulation, action: string, resource: string, accountId: string) {
  const request = { action, resource, principalArn: sim.principalArn, principalAccount: accountId, isRoot: false, keys: sim.keys };
  const d = evaluate(request, {
    identity: sim.identity.map((s) => s.doc),
    ...(sim.boundary ? { boundary: sim.boundary.doc } : {}),
    ...(sim.resource ? { resource: sim.resource.doc } : {}),
    sessionType: 'none',
  });
  const decision: Decision = d.effect === 'Allow' ? 'allowed' : d.explicit ? 'explicitDeny' : 'implicitDeny';
  const matched: Statement[] = [];
  const missing = new Set<string>();
  const all = [...sim.identity, ...(sim.boundary ? [sim.boundary] : []), ...(sim.resource ? [sim.resource] : [])];
  const present = new Set(Object.keys(sim.keys).map((k) => k.toLowerCase()));
  for (const src of all) {
    const where = positions(src.text);
    src.doc.Statement.forEach((st, i) => {
      const match = statementMatch(st, src.doc, request);
      if (match === 'no') return;
      for (const byKey of Object.values(st.Condition ?? {})) for (const key of Object.keys(byKey)) if (!present.has(key.toLowerCase())) missing.add(key);
      const decides = decision === 'explicitDeny' ? st.Effect === 'Deny' : decision === 'allowed' && st.Effect === 'Allow';
      if (match === 'applies' && decides) {
        const pos = where[i];
        matched.push({ SourcePolicyId: src.id, SourcePolicyType: src.type, ...(pos ? { StartPosition: pos.start, EndPosition: pos.end } : {}) });
      }
    });
  }
  const boundary = sim.boundary?.doc;
  const inBoundary = (effect: 'Allow' | 'Deny') =>
    !!boundary?.Statement.some((st) => st.Effect === effect && statementMatch(st, boundary, request) === 'applies');
  const boundaryAllows = inBoundary('Allow') && !inBoundary('Deny');
  return { decision, matched, missing: [...missing], boundaryAllows };
}

function simulate(sim: Simulation, input: { ActionNames: string[]; ResourceArns?: string[] }, accountId: string): EvaluationResult[] {
  const resources = input.ResourceArns?.length ? input.ResourceArns : ['*'];
  return input.ActionNames.map((action) => {
    const each = resources.map((r) => ({ r, ...simulateOne(sim, action, r, accountId) }));
    const worst = each.reduce((a, b) => (RANK[b.decision] > RANK[a.decision] ? b : a));
    return {
      EvalActionName: action,
      EvalResourceName: resources.length === 1 ? (resources[0] ?? '*') : '*',
      EvalDecision: worst.decision,
      MatchedStatements: worst.matched,
      MissingContextValues: [...new Set(each.flatMap((e) => e.missing))],
      OrganizationsDecisionDetail: { AllowedByOrganizations: true },
      ...(sim.boundary ? { PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: each.every((e) => e.boundaryAllows) } } : {}),
      ...(input.ResourceArns?.length
        ? {
            ResourceSpecificResults: each.map((e) => ({
              EvalResourceName: e.r,
              EvalResourceDecision: e.decision,
              MatchedStatements: e.matched,
              MissingContextValues: e.missing,
              ...(sim.boundary ? { PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: e.boundaryAllows } } : {}),
            })),
          }
        : {}),
    };
  });
}

/** The keys a real call by this principal carries (auth/authorize.ts contextKeys). */
async function principalKeys(ctx: OperationContext, arn: string, type: string, name: string): Promise<Record<string, string>> {
  const ids = ctx.store.identities;
  const base = { 'aws:PrincipalArn': arn, 'aws:PrincipalAccount': ctx.accountId };
  if (type === 'user') {
    const u = await ids.getUser(name);
    return { ...base, 'aws:username': name, 'aws:userid': u?.userId ?? '', 'aws:PrincipalType': 'User' };
  }
  if (type === 'role') return { ...base, 'aws:PrincipalType': 'AssumedRole' };
  return base;
}

const inputs = (list: string[] | undefined, name: string, kind: PolicyKind = 'identity') =>
  (list ?? []).map((text, i) => source(`${name}.${i + 1}`, 'none', text, kind));

export const simulator = {
  SimulatePrincipalPolicy: {
    readOnly: true,
    authorize: on('SimulatePrincipalPolicy', (i) => i.PolicySourceArn ?? '*'),
    async handler(input, ctx): Promise<Output<'SimulatePrincipalPolicy'>> {
      const own = await principalSources(ctx, input.PolicySourceArn);
      const extra = inputs(input.PolicyInputList, 'PolicyInputList');
      const boundaryInput = inputs(input.PermissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList')[0];
      const boundary = boundaryInput ?? own.boundary;
      const keys = { ...(await principalKeys(ctx, input.PolicySourceArn, own.type, own.name)), ...contextKeys(input.ContextEntries) };
      const sim: Simulation = {
        identity: [...own.identity, ...extra],
        ...(boundary ? { boundary } : {}),
        ...(input.ResourcePolicy ? { resource: source('ResourcePolicy', 'resource', input.ResourcePolicy, 'resource') } : {}),
        principalArn: input.CallerArn ?? input.PolicySourceArn,
        keys,
      };
      const page = pageOf(
        simulate(sim, input, ctx.accountId).map((r, i) => ({ r, key: String(i).padStart(6, '0') })),
        (e) => e.key,
        input,
      );
      return { EvaluationResults: page.items.map((e) => e.r), ...pageMembers(page) };
    },
  },

  SimulateCustomPolicy: {
    readOnly: true,
    authorize: on('SimulateCustomPolicy', anyResource),
    async handler(input, ctx): Promise<Output<'SimulateCustomPolicy'>> {
      const boundary = inputs(input.PermissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList')[0];
      const sim: Simulation = {
        identity: inputs(input.PolicyInputList, 'PolicyInputList'),
        ...(boundary ? { boundary } : {}),
        ...(input.ResourcePolicy ? { resource: source('ResourcePolicy', 'resource', input.ResourcePolicy, 'resource') } : {}),
        principalArn: input.CallerArn ?? `arn:aws:iam::${ctx.accountId}:user/simulated`,
        keys: { 'aws:PrincipalAccount': ctx.accountId, ...contextKeys(input.ContextEntries) },
      };
      const page = pageOf(
        simulate(sim, input, ctx.accountId).map((r, i) => ({ r, key: String(i).padStart(6, '0') })),
        (e) => e.key,
        input,
      );
      return { EvaluationResults: page.items.map((e) => e.r), ...pageMembers(page) };
    },
  },
} satisfies OperationDefs<Ops, 'SimulatePrincipalPolicy' | 'SimulateCustomPolicy'>;
