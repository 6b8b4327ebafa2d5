/**
 * IAM errors with AWS's codes and messages.
 * The modelled ones take their HTTP status from the IAM model (errors/model-errors.ts); the common
 * ones (ValidationError, InvalidClientTokenId, AccessDenied) are spelled here.
 */
import { AwsError } from '../../errors/aws-error.ts';
import { modelErrors } from '../../errors/model-errors.ts';
import { ERRORS } from './model.generated.ts';

const iam = modelErrors(ERRORS);

// NoSuchEntity
export const noSuchUser = (name: string) => iam('NoSuchEntity', `The user with name ${name} cannot be found.`);
export const noSuchRole = (name: string) => iam('NoSuchEntity', `The role with name ${name} cannot be found.`);
export const noSuchGroup = (name: string) => iam('NoSuchEntity', `The group with name ${name} cannot be found.`);
export const noSuchAccessKey = (id: string) => iam('NoSuchEntity', `The Access Key with id ${id} cannot be found.`);
export const noSuchInlinePolicy = (kind: 'user' | 'role' | 'group', name: string) =>
  iam('NoSuchEntity', `The ${kind} policy with name ${name} cannot be found.`);
/** Attach*Policy and session policies naming a policy that does not exist (observed wording). */
export const policyNotAttachable = (arn: string) => iam('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
/** GetPolicy / DeletePolicy / Detach*Policy on a policy that does not exist or is not attached [unverified wording]. */
export const policyNotFound = (arn: string) => iam('NoSuchEntity', `Policy ${arn} was not found.`);
export const noSuchPolicyVersion = (arn: string, version: string) => iam('NoSuchEntity', `Policy ${arn} version ${version} does not exist.`);

// EntityAlreadyExists
export const entityAlreadyExists = (entity: 'User' | 'Role' | 'Group', name: string) =>
  iam('EntityAlreadyExists', `${entity} with name ${name} already exists.`);
export const policyAlreadyExists = (name: string) => iam('EntityAlreadyExists', `A policy called ${name} already exists. Duplicate names are not allowed.`);

// LimitExceeded
export const limitExceeded = (
  quota:
    | 'AccessKeysPerUser'
    | 'PoliciesPerUser'
    | 'PoliciesPerRole'
    | 'PoliciesPerGroup'
    | 'GroupsPerUser'
    | 'GroupsPerAccount'
    | 'PolicySize'
    | 'ACLSizePerRole'
    /** 50 tags per user, role or policy [unverified wording] */
    | 'TagsPerResource',
  value: number,
) => iam('LimitExceeded', `Cannot exceed quota for ${quota}: ${value}`);
/** observed: 99designs/iamy#21 */
export const policyVersionsLimit = () =>
  iam('LimitExceeded', 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.');
export const inlinePolicySizeExceeded = (kind: 'user' | 'role' | 'group', name: string, max: number) =>
  iam('LimitExceeded', `Maximum policy size of ${max} bytes exceeded for ${kind} ${name}`);

// DeleteConflict
const DELETE_CONFLICT = {
  keys: 'Cannot delete entity, must delete access keys first.',
  inline: 'Cannot delete entity, must delete policies first.',
  attached: 'Cannot delete entity, must detach all policies first.',
  policyAttached: 'Cannot delete a policy attached to entities.',
  // DeleteGroup with members and DeleteUser of a member answer alike (observed: hashicorp/terraform#29147, mozilla-services/userplex#17)
  groupMembers: 'Cannot delete entity, must remove users from group first.',
  defaultVersion: 'Cannot delete the default version of a policy.',
  // observed: rebuy-de/aws-nuke#1
  versions:
    "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
} as const;
export const deleteConflict = (reason: keyof typeof DELETE_CONFLICT) => iam('DeleteConflict', DELETE_CONFLICT[reason]);

// The credential report: AWS's errors carry no message text (observed: prowler-cloud/prowler#272, turbot/steampipe-plugin-aws#509)
export const reportNotPresent = () => iam('ReportNotPresent', '');
export const reportExpired = () => iam('ReportExpired', '');

// MalformedPolicyDocument, InvalidInput, ValidationError
export const malformedPolicy = (message: string) => iam('MalformedPolicyDocument', message);
export const invalidPrincipal = (type: string, value: string) => malformedPolicy(`Invalid principal in policy: "${type}":"${value}"`);
export const invalidInput = (message: string) => iam('InvalidInput', message);
export const invalidArn = (arn: string) => invalidInput(`ARN ${arn} is not valid.`);
export const invalidMarker = () => invalidInput('Invalid Marker.');
export const duplicateTagKeys = () => invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
/** GetUser / *AccessKey(s) without UserName by a role session (observed with the CLI). */
export const mustSpecifyUserName = () => new AwsError('ValidationError', 'Must specify userName when calling with non-User credentials', 400);

// Credentials that may not call IAM (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getsessiontoken.html)
/** GetSessionToken credentials without MFA: IAM's XML message has no final period (aws-cli#8918). */
export const invalidClientTokenId = () => new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid', 403);
/**
 * GetFederationToken credentials: "no IAM API at all". AWS's exact text is not documented; we use the
 * AccessDenied grammar (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html) with the clause such a caller gets elsewhere when its session policies do not allow an action.
 */
export const federatedDenied = (callerArn: string, action: string, resource: string) =>
  new AwsError(
    'AccessDenied',
    `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource} because no session policy allows the ${action} action`,
    403,
  );
/** AWS managed policies belong to the `aws` account and cannot be changed from this one [unverified wording]. */
export const awsManagedReadOnly = (callerArn: string, action: string, arn: string) =>
  new AwsError('AccessDenied', `User: ${callerArn} is not authorized to perform: ${action} on resource: ${arn}`, 403);
