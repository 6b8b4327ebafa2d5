/**
 * The request pipeline: every API call runs these steps, in this order.
 *
 *   resolve      service + protocol            (X-Amz-Target | Action= | S3 method+path ; SigV4 scope)
 *   authenticate SigV4 → Principal             (header or presigned query; session tokens)
 *   decode       body → input                  (awsJson1_1 | awsQuery | restXml), type-checked by the model
 *   authorize    IAM policy evaluation         (explicit Deny > Allow > implicit deny)
 *   validate     the input's model constraints (required, length, pattern, enum, range)
 *   invoke       the handler, and its audit record, in one transaction
 *   encode       response or error in the protocol's form, x-amzn-RequestId
 *   ↳ audit      every outcome of a call with a SigV4 credential leaves exactly one record,
 *                committed before the response is written
 */
import { appendRecords } from '../audit/append.ts';
import { observe } from '../audit/observer.ts';
import { authorize } from '../auth/authorize.ts';
import { AwsError, internalFailure, requestTooLarge, validationError } from '../errors/aws-error.ts';
import { formatValidationMessage, validateInput } from '../protocol/validate.ts';
import { authenticateCall } from './authenticate.ts';
import { header, type Call, type HttpRequest, type HttpResponse } from './call.ts';
import { decode } from './decode.ts';
import { encodeError, encodeSuccess, protocolError } from './encode.ts';
import { base, invoke, type InvokeDeps } from './invoke.ts';
import { resolve, type ServiceIndex } from './resolve.ts';

export interface PipelineDeps extends InvokeDeps {
  index: ServiceIndex;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  /** Client addresses allowed to set X-Forwarded-For. */
  trustedProxies: Set<string>;
}

export async function handle(req: HttpRequest, deps: PipelineDeps): Promise<HttpResponse> {
  const call = startCall(req, deps);
  try {
    const { target, form } = resolve(req, deps.index);
    call.target = target;
    call.region = 'us-east-1';
    if (req.bodyTooLarge) throw requestTooLarge(target.protocol, deps.config.maxBodyBytes);
    await authenticateCall(req, target, call, deps.store, deps.config.accountId, call.startedAt);
    call.input = decode(req, target, form);
    await authorizeCall(call, deps);
    validate(call);
    return encodeSuccess(call, await invoke(call, deps));
  } catch (e) {
    const error = protocolError(call, toAwsError(e, call, deps));
    return encodeError(call, await recordFailure(call, error, deps));
  }
}

function startCall(req: HttpRequest, deps: PipelineDeps): Call {
  const forwarded = deps.trustedProxies.has(req.remoteAddress) ? header(req, 'x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  return {
    requestId: deps.ids.uuid(), eventId: deps.ids.uuid(), startedAt: deps.clock(), region: 'us-east-1',
    sourceIp: forwarded || req.remoteAddress.replace(/^::ffff:/, ''), userAgent: header(req, 'user-agent') ?? '',
    claimedAccessKeyId: claimedKey(req), ...(req.console ? { console: req.console } : {}),
  };
}

/**
 * The key a request claims, read up front so that a call refused before authentication (an
 * oversized body) is still recorded (DESIGN §2: every call with a parseable SigV4 credential).
 * Authentication replaces it with the fully parsed value.
 */
function claimedKey(req: HttpRequest): string | undefined {
  const m = /Credential=([A-Za-z0-9]+)\//.exec(header(req, 'authorization') ?? '') ?? /(?:^|&)X-Amz-Credential=([A-Za-z0-9]+)(?:\/|%2F)/i.exec(req.rawQuery);
  return m?.[1];
}

async function authorizeCall(call: Call, deps: PipelineDeps): Promise<void> {
  const { service, operation, op, protocol } = call.target!;
  const ctxLite = { requestId: call.requestId, principal: call.principal!, accountId: deps.config.accountId, region: call.region, now: call.startedAt, sourceIp: call.sourceIp, userAgent: call.userAgent, store: deps.store, ids: deps.ids, config: deps.config, invoke: () => Promise.reject(new Error('invoke is not available while authorizing')) };
  const t = op!.authorize ? await op!.authorize(call.input ?? {}, ctxLite) : { resource: '*' };
  if (t === 'none') return;
  await authorize(deps.store, {
    principal: call.principal!, action: t.action ?? `${service.actionPrefix}:${operation}`, resources: Array.isArray(t.resource) ? t.resource : [t.resource],
    region: call.region, sourceIp: call.sourceIp, now: call.startedAt, keys: t.keys, resourcePolicy: t.resourcePolicy, trustPolicy: t.trustPolicy, protocol, s3: service.name === 's3',
  });
}

function validate(call: Call): void {
  const { service, operation, protocol } = call.target!;
  const shape = service.model.operations[operation!]!.input;
  if (!shape) return;
  const errors = validateInput(service.model, shape, call.input, { lowerFirst: protocol === 'query' });
  if (errors.length) throw validationError(protocol, formatValidationMessage(errors));
}

function toAwsError(e: unknown, call: Call, deps: PipelineDeps): AwsError {
  if (e instanceof AwsError) return e;
  deps.log('internal failure', { requestId: call.requestId, error: e instanceof Error ? e.stack : String(e) });
  return internalFailure();
}

/** Records the failed call (its own transaction). If even that fails, the caller gets InternalFailure. */
async function recordFailure(call: Call, error: AwsError, deps: PipelineDeps): Promise<AwsError> {
  const t = call.target;
  if (!deps.audit || !t || !call.claimedAccessKeyId) return error;
  try {
    const record = observe({ ...base(call, deps), service: t.service, operation: t.operation ?? 'UnknownOperation', op: t.op, input: call.input, error });
    await appendRecords(deps.store, [record]);
    return error;
  } catch (e) {
    deps.log('audit write failed', { requestId: call.requestId, error: e instanceof Error ? e.stack : String(e) });
    return internalFailure();
  }
}
