/**
 * Service last accessed data ("access advisor"): GenerateServiceLastAccessedDetails and
 * GetServiceLastAccessedDetails (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html ;
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetServiceLastAccessedDetails.html), computed from
 * startrail's own audit trail (docs/iam.md#access-advisor):
 * - the services listed are those of startrail's services that the entity's policies allow any action
 *   of (a user's: its own and its groups'; a group's, a role's, a policy's own document);
 * - an entity's access to a service is its newest recorded call to it, allowed or denied, as AWS
 *   counts "attempts"; a call refused before authentication did not authenticate;
 * - a group or a policy reports the newest access of the users (and roles) it applies to, with
 *   TotalAuthenticatedEntities the number of them that accessed the service;
 * - ACTION_LEVEL adds, for IAM and S3 (the services AWS tracks actions of), each action's last access.
 * The report is made at once: the job is COMPLETED when GetServiceLastAccessedDetails first sees it.
 */
import type { Store } from '../../store/types.ts';
import type { OperationDefs, OperationContext } from '../types.ts';
import type { Operations as Ops, Output, ServiceLastAccessed } from './model.generated.ts';
import { anyResource, on } from './access.ts';
import { policyDocument } from '../../auth/authorize.ts';
import { actionMatches, parsePolicy, PolicyDocumentError } from '../../auth/policy/index.ts';
import { invalidInput, noSuchGroup, noSuchRole, noSuchUser, policyNotFound } from './errors.ts';
import { pageMembers, pageOf } from './pagination.ts';

/** startrail's services as access advisor names them. */
const SERVICES: { namespace: string; name: string; source: string }[] = [
  { namespace: 'cloudtrail', name: 'AWS CloudTrail', source: 'cloudtrail.amazonaws.com' },
  { namespace: 'codestar', name: 'AWS CodeStar', source: 'codestar.amazonaws.com' },
  { namespace: 'iam', name: 'AWS Identity and Access Management', source: 'iam.amazonaws.com' },
  { namespace: 's3', name: 'Amazon S3', source: 's3.amazonaws.com' },
  { namespace: 'sns', name: 'Amazon SNS', source: 'sns.amazonaws.com' },
  { namespace: 'sqs', name: 'Amazon SQS', source: 'sqs.amazonaws.com' },
  { namespace: 'sts', name: 'AWS Security Token Service', source: 'sts.amazonaws.com' },
];
const TRACKS_ACTIONS = new Set(['iam', 's3']);
const JOB_KEY = (id: string) => `iam/access-advisor/${id}`;
const PAGE = 50;
const MAX_PAGES = 40;

interface Access {
  time: Date;
  entity: string;
  region: string;
}
interface Accessed {
  last?: Access;
  entities: Set<string>;
  actions: Map<string, Access>;
}

interface RecordFields {
  eventSource?: unknown;
  eventName?: unknown;
  awsRegion?: unknown;
  userIdentity?: { type?: unknown; arn?: unknown; sessionContext?: { sessionIssuer?: { arn?: unknown } } };
}

/** Which of the services the documents allow some action of (Allow statements; NotAction allows nearly everything). */
function allowedNamespaces(documents: string[]): Set<string> {
  const out = new Set<string>();
  for (const text of documents) {
    let doc: ReturnType<typeof parsePolicy>;
    try {
      doc = parsePolicy(text, 'identity');
    } catch (e) {
      if (e instanceof PolicyDocumentError) continue;
      throw e;
    }
    for (const st of doc.Statement) {
      if (st.Effect !== 'Allow') continue;
      for (const s of SERVICES) {
        const any = `${s.namespace}:*`;
        if (
          st.NotAction
            ? !st.NotAction.some((p) => p === '*' || p === any)
            : (st.Action ?? []).some((p) => actionMatches(p, `${s.namespace}:x`) || p.toLowerCase().startsWith(`${s.namespace}:`))
        )
          out.add(s.namespace);
      }
    }
  }
  return out;
}

/** The newest recorded calls matching `attributes` that `mine` takes, fed to `take` newest first until it says stop. */
async function scan(
  store: Store,
  attributes: { key: 'Username' | 'EventSource'; value: string }[],
  take: (r: RecordFields, time: Date) => boolean,
): Promise<void> {
  let after: { time: number; seq: number } | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await store.events.lookup({ attributes, limit: PAGE, ...(after ? { after } : {}) });
    for (const e of page.events) {
      if (e.imported) continue;
      let r: RecordFields;
      try {
        r = JSON.parse(e.json) as RecordFields;
      } catch {
        continue;
      }
      if (r.userIdentity?.type === 'Unknown') continue;
      if (take(r, e.eventTime)) return;
    }
    if (!page.next) return;
    after = page.next;
  }
}

function note(map: Map<string, Accessed>, namespace: string, access: Access, action: string | undefined): void {
  const a = map.get(namespace) ?? { entities: new Set<string>(), actions: new Map<string, Access>() };
  map.set(namespace, a);
  if (!a.last || access.time > a.last.time) a.last = access;
  a.entities.add(access.entity);
  if (action && TRACKS_ACTIONS.has(namespace)) {
    const prev = a.actions.get(action);
    if (!prev || access.time > prev.time) a.actions.set(action, access);
  }
}

const namespaceOf = (source: unknown) => SERVICES.find((s) => s.source === source)?.namespace;

/** An IAM user's calls: Event history's Username is the user's name; the record's ARN must be the user's. */
async function userAccess(store: Store, name: string, arn: string, into: Map<string, Accessed>): Promise<void> {
  await scan(store, [{ key: 'Username', value: name }], (r, time) => {
    const ns = namespaceOf(r.eventSource);
    if (ns && r.userIdentity?.arn === arn) note(into, ns, { time, entity: arn, region: String(r.awsRegion ?? '') }, String(r.eventName ?? ''));
    return false;
  });
}

/** A role's sessions' calls: records whose session issuer is the role, per service. */
async function roleAccess(store: Store, arn: string, into: Map<string, Accessed>): Promise<void> {
  for (const s of SERVICES) {
    await scan(store, [{ key: 'EventSource', value: s.source }], (r, time) => {
      if (r.userIdentity?.sessionContext?.sessionIssuer?.arn !== arn) return false;
      note(into, s.namespace, { time, entity: arn, region: String(r.awsRegion ?? '') }, String(r.eventName ?? ''));
      return !TRACKS_ACTIONS.has(s.namespace); // the newest is enough unless actions are tracked
    });
  }
}

interface Subject {
  documents: string[];
  users: { name: string; arn: string }[];
  roles: string[];
}

async function subjectOf(ctx: OperationContext, arn: string): Promise<Subject> {
  const ids = ctx.store.identities;
  const m = /^arn:aws:iam::(\d{12}|aws):(user|group|role|policy)(?:\/.*)?\/([^/]+)$/.exec(arn);
  if (!m) throw invalidInput(`ARN ${arn} is not valid.`);
  const [, , kind, name = ''] = m;
  const docs = async (k: 'user' | 'group' | 'role', owner: string) => {
    const out = (await ids.listInlinePolicies(k, owner)).map((p) => p.document);
    for (const a of await ids.listAttachedPolicies(k, owner)) out.push((await policyDocument(ctx.store, a)) ?? '');
    return out;
  };
  if (kind === 'user') {
    const u = await ids.getUser(name);
    if (!u || u.arn !== arn) throw noSuchUser(name);
    const documents = await docs('user', u.userName);
    for (const g of await ids.listGroupsForUser(u.userName)) documents.push(...(await docs('group', g.groupName)));
    return { documents, users: [{ name: u.userName, arn: u.arn }], roles: [] };
  }
  if (kind === 'group') {
    const g = await ids.getGroup(name);
    if (!g || g.arn !== arn) throw noSuchGroup(name);
    return {
      documents: await docs('group', g.groupName),
      users: (await ids.listGroupMembers(g.groupName)).map((u) => ({ name: u.userName, arn: u.arn })),
      roles: [],
    };
  }
  if (kind === 'role') {
    const r = await ids.getRole(name);
    if (!r || r.arn !== arn) throw noSuchRole(name);
    return { documents: await docs('role', r.roleName), users: [], roles: [r.arn] };
  }
  const text = await policyDocument(ctx.store, arn);
  if (text === undefined) throw policyNotFound(arn);
  const users: Subject['users'] = [];
  const roles: string[] = [];
  for (const use of (await ids.listPolicyUses(arn)).attached) {
    if (use.kind === 'user') {
      const u = await ids.getUser(use.name);
      if (u) users.push({ name: u.userName, arn: u.arn });
    } else if (use.kind === 'role') {
      const r = await ids.getRole(use.name);
      if (r) roles.push(r.arn);
    } else for (const u of await ids.listGroupMembers(use.name)) users.push({ name: u.userName, arn: u.arn });
  }
  return { documents: [text], users, roles };
}

interface Job {
  arn: string;
  granularity: 'SERVICE_LEVEL' | 'ACTION_LEVEL';
  created: number;
  completed: number;
  services: ServiceLastAccessed[];
}

async function servicesLastAccessed(ctx: OperationContext, arn: string, granularity: Job['granularity']): Promise<ServiceLastAccessed[]> {
  const subject = await subjectOf(ctx, arn);
  const allowed = allowedNamespaces(subject.documents);
  const accessed = new Map<string, Accessed>();
  const seen = new Set<string>();
  for (const u of subject.users) if (!seen.has(u.arn) && seen.add(u.arn)) await userAccess(ctx.store, u.name, u.arn, accessed);
  for (const r of subject.roles) if (!seen.has(r) && seen.add(r)) await roleAccess(ctx.store, r, accessed);
  return SERVICES.filter((s) => allowed.has(s.namespace)).map((s) => {
    const a = accessed.get(s.namespace);
    return {
      ServiceName: s.name,
      ServiceNamespace: s.namespace,
      ...(a?.last ? { LastAuthenticated: a.last.time, LastAuthenticatedEntity: a.last.entity, LastAuthenticatedRegion: a.last.region } : {}),
      TotalAuthenticatedEntities: a?.entities.size ?? 0,
      ...(granularity === 'ACTION_LEVEL' && TRACKS_ACTIONS.has(s.namespace)
        ? {
            TrackedActionsLastAccessed: [...(a?.actions ?? new Map<string, Access>()).entries()]
              .sort(([x], [y]) => (x < y ? -1 : 1))
              .map(([action, at]) => ({ ActionName: action, LastAccessedEntity: at.entity, LastAccessedTime: at.time, LastAccessedRegion: at.region })),
          }
        : {}),
    };
  });
}

export const accessAdvisor = {
  GenerateServiceLastAccessedDetails: {
    readOnly: false,
    authorize: on('GenerateServiceLastAccessedDetails', (i) => i.Arn ?? '*'),
    async handler(input, ctx): Promise<Output<'GenerateServiceLastAccessedDetails'>> {
      const granularity = input.Granularity === 'ACTION_LEVEL' ? 'ACTION_LEVEL' : 'SERVICE_LEVEL';
      const services = await servicesLastAccessed(ctx, input.Arn, granularity);
      const id = ctx.ids.uuid();
      const now = Math.floor(ctx.now.getTime() / 1000) * 1000;
      const job: Job = { arn: input.Arn, granularity, created: now, completed: now, services };
      await ctx.store.kv.put(JOB_KEY(id), JSON.stringify(job));
      return { JobId: id };
    },
  },

  GetServiceLastAccessedDetails: {
    readOnly: true,
    authorize: on('GetServiceLastAccessedDetails', anyResource),
    async handler(input, ctx): Promise<Output<'GetServiceLastAccessedDetails'>> {
      const text = /^[\w-]{36}$/.test(input.JobId) ? await ctx.store.kv.get(JOB_KEY(input.JobId)) : undefined;
      if (!text) throw invalidInput(`Invalid JobId: ${input.JobId}`);
      const job = JSON.parse(text) as Job;
      const revive = (s: ServiceLastAccessed): ServiceLastAccessed => ({
        ...s,
        ...(s.LastAuthenticated ? { LastAuthenticated: new Date(s.LastAuthenticated) } : {}),
        ...(s.TrackedActionsLastAccessed
          ? {
              TrackedActionsLastAccessed: s.TrackedActionsLastAccessed.map((t) => ({
                ...t,
                ...(t.LastAccessedTime ? { LastAccessedTime: new Date(t.LastAccessedTime) } : {}),
              })),
            }
          : {}),
      });
      const page = pageOf(job.services.map(revive), (s) => s.ServiceNamespace, input);
      return {
        JobStatus: 'COMPLETED',
        JobType: job.granularity,
        JobCreationDate: new Date(job.created),
        ServicesLastAccessed: page.items,
        JobCompletionDate: new Date(job.completed),
        ...pageMembers(page),
      };
    },
  },
} satisfies OperationDefs<Ops, 'GenerateServiceLastAccessedDetails' | 'GetServiceLastAccessedDetails'>;
