/**
 * Where startrail deliberately departs from the published AWS models, in one place, each with its
 * reason. scripts/gen-models.ts applies these while it writes the compact models
 * (src/protocol/models/<service>.json) and the generated types (src/services/<service>/model.generated.ts).
 */

export interface ShapePatch {
  /** members the model copy lacks (the shape they refer to: ADDED_SHAPES or the copy's own) */
  addMembers?: Record<string, { shape: string; locationName?: string }>;
  /** constraint keys removed from the shape in the compact model */
  drop?: ('pattern' | 'min' | 'max' | 'enum')[];
  /** members the model requires that startrail (like AWS) leaves out in some answers */
  optional?: string[];
  /** the error's HTTP status, where the model copy carries none */
  httpStatusCode?: number;
  /** the error's Query code (awsQueryError), where the model copy carries none */
  queryCode?: string;
  why: string;
}

/**
 * SQS's JSON model (awsQueryCompatible) copy carries no awsQueryError traits: the Query codes and
 * statuses are those of the SQS API Reference's error lists
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html and each
 * action's Errors section, e.g. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueUrl.html),
 * which Query clients see in <Code> and JSON clients in x-amzn-query-error (docs/sqs.md#protocols).
 */
const QUERY_CODE = 'the Query code SQS documents; sent in x-amzn-query-error';

export const SHAPE_PATCHES: Record<string, Record<string, ShapePatch>> = {
  sqs: {
    BatchEntryIdsNotDistinct: { queryCode: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', httpStatusCode: 400, why: QUERY_CODE },
    BatchRequestTooLong: { queryCode: 'AWS.SimpleQueueService.BatchRequestTooLong', httpStatusCode: 400, why: QUERY_CODE },
    EmptyBatchRequest: { queryCode: 'AWS.SimpleQueueService.EmptyBatchRequest', httpStatusCode: 400, why: QUERY_CODE },
    InvalidBatchEntryId: { queryCode: 'AWS.SimpleQueueService.InvalidBatchEntryId', httpStatusCode: 400, why: QUERY_CODE },
    MessageNotInflight: { queryCode: 'AWS.SimpleQueueService.MessageNotInflight', httpStatusCode: 400, why: QUERY_CODE },
    OverLimit: { queryCode: 'OverLimit', httpStatusCode: 403, why: QUERY_CODE },
    PurgeQueueInProgress: { queryCode: 'AWS.SimpleQueueService.PurgeQueueInProgress', httpStatusCode: 403, why: QUERY_CODE },
    QueueDeletedRecently: { queryCode: 'AWS.SimpleQueueService.QueueDeletedRecently', httpStatusCode: 400, why: QUERY_CODE },
    QueueDoesNotExist: { queryCode: 'AWS.SimpleQueueService.NonExistentQueue', httpStatusCode: 400, why: QUERY_CODE },
    QueueNameExists: { queryCode: 'QueueAlreadyExists', httpStatusCode: 400, why: QUERY_CODE },
    TooManyEntriesInBatchRequest: { queryCode: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', httpStatusCode: 400, why: QUERY_CODE },
    UnsupportedOperation: { queryCode: 'AWS.SimpleQueueService.UnsupportedOperation', httpStatusCode: 400, why: QUERY_CODE },
    ReceiptHandleIsInvalid: { queryCode: 'ReceiptHandleIsInvalid', httpStatusCode: 400, why: QUERY_CODE },
    InvalidAttributeName: { queryCode: 'InvalidAttributeName', httpStatusCode: 400, why: QUERY_CODE },
    InvalidAttributeValue: { queryCode: 'InvalidAttributeValue', httpStatusCode: 400, why: QUERY_CODE },
    InvalidMessageContents: { queryCode: 'InvalidMessageContents', httpStatusCode: 400, why: QUERY_CODE },
    InvalidIdFormat: { queryCode: 'InvalidIdFormat', httpStatusCode: 400, why: QUERY_CODE },
    InvalidSecurity: { queryCode: 'InvalidSecurity', httpStatusCode: 403, why: QUERY_CODE },
    InvalidAddress: { queryCode: 'InvalidAddress', httpStatusCode: 404, why: QUERY_CODE },
    RequestThrottled: { queryCode: 'RequestThrottled', httpStatusCode: 400, why: QUERY_CODE },
  },
  iam: {
    // GetUser by the root user: AWS answers with UserId, Arn and CreateDate only (no user name or path)
    User: { optional: ['Path', 'UserName'], why: "root's GetUser has no UserName or Path" },
    // the root user's own access keys belong to no IAM user
    AccessKey: { optional: ['UserName'], why: "root's access keys have no UserName" },
    // https://docs.aws.amazon.com/IAM/latest/APIReference/API_AccessKeyLastUsed.html: "null" when the key was never used
    AccessKeyLastUsed: { optional: ['LastUsedDate'], why: 'a key never used has no LastUsedDate (ServiceName and Region are N/A)' },
  },
  s3: {
    // botocore and the AWS CLI send `bucket/key`; S3 accepts it with or without the leading slash the pattern requires
    CopySource: { drop: ['pattern'], why: 'S3 accepts x-amz-copy-source without its leading slash' },
    // The S3 model bundled with AWS CLI 2.9 has no httpStatusCode on its errors; the statuses are S3's
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList).
    NoSuchBucket: { httpStatusCode: 404, why: 'status from the S3 API Reference error code list' },
    NoSuchKey: { httpStatusCode: 404, why: 'status from the S3 API Reference error code list' },
    NoSuchUpload: { httpStatusCode: 404, why: 'status from the S3 API Reference error code list' },
    BucketAlreadyExists: { httpStatusCode: 409, why: 'status from the S3 API Reference error code list' },
    BucketAlreadyOwnedByYou: { httpStatusCode: 409, why: 'status from the S3 API Reference error code list' },
    InvalidObjectState: { httpStatusCode: 403, why: 'status from the S3 API Reference error code list' },
    // S3 takes filter rule names in any case and answers them as Prefix / Suffix
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html); the handler checks them
    FilterRuleName: { drop: ['enum'], why: 'S3 accepts prefix/Prefix/PREFIX and answers InvalidArgument for other names' },
    // S3 answers an unknown event type with its own InvalidArgument, not a validation error
    Event: { drop: ['enum'], why: 'S3 answers InvalidArgument "The event is not supported for notifications"' },
    // canned ACLs: S3 also takes log-delivery-write for buckets (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl); the handler checks the name
    BucketCannedACL: { drop: ['enum'], why: 'S3 accepts log-delivery-write, and answers InvalidArgument for an unknown canned ACL' },
    ObjectCannedACL: { drop: ['enum'], why: 'S3 answers InvalidArgument for an unknown canned ACL' },
    Permission: { drop: ['enum'], why: 'S3 answers MalformedACLError for an unknown permission' },
    ObjectOwnership: { drop: ['enum'], why: 'S3 answers InvalidArgument (header) or MalformedXML (document) for an unknown ObjectOwnership' },
    // the xsi:type attribute is S3's, not the element's content: the grantee's kind follows from ID, URI or EmailAddress
    Grantee: { optional: ['Type'], why: 'a Grantee is known by its ID, URI or EmailAddress' },
    LoggingEnabled: {
      addMembers: { TargetObjectKeyFormat: { shape: 'TargetObjectKeyFormat' } },
      why: 'the model copy predates TargetObjectKeyFormat (https://docs.aws.amazon.com/AmazonS3/latest/API/API_LoggingEnabled.html)',
    },
  },
};

/**
 * Shapes newer than the model copy, added with `addMembers`, as the S3 API Reference defines them.
 * S3 server access logging's TargetObjectKeyFormat (November 2023:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_TargetObjectKeyFormat.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PartitionedPrefix.html) is sent by current CLIs and SDKs.
 */
export const ADDED_SHAPES: Record<string, Record<string, Record<string, unknown>>> = {
  s3: {
    TargetObjectKeyFormat: {
      type: 'structure',
      members: {
        SimplePrefix: { shape: 'SimplePrefix', locationName: 'SimplePrefix' },
        PartitionedPrefix: { shape: 'PartitionedPrefix', locationName: 'PartitionedPrefix' },
      },
    },
    SimplePrefix: { type: 'structure', members: {}, locationName: 'SimplePrefix' },
    PartitionedPrefix: { type: 'structure', members: { PartitionDateSource: { shape: 'PartitionDateSource' } }, locationName: 'PartitionedPrefix' },
    PartitionDateSource: { type: 'string', enum: ['EventTime', 'DeliveryTime'] },
  },
};

/**
 * Constraints the service answers with its own exception instead of the generic ValidationException
 * (as the operation's error list says). They stay in the compact model, but the service takes them out
 * of the copy the validator sees (src/services/cloudtrail/index.ts), and the generated input types do
 * not narrow an enum the service itself must check.
 */
export const SERVICE_CHECKED: Record<string, Record<string, { drop: ('min' | 'max' | 'enum')[]; why: string }>> = {
  cloudtrail: {
    MaxResults: { drop: ['min', 'max'], why: 'answered with InvalidMaxResultsException' },
    EventCategory: { drop: ['enum'], why: 'answered with InvalidEventCategoryException' },
    LookupAttributeKey: { drop: ['enum'], why: 'answered with InvalidLookupAttributesException' },
    LookupAttributeValue: { drop: ['min', 'max'], why: 'answered with InvalidLookupAttributesException (the limit counts some characters twice)' },
  },
};

/**
 * Errors an operation raises that its model does not list for it (wire codes of the service's modelled
 * errors), with the reason. The generated error union and OPERATION_ERRORS of the operation include
 * them; src/services/errors.test.ts checks that no operation raises anything else (beyond the common
 * errors of errors/model-errors.ts).
 */
export const EXTRA_ERRORS: Record<string, Record<string, { errors: string[]; why: string }>> = {
  codestar: {
    DeleteProject: {
      errors: ['ProjectNotFoundException', 'ProjectConfigurationException'],
      why: "a racing DeleteProject removed the project between the check and the claim; deleteStack finds the project's IAM policies changed through IAM",
    },
    DisassociateTeamMember: {
      errors: ['ProjectConfigurationException', 'LimitExceededException'],
      why: 'IAM refusing to detach the role policy, reported as for the other team-member changes',
    },
    UpdateProject: { errors: ['ConcurrentModificationException'], why: 'optimistic concurrency, as for every write to a project' },
  },
  cloudtrail: {
    UpdateTrail: {
      errors: ['MaximumNumberOfTrailsExceededException', 'TrailAlreadyExistsException'],
      why: 'making a trail multi-region adds it to every region: the per-region quota and name uniqueness apply',
    },
    ListTrails: { errors: ['InvalidNextTokenException'], why: 'a NextToken that no earlier ListTrails answer gave' },
    AddTags: { errors: ['InvalidHomeRegionException'], why: 'a shadow trail is changed in its home region only, as every change to a trail' },
    RemoveTags: { errors: ['InvalidHomeRegionException'], why: 'a shadow trail is changed in its home region only, as every change to a trail' },
    ListTags: {
      errors: ['ChannelNotFoundException', 'InvalidParameterException'],
      why: 'a channel ARN names nothing here; more than 20 ARNs in ResourceIdList',
    },

    CreateEventDataStore: { errors: ['TagsLimitExceededException'], why: 'more than 50 tags, as AddTags answers for the same resource (docs/lake.md)' },
    ListImports: {
      errors: ['EventDataStoreNotFoundException', 'InvalidMaxResultsException'],
      why: 'a Destination that names no event data store of the account; a MaxResults that is not a whole number of 1–1000',
    },
  },
  iam: {
    ...Object.fromEntries(
      [
        'ListUsers',
        'ListAccessKeys',
        'ListRoles',
        'ListUserPolicies',
        'ListRolePolicies',
        'ListPolicies',
        'GetGroup',
        'ListGroups',
        'ListGroupsForUser',
        'ListGroupPolicies',
        'ListUserTags',
        'ListRoleTags',
      ].map((op) => [
        op,
        {
          errors: ['InvalidInput'],
          why: 'a Marker that no earlier answer gave (IAM answers InvalidInput "Invalid Marker.")',
        },
      ]),
    ),
    GetAccountAuthorizationDetails: { errors: ['InvalidInput'], why: 'a Marker that no earlier answer gave (IAM answers InvalidInput "Invalid Marker.")' },
    CreateRole: {
      errors: ['NoSuchEntity'],
      why: 'a PermissionsBoundary naming no policy, answered as CreateUser and PutRolePermissionsBoundary answer it (their models list it)',
    },
  },
  sqs: {
    CreateQueue: {
      errors: ['OverLimit'],
      why: 'more than 50 tags (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-queue-tags.html)',
    },
    TagQueue: { errors: ['OverLimit'], why: 'more than 50 tags on the queue' },
    SendMessageBatch: { errors: ['InvalidMessageContents'], why: "an entry's failure in Failed (a body with characters SQS refuses)" },
    DeleteMessageBatch: { errors: ['ReceiptHandleIsInvalid'], why: "an entry's failure in Failed (a handle that is none, or another queue's)" },
    ChangeMessageVisibilityBatch: {
      errors: ['ReceiptHandleIsInvalid', 'MessageNotInflight'],
      why: "an entry's failure in Failed, as for ChangeMessageVisibility",
    },
  },
  s3: {
    CopyObject: { errors: ['NoSuchKey'], why: 'the copy source does not exist' },
    UploadPartCopy: { errors: ['NoSuchKey'], why: 'the copy source does not exist' },
    GetObjectTagging: { errors: ['NoSuchKey'], why: 'the object does not exist' },
    PutObjectRetention: { errors: ['NoSuchKey'], why: 'the object does not exist' },
    GetObjectRetention: { errors: ['NoSuchKey'], why: 'the object does not exist' },
    PutObjectLegalHold: { errors: ['NoSuchKey'], why: 'the object does not exist' },
    GetObjectLegalHold: { errors: ['NoSuchKey'], why: 'the object does not exist' },
  },
};
