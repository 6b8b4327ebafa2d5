/**
 * Generates, from the official AWS API models of botocore (https://github.com/boto/botocore,
 * botocore/data/<service>/<version>/service-2.json; read from $STARTRAIL_SHARED/aws-models/):
 *   - the compact service models the server loads (src/protocol/models/<service>.json): only the
 *     operations startrail serves and the shapes they reach, without documentation;
 *   - the types handlers are written against (src/services/<service>/model.generated.ts, gen-models/types.ts);
 *   - the console's copy of the model constants it needs (src/console/static/js/models.generated.js).
 * The deviations from the published models are in scripts/model-patches.ts. Run: npm run gen:models
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleConstants, constants } from './gen-models/constants.ts';
import { emitTypes } from './gen-models/types.ts';
import { ADDED_SHAPES, EXTRA_ERRORS, SERVICE_CHECKED, SHAPE_PATCHES } from './model-patches.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.STARTRAIL_SHARED ?? join(root, '..', 'shared');

/** What startrail serves, per service. `all` takes every operation of the model. */
const SERVED: Record<string, { version: string; operations: string[] | 'all' }> = {
  codestar: { version: '2017-04-19', operations: 'all' },
  cloudtrail: {
    version: '2013-11-01',
    operations: [
      'LookupEvents',
      'CreateTrail',
      'UpdateTrail',
      'DeleteTrail',
      'DescribeTrails',
      'GetTrail',
      'ListTrails',
      'GetTrailStatus',
      'StartLogging',
      'StopLogging',
      'PutEventSelectors',
      'GetEventSelectors',
      'AddTags',
      'RemoveTags',
      'ListTags',
      'ListPublicKeys',
      'CreateEventDataStore',
      'GetEventDataStore',
      'ListEventDataStores',
      'UpdateEventDataStore',
      'DeleteEventDataStore',
      'RestoreEventDataStore',
      'StartQuery',
      'DescribeQuery',
      'GetQueryResults',
      'ListQueries',
      'CancelQuery',
      'StartImport',
      'GetImport',
      'ListImports',
      'StopImport',
    ],
  },
  sqs: {
    version: '2012-11-05',
    operations: [
      'CreateQueue',
      'GetQueueUrl',
      'ListQueues',
      'GetQueueAttributes',
      'SetQueueAttributes',
      'DeleteQueue',
      'PurgeQueue',
      'SendMessage',
      'SendMessageBatch',
      'ReceiveMessage',
      'DeleteMessage',
      'DeleteMessageBatch',
      'ChangeMessageVisibility',
      'ChangeMessageVisibilityBatch',
      'TagQueue',
      'UntagQueue',
      'ListQueueTags',
      'ListDeadLetterSourceQueues',
      'AddPermission',
      'RemovePermission',
    ],
  },
  sts: { version: '2011-06-15', operations: ['GetCallerIdentity', 'AssumeRole', 'GetSessionToken', 'GetFederationToken'] },
  iam: {
    version: '2010-05-08',
    operations: [
      'CreateUser',
      'GetUser',
      'ListUsers',
      'DeleteUser',
      'CreateAccessKey',
      'ListAccessKeys',
      'UpdateAccessKey',
      'DeleteAccessKey',
      'CreateRole',
      'GetRole',
      'ListRoles',
      'DeleteRole',
      'UpdateAssumeRolePolicy',
      'PutUserPolicy',
      'GetUserPolicy',
      'DeleteUserPolicy',
      'ListUserPolicies',
      'PutRolePolicy',
      'GetRolePolicy',
      'DeleteRolePolicy',
      'ListRolePolicies',
      'CreatePolicy',
      'GetPolicy',
      'GetPolicyVersion',
      'DeletePolicy',
      'ListPolicies',
      'AttachUserPolicy',
      'DetachUserPolicy',
      'ListAttachedUserPolicies',
      'AttachRolePolicy',
      'DetachRolePolicy',
      'ListAttachedRolePolicies',
      'CreateGroup',
      'GetGroup',
      'ListGroups',
      'UpdateGroup',
      'DeleteGroup',
      'AddUserToGroup',
      'RemoveUserFromGroup',
      'ListGroupsForUser',
      'PutGroupPolicy',
      'GetGroupPolicy',
      'DeleteGroupPolicy',
      'ListGroupPolicies',
      'AttachGroupPolicy',
      'DetachGroupPolicy',
      'ListAttachedGroupPolicies',
      'PutUserPermissionsBoundary',
      'DeleteUserPermissionsBoundary',
      'PutRolePermissionsBoundary',
      'DeleteRolePermissionsBoundary',
      'TagUser',
      'UntagUser',
      'ListUserTags',
      'TagRole',
      'UntagRole',
      'ListRoleTags',
      'TagPolicy',
      'UntagPolicy',
      'ListPolicyTags',
      'CreatePolicyVersion',
      'DeletePolicyVersion',
      'ListPolicyVersions',
      'SetDefaultPolicyVersion',
      'ListEntitiesForPolicy',
      'GetAccessKeyLastUsed',
      'GenerateCredentialReport',
      'GetCredentialReport',
      'GetAccountSummary',
      'SimulatePrincipalPolicy',
      'SimulateCustomPolicy',
      'GetAccountAuthorizationDetails',
      'GenerateServiceLastAccessedDetails',
      'GetServiceLastAccessedDetails',
    ],
  },
  sns: {
    version: '2010-03-31',
    operations: [
      'CreateTopic',
      'DeleteTopic',
      'ListTopics',
      'GetTopicAttributes',
      'SetTopicAttributes',
      'AddPermission',
      'RemovePermission',
      'Subscribe',
      'ConfirmSubscription',
      'Unsubscribe',
      'ListSubscriptions',
      'ListSubscriptionsByTopic',
      'GetSubscriptionAttributes',
      'SetSubscriptionAttributes',
      'Publish',
      'PublishBatch',
      'TagResource',
      'UntagResource',
      'ListTagsForResource',
    ],
  },
  events: {
    version: '2015-10-07',
    operations: [
      'CreateEventBus',
      'DescribeEventBus',
      'ListEventBuses',
      'DeleteEventBus',
      'UpdateEventBus',
      'PutPermission',
      'RemovePermission',
      'PutRule',
      'DescribeRule',
      'ListRules',
      'EnableRule',
      'DisableRule',
      'DeleteRule',
      'PutTargets',
      'RemoveTargets',
      'ListTargetsByRule',
      'ListRuleNamesByTarget',
      'PutEvents',
      'TestEventPattern',
      'TagResource',
      'UntagResource',
      'ListTagsForResource',
      'CreateConnection',
      'DescribeConnection',
      'ListConnections',
      'UpdateConnection',
      'DeleteConnection',
      'DeauthorizeConnection',
      'CreateApiDestination',
      'DescribeApiDestination',
      'ListApiDestinations',
      'UpdateApiDestination',
      'DeleteApiDestination',
    ],
  },
  logs: {
    version: '2014-03-28',
    operations: [
      'CreateLogGroup',
      'DeleteLogGroup',
      'DescribeLogGroups',
      'PutRetentionPolicy',
      'DeleteRetentionPolicy',
      'CreateLogStream',
      'DeleteLogStream',
      'DescribeLogStreams',
      'PutLogEvents',
      'GetLogEvents',
      'FilterLogEvents',
      'PutMetricFilter',
      'DescribeMetricFilters',
      'DeleteMetricFilter',
      'TestMetricFilter',
      'TagResource',
      'UntagResource',
      'ListTagsForResource',
      'TagLogGroup',
      'UntagLogGroup',
      'ListTagsLogGroup',
      'PutResourcePolicy',
      'DescribeResourcePolicies',
      'DeleteResourcePolicy',
    ],
  },
  organizations: {
    version: '2016-11-28',
    operations: [
      'CreateOrganization',
      'DescribeOrganization',
      'DeleteOrganization',
      'ListRoots',
      'CreateAccount',
      'DescribeCreateAccountStatus',
      'ListCreateAccountStatus',
      'ListAccounts',
      'DescribeAccount',
      'ListAccountsForParent',
      'CreateOrganizationalUnit',
      'DescribeOrganizationalUnit',
      'ListOrganizationalUnitsForParent',
      'UpdateOrganizationalUnit',
      'DeleteOrganizationalUnit',
      'MoveAccount',
      'ListParents',
      'ListChildren',
      'EnableAWSServiceAccess',
      'DisableAWSServiceAccess',
      'ListAWSServiceAccessForOrganization',
    ],
  },
  cloudwatch: {
    version: '2010-08-01',
    operations: [
      'PutMetricData',
      'ListMetrics',
      'GetMetricStatistics',
      'GetMetricData',
      'PutMetricAlarm',
      'DescribeAlarms',
      'DescribeAlarmsForMetric',
      'DeleteAlarms',
      'SetAlarmState',
      'DescribeAlarmHistory',
      'EnableAlarmActions',
      'DisableAlarmActions',
      'TagResource',
      'UntagResource',
      'ListTagsForResource',
    ],
  },
  s3: {
    version: '2006-03-01',
    operations: [
      'CreateBucket',
      'HeadBucket',
      'DeleteBucket',
      'ListBuckets',
      'GetBucketLocation',
      'PutBucketPolicy',
      'GetBucketPolicy',
      'DeleteBucketPolicy',
      'PutObject',
      'GetObject',
      'HeadObject',
      'DeleteObject',
      'ListObjects',
      'ListObjectsV2',
      'CopyObject',
      'DeleteObjects',
      'GetObjectTagging',
      'CreateMultipartUpload',
      'UploadPart',
      'UploadPartCopy',
      'CompleteMultipartUpload',
      'AbortMultipartUpload',
      'ListParts',
      'ListMultipartUploads',
      'PutBucketNotificationConfiguration',
      'GetBucketNotificationConfiguration',
      'PutBucketTagging',
      'GetBucketTagging',
      'DeleteBucketTagging',
      'PutBucketEncryption',
      'GetBucketEncryption',
      'DeleteBucketEncryption',
      'PutPublicAccessBlock',
      'GetPublicAccessBlock',
      'DeletePublicAccessBlock',
      'GetBucketPolicyStatus',
      'PutBucketOwnershipControls',
      'GetBucketOwnershipControls',
      'DeleteBucketOwnershipControls',
      'PutBucketVersioning',
      'GetBucketVersioning',
      'ListObjectVersions',
      'PutObjectLockConfiguration',
      'GetObjectLockConfiguration',
      'PutObjectRetention',
      'GetObjectRetention',
      'PutObjectLegalHold',
      'GetObjectLegalHold',
      'PutObjectTagging',
      'DeleteObjectTagging',
      'PutBucketLifecycleConfiguration',
      'GetBucketLifecycleConfiguration',
      'DeleteBucketLifecycle',
      'PutBucketAcl',
      'GetBucketAcl',
      'PutObjectAcl',
      'GetObjectAcl',
      'PutBucketCors',
      'GetBucketCors',
      'DeleteBucketCors',
      'PutBucketLogging',
      'GetBucketLogging',
    ],
  },
};

type Json = Record<string, any>;
const SHAPE_KEYS = [
  'type',
  'required',
  'min',
  'max',
  'pattern',
  'enum',
  'sensitive',
  'flattened',
  'locationName',
  'timestampFormat',
  'xmlNamespace',
  'payload',
];
const MEMBER_KEYS = [
  'shape',
  'location',
  'locationName',
  'flattened',
  'xmlAttribute',
  'xmlNamespace',
  'streaming',
  'timestampFormat',
  'jsonvalue',
  'idempotencyToken',
];

function pick(obj: Json, keys: string[]): Json {
  const out: Json = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}

function compact(service: string, version: string, wanted: string[] | 'all'): Json {
  const model = JSON.parse(readFileSync(join(shared, 'aws-models', service, version, 'service-2.json'), 'utf8'));
  const names = wanted === 'all' ? Object.keys(model.operations) : wanted;
  const shapes: Json = {};
  const visit = (name: string): void => {
    if (shapes[name]) return;
    const patch = SHAPE_PATCHES[service]?.[name];
    const found = model.shapes[name] ?? ADDED_SHAPES[service]?.[name];
    if (!found) throw new Error(`${service}: missing shape ${name}`);
    const s = patch?.addMembers ? { ...found, members: { ...found.members, ...patch.addMembers } } : found;
    const out = pick(s, SHAPE_KEYS);
    for (const key of patch?.drop ?? []) delete out[key];
    if (patch?.optional) out.required = out.required.filter((m: string) => !patch.optional!.includes(m));
    if (s.error) out.error = pick(s.error, ['code', 'httpStatusCode', 'senderFault']);
    if (patch?.httpStatusCode) out.error = { ...out.error, httpStatusCode: patch.httpStatusCode };
    if (patch?.queryCode) out.error = { ...out.error, queryCode: patch.queryCode };
    if (s.exception) out.exception = true;
    shapes[name] = out;
    if (s.members) {
      out.members = {};
      for (const [m, def] of Object.entries<Json>(s.members)) {
        out.members[m] = pick(def, MEMBER_KEYS);
        visit(def.shape);
      }
    }
    if (s.member) {
      out.member = pick(s.member, MEMBER_KEYS);
      visit(s.member.shape);
    }
    if (s.key) {
      out.key = pick(s.key, MEMBER_KEYS);
      visit(s.key.shape);
    }
    if (s.value) {
      out.value = pick(s.value, MEMBER_KEYS);
      visit(s.value.shape);
    }
  };
  const operations: Json = {};
  for (const name of names) {
    const op = model.operations[name];
    if (!op) throw new Error(`${service}: no operation ${name}`);
    const out: Json = { http: pick(op.http, ['method', 'requestUri', 'responseCode']) };
    if (op.input) {
      out.input = op.input.shape;
      visit(op.input.shape);
    }
    if (op.output) {
      out.output = op.output.shape;
      visit(op.output.shape);
      if (op.output.resultWrapper) out.resultWrapper = op.output.resultWrapper;
    }
    out.errors = (op.errors ?? []).map((e: Json) => {
      visit(e.shape);
      return e.shape;
    });
    // the request's flexible checksums describe its payload (REST-XML decoding checks them), and S3 may require one
    if (op.httpChecksum) out.httpChecksum = { required: !!op.httpChecksum.requestChecksumRequired };
    operations[name] = out;
  }
  const metadata = pick(model.metadata, [
    'apiVersion',
    'endpointPrefix',
    'protocol',
    'jsonVersion',
    'targetPrefix',
    'xmlNamespace',
    'globalEndpoint',
    'signingName',
    'serviceId',
  ]);
  return { metadata, operations, shapes: Object.fromEntries(Object.entries(shapes).sort(([a], [b]) => a.localeCompare(b))) };
}

const compacts: Record<string, Json> = {};
for (const [service, { version, operations }] of Object.entries(SERVED)) {
  const out = compact(service, version, operations);
  compacts[service] = out;
  const file = join(root, 'src', 'protocol', 'models', `${service}.json`);
  writeFileSync(file, JSON.stringify(out) + '\n');
  const types = join(root, 'src', 'services', service, 'model.generated.ts');
  writeFileSync(types, emitTypes(service, out, new Set(Object.keys(SERVICE_CHECKED[service] ?? {})), EXTRA_ERRORS[service]) + '\n' + constants(service, out));
  console.log(`${service}: ${Object.keys(out.operations).length} operations, ${Object.keys(out.shapes).length} shapes → ${file}, ${types}`);
}

const consoleFile = join(root, 'src', 'console', 'static', 'js', 'models.generated.js');
writeFileSync(consoleFile, consoleConstants(compacts));
console.log(`console constants → ${consoleFile}`);
