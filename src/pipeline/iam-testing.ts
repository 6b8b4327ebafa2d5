/** Test helpers for IAM: Query calls through the in-process pipeline harness (src/pipeline/testing.ts), as the wire carries them. */
import assert from 'node:assert/strict';
import type { Credentials, Harness, Reply } from './testing.ts';

/** An XML list's members: none, one (an object) or many (an array). */
export const members = (list: any): any[] => (list?.member === undefined ? [] : ([] as any[]).concat(list.member));

/** The `<Action>Result` element of a 200 reply. */
export function result(r: Reply, action: string): any {
  assert.equal(r.status, 200, r.text);
  return r.xml()[`${action}Response`][`${action}Result`] ?? {};
}

/** IAM calls on the harness `harness()` returns (set in a `before`, so it is read at each call). */
export function iamCalls(harness: () => Harness) {
  const iam = (action: string, params: Record<string, string> = {}, credentials?: Credentials) =>
    harness().query('iam', action, params, credentials ? { credentials } : {});
  /** A call that must succeed: its result element. */
  const ok = async (action: string, params: Record<string, string> = {}, credentials?: Credentials): Promise<any> =>
    result(await iam(action, params, credentials), action);
  /** A call that must fail with this status, code and message (or a message matching the pattern). */
  const fails = async (action: string, params: Record<string, string>, status: number, code: string, message: string | RegExp, credentials?: Credentials) => {
    const r = await iam(action, params, credentials);
    const e = r.xml().ErrorResponse?.Error;
    assert.deepEqual([r.status, e?.Code], [status, code], r.text);
    if (typeof message === 'string') assert.equal(e.Message, message);
    else assert.match(e.Message, message);
  };
  return { iam, ok, fails };
}
