/**
 * The JSON documents SNS sends (https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html,
 * https://docs.aws.amazon.com/sns/latest/dg/http-subscription-confirmation-json.html,
 * https://docs.aws.amazon.com/sns/latest/dg/http-unsubscribe-confirmation-json.html), signed
 * (signing.ts), with the URLs pointing at startrail's public URL: `SubscribeURL` and
 * `UnsubscribeURL` are unsigned GETs of ConfirmSubscription / Unsubscribe (public.ts), and
 * `SigningCertURL` the certificate. Keys appear in AWS's order, written as AWS writes them
 * (`"Key" : value`, one per line). docs/sns.md#messages.
 */
import type { KeyObject } from 'node:crypto';
import type { SnsSigningKey } from '../../store/types.ts';
import { certificatePath, sign, stringToSign } from './signing.ts';

export interface MessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

export interface Signer {
  key: SnsSigningKey;
  privateKey: KeyObject;
  publicUrl: string;
  /** signatures already made, by version and string to sign: one message fanned out is signed once (UnsubscribeURL is not signed) */
  cache?: Map<string, string>;
}

const q = (s: string) => encodeURIComponent(s);

export const subscribeUrl = (publicUrl: string, topicArn: string, token: string) =>
  `${publicUrl}/?Action=ConfirmSubscription&TopicArn=${q(topicArn)}&Token=${q(token)}`;
export const unsubscribeUrl = (publicUrl: string, subscriptionArn: string) => `${publicUrl}/?Action=Unsubscribe&SubscriptionArn=${q(subscriptionArn)}`;

/** `{"Type": "String", "Value": "…"}` per attribute; binary values in base64. */
export function envelopeAttributes(attrs: Record<string, MessageAttribute>): Record<string, { Type: string; Value: string }> {
  const out: Record<string, { Type: string; Value: string }> = {};
  for (const [name, a] of Object.entries(attrs))
    out[name] = { Type: a.DataType, Value: a.BinaryValue !== undefined ? Buffer.from(a.BinaryValue).toString('base64') : (a.StringValue ?? '') };
  return out;
}

/** AWS's layout: `{\n  "Type" : "Notification",\n  …\n}`. */
function layout(fields: [string, unknown][]): string {
  return `{\n${fields.map(([k, v]) => `  ${JSON.stringify(k)} : ${JSON.stringify(v)}`).join(',\n')}\n}`;
}

function signed(fields: [string, string][], version: '1' | '2', s: Signer): [string, string][] {
  const message = Object.fromEntries(fields);
  const key = `${version}\n${stringToSign(message)}`;
  let signature = s.cache?.get(key);
  if (signature === undefined) {
    signature = sign(message, version, s.privateKey);
    s.cache?.set(key, signature);
  }
  return [...fields, ['SignatureVersion', version], ['Signature', signature], ['SigningCertURL', `${s.publicUrl}${certificatePath(s.key.id)}`]];
}

export interface Notification {
  messageId: string;
  topicArn: string;
  subscriptionArn: string;
  subject?: string;
  message: string;
  timestamp: Date;
  attributes: Record<string, MessageAttribute>;
  /** FIFO topics */
  sequenceNumber?: string;
}

export function notificationJson(n: Notification, version: '1' | '2', s: Signer): string {
  const base: [string, string][] = [
    ['Type', 'Notification'],
    ['MessageId', n.messageId],
    ...(n.sequenceNumber !== undefined ? ([['SequenceNumber', n.sequenceNumber]] as [string, string][]) : []),
    ['TopicArn', n.topicArn],
    ...(n.subject !== undefined ? ([['Subject', n.subject]] as [string, string][]) : []),
    ['Message', n.message],
    ['Timestamp', n.timestamp.toISOString()],
  ];
  const fields: [string, unknown][] = [...signed(base, version, s), ['UnsubscribeURL', unsubscribeUrl(s.publicUrl, n.subscriptionArn)]];
  if (Object.keys(n.attributes).length) fields.push(['MessageAttributes', envelopeAttributes(n.attributes)]);
  return layout(fields);
}

export function subscriptionConfirmationJson(
  c: { messageId: string; topicArn: string; token: string; timestamp: Date; type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation' },
  version: '1' | '2',
  s: Signer,
): string {
  const message =
    c.type === 'SubscriptionConfirmation'
      ? `You have chosen to subscribe to the topic ${c.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`
      : `You have chosen to deactivate subscription ${c.topicArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;
  const base: [string, string][] = [
    ['Type', c.type],
    ['MessageId', c.messageId],
    ['Token', c.token],
    ['TopicArn', c.topicArn],
    ['Message', message],
    ['SubscribeURL', subscribeUrl(s.publicUrl, c.topicArn, c.token)],
    ['Timestamp', c.timestamp.toISOString()],
  ];
  return layout(signed(base, version, s));
}
