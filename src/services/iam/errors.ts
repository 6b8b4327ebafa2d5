/** IAM errors with AWS's codes, HTTP statuses and messages (spec iam-sts §5 error table, §2 and §6 for credentials). */
import { AwsError } from '../../errors/aws-error.ts';

// NoSuchEntity (404)
export const noSuchUser = (name: string) => new AwsError('NoSuchEntity', `The user with name ${name} cannot be found.`, 404);
export const noSuchRole = (name: string) => new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
export const noSuchAccessKey = (id: string) => new AwsError('NoSuchEntity', `The Access Key with id ${id} cannot be found.`, 404);
export const noSuchInlinePolicy = (kind: 'user' | 'role', name: string) => new AwsError('NoSuchEntity', `The ${kind} policy with name ${name} cannot be found.`, 404);
/** Attach*Policy and session policies naming a policy that does not exist (observed wording). */
export const policyNotAttachable = (arn: string) => new AwsError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`, 404);
/** GetPolicy / DeletePolicy / Detach*Policy on a policy that does not exist or is not attached [unverified wording]. */
export const policyNotFound = (arn: string) => new AwsError('NoSuchEntity', `Policy ${arn} was not found.`, 404);
export const noSuchPolicyVersion = (arn: string, version: string) => new AwsError('NoSuchEntity', `Policy ${arn} version ${version} does not exist.`, 404);

// EntityAlreadyExists (409)
export const entityAlreadyExists = (entity: 'User' | 'Role', name: string) => new AwsError('EntityAlreadyExists', `${entity} with name ${name} already exists.`, 409);
export const policyAlreadyExists = (name: string) => new AwsError('EntityAlreadyExists', `A policy called ${name} already exists. Duplicate names are not allowed.`, 409);

// LimitExceeded (409)
export const limitExceeded = (quota: 'AccessKeysPerUser' | 'PoliciesPerUser' | 'PoliciesPerRole' | 'PolicySize' | 'ACLSizePerRole', value: number) =>
  new AwsError('LimitExceeded', `Cannot exceed quota for ${quota}: ${value}`, 409);
export const inlinePolicySizeExceeded = (kind: 'user' | 'role', name: string, max: number) =>
  new AwsError('LimitExceeded', `Maximum policy size of ${max} bytes exceeded for ${kind} ${name}`, 409);

// DeleteConflict (409)
const DELETE_CONFLICT = {
  keys: 'Cannot delete entity, must delete access keys first.',
  inline: 'Cannot delete entity, must delete policies first.',
  attached: 'Cannot delete entity, must detach all policies first.',
  policyAttached: 'Cannot delete a policy attached to entities.',
} as const;
export const deleteConflict = (reason: keyof typeof DELETE_CONFLICT) => new AwsError('DeleteConflict', DELETE_CONFLICT[reason], 409);

// MalformedPolicyDocument, InvalidInput, ValidationError (400)
export const malformedPolicy = (message: string) => new AwsError('MalformedPolicyDocument', message, 400);
export const invalidPrincipal = (type: string, value: string) => malformedPolicy(`Invalid principal in policy: "${type}":"${value}"`);
export const invalidInput = (message: string) => new AwsError('InvalidInput', message, 400);
export const invalidArn = (arn: string) => invalidInput(`ARN ${arn} is not valid.`);
export const invalidMarker = () => invalidInput('Invalid Marker.');
export const duplicateTagKeys = () => invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
/** Permissions boundaries are not stored by startrail; refusing is safer than silently ignoring a restriction. */
export const boundaryUnsupported = () => invalidInput('PermissionsBoundary is not supported by this endpoint.');
/** GetUser / *AccessKey(s) without UserName by a role session (observed with the CLI). */
export const mustSpecifyUserName = () => new AwsError('ValidationError', 'Must specify userName when calling with non-User credentials', 400);

// Credentials that may not call IAM (spec §6, §2)
/** GetSessionToken credentials without MFA: IAM's XML message has no final period (aws-cli#8918). */
export const invalidClientTokenId = () => new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid', 403);
/**
 * GetFederationToken credentials: "no IAM API at all". AWS's exact text is not documented (spec §8); we use the
 * §2 grammar with the clause such a caller gets elsewhere when its session policies do not allow an action.
 */
export const federatedDenied = (callerArn: string, action: string, resource: string) =>
  new AwsError('AccessDenied', `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource} because no session policy allows the ${action} action`, 403);
/** AWS managed policies belong to the `aws` account and cannot be changed from this one [unverified wording]. */
export const awsManagedReadOnly = (callerArn: string, action: string, arn: string) =>
  new AwsError('AccessDenied', `User: ${callerArn} is not authorized to perform: ${action} on resource: ${arn}`, 403);
