/**
 * What SNS serves without a signature (docs/sns.md#public-urls): the signing certificate at
 * `SigningCertURL`, and the `SubscribeURL` / `UnsubscribeURL` its messages carry, which an endpoint
 * visits with a plain GET (https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.confirm.html,
 * https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html). The answers are
 * ConfirmSubscription / Unsubscribe responses in the Query protocol's XML. These requests carry no
 * credential, so, like every request without one (docs/architecture.md#audit) and as on AWS, which
 * does not log these calls made unauthenticated
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-logging-using-cloudtrail.html), they leave no audit
 * record; the subscription they confirm is marked
 * `ConfirmationWasAuthenticated=false`, and one confirmed with AuthenticateOnUnsubscribe cannot be
 * removed this way.
 */
import { AwsError } from '../../errors/aws-error.ts';
import type { Ids } from '../../ids.ts';
import { encodeQueryError, encodeQueryResponse, parseForm, XML_CONTENT_TYPE } from '../../protocol/aws-query/index.ts';
import { loadModel } from '../../protocol/model.ts';
import type { Store } from '../../store/types.ts';
import type { Config } from '../types.ts';
import { parseSubscriptionArn } from './arns.ts';
import { invalidParameter } from './errors.ts';
import { CERTIFICATE_PATH, signingKey } from './signing.ts';
import { confirm, unsubscribe } from './subscriptions.ts';

/** An answer the HTTP edge writes as is. */
export interface PublicResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface PublicDeps {
  store: Store;
  config: Config;
  clock: () => Date;
  ids: Ids;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface PublicRequest {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
}

const model = loadModel('sns');
const NS = model.metadata.xmlNamespace ?? '';

/** An unsigned GET of SNS's public URLs: the answer, or undefined when the request is not one (the pipeline takes it). */
export function snsPublicRoutes(deps: PublicDeps): (req: PublicRequest) => Promise<PublicResponse | undefined> {
  return async (req) => {
    if (req.method !== 'GET') return undefined;
    const cert = CERTIFICATE_PATH.exec(req.rawPath);
    if (cert) {
      const { key } = await signingKey(deps.store, deps.clock());
      if (key.id !== cert[1]) return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' };
      return { status: 200, headers: { 'content-type': 'application/x-x509-ca-cert' }, body: key.certificatePem };
    }
    if (req.rawPath !== '/' || req.headers.authorization !== undefined) return undefined;
    let form: Map<string, string>;
    try {
      form = parseForm(req.rawQuery);
    } catch {
      return undefined;
    }
    const action = form.get('Action');
    if ((action !== 'ConfirmSubscription' && action !== 'Unsubscribe') || form.has('X-Amz-Credential')) return undefined;
    const requestId = deps.ids.uuid();
    const headers = { 'content-type': XML_CONTENT_TYPE, 'x-amzn-requestid': requestId };
    try {
      const output = await deps.store.transaction((tx) => (action === 'ConfirmSubscription' ? confirmByUrl(tx, form, deps) : unsubscribeByUrl(tx, form, deps)));
      return { status: 200, headers, body: encodeQueryResponse(model, action, output, requestId) };
    } catch (e) {
      if (!(e instanceof AwsError)) {
        deps.log('internal failure', { requestId, error: e instanceof Error ? e.stack : String(e) });
        const { status, body } = encodeQueryError(NS, new AwsError('InternalError', 'Internal error', 500), requestId);
        return { status, headers, body };
      }
      const { status, body } = encodeQueryError(NS, e, requestId);
      return { status, headers, body };
    }
  };
}

async function confirmByUrl(tx: Store, form: Map<string, string>, deps: PublicDeps) {
  const topicArn = form.get('TopicArn');
  const token = form.get('Token');
  if (!topicArn) throw invalidParameter('TopicArn');
  if (!token) throw invalidParameter('Token');
  const sub = await confirm(tx, topicArn, token, deps.clock(), false, false);
  return { SubscriptionArn: sub.arn };
}

async function unsubscribeByUrl(tx: Store, form: Map<string, string>, deps: PublicDeps) {
  const arn = form.get('SubscriptionArn') ?? '';
  if (!parseSubscriptionArn(arn)) throw invalidParameter('SubscriptionArn');
  const sub = await tx.topics.getSubscription(arn);
  if (sub?.attributes.AuthenticateOnUnsubscribe === 'true')
    throw new AwsError('AuthorizationError', 'Unsubscribe of this subscription requires authentication (AuthenticateOnUnsubscribe)', 403);
  if (sub) await unsubscribe(tx, sub, deps.clock(), deps.ids, deps.config);
  return {};
}
