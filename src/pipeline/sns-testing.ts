/** Test helpers for SNS: Query calls through the in-process pipeline harness (src/pipeline/testing.ts). */
import type { Credentials, Harness, Reply } from './testing.ts';

export const ACCOUNT = '000000000000';
export const arnOf = (name: string) => `arn:aws:sns:us-east-1:${ACCOUNT}:${name}`;

/** One SNS Query call; `params` are the form's flattened parameters besides Action and Version. */
export function snsCall(h: Harness, action: string, params: Record<string, string> = {}, credentials?: Credentials): Promise<Reply> {
  return h.send({
    service: 'sns',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'user-agent': 'harness' },
    body: new URLSearchParams({ Action: action, Version: '2010-03-31', ...params }).toString(),
    ...(credentials ? { credentials } : {}),
  });
}

/** The error of a failed call: [status, code, message]. */
export function errorOf(r: Reply): [number, string, string] {
  const e = r.xml().ErrorResponse.Error;
  return [r.status, e.Code, e.Message];
}

/** `Attributes.entry.N.key/value` form parameters. */
export function attributeParams(prefix: string, attrs: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  Object.entries(attrs).forEach(([k, v], i) => {
    out[`${prefix}.entry.${i + 1}.key`] = k;
    out[`${prefix}.entry.${i + 1}.value`] = v;
  });
  return out;
}

/** The Attributes map of a Get…Attributes answer. */
export function attributesOf(r: Reply, op: 'GetTopicAttributes' | 'GetSubscriptionAttributes'): Record<string, string> {
  const entries = r.xml()[`${op}Response`][`${op}Result`].Attributes.entry;
  return Object.fromEntries((Array.isArray(entries) ? entries : [entries]).map((e: { key: string; value: string }) => [e.key, e.value]));
}
