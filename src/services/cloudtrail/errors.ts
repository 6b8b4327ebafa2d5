/** CloudTrail's errors, with the code and HTTP status (400) of the CloudTrail model (errors/model-errors.ts). */
import { modelErrors } from '../../errors/model-errors.ts';
import { ERRORS } from './model.generated.ts';

const e = modelErrors(ERRORS);

// ---- LookupEvents

export const invalidLookupAttributes = (message: string) => e('InvalidLookupAttributesException', message);

export const invalidTimeRange = () =>
  e(
    'InvalidTimeRangeException',
    'Occurs if the timestamp values are not valid. Either the start time occurs after the end time, or the time range is outside the range of possible values.',
  );

export const invalidMaxResults = (value: number) => e('InvalidMaxResultsException', `MaxResults ${value} is not valid. MaxResults must be between 1 and 50.`);

export const invalidNextToken = () =>
  e('InvalidNextTokenException', 'A token that is not valid, or a token that was previously used in a request with different parameters.');

export const invalidEventCategory = (value: string) =>
  e('InvalidEventCategoryException', `Event category ${value} is not valid. The only valid event category is insight.`);

// ---- Trails. Texts marked [observed]
// were seen in public reports of AWS's answers; the others follow moto or are ours, in AWS's style.
/** [observed] "Unknown trail: <name or ARN> for the user: <account>" */
export const trailNotFound = (ref: string, account: string) => e('TrailNotFoundException', `Unknown trail: ${ref} for the user: ${account}`);
export const trailAlreadyExists = (name: string, account: string) => e('TrailAlreadyExistsException', `Trail ${name} already exists for customer: ${account}`);
/** [observed] "User: <account> already has 5 trails in <region>." */
export const maximumTrails = (account: string, region: string) =>
  e('MaximumNumberOfTrailsExceededException', `User: ${account} already has 5 trails in ${region}.`);
export const invalidTrailName = (message: string) => e('InvalidTrailNameException', message);
export const trailArnInvalid = (arn: string) =>
  e('CloudTrailARNInvalidException', `Invalid ARN: ${arn}. A trail ARN looks like arn:aws:cloudtrail:<region>:<account>:trail/<name>.`);
export const invalidHomeRegion = (arn: string, home: string) =>
  e('InvalidHomeRegionException', `The trail ${arn} was created in ${home}: this operation can only be called from its home region ${home}.`);
/** moto */
export const s3BucketDoesNotExist = (bucket: string) => e('S3BucketDoesNotExistException', `S3 bucket ${bucket} does not exist!`);
/** [observed] */
export const insufficientS3BucketPolicy = (bucket: string) =>
  e('InsufficientS3BucketPolicyException', `Incorrect S3 bucket policy is detected for bucket: ${bucket}`);
/** [observed] the topic is missing, or its policy does not let cloudtrail.amazonaws.com publish */
export const insufficientSnsTopicPolicy = () => e('InsufficientSnsTopicPolicyException', 'SNS Topic does not exist or the topic policy is incorrect!');
export const invalidS3BucketName = (bucket: string) => e('InvalidS3BucketNameException', `Bucket name is not valid: ${bucket}`);
export const invalidS3Prefix = (prefix: string) => e('InvalidS3PrefixException', `Prefix is not valid: ${prefix}`);
export const invalidSnsTopicName = (name: string) => e('InvalidSnsTopicNameException', `Topic name is not valid: ${name}`);
export const invalidKmsKeyId = (id: string) => e('InvalidKmsKeyIdException', `KMS key id is not valid: ${id}`);
/** startrail has no KMS: no key can be found */
export const kmsKeyNotFound = (id: string) => e('KmsKeyNotFoundException', `KMS key not found: ${id}`);
export const invalidCloudWatchLogsLogGroupArn = (arn: string) =>
  e('InvalidCloudWatchLogsLogGroupArnException', `CloudWatch Logs log group ARN is not valid: ${arn}`);
export const invalidCloudWatchLogsRoleArn = (arn: string) => e('InvalidCloudWatchLogsRoleArnException', `CloudWatch Logs role ARN is not valid: ${arn}`);
/** startrail has no CloudWatch Logs */
export const cloudWatchLogsUnavailable = () =>
  e('CloudWatchLogsDeliveryUnavailableException', 'Cannot deliver to CloudWatch Logs: CloudWatch Logs is not available on this endpoint.');
export const invalidParameterCombination = (message: string) => e('InvalidParameterCombinationException', message);
export const invalidParameter = (message: string) => e('InvalidParameterException', message);
/** startrail accounts belong to no organization */
export const organizationsNotInUse = () => e('OrganizationsNotInUseException', 'This account is not a member of an organization.');
export const invalidEventSelectors = (message: string) => e('InvalidEventSelectorsException', message);
export const tagsLimitExceeded = () =>
  e('TagsLimitExceededException', 'The number of tags per trail has exceeded the permitted amount. Currently, the limit is 50.');
export const invalidTagParameter = (message: string) => e('InvalidTagParameterException', message);
export const resourceNotFound = (arn: string) => e('ResourceNotFoundException', `Resource ${arn} does not exist.`);
export const resourceTypeNotSupported = (arn: string) => e('ResourceTypeNotSupportedException', `Resource type of ${arn} is not supported.`);
export const eventDataStoreNotFound = (arn: string) => e('EventDataStoreNotFoundException', `Event data store ${arn} does not exist.`);
export const channelNotFound = (arn: string) => e('ChannelNotFoundException', `Channel ${arn} does not exist.`);
export const invalidToken = () => e('InvalidTokenException', 'The token is not valid.');
