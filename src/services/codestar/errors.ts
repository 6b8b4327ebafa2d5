/**
 * CodeStar errors: the model's 13 exceptions have no members and no HTTP
 * status, so all are JSON `{"__type": ..., "message": ...}` at 400 (errors/model-errors.ts). AWS's exact
 * texts are not on record; the messages name what was wrong, in the words of the model's documentation.
 */
import { AwsError } from '../../errors/aws-error.ts';
import { modelErrors } from '../../errors/model-errors.ts';
import { ERRORS } from './model.generated.ts';

const err = modelErrors(ERRORS);

export const projectNotFound = (id: string) => err('ProjectNotFoundException', `Project ${id} not found`);
export const projectAlreadyExists = (id: string) =>
  err(
    'ProjectAlreadyExistsException',
    `A project with the ID ${id} already exists in this region for the AWS account. AWS CodeStar project IDs must be unique within a region for the AWS account.`,
  );
/** The project's IAM side is not as CodeStar left it (e.g. a role policy was deleted through IAM). */
export const projectConfiguration = (id: string, reason: string) =>
  err('ProjectConfigurationException', `Project ${id} is not configured as expected: ${reason}`);
export const projectCreationFailed = (id: string, reason: string) => err('ProjectCreationFailedException', `Project ${id} could not be created: ${reason}`);

export const teamMemberAlreadyAssociated = (userArn: string, id: string, role: string) =>
  err('TeamMemberAlreadyAssociatedException', `User ${userArn} is already associated with project ${id} in the role ${role}.`);
export const teamMemberNotFound = (userArn: string, id: string) => err('TeamMemberNotFoundException', `User ${userArn} is not a team member of project ${id}.`);

export const userProfileAlreadyExists = (userArn: string) => err('UserProfileAlreadyExistsException', `A user profile already exists for ${userArn}.`);
export const userProfileNotFound = (userArn: string) => err('UserProfileNotFoundException', `No user profile was found for ${userArn}.`);

export const invalidNextToken = () => err('InvalidNextTokenException', 'The next token is not valid.');

export const concurrentModification = (id: string) =>
  err(
    'ConcurrentModificationException',
    `Another modification is being made to project ${id}. That modification must complete before you can make your change.`,
  );

/** Quotas (CSUG limits.md): 333 projects per account, 10 projects per IAM user, 100 team members per project; 50 tags per project. */
export const LIMITS = { projectsPerAccount: 333, projectsPerUser: 10, membersPerProject: 100, tagsPerProject: 50 } as const;
export const accountProjectLimit = () =>
  err('LimitExceededException', `The maximum number of projects for this account (${LIMITS.projectsPerAccount}) has been reached.`);
export const userProjectLimit = (userArn: string) =>
  err('LimitExceededException', `User ${userArn} is already a team member of the maximum number of projects (${LIMITS.projectsPerUser}).`);
export const memberLimit = (id: string) =>
  err('LimitExceededException', `Project ${id} already has the maximum number of team members (${LIMITS.membersPerProject}).`);
export const tagLimit = (id: string) => err('LimitExceededException', `Project ${id} cannot have more than ${LIMITS.tagsPerProject} tags.`);
/** IAM refused to attach a role policy because of its own quota (10 managed policies per user). */
export const iamLimit = (message: string) => err('LimitExceededException', message);

// ValidationException for rules the model's constraints cannot express (the pipeline reports those).
export const validation = (message: string) => err('ValidationException', message);
export const sourceWithoutToolchain = () => validation('The sourceCode and toolchain parameters must be specified together.');
export const oneDestination = (i: number) => validation(`sourceCode.${i}.member.destination must specify exactly one of codeCommit or gitHub.`);
export const noSuchUser = (userArn: string) => validation(`The IAM user ${userArn} does not exist.`);
export const otherAccount = (userArn: string) => validation(`The IAM user ${userArn} is not in this account.`);
export const tokenReused = (operation: string, token: string) =>
  validation(`The clientRequestToken ${token} was already used for a ${operation} request with different parameters.`);
export const policyInUse = (arn: string) =>
  validation(`Policy ${arn} is attached to users outside the project team; detach it before deleting the project's resources.`);

/**
 * Non-owners cannot change their own role (CSUG working-with-teams.md), even when a broader policy would
 * allow it. No IAM policy denied it, so the message has the grammar's form without a because-clause.
 */
export const ownRoleDenied = (callerArn: string, projectArn: string) =>
  new AwsError('AccessDeniedException', `User: ${callerArn} is not authorized to perform: codestar:UpdateTeamMember on resource: ${projectArn}`, 400);
