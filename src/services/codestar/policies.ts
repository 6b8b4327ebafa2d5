/**
 * Project roles are IAM (https://docs.aws.amazon.com/codestar/latest/APIReference/Welcome.html "Project roles", docs/architecture.md#request-path): each project has the
 * customer managed policies CodeStar_<id>_Owner|Contributor|Viewer, and a team member's role is the one
 * attached to the IAM user. Every IAM change goes through ctx.invoke, so IAM's own handler makes it and it
 * is recorded as a call made by codestar.amazonaws.com on the caller's behalf.
 */
import { AwsError } from '../../errors/aws-error.ts';
import type { ProjectRole } from '../../store/types.ts';
import type { Input } from '../iam/model.generated.ts';
import type { OperationContext } from '../types.ts';

export const ROLES: readonly ProjectRole[] = ['Owner', 'Contributor', 'Viewer'];
export const INVOKED_BY = 'codestar.amazonaws.com';

const PROJECT_ACTIONS: Record<ProjectRole, string[]> = {
  Owner: ['codestar:*'],
  Contributor: ['codestar:Describe*', 'codestar:Get*', 'codestar:List*', 'codestar:PutExtendedAccess'],
  Viewer: ['codestar:Describe*', 'codestar:Get*', 'codestar:List*'],
};

export const policyName = (projectId: string, role: ProjectRole) => `CodeStar_${projectId}_${role}`;
export const policyArn = (ctx: OperationContext, projectId: string, role: ProjectRole) => `arn:aws:iam::${ctx.accountId}:policy/${policyName(projectId, role)}`;

/** The role's statements: its actions on the project, the account-wide reads, and the member's own profile (policy variable). */
export function policyDocument(ctx: OperationContext, projectArn: string, role: ProjectRole): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: `${role}ProjectAccess`, Effect: 'Allow', Action: PROJECT_ACTIONS[role], Resource: [projectArn] },
      {
        Sid: 'AccountReadAccess',
        Effect: 'Allow',
        Action: ['codestar:DescribeUserProfile', 'codestar:ListProjects', 'codestar:ListUserProfiles', 'codestar:VerifyServiceRole'],
        Resource: ['*'],
      },
      { Sid: 'OwnUserProfile', Effect: 'Allow', Action: ['codestar:*UserProfile'], Resource: [`arn:aws:iam::${ctx.accountId}:user/\${aws:username}`] },
    ],
  });
}

/** Runs one IAM operation for the caller; IAM's error (e.g. a name already taken, a quota) is handed to `onError`. */
async function iam<O extends 'CreatePolicy' | 'AttachUserPolicy' | 'DetachUserPolicy' | 'DeletePolicy'>(
  ctx: OperationContext,
  operation: O,
  input: Input<O> & Record<string, unknown>,
  onError: (e: AwsError) => AwsError,
): Promise<void> {
  try {
    await ctx.invoke('iam', operation, input, INVOKED_BY);
  } catch (e) {
    throw e instanceof AwsError ? onError(e) : e;
  }
}

/** Creates the three role policies; returns their ARNs. */
export async function createRolePolicies(ctx: OperationContext, projectId: string, projectArn: string, onError: (e: AwsError) => AwsError): Promise<string[]> {
  const arns: string[] = [];
  for (const role of ROLES) {
    await iam(
      ctx,
      'CreatePolicy',
      {
        PolicyName: policyName(projectId, role),
        PolicyDocument: policyDocument(ctx, projectArn, role),
        Description: `AWS CodeStar ${role} role of project ${projectId}`,
      },
      onError,
    );
    arns.push(policyArn(ctx, projectId, role));
  }
  return arns;
}

/** The IAM user name in a user ARN (the part after the last '/'). */
export const userNameOf = (userArn: string) => userArn.slice(userArn.lastIndexOf('/') + 1);

export async function attachRole(
  ctx: OperationContext,
  userArn: string,
  projectId: string,
  role: ProjectRole,
  onError: (e: AwsError) => AwsError,
): Promise<void> {
  await iam(ctx, 'AttachUserPolicy', { UserName: userNameOf(userArn), PolicyArn: policyArn(ctx, projectId, role) }, onError);
}

/** Detaches the role policy if it is still attached (an administrator may have detached it through IAM). */
export async function detachRole(
  ctx: OperationContext,
  userArn: string,
  projectId: string,
  role: ProjectRole,
  onError: (e: AwsError) => AwsError,
): Promise<void> {
  const arn = policyArn(ctx, projectId, role);
  const user = userNameOf(userArn);
  if (!(await ctx.store.identities.listAttachedPolicies('user', user)).includes(arn)) return;
  await iam(ctx, 'DetachUserPolicy', { UserName: user, PolicyArn: arn }, onError);
}

/** Deletes a project's role policy if it still exists; the caller detaches it from the team first. */
export async function deleteRolePolicy(ctx: OperationContext, arn: string, onError: (e: AwsError) => AwsError): Promise<void> {
  if (!(await ctx.store.identities.getManagedPolicy(arn))) return;
  await iam(ctx, 'DeletePolicy', { PolicyArn: arn }, onError);
}
