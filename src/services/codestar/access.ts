/**
 * What each CodeStar call is authorized on (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html: the project ARN for project operations, the
 * `userArn` for Create/Update/DeleteUserProfile, `*` for CreateProject, ListProjects, DescribeUserProfile,
 * ListUserProfiles), with aws:RequestTag/aws:TagKeys/aws:ResourceTag, and the optimistic concurrency of
 * writes to one project (ConcurrentModificationException, https://docs.aws.amazon.com/codestar/latest/APIReference/CommonErrors.html).
 *
 * Racing writes: authorization reads the project's version before the call's transaction starts; the
 * write then claims the project only if that version is still current. A write committed in between —
 * another call that raced this one — makes this call fail with ConcurrentModificationException instead of
 * silently overwriting what the other caller just did.
 */
import type { AuditResource, AuthorizationTarget, OperationContext } from '../types.ts';
import type { Project } from '../../store/types.ts';
import { concurrentModification, projectNotFound } from './errors.ts';
import { ProjectId } from './model.generated.ts';

type Keys = AuthorizationTarget['keys'];
/** An input naming a project by `id` or `projectId`. */
type OnProject<M extends string> = { [K in M]: string };

const PROJECT_ID = new RegExp(ProjectId.pattern);
/** A well-formed project id: the model's pattern and length. */
const isProjectId = (id: string) => id.length >= ProjectId.min && id.length <= ProjectId.max && PROJECT_ID.test(id);

export const projectArn = (ctx: Pick<OperationContext, 'region' | 'accountId'>, id: string) => `arn:aws:codestar:${ctx.region}:${ctx.accountId}:project/${id}`;

/** The version each call saw when it was authorized, keyed by the call's input object. */
const seen = new WeakMap<object, number>();

/** `authorize` for an operation on the project named by `member` (`id` or `projectId`). */
export function onProject<M extends 'id' | 'projectId', T = object>(member: M, keys?: (input: T) => Keys) {
  return async (input: OnProject<M> & T, ctx: OperationContext): Promise<AuthorizationTarget> => {
    const id = input[member];
    const project = typeof id === 'string' && isProjectId(id) ? await ctx.store.projects.get(id) : undefined;
    if (project) seen.set(input, project.version);
    const resourceTags = project ? Object.fromEntries((await ctx.store.projects.listTags(project.id)).map((t) => [`aws:ResourceTag/${t.key}`, t.value])) : {};
    return { resource: project?.arn ?? projectArn(ctx, typeof id === 'string' ? id : ''), keys: { ...resourceTags, ...keys?.(input) } };
  };
}

/** CloudTrail `resources` of a call on one project (the project named by `member`). */
export const recordProject =
  <M extends 'id' | 'projectId'>(member: M) =>
  (input: OnProject<M>, _out: unknown, ctx: OperationContext): AuditResource[] => [
    { accountId: ctx.accountId, type: 'AWS::CodeStar::Project', ARN: projectArn(ctx, input[member]) },
  ];

/** CloudTrail `resources` of a call on one user's profile. */
export const recordUser = (input: { userArn: string }, _out: unknown, ctx: OperationContext): AuditResource[] => [
  { accountId: ctx.accountId, type: 'AWS::IAM::User', ARN: input.userArn },
];

/** `authorize` for the user-profile operations that act on one user (its ARN as given). */
export const onUser = (input: { userArn: string }): AuthorizationTarget => ({ resource: typeof input.userArn === 'string' ? input.userArn : '*' });

export const anyResource = (): AuthorizationTarget => ({ resource: '*' });

/** aws:RequestTag/<key> and aws:TagKeys for calls that carry a tag map. */
export function requestTags(input: { tags?: Record<string, string> }): Keys {
  const tags = input.tags;
  if (!tags || typeof tags !== 'object' || Array.isArray(tags)) return undefined;
  return { 'aws:TagKeys': Object.keys(tags), ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])) };
}

/** aws:TagKeys for UntagProject (a list of keys). */
export const tagKeyList = (input: { tags: string[] }): Keys => (Array.isArray(input.tags) ? { 'aws:TagKeys': input.tags } : undefined);

/** The project for a read: ProjectNotFoundException when there is none. */
export async function requireProject(ctx: OperationContext, id: string): Promise<Project> {
  const p = await ctx.store.projects.get(id);
  if (!p) throw projectNotFound(id);
  return p;
}

/**
 * The project for a write, claimed for this call: its version moves on, so a call that was authorized
 * against the old version fails. The claim is the transaction's first write, taking the write lock
 * before anything else is read.
 */
export async function claimProject(ctx: OperationContext, input: object, id: string): Promise<Project> {
  if (!(await ctx.store.projects.bump(id, seen.get(input)))) {
    if (!(await ctx.store.projects.get(id))) throw projectNotFound(id);
    throw concurrentModification(id);
  }
  return requireProject(ctx, id);
}
