/**
 * The request pipeline: every API call runs these steps, in this order, each taking what the steps
 * before it produced.
 *
 *   resolve      service, protocol, operation  (X-Amz-Target | Action= | S3 method+path ; SigV4 scope)
 *   authenticate SigV4 → Principal             (header or presigned query; session tokens)
 *   decode       body → input                  (awsJson1_0 | awsJson1_1 | awsQuery | restXml), type-checked by the model
 *   authorize    IAM policy evaluation         (explicit Deny > Allow > implicit deny)
 *   validate     the input's model constraints (required, length, pattern, enum, range)
 *   invoke       the handler, and its audit record, in one transaction
 *   encode       response or error in the protocol's form, x-amzn-RequestId
 *   ↳ audit      every outcome of a call with a SigV4 credential leaves exactly one record,
 *                committed before the response is written
 *
 * The wire protocol found by resolve (src/protocol/wire.ts) spells every error a step raises.
 */
import { appendRecords } from '../audit/append.ts';
import { observeAll } from '../audit/observer.ts';
import { ANONYMOUS, isAnonymous, type Principal } from '../auth/principal.ts';
import { AwsError, internalFailure } from '../errors/aws-error.ts';
import { FALLBACK_PROTOCOL } from '../protocol/index.ts';
import { formatValidationMessage, validateInput } from '../protocol/validate.ts';
import { authenticate, readCredential } from './authenticate.ts';
import { authorize } from './authorize.ts';
import { header, type Caller, type CallStart, type HttpRequest, type HttpResponse, type Operation, type Target } from './call.ts';
import { decode, operationOf } from './decode.ts';
import { encodeError, encodeResult } from './encode.ts';
import { invoke, recordBase, type InvokeDeps } from './invoke.ts';
import { resolve, type ServiceIndex } from './resolve.ts';

export interface PipelineDeps extends InvokeDeps {
  index: ServiceIndex;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  /** Client addresses allowed to set X-Forwarded-For. */
  trustedProxies: Set<string>;
}

/** What a failed call's audit record can say: whatever the steps produced before the failure. */
interface Reached {
  target?: Target;
  region: string;
  /** The access key id the request claims; a call with one is always recorded. */
  accessKeyId?: string;
  principal?: Principal;
  input?: Record<string, unknown>;
  /** accounts other than the caller's that also receive the record (step 4) */
  copiesFor?: string[];
}

export async function handle(req: HttpRequest, deps: PipelineDeps): Promise<HttpResponse> {
  const call = start(req, deps);
  const reached: Reached = { region: 'us-east-1', accessKeyId: claimedKey(req) };
  try {
    const target = resolve(req, deps.index);
    reached.target = target;
    if (req.bodyTooLarge) throw target.wire.errors.requestTooLarge(deps.config.maxBodyBytes);
    let caller: Caller;
    if (target.service.anonymousRegion && !signed(req)) {
      // an unsigned request is the anonymous caller's, where the service takes them (S3)
      const region = (await target.service.anonymousRegion(req).catch(() => undefined)) ?? deps.config.region;
      Object.assign(reached, { principal: ANONYMOUS, region });
      caller = { ...call, principal: ANONYMOUS, region, accessKeyId: '' };
    } else {
      const credential = readCredential(req, target);
      Object.assign(reached, { accessKeyId: credential.auth.accessKeyId, region: credential.region });
      const principal = await authenticate(req, target, credential, deps.store, call.startedAt);
      reached.principal = principal;
      caller = { ...call, principal, region: credential.region, accessKeyId: credential.auth.accessKeyId };
    }
    const operation = operationOf(target);
    const input = decode(req, target, operation);
    reached.input = input;
    await authorize(caller, target, operation, input, deps, (account) => {
      reached.copiesFor = [account];
    });
    validate(target, operation, input);
    const output = await invoke(reached.copiesFor ? { ...caller, copiesFor: reached.copiesFor } : caller, target.service, operation, input, deps);
    return withServiceHeaders(req, target, operation.name, false, encodeResult(call, target, operation, output));
  } catch (e) {
    const error = e instanceof AwsError ? e : internal(e, call, reached, deps);
    const encoded = encodeError(call, reached.target, await recordFailure(call, reached, error, deps));
    // an error's own response headers (S3: a delete marker's x-amz-delete-marker, x-amz-version-id)
    const own = (error as { headers?: Record<string, string> }).headers;
    const res = own && Object.keys(own).length ? { ...encoded, headers: { ...encoded.headers, ...own } } : encoded;
    return reached.target ? withServiceHeaders(req, reached.target, reached.target.operationName, true, res) : res;
  }
}

/** The service's own response headers (ServiceDef.responseHeaders: S3's x-amz-bucket-region); a failure to find them adds none. */
async function withServiceHeaders(req: HttpRequest, target: Target, operation: string | undefined, failed: boolean, res: HttpResponse): Promise<HttpResponse> {
  if (!target.service.responseHeaders) return res;
  const extra = await target.service.responseHeaders(req, operation, failed).catch(() => ({}));
  return { ...res, headers: { ...res.headers, ...extra } };
}

function start(req: HttpRequest, deps: PipelineDeps): CallStart {
  const forwarded = deps.trustedProxies.has(req.remoteAddress) ? header(req, 'x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  return {
    requestId: deps.ids.uuid(),
    eventId: deps.ids.eventId(),
    startedAt: deps.clock(),
    sourceIp: forwarded || req.remoteAddress.replace(/^::ffff:/, ''),
    userAgent: header(req, 'user-agent') ?? '',
    ...(req.console ? { console: req.console } : {}),
    ...(signed(req) ? { authentication: header(req, 'authorization') !== undefined ? ('AuthHeader' as const) : ('QueryString' as const) } : {}),
    bytesIn: req.body.length,
  };
}

/**
 * The key a request claims, read up front so that a call refused before authentication (an
 * oversized body) is still recorded: every call with a parseable SigV4 credential leaves a record.
 * Reading the credential (step 2a) replaces it with the fully parsed value.
 */
/** Whether the request carries any credential (SigV4 or SigV2, header or query): one that does must authenticate. */
function signed(req: HttpRequest): boolean {
  return (
    header(req, 'authorization') !== undefined || /(?:^|&)(X-Amz-Credential|X-Amz-Signature|X-Amz-Algorithm|AWSAccessKeyId|Signature)=/i.test(req.rawQuery)
  );
}

function claimedKey(req: HttpRequest): string | undefined {
  const m = /Credential=([A-Za-z0-9]+)\//.exec(header(req, 'authorization') ?? '') ?? /(?:^|&)X-Amz-Credential=([A-Za-z0-9]+)(?:\/|%2F)/i.exec(req.rawQuery);
  return m?.[1];
}

/** Step 5: the input's model constraints, the message naming members as the protocol does (or as the service words it). */
function validate(target: Target, operation: Operation, input: Record<string, unknown>): void {
  const shape = operation.model.input;
  if (!shape) return;
  const errors = validateInput(target.service.model, shape, input, target.wire.validation);
  if (errors.length) throw target.wire.errors.validation(target.service.validationMessage?.(errors) ?? formatValidationMessage(errors));
}

/** Anything but an AwsError is a defect: logged once with the request id, never echoed. */
function internal(e: unknown, call: CallStart, reached: Reached, deps: PipelineDeps): AwsError {
  deps.log('internal failure', { requestId: call.requestId, error: e instanceof Error ? e.stack : String(e) });
  return (reached.target?.wire ?? FALLBACK_PROTOCOL).errors.internalFailure();
}

/** Records the failed call (its own transaction). If even that fails, the caller gets InternalFailure. */
async function recordFailure(call: CallStart, reached: Reached, error: AwsError, deps: PipelineDeps): Promise<AwsError> {
  const { target, accessKeyId } = reached;
  if (!deps.audit || !target || (!accessKeyId && !isAnonymous(reached.principal))) return error;
  try {
    const records = observeAll(
      {
        ...recordBase({ ...call, region: reached.region, principal: reached.principal, accessKeyId: accessKeyId ?? '' }, deps),
        service: target.service,
        operation: target.operationName ?? 'UnknownOperation',
        op: target.operation?.def,
        input: reached.input,
        error,
      },
      reached.copiesFor ?? [],
      deps.ids.eventId,
    );
    await appendRecords(deps.store, records);
    return error;
  } catch (e) {
    deps.log('audit write failed', { requestId: call.requestId, error: e instanceof Error ? e.stack : String(e) });
    return internalFailure();
  }
}
